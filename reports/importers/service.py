"""The write path for report texts: parse, match to force, round and questions, then create or
update the report and its findings in one transaction, writing only what differs."""

from dataclasses import dataclass, field
from datetime import date
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from forces.models import Force
from reports.importers.document import Judgment, ParsedReport, ReportImportError, Statement
from reports.importers.layouts import report_parse, web_overview, web_report_2021
from reports.importers.pages import pages_split
from reports.importers.text import SourceText, clean, fold, pillar_of_question, source_text_read
from reports.importers.wording import Wording, wording_match, wording_phrase_match, wordings_closest
from reports.models import AreaForImprovement, CauseOfConcern, Grade, Question, Recommendation, Report, Round, validation_lines
from reports.vocabulary import GradeStatus, Pillar, grade_display, round_key

IMPORTED = "HMICFRS report text"
PILLAR_CODES: dict[str, str] = {
    Pillar.EFFECTIVENESS: "E",
    Pillar.EFFICIENCY: "Ef",
    Pillar.LEGITIMACY: "L",
    Pillar.LEADERSHIP: "LD",
}
AREA_LAYOUT = web_report_2021.NAME
OVERVIEW_LAYOUT = web_overview.NAME
FORCE_SUFFIXES = (" police service", " constabulary", " police")
# How summary sentences name a pillar as a whole (its overall question), whatever the round's wording.
PILLAR_WORDINGS = ("keeping people safe and reducing crime", "carries out its responsibilities")


@dataclass(frozen=True)
class QuestionFound:
    """What the report says on one question, for the import summary."""

    label: str
    grade: str
    evidence: str
    causes: int
    recommendations: int
    areas_for_improvement: int


@dataclass(frozen=True)
class Change:
    """One row the import created, updated or deleted."""

    kind: str  # report, grade, cause of concern, recommendation, area for improvement
    label: str
    action: str  # created, deleted, "<fields> updated", "<old> → <new> (from the report)"

    def __str__(self) -> str:
        return f"{self.label}: {self.action}"


@dataclass
class ImportResult:
    """What an import found in the text and what it changed (or, in a dry run, would change)."""

    force: Force
    round: Round
    pillar: str
    layout: str
    title: str
    last_updated: date | None
    found: list[QuestionFound] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    parsed: ParsedReport | None = field(default=None, repr=False, compare=False)
    # Where the page starts in the text (a text may hold several pages).
    start_line: int = 1

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def force_resolve(*, name: str, line: int = 0) -> Force:
    """The force a report names ('Bedfordshire', 'Bedfordshire Police') or a slug names."""
    wanted = force_key(name)
    for force in Force.objects.all():
        if wanted in {force_key(force.name), force_key(force.slug.replace("-", " "))}:
            return force
    raise ReportImportError(f"unknown force {name!r}", line=line or None)


def force_key(name: str) -> str:
    key = fold(name).replace("&", "and").removeprefix("the ")
    for suffix in FORCE_SUFFIXES:
        key = key.removesuffix(suffix)
    return key.replace("-", " ")


def round_resolve(*, name: str) -> Round:
    """The round a report's year or a slug names: '2016', '2018' or '2018/19', '2023–25'."""
    key = round_key(name)
    rounds = [round_ for round_ in Round.objects.all() if round_.slug == key or round_.slug.startswith(f"{key}-")]
    if len(rounds) != 1:
        raise ReportImportError(f"unknown PEEL round {name!r}")
    return rounds[0]


def areas_of(round_: Round | None):
    """The callable layouts use to learn a round's area names (empty if the round is unknown)."""

    def names(round_name: str) -> tuple[str, ...]:
        target = round_
        if target is None:
            try:
                target = round_resolve(name=round_name)
            except ReportImportError:
                return ()
        return tuple(target.questions.filter(pillar="").values_list("short_name", flat=True))

    return names


def report_title(*, force: Force, round_: Round, pillar: str) -> str:
    if pillar:
        return f"PEEL: Police {pillar.lower()} {round_.name} – {force.name}"
    return f"PEEL {round_.name} – {force.name}"


@dataclass(frozen=True)
class _Target:
    """Force, round and pillar of the report being imported, from the text or the caller."""

    force: Force
    round: Round
    pillar: str


