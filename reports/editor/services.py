"""The editors' write path: the grade sheet, the grades CSV upload, amendments, deleting and restoring
reports. Every write goes through save()/delete() (history and the data version follow), all or nothing,
and refuses to overwrite a change someone else saved since the editor loaded the data (optimistic locking).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from forces.models import Force
from reports.exports.services import GRADE_EXPORT_COLUMNS, cell_restore, column_names
from reports.history import change_reason_set
from reports.models import (
    AreaForImprovement,
    CauseOfConcern,
    Grade,
    GradeAmendment,
    Question,
    Recommendation,
    Report,
    Round,
    Versioned,
    validation_lines,
)
from reports.vocabulary import carried_over_from_evidence, grade_display, round_key, yes_no_parse


class StaleDataError(Exception):
    """The data changed after the editor loaded it; nothing was saved."""


class EntriesInvalid(Exception):
    """Some entries are invalid; nothing was saved. `errors` maps an entry's index to its messages."""

    def __init__(self, errors: dict[int, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(message for messages in errors.values() for message in messages))


def version_check(*, instance: Versioned, expected: int | None, what: str) -> None:
    """Lock instance's row and raise StaleDataError unless its stored version is still `expected`
    (None: the editor saw no row). Call inside the transaction that then saves it."""
    if instance.version_stored(lock=True) != expected:
        raise StaleDataError(
            f"{what} was changed by someone else after you opened it, so your change was not saved. "
            "Reload the page to see the current data, then make your change again."
        )


@dataclass
class GradeEntry:
    """What an editor says one force got on one question; status None means "not known" (no grade).
    expected_version is the grade's version when the editor loaded it (None: there was no grade)."""

    force: Force
    question: Question
    status: str | None
    tier: int | None = None
    carried_over: bool = False
    source_url: str = ""
    source_type: str = ""
    evidence: str = ""
    expected_version: int | None = None
    amended_on: date | None = None
    amendment_reason: str = ""

    @property
    def label(self) -> str:
        return f"{self.force.name} · {self.question.label}"


@dataclass
class WriteCounts:
    """What a write did: grades created, changed, left as they were, removed; amendments recorded."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    amendments: int = 0


GRADE_DATA_FIELDS = ("status", "tier", "carried_over", "source_url", "source_type", "evidence")


def grade_entry_apply(*, grade: Grade, entry: GradeEntry) -> bool:
    """Copy an entry's values onto a grade; whether anything changed."""
    changed = False
    for name in GRADE_DATA_FIELDS:
        value = getattr(entry, name)
        if getattr(grade, name) != value:
            setattr(grade, name, value)
            changed = True
    return changed


def amendment_build(
    *, grade: Grade, previous: tuple[str, int | None] | None, amended_on: date | None, reason: str, source_url: str
) -> GradeAmendment | None:
    """The (unsaved) amendment recording that HMICFRS changed grade from `previous` (None: no grade is
    stored) to its current status and tier, or None when no amendment date or reason was given;
    ValidationError if the grade did not change or the amendment is incomplete."""
    if amended_on is None and not reason:
        return None
    if grade.pk is None or previous is None or previous == (grade.status, grade.tier):
        raise ValidationError("An amendment records a change to a published grade: change the grade, or clear the amendment.")
    amendment = GradeAmendment(
        grade=grade,
        previous_status=previous[0],
        previous_tier=previous[1],
        new_status=grade.status,
        new_tier=grade.tier,
        reason=reason,
        source_url=source_url,
    )
    if amended_on is not None:  # left unset when missing, so full_clean reports it beside any other problem
        amendment.amended_on = amended_on
    try:
        amendment.full_clean(exclude=["grade"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(validation_lines(error, prefix="amendment ")) from None
    return amendment


def validation_codes(error: ValidationError) -> set[str | None]:
    """The codes of every message of a ValidationError (field errors included)."""
    items = [item for items in error.error_dict.values() for item in items] if hasattr(error, "error_dict") else error.error_list
    return {item.code for item in items}


def grades_stale_error(labels: list[str]) -> StaleDataError:
    return StaleDataError(
        f"Someone else changed {', '.join(labels)} after you opened it, so nothing was saved. "
        "Reload to see the current data, then make your change again."
    )


@transaction.atomic
def grades_write(*, entries: list[GradeEntry], change_reason: str, can_delete: bool = False) -> WriteCounts:
    """Write the entries in one transaction: every grade is locked and its version checked first, then
    each is validated; one stale or invalid entry writes nothing (StaleDataError / EntriesInvalid)."""
    existing = {}
    stale = []
    for entry in entries:
        grade = Grade.objects.select_for_update().filter(force=entry.force, question=entry.question).first()
        existing[entry.force.pk, entry.question.pk] = grade
        if (grade.version if grade else None) != entry.expected_version:
            stale.append(entry.label)
    if stale:
        raise grades_stale_error(stale)
    counts = WriteCounts()
    errors: dict[int, list[str]] = {}
    for index, entry in enumerate(entries):
        grade = existing[entry.force.pk, entry.question.pk]
        try:
            with transaction.atomic():
                outcome, amended = grade_entry_write(grade=grade, entry=entry, change_reason=change_reason, can_delete=can_delete)
        except IntegrityError:
            # Someone else created this grade after the rows were locked (nothing to lock then): their insert won.
            raise grades_stale_error([entry.label]) from None
        except ValidationError as error:
            if grade is None and "unique_together" in validation_codes(error):
                raise grades_stale_error([entry.label]) from None  # the same race, seen by the model's unique check
            errors[index] = error.messages
            continue
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        counts.amendments += amended
    if errors:
        raise EntriesInvalid(errors)
    return counts


def grade_entry_write(*, grade: Grade | None, entry: GradeEntry, change_reason: str, can_delete: bool) -> tuple[str, bool]:
    """Write one entry; returns what happened ('created', 'changed', 'unchanged', 'deleted') and
    whether an amendment was recorded."""
    if entry.status is None:
        if grade is None:
            return "unchanged", False
        if not can_delete:
            raise ValidationError("Only an administrator can remove a grade (set it to 'not known').")
        if grade.amendments.exists():
            raise ValidationError("This grade has recorded amendments, so it cannot be removed.")
        change_reason_set(grade, change_reason)
        grade.delete()
        return "deleted", False
    created = grade is None
    grade = grade or Grade(force=entry.force, question=entry.question)
    previous = (grade.status, grade.tier)
    if (
        not grade_entry_apply(grade=grade, entry=entry)
        and not created
        and entry.amended_on is None
        and not entry.amendment_reason
    ):
        return "unchanged", False
    amendment = amendment_build(
        grade=grade, previous=previous, amended_on=entry.amended_on, reason=entry.amendment_reason, source_url=entry.source_url
    )
    change_reason_set(grade, change_reason)
    grade.save()
    if amendment is not None:
        change_reason_set(amendment, change_reason)
        amendment.save()
    return ("created" if created else "changed"), amendment is not None


# --- The grade sheet: one round, one force, one row per question ----------------------------------


def grade_sheet_rows(*, round_: Round, force: Force) -> list[tuple[Question, Grade | None]]:
    """Every question of the round, in order, with the force's grade on it (None: not known)."""
    grades = {grade.question_id: grade for grade in Grade.objects.filter(force=force, question__round=round_)}
    return [(question, grades.get(question.pk)) for question in round_.questions.order_by("position")]


# --- The grades CSV upload: preview, then apply ------------------------------------------------------

UPLOAD_REQUIRED_COLUMNS = ("round", "force_slug", "question_or_area", "grade")
UPLOAD_OPTIONAL_COLUMNS = ("pillar", "carried_over", "source_url", "evidence", "source_type")


@dataclass
class UploadRow:
    """One valid row of an upload: its line in the file, the entry it makes and what it would do."""

    line: int
    entry: GradeEntry
    action: str  # "new", "changed" or "unchanged"
    before: str = ""
    after: str = ""
    changed_fields: list[str] = field(default_factory=list)


@dataclass
class UploadPreview:
    """What applying an upload would do; any file error or invalid row means it applies nothing."""

    rows: list[UploadRow] = field(default_factory=list)
    invalid: list[tuple[int, str]] = field(default_factory=list)
    file_error: str = ""
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def can_apply(self) -> bool:
        return not self.file_error and not self.invalid and any(row.action != "unchanged" for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new_rows(self) -> list[UploadRow]:
        return [row for row in self.rows if row.action == "new"]

    @property
    def changed_rows(self) -> list[UploadRow]:
        return [row for row in self.rows if row.action == "changed"]

    @property
    def unchanged_count(self) -> int:
        return self.count("unchanged")

    @property
    def sections(self) -> list[tuple[str, list[UploadRow]]]:
        """The rows to show, by what they would do (unchanged rows are only counted)."""
        return [("New grades", self.new_rows), ("Changed grades", self.changed_rows)]

    def versions(self) -> dict[str, int | None]:
        """The version of each grade the preview was computed against, to detect changes before applying."""
        return {f"{row.entry.force.pk}:{row.entry.question.pk}": row.entry.expected_version for row in self.rows}


def upload_frame_read(*, data: bytes):
    """The upload as a DataFrame of stripped strings plus each record's first line number in the file;
    ValueError naming the problem if it is not a readable CSV."""
    import pandas as pd

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"the file is not UTF-8 text (byte {error.start + 1} cannot be read); save it as CSV UTF-8") from None
    if not text.strip():
        raise ValueError("the file is empty")
    upload_row_lengths_check(text=text)
    try:
        # index_col=False: a longer row must never turn the first column into an index (shifting every value).
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True, index_col=False)
    except pd.errors.ParserError as error:
        raise ValueError(f"the file is not a well-formed CSV: {error}") from None
    frame.columns = [str(column).strip() for column in frame.columns]
    # An export escapes cells a spreadsheet would run as formulas; undo that to get the values back.
    frame = frame.apply(lambda column: column.str.strip().map(cell_restore))
    # A quoted value may span lines, so a record's line is 2 plus the records and embedded newlines before it.
    newlines = frame.apply(lambda column: column.str.count("\n")).sum(axis=1).tolist()
    lines, line = [], 2
    for extra in newlines:
        lines.append(line)
        line += 1 + int(extra)
    return frame, lines


def upload_row_lengths_check(*, text: str) -> None:
    """ValueError naming the first line whose record has more (non-empty) cells than the header."""
    reader = csv.reader(io.StringIO(text))
    header_length = None
    start = 1
    try:
        for record in reader:
            if header_length is None:
                header_length = len(record)
            elif len(record) > header_length and any(cell.strip() for cell in record[header_length:]):
                raise ValueError(
                    f"the row on line {start} has more cells than the header ({len(record)} against {header_length}); "
                    "a value holding a comma must be in double quotes"
                )
            start = reader.line_num + 1
    except csv.Error as error:
        raise ValueError(f"the file is not a well-formed CSV: {error} (line {reader.line_num})") from None


def upload_preview(*, data: bytes) -> UploadPreview:
    """Validate an uploaded grades CSV (the grades export's columns) against the database and say,
    row by row, what applying it would do: new, changed, unchanged, or invalid with the reason."""
    preview = UploadPreview()
    try:
        frame, lines = upload_frame_read(data=data)
    except ValueError as error:
        preview.file_error = str(error)[:1].upper() + str(error)[1:]
        return preview
    missing = [name for name in UPLOAD_REQUIRED_COLUMNS if name not in frame.columns]
    if missing:
        preview.file_error = f"Missing column(s): {', '.join(missing)}. The file needs the grades export's columns."
        return preview
    known = set(UPLOAD_REQUIRED_COLUMNS) | set(UPLOAD_OPTIONAL_COLUMNS) | set(column_names(GRADE_EXPORT_COLUMNS))
    preview.ignored_columns = [column for column in frame.columns if column not in known]
    lookup = UploadLookup(
        rounds={round_.slug: round_ for round_ in Round.objects.all()},
        forces={force.slug: force for force in Force.objects.all()},
        grades={(grade.force_id, grade.question_id): grade for grade in Grade.objects.all()},
    )
    seen: dict[tuple[int, int], int] = {}
    for line, record in zip(lines, frame.to_dict("records"), strict=True):
        row = {name: record.get(name, "") for name in (*UPLOAD_REQUIRED_COLUMNS, *UPLOAD_OPTIONAL_COLUMNS)}
        try:
            entry = upload_entry(row=row, lookup=lookup)
        except ValidationError as error:
            preview.invalid.append((line, " ".join(error.messages)))
            continue
        key = (entry.force.pk, entry.question.pk)
        if key in seen:
            preview.invalid.append((line, f"a second grade for {entry.label} (the first is on line {seen[key]})"))
            continue
        seen[key] = line
        preview.rows.append(upload_row_classify(line=line, entry=entry, grade=lookup.grades.get(key)))
    return preview


@dataclass
class UploadLookup:
    """Everything rows are matched against, read once per upload rather than once per row."""

    rounds: dict[str, Round]
    forces: dict[str, Force]
    grades: dict[tuple[int, int], Grade]
    questions: dict[tuple[int, str, str], Question | None] = field(default_factory=dict)

    def question(self, *, round_: Round, pillar: str, name: str) -> Question | None:
        key = (round_.pk, pillar, name)
        if key not in self.questions:
            question = round_.question_find(pillar=pillar, name=name)
            if question is not None:
                question.round = round_
            self.questions[key] = question
        return self.questions[key]


def upload_entry(*, row: dict[str, str], lookup: UploadLookup) -> GradeEntry:
    """The entry an upload row makes; ValidationError naming what is wrong with it."""
    empty = [name for name in UPLOAD_REQUIRED_COLUMNS if not row[name]]
    if empty:
        raise ValidationError(f"empty {', '.join(empty)}")
    round_ = lookup.rounds.get(round_key(row["round"]))
    if round_ is None:
        raise ValidationError(f"unknown round {row['round']!r}")
    force = lookup.forces.get(row["force_slug"])
    if force is None:
        raise ValidationError(f"unknown force {row['force_slug']!r}")
    question = lookup.question(round_=round_, pillar=row["pillar"] if round_.has_pillars else "", name=row["question_or_area"])
    if question is None:
        raise ValidationError(f"no question {row['question_or_area']!r} in PEEL {round_.name}")
    try:
        status, tier = round_.grade_word_parse(row["grade"])
    except ValueError as error:
        raise ValidationError(str(error)) from None
    # The grade facts have no carried_over column: there the evidence says so, as when they were loaded.
    from_evidence = carried_over_from_evidence(evidence=row["evidence"], code=question.code)
    try:
        carried_over = yes_no_parse(row["carried_over"], blank=from_evidence)
    except ValueError as error:
        raise ValidationError(f"carried_over {error}") from None
    entry = GradeEntry(
        force=force,
        question=question,
        status=status,
        tier=tier,
        carried_over=carried_over,
        source_url=row["source_url"],
        source_type=row["source_type"],
        evidence=row["evidence"],
    )
    grade_entry_validate(entry=entry)
    return entry


def grade_entry_problems(*, entry: GradeEntry) -> dict[str, list[str]]:
    """The grade's model validation (scale, source address, field lengths) on an entry without saving:
    its messages by model field ('__all__' for none), empty when the entry is valid."""
    if entry.status is None:
        return {}
    candidate = Grade(force=entry.force, question=entry.question)
    grade_entry_apply(grade=candidate, entry=entry)
    try:
        # The force and question are rows already read, so checking they exist would cost two queries a row
        # for nothing (Grade.save checks them again).
        candidate.full_clean(exclude=["force", "question"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return error.message_dict
    return {}


def grade_entry_validate(*, entry: GradeEntry) -> None:
    """ValidationError with a line per problem, each naming its field ("source url: …"), for uploads."""
    if problems := grade_entry_problems(entry=entry):
        raise ValidationError(validation_lines(ValidationError(problems)))


def upload_row_classify(*, line: int, entry: GradeEntry, grade: Grade | None) -> UploadRow:
    """Whether an entry would create, change or leave the force's grade on the question (None: there is
    none), with the grade before and after."""
    if entry.status is None:
        raise ValueError(f"Line {line}: an upload row always names a grade (upload_entry), so it cannot be 'not known'.")
    after = grade_display(status=entry.status, tier=entry.tier)
    if grade is None:
        return UploadRow(line=line, entry=entry, action="new", after=after)
    entry.expected_version = grade.version
    changed = [name.replace("_", " ") for name in GRADE_DATA_FIELDS if getattr(grade, name) != getattr(entry, name)]
    return UploadRow(
        line=line,
        entry=entry,
        action="changed" if changed else "unchanged",
        before=grade.display_grade,
        after=after,
        changed_fields=changed,
    )


def upload_apply(*, data: bytes, versions: dict[str, int | None], filename: str) -> WriteCounts:
    """Apply an upload that was previewed against `versions` (UploadPreview.versions()): re-validated,
    then written in one transaction; StaleDataError if any grade changed since the preview."""
    preview = upload_preview(data=data)
    if preview.file_error or preview.invalid:
        raise ValidationError("The file has invalid rows; nothing was applied.")
    if preview.versions() != versions:
        raise StaleDataError(
            "Grades in this file were changed by someone else after the preview, so nothing was applied. "
            "Upload the file again to see the new preview."
        )
    entries = [row.entry for row in preview.rows if row.action != "unchanged"]
    counts = grades_write(entries=entries, change_reason=f"CSV upload {filename}"[:100])
    counts.unchanged += preview.count("unchanged")
    return counts


# --- Reports: deleting keeps the history, restoring brings the findings back ---------------------------


def report_deleted_reason(report_id: int) -> str:
    return f"report {report_id} deleted"


@transaction.atomic
def report_delete(*, report: Report) -> None:
    """Delete a report and its findings one by one, each deletion in the history with the same reason,
    and detach its grades through save() (a plain SET_NULL would bypass their history)."""
    reason = report_deleted_reason(report.pk)
    for grade in report.grades.all():
        grade.report = None
        change_reason_set(grade, reason)
        grade.save()
    for cause in report.causes_of_concern.all():
        for recommendation in cause.recommendations.all():
            change_reason_set(recommendation, reason)
            recommendation.delete()
        change_reason_set(cause, reason)
        cause.delete()
    for area in report.areas_for_improvement.all():
        change_reason_set(area, reason)
        area.delete()
    change_reason_set(report, reason)
    report.delete()


def deleted_records(*, model: type[models.Model], reason: str) -> list:
    """The last history record of each object of model that was deleted with `reason` and is still gone."""
    history = model.history.model  # type: ignore[attr-defined]  # added by django-simple-history's HistoricalRecords
    ids = history.objects.filter(history_type="-", history_change_reason=reason).values_list("id", flat=True).distinct()
    records = []
    for object_id in sorted(set(ids) - set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))):
        last = history.objects.filter(id=object_id).order_by("-history_date", "-history_id").first()
        if last.history_type == "-" and last.history_change_reason == reason:
            records.append(last)
    return records


@transaction.atomic
def report_restore(*, report_id: int) -> Report:
    """Bring back a report deleted by report_delete as it was, with its causes of concern, their
    recommendations and its areas for improvement, and reattach the grades the delete detached."""
    reason = report_deleted_reason(report_id)
    if Report.objects.filter(pk=report_id).exists():
        raise ValidationError(f"Report {report_id} exists, so there is nothing to restore.")
    restored = {}
    for model in (Report, CauseOfConcern, Recommendation, AreaForImprovement):
        for record in deleted_records(model=model, reason=reason):
            instance = record.instance
            change_reason_set(instance, "restored")
            instance.save()
            restored[model, instance.pk] = instance
    report = restored.get((Report, report_id))
    if report is None:
        raise ValidationError(f"Report {report_id} was not deleted from the admin, so there is nothing to restore.")
    detached = Grade.history.filter(history_change_reason=reason).values("id")
    for grade in Grade.objects.filter(pk__in=detached, report__isnull=True):
        grade.report = report
        change_reason_set(grade, "reattached to its restored report")
        grade.save()
    return report