def target_resolve(
    parsed: ParsedReport, *, force: str | None, round_: Round | None, pillar: str | None
) -> tuple[_Target, list[str]]:
    """Force, round and pillar from the caller where given, else from the text; warnings where they differ."""
    warnings = []
    if force:
        force_obj = force_resolve(name=force)
        if parsed.force_name and force_resolve_or_none(parsed.force_name) not in {force_obj, None}:
            where = f" (line {parsed.force_line})" if parsed.force_line else ""
            warnings.append(f"the text names {parsed.force_name!r}{where}; imported as {force_obj.name} as asked")
    elif parsed.force_name:
        force_obj = force_resolve(name=parsed.force_name, line=parsed.force_line)
    else:
        raise ReportImportError("the text does not name the force: give it with --force SLUG")
    if round_ is None:
        if not parsed.round_name:
            raise ReportImportError("the text does not say which PEEL round it is: give it with --round SLUG")
        round_ = round_resolve(name=parsed.round_name)
    elif parsed.round_name and round_resolve_or_none(parsed.round_name) not in {round_, None}:
        warnings.append(f"the text says PEEL {parsed.round_name}; imported as PEEL {round_.name} as asked")
    pillar_value = pillar or parsed.pillar
    if pillar and parsed.pillar and pillar.casefold() != parsed.pillar.casefold():
        raise ReportImportError(f"--pillar {pillar} disagrees with the text, which is the {parsed.pillar} report")
    if pillar_value:
        matched = next((p.value for p in Pillar if p.value.casefold() == pillar_value.casefold()), None)
        if matched is None:
            raise ReportImportError(f"unknown pillar {pillar_value!r} ({', '.join(Pillar.values)})")
        pillar_value = matched
    if parsed.layout == OVERVIEW_LAYOUT:
        if pillar_value:
            raise ReportImportError(f"an overview page grades every pillar, so --pillar {pillar_value} cannot apply")
        if not round_.has_pillars:
            raise ReportImportError(f"this text is laid out as a pillar overview page, but PEEL {round_.name} had no pillars")
        return _Target(force_obj, round_, ""), warnings
    if round_.has_pillars and not pillar_value:
        raise ReportImportError(f"the text does not say which PEEL {round_.name} pillar it covers: give it with --pillar NAME")
    if not round_.has_pillars and parsed.layout != AREA_LAYOUT:
        raise ReportImportError(f"this text is laid out as a pillar report, but PEEL {round_.name} reports have no pillars")
    if not round_.has_pillars and pillar_value:
        raise ReportImportError(f"PEEL {round_.name} reports have no pillars, so no pillar {pillar_value!r}")
    if round_.has_pillars and parsed.layout == AREA_LAYOUT:
        raise ReportImportError(f"this text is laid out as a graded-area report, but PEEL {round_.name} had pillars")
    return _Target(force_obj, round_, pillar_value), warnings


def force_resolve_or_none(name: str) -> Force | None:
    try:
        return force_resolve(name=name)
    except ReportImportError:
        return None


def round_resolve_or_none(name: str) -> Round | None:
    try:
        return round_resolve(name=name)
    except ReportImportError:
        return None


def wordings_of(questions: list[Question]) -> list[Wording]:
    return [Wording(key=question, text=question.text, short_name=question.short_name) for question in questions]


def question_find(judgment: Judgment, *, questions: list[Question], force: Force, round_: Round, pillar: str) -> Question:
    """The question of the round and pillar a heading asks, by its wording; an error naming the
    heading, its line and the closest questions if none (or another pillar's) fits."""
    force_names = (force.name, force_key(force.name))
    candidates = wordings_of([q for q in questions if q.pillar == pillar and not q.is_overall])
    found = wording_match(judgment.name, candidates, force_names=force_names)
    if found is not None:
        return found.key  # type: ignore[return-value]
    elsewhere = wording_match(judgment.name, wordings_of([q for q in questions if q.pillar != pillar]), force_names=force_names)
    if elsewhere is not None:
        other: Question = elsewhere.key  # type: ignore[assignment]
        raise ReportImportError(
            f"the heading {judgment.name[:90]!r} is {other.pillar} question {other.label!r} of PEEL {round_.name}, "
            f"not a {pillar} question: the text is not the {pillar} report (check --pillar)",
            line=judgment.line,
        )
    closest = "; ".join(
        f"{cast(Question, w.key).label}: {(w.text or w.short_name)[:80]!r}" for w in wordings_closest(judgment.name, candidates)
    )
    raise ReportImportError(
        f"the heading {judgment.name[:90]!r} matches no PEEL {round_.name} {pillar} question by its wording "
        f"(closest: {closest or 'none known'})",
        line=judgment.line,
    )


def questions_match(parsed: ParsedReport, target: _Target) -> tuple[list[tuple[Judgment, Question]], list[str]]:
    """Each judgment of the report with the question it answers, found by the heading's wording,
    never by its position; errors name the line."""
    round_, pillar = target.round, target.pillar
    every_question = list(round_.questions.all())
    questions = [q for q in every_question if q.pillar == pillar]
    warnings: list[str] = []
    matched: list[tuple[Judgment, Question]] = []
    if parsed.overall and parsed.overall.grade:
        asked = pillar_of_question(parsed.overall.name)
        if pillar and asked and asked != pillar:
            raise ReportImportError(
                f"the pillar question {parsed.overall.name[:90]!r} asks about {asked}, not {pillar} (check --pillar)",
                line=parsed.overall.line,
            )
        overall = next((q for q in questions if q.is_overall), None)
        if overall is None:
            raise ReportImportError(f"PEEL {round_.name} {pillar} has no overall judgment", line=parsed.overall.line)
        matched.append((parsed.overall, overall))
    by_name = {fold(q.short_name): q for q in questions if not q.is_overall}
    for judgment in parsed.judgments:
        if parsed.layout == OVERVIEW_LAYOUT:
            # An overview page's sentence names its pillar: it grades that pillar's overall question.
            question = next((q for q in every_question if q.is_overall and q.pillar == judgment.name), None)
            if question is None:
                raise ReportImportError(f"PEEL {round_.name} has no overall {judgment.name} judgment", line=judgment.line)
        elif pillar:
            question = question_find(judgment, questions=every_question, force=target.force, round_=round_, pillar=pillar)
            number = question.code.removeprefix(PILLAR_CODES[pillar])
            if judgment.number is not None and number.isdigit() and int(number) != judgment.number:
                raise ReportImportError(
                    f"the heading numbered {judgment.number} asks {question.label} ({judgment.name[:70]!r}): "
                    "the numbering and the wording disagree",
                    line=judgment.line,
                )
        else:
            question = by_name.get(fold(judgment.name))
            if question is None:
                raise ReportImportError(f"no area {judgment.name!r} in PEEL {round_.name}", line=judgment.line)
        for earlier, earlier_question in matched:
            if earlier_question == question:
                raise ReportImportError(f"{question.label} appears twice (first at line {earlier.line})", line=judgment.line)
        matched.append((judgment, question))
    if parsed.statements:
        taken, statement_warnings = statements_match(parsed.statements, target=target, questions=every_question, matched=matched)
        matched.extend(taken)
        warnings.extend(statement_warnings)
    if pillar:
        missing = [q.label for q in questions if not q.is_overall and all(q != found for _, found in matched)]
        stated = sum(1 for _, question in matched if not question.is_overall)
        if missing:
            warnings.append(
                f"the text states {stated} of the {len(missing) + stated} questions of "
                f"PEEL {round_.name} {pillar} (it ends at line {parsed.end_line}); not in the text, so not imported: "
                + ", ".join(missing)
            )
    return matched, warnings


def statements_match(
    statements: tuple[Statement, ...], *, target: _Target, questions: list[Question], matched: list[tuple[Judgment, Question]]
) -> tuple[list[tuple[Judgment, Question]], list[str]]:
    """The grades summary sentences state, each with the one question of the round and pillar its phrase
    names. A sentence's grades are taken only if each of its clauses names exactly one graded question;
    a question two sentences grade differently, or that a grade line grades differently, takes neither."""
    pool = [q for q in questions if not target.pillar or q.pillar == target.pillar]
    wordings = [
        Wording(key=q, text=q.text, short_name=q.short_name, also=PILLAR_WORDINGS if q.is_overall else (), whole=q.is_overall)
        for q in pool
    ]
    force_names = (target.force.name, force_key(target.force.name))
    where = f"PEEL {target.round.name}{f' {target.pillar}' if target.pillar else ''}"
    warnings: list[str] = []
    by_sentence: dict[int, list[tuple[Statement, Question]]] = {}
    refused: set[int] = set()
    for statement in statements:
        fits = wording_phrase_match(statement.phrase, wordings, force_names=force_names)
        said = f"line {statement.line}: {statement.grade.lower()!r} for {statement.phrase[:80]!r}"
        problem = ""
        if not fits:
            problem = f"names no question of {where}"
        elif len(fits) > 1:
            problem = "could be " + " or ".join(wording.key.label for wording in fits)  # type: ignore[attr-defined]
        elif not fits[0].key.graded:  # type: ignore[attr-defined]
            problem = f"names {fits[0].key.label}, which {where} does not grade"  # type: ignore[attr-defined]
        if problem:
            warnings.append(f"{said} {problem}: no grade taken from that sentence")
            refused.add(statement.sentence)
            continue
        by_sentence.setdefault(statement.sentence, []).append((statement, fits[0].key))  # type: ignore[arg-type]
    taken: dict[int, tuple[Judgment, Question]] = {}
    conflicted: set[int] = set()
    lines = {question.pk: judgment for judgment, question in matched if judgment.grade}
    for sentence, found in by_sentence.items():
        if sentence in refused:
            continue
        questions_named = [question.pk for _, question in found]
        if len(set(questions_named)) < len(questions_named):
            warnings.append(f"line {found[0][0].line}: one sentence grades the same question twice: no grade taken from it")
            continue
        for statement, question in found:
            judgment = Judgment(
                name=question.text or question.short_name,
                grade=statement.grade,
                line=statement.line,
                grade_line=statement.line,
                quote=statement.quote,
            )
            earlier = lines.get(question.pk) or (taken[question.pk][0] if question.pk in taken else None)
            if earlier is None:
                taken[question.pk] = (judgment, question)
            elif earlier.grade != statement.grade:
                warnings.append(
                    f"{question.label}: line {earlier.grade_line or earlier.line} says {earlier.grade!r}, line {statement.line} "
                    f"says {statement.grade!r}: neither is taken"
                )
                conflicted.add(question.pk)
    for pk in conflicted:
        taken.pop(pk, None)
    if conflicted & set(lines):
        matched[:] = [(judgment, question) for judgment, question in matched if question.pk not in conflicted]
    return list(taken.values()), warnings


def grades_parse(matched: list[tuple[Judgment, Question]], round_: Round) -> dict[int, tuple[str, int | None]]:
    """(status, tier) per question id for each judgment the report grades; an area the round
    never grades (a service to victims of crime) is ungraded even where the text does not say so."""
    grades: dict[int, tuple[str, int | None]] = {}
    for judgment, question in matched:
        if not judgment.grade:
            if not question.graded:
                grades[question.pk] = (GradeStatus.UNGRADED, None)
            continue
        try:
            grades[question.pk] = round_.grade_word_parse(judgment.grade)
        except ValueError as error:
            raise ReportImportError(str(error), line=judgment.grade_line or judgment.line) from None
    return grades


def fields_set(instance: Model, values: dict) -> list[str]:
    """Set the values that differ on instance; the names of those that did."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return [name.removesuffix("_id") for name in changed]


def model_save(instance: Model, *, what: str, keys_checked: bool = False) -> None:
    """Save with model validation, turning a validation error into a report import error.
    `keys_checked`: the caller numbered the positions itself and links rows it has just loaded, so
    the database is not asked again, row by row, whether they are unique and exist."""
    try:
        if not isinstance(instance, Grade):  # Grade.save() validates itself
            relations = [field.name for field in instance._meta.fields if field.is_relation] if keys_checked else []
            instance.full_clean(exclude=relations, validate_unique=not keys_checked, validate_constraints=not keys_checked)
        instance.save()
    except ValidationError as error:
        raise ReportImportError(f"{what} {'; '.join(validation_lines(error))}") from None


@transaction.atomic
def report_import(
    *,
    text: str,
    force: str | None = None,
    round: str | None = None,
    pillar: str | None = None,
    source_url: str = "",
    source_document: str = "",
    dry_run: bool = False,
    overwrite_conflicts: bool = False,
) -> ImportResult:
    """Import one report's text: create or update its Report, its pillar and question grades and
    summaries, causes of concern with recommendations, and areas for improvement.

    All or nothing: any problem raises ReportImportError and the database is left as it was; a dry
    run reports the same changes and then rolls them back. A grade that disagrees with one already
    loaded from the grade facts is refused unless overwrite_conflicts is set. A text holding several
    pages is refused, naming them: report_pages_import reads each on its own."""
    doc = source_text_read(text)
    pages = pages_split(doc)
    if len(pages) > 1:
        listed = "; ".join(f"line {page.start_line} ({page.reason})" for page in pages)
        raise ReportImportError(f"the text holds {len(pages)} pages, starting at {listed}: import them one by one")
    result = page_import(
        doc=doc,
        force=force,
        round=round,
        pillar=pillar,
        source_url=source_url,
        source_document=source_document,
        overwrite_conflicts=overwrite_conflicts,
    )
    result.dry_run = dry_run
    if dry_run:
        transaction.set_rollback(True)
    return result


@transaction.atomic
def report_pages_import(
    *,
    text: str,
    force: str | None = None,
    round: str | None = None,
    pillar: str | None = None,
    source_url: str = "",
    source_document: str = "",
    dry_run: bool = False,
    overwrite_conflicts: bool = False,
) -> list[ImportResult]:
    """Import every page of a text that may hold several (an effectiveness page then an efficiency
    page), each read with its own layout and pillar as its own report, in one transaction: any
    problem on any page leaves the database as it was."""
    doc = source_text_read(text)
    pages = pages_split(doc)
    if pillar and len(pages) > 1:
        raise ReportImportError(f"--pillar {pillar} cannot apply to a text of {len(pages)} pages: each page names its own")
    results: list[ImportResult] = []
    title_of_text: tuple[str, str, int] | None = None
    layout_name = ""
    for page in pages:
        try:
            result = page_import(
                doc=page.doc,
                force=force,
                round=round,
                pillar=pillar,
                source_url=source_url,
                source_document=source_document,
                overwrite_conflicts=overwrite_conflicts,
                layout=layout_name if not page.titled else "",
                title_of_text=title_of_text if not page.titled else None,
            )
        except ReportImportError as error:
            if len(pages) == 1:
                raise
            raise ReportImportError(
                f"page {len(results) + 1} (from line {page.start_line}, {page.reason}): {error.problem}", line=error.line
            ) from None
        if page.titled and result.parsed is not None:
            title_of_text = (result.parsed.force_name, result.parsed.round_name, result.parsed.force_line)
            layout_name = result.layout
        for earlier in results:
            if (earlier.force, earlier.round, earlier.pillar) == (result.force, result.round, result.pillar):
                raise ReportImportError(
                    f"page {len(results) + 1} (from line {page.start_line}) is the {result.pillar or result.round.name} "
                    "report again: a text may hold each report once"
                )
        result.dry_run = dry_run
        result.start_line = page.start_line
        results.append(result)
    if dry_run:
        transaction.set_rollback(True)
    return results


def page_import(
    *,
    doc: SourceText,
    force: str | None,
    round: str | None,
    pillar: str | None,
    source_url: str,
    source_document: str,
    overwrite_conflicts: bool,
    layout: str = "",
    title_of_text: tuple[str, str, int] | None = None,
) -> ImportResult:
    """Import one page of a text (the caller holds the transaction)."""
    context = {"title_of_text": title_of_text} if title_of_text else {}
    round_obj = round_resolve(name=round) if round else None
    parsed = report_parse(doc, layout=layout, areas_of=areas_of(round_obj), **context)
    announced: list[str] = []
    if not parsed.has_grade:
        if not parsed.stated_area_count:
            problem = f"no grade anywhere in the text (it ends at line {parsed.end_line}): it is cut short or not a report"
            raise ReportImportError(problem)
        announced.append(
            f"the page announces {parsed.stated_area_count} graded judgments but holds none of them (the table of "
            "grades is a graphic on the web page): the report, its date and findings are imported, no grade; "
            "import the report's PDF to read the grades"
        )
    target, warnings = target_resolve(parsed, force=force, round_=round_obj, pillar=pillar)
    warnings = [*announced, *warnings]
    matched, match_warnings = questions_match(parsed, target)
    if parsed.statements and not any(judgment.grade for judgment, _ in matched):
        said = [warning for warning in match_warnings if "no grade taken" in warning or "neither is taken" in warning]
        raise ReportImportError("no grade the text states names one question unambiguously: " + "; ".join(said))
    grades = grades_parse(matched, target.round)
    source_url = source_url or doc.header_value("source")
    last_updated = parsed.last_updated or header_date(doc.header_value("last-updated"), name="last-updated")
    published = parsed.published or header_date(doc.header_value("published"), name="published")

    result = ImportResult(
        force=target.force,
        round=target.round,
        pillar=target.pillar,
        layout=parsed.layout,
        title=report_title(force=target.force, round_=target.round, pillar=target.pillar),
        last_updated=last_updated,
        warnings=[*warnings, *match_warnings],
        parsed=parsed,
    )
    report = Report.objects.filter(force=target.force, round=target.round, pillar=target.pillar).first()
    creating = report is None
    report = report or Report(force=target.force, round=target.round, pillar=target.pillar)
    changed = fields_set(
        report,
        {
            "title": result.title,
            # A date the text does not carry is kept, not cleared.
            **({"published": published} if published or creating else {}),
            **({"last_updated": last_updated} if last_updated or creating else {}),
            "summary": parsed.summary,
            **({"source_url": source_url} if source_url or creating else {}),
            **({"source_document": source_document} if source_document or creating else {}),
        },
    )
    if creating or changed:
        model_save(report, what="the report's")
        result.changes.append(Change("report", "report", "created" if creating else f"{', '.join(changed)} updated"))

    conflicts: list[str] = []
    questions = {question.pk: question for _, question in matched}
    existing_grades = {}
    for grade in Grade.objects.filter(force=target.force, question__in=questions.values()):
        # The question already read, with its round: Grade.save() validates the tier without reading them again.
        grade.question = questions[grade.question_id]
        existing_grades[grade.question_id] = grade
    for judgment, question in matched:
        grade_sync(
            grade=existing_grades.get(question.pk),
            judgment=judgment,
            question=question,
            wanted=grades.get(question.pk),
            report=report,
            source_url=source_url,
            source_document=source_document,
            overwrite=overwrite_conflicts,
            result=result,
            conflicts=conflicts,
        )
    if conflicts:
        raise ReportImportError(
            "the report disagrees with the grade facts already loaded (nothing was imported; rerun with "
            "--overwrite-conflicts to take the report's grades): " + "; ".join(conflicts)
        )
    findings_sync(report=report, matched=matched, result=result)
    for judgment, question in matched:
        causes = judgment.causes
        result.found.append(
            QuestionFound(
                label=question.label,
                grade=grade_display(status=grades[question.pk][0], tier=grades[question.pk][1])
                if question.pk in grades
                else "no grade stated",
                evidence=evidence_of(judgment) if question.pk in grades and judgment.grade else "",
                causes=len(causes),
                recommendations=sum(len(cause.recommendations) for cause in causes),
                areas_for_improvement=len(judgment.areas_for_improvement),
            )
        )
    return result


def header_date(value: str, *, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ReportImportError(f"header {name} {value!r} is not a date (YYYY-MM-DD)") from None


def grade_sync(
    *,
    grade: Grade | None,
    judgment: Judgment,
    question: Question,
    wanted: tuple[str, int | None] | None,
    report: Report,
    source_url: str,
    source_document: str,
    overwrite: bool,
    result: ImportResult,
    conflicts: list[str],
) -> None:
    """Attach the report and summary to the question's grade, creating the grade if the facts lack
    it; a differing grade from the facts is a conflict unless overwrite is set."""
    said = grade_display(status=wanted[0], tier=wanted[1]) if wanted else ""
    if grade is None and wanted is None:
        if judgment.summary:
            result.warnings.append(f"{question.label}: the report states no grade, so its summary is not stored")
        return
    values: dict = {"report_id": report.pk, "summary": judgment.summary}
    if grade is None or (wanted and (grade.status, grade.tier) != wanted):
        from_report = grade is not None and IMPORTED in grade.source_type and grade.report_id == report.pk
        # A judgment carried over from an earlier report never replaces a grade another source gave.
        if grade is not None and not from_report and (not overwrite or judgment.carried_over):
            conflicts.append(
                f"{question.label}: report says {said!r} (line {judgment.grade_line or judgment.line}), "
                f"grade facts say {grade.display_grade!r} ({grade.source_url or grade.source_type})"
            )
            return
        assert wanted is not None
        if not source_url and not source_document:
            raise ReportImportError(f"{question.label}: a grade from the report needs its source address (give --source-url)")
        values.update(
            status=wanted[0],
            tier=wanted[1],
            source_url=source_url,
            source_type=IMPORTED if source_url else f"SEED: {source_document} – {IMPORTED}",
            evidence=evidence_of(judgment),
        )
    if judgment.carried_over:
        values["carried_over"] = True
    creating = grade is None
    grade = grade or Grade(force=report.force, question=question)
    before = grade.display_grade if not creating else ""
    changed = fields_set(grade, values)
    if not (creating or changed):
        return
    model_save(grade, what=f"grade {question.label}'s")
    label = f"grade {question.label}"
    if creating:
        result.changes.append(Change("grade", label, f"created ({grade.display_grade})"))
    elif "tier" in changed or "status" in changed:
        result.changes.append(Change("grade", label, f"{before} → {grade.display_grade} (from the report)"))
    else:
        result.changes.append(Change("grade", label, f"{', '.join(changed)} updated"))


EVIDENCE_QUOTE_LENGTH = 200


def evidence_of(judgment: Judgment) -> str:
    """Where the grade stands in the text and the words it rests on, e.g. 'line 42: "Good" (the grade under
    "How effective…?", line 40)'; a carried-over judgment says so and names the round it was made in."""
    quote = clean(judgment.quote or judgment.grade)
    if len(quote) > EVIDENCE_QUOTE_LENGTH:
        quote = quote[: EVIDENCE_QUOTE_LENGTH - 1].rstrip() + "…"
    evidence = f'line {judgment.grade_line or judgment.line}: "{quote}"'
    if judgment.grade_line and judgment.line and judgment.grade_line != judgment.line:
        evidence += f' (the grade under "{clean(judgment.name)[:120]}", line {judgment.line})'
    if judgment.carried_over:
        earlier = f"PEEL {judgment.carried_from}" if judgment.carried_from else "an earlier round"
        evidence = f"carried over from {earlier}, not re-inspected: {evidence}"
    return evidence


def findings_sync(*, report: Report, matched: list[tuple[Judgment, Question]], result: ImportResult) -> None:
    """Make the report's causes of concern, recommendations and areas for improvement those of
    the text, updating rows in place by position so unchanged ones are not touched."""
    causes = [(cause, question) for judgment, question in matched for cause in judgment.causes]
    existing = list(report.causes_of_concern.order_by("position").prefetch_related("recommendations"))
    for position, (cause, question) in enumerate(causes, start=1):
        current_cause = existing[position - 1] if position <= len(existing) else None
        label = f"cause of concern {position} ({question.label})"
        values = {"question_id": question.pk, "text": cause.text, "recommendations_intro": cause.recommendations_intro}
        row = row_sync(current_cause, CauseOfConcern(report=report, position=position), values, label=label, result=result)
        assert isinstance(row, CauseOfConcern)
        recommendations = sorted(row.recommendations.all(), key=lambda recommendation: recommendation.position)
        for number, text in enumerate(cause.recommendations, start=1):
            current = recommendations[number - 1] if number <= len(recommendations) else None
            row_sync(
                current,
                Recommendation(cause=row, position=number),
                {"text": text},
                label=f"recommendation {position}.{number}",
                result=result,
            )
        rows_delete(recommendations[len(cause.recommendations) :], label=f"recommendation {position}.", result=result)
    rows_delete(existing[len(causes) :], label="cause of concern ", result=result)

    afis = [(text, question) for judgment, question in matched for text in judgment.areas_for_improvement]
    existing_afis = list(report.areas_for_improvement.order_by("position"))
    for position, (text, question) in enumerate(afis, start=1):
        row_sync(
            existing_afis[position - 1] if position <= len(existing_afis) else None,
            AreaForImprovement(report=report, position=position),
            {"question_id": question.pk, "text": text},
            label=f"area for improvement {position} ({question.label})",
            result=result,
        )
    rows_delete(existing_afis[len(afis) :], label="area for improvement ", result=result)


def row_sync(row: Model | None, new: Model, values: dict, *, label: str, result: ImportResult) -> Model:
    """Create the row, or update the fields of the existing one that differ."""
    kind = str(new._meta.verbose_name)
    if row is None:
        fields_set(new, values)
        model_save(new, what=f"{label}'s", keys_checked=True)
        result.changes.append(Change(kind, label, "created"))
        return new
    changed = fields_set(row, values)
    if changed:
        model_save(row, what=f"{label}'s", keys_checked=True)
        result.changes.append(Change(kind, label, f"{', '.join(changed)} updated"))
    return row


def rows_delete(rows: list, *, label: str, result: ImportResult) -> None:
    for row in rows:
        result.changes.append(Change(row._meta.verbose_name, f"{label}{row.position}", "deleted (no longer in the report)"))
        row.delete()
