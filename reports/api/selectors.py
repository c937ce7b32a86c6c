"""Reads of the API: querysets in a stable order, each read in a fixed number of queries whatever the
page size (related rows joined or prefetched), and the latest grades of the forces list.

Grades come from the export's own queryset and columns (exports.services), so a grade reads the
same in /api/v1/grades/ as in /data/grades.csv; the forces' latest grades and the findings come
from the pages' selectors, so they read the same as on /forces/ and /findings/.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from reports.exports.services import GRADE_EXPORT_COLUMNS, export_values_list, grade_export_queryset
from reports.history import BASELINE_REASON
from reports.models import AreaForImprovement, CauseOfConcern, Grade, GradeAmendment, Question, Report, Theme
from reports.pages import selectors as page_selectors
from reports.vocabulary import STATUS_EXPORT_WORDS, GradeStatus, Tier


def grade_word(*, status: str, tier: int | None) -> str:
    """A grade in the words of /data/grades.csv: a tier's name, or Ungraded, Not graded, Not inspected."""
    return Tier(tier).label if status == GradeStatus.GRADED and tier is not None else STATUS_EXPORT_WORDS[status]


def grades_filtered(
    *,
    round_slug: str = "",
    force_slug: str = "",
    pillar: str = "",
    question_id: int | None = None,
    theme_slug: str = "",
    status: str | None = None,
    tier: int | None = None,
    carried_over: bool | None = None,
) -> QuerySet:
    """The grades the filters select, as tuples of GRADE_EXPORT_COLUMNS in the export's order
    (round, force name, question): one record per force and question."""
    grades = grade_export_queryset()
    filters = {
        "question__round__slug": round_slug,
        "force__slug": force_slug,
        "question__pillar": pillar,
        "question_id": question_id,
        "question__theme__slug": theme_slug,
        "status": status,
        "tier": tier,
        "carried_over": carried_over,
    }
    grades = grades.filter(**{name: value for name, value in filters.items() if value not in (None, "")})
    return export_values_list(queryset=grades, columns=GRADE_EXPORT_COLUMNS)


def forces_latest_by_slug() -> dict[str, dict[str, list[dict]]]:
    """Each force's latest grade per pillar (to 2018/19) and per area (2021/22 on), by force slug, as
    the forces list shows them; a theme with no grade for the force has grade None."""
    key_to_theme = {slug.replace("-", "_"): slug for slug, _ in page_selectors.themes_choices()}
    latest: dict[str, dict[str, list[dict]]] = {}
    for show in ("pillars", "areas"):
        table = page_selectors.forces_latest_get(show=show)
        for row in table.rows:
            entries = latest.setdefault(row["force_slug"], {"pillars": [], "areas": []})[show]
            for column in table.columns:
                cell = row[column.key]
                entries.append(
                    {
                        "theme": key_to_theme.get(column.key, column.key),
                        "theme_name": column.label,
                        "round": row[f"{column.key}_round"] or None,
                        "grade": grade_word(status=cell.status, tier=cell.tier) if cell.known else None,
                        "grade_order": cell.tier,
                        "carried_over": cell.carried_over if cell.known else None,
                    }
                )
    return latest


def questions_filtered(*, round_slug: str = "", pillar: str = "", theme_slug: str = "") -> QuerySet:
    """Questions (and, from 2021/22, graded areas) in round order, with their round and theme."""
    questions = Question.objects.select_related("round", "theme").order_by("round__position", "position")
    if round_slug:
        questions = questions.filter(round__slug=round_slug)
    if pillar:
        questions = questions.filter(pillar=pillar)
    if theme_slug:
        questions = questions.filter(theme__slug=theme_slug)
    return questions


def themes_with_questions() -> QuerySet:
    """Themes in their order, each with the ids of its questions (in round order)."""
    return Theme.objects.order_by("position").prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("round__position", "position").only("pk", "theme_id"))
    )


def reports_filtered(*, force_slug: str = "", round_slug: str = "", pillar: str = "") -> QuerySet:
    """Reports in round, force, pillar order, each with its causes of concern (and their
    recommendations) and areas for improvement, read in four queries whatever the number."""
    reports = Report.objects.select_related("force", "round").order_by("round__position", "force__name", "pillar", "pk")
    if force_slug:
        reports = reports.filter(force__slug=force_slug)
    if round_slug:
        reports = reports.filter(round__slug=round_slug)
    if pillar:
        reports = reports.filter(pillar=pillar)
    return reports.prefetch_related(
        Prefetch(
            "causes_of_concern",
            queryset=CauseOfConcern.objects.select_related("question").prefetch_related("recommendations").order_by("position"),
        ),
        Prefetch("areas_for_improvement", queryset=AreaForImprovement.objects.select_related("question").order_by("position")),
    )


def amendments_filtered(*, force_slug: str = "", round_slug: str = "") -> QuerySet:
    """HMICFRS's changes to published grades, newest first, with the force, question and round."""
    amendments = GradeAmendment.objects.select_related("grade__force", "grade__question__round").order_by("-amended_on", "-pk")
    if force_slug:
        amendments = amendments.filter(grade__force__slug=force_slug)
    if round_slug:
        amendments = amendments.filter(grade__question__round__slug=round_slug)
    return amendments


# --- The feed of changes -----------------------------------------------------------------------

FEED_ENTRIES = 50
# An amendment recorded with a grade change is one event: their history rows are this close in time.
SAME_EDIT_SECONDS = 5


@dataclass(frozen=True)
class FeedEntry:
    """One change for the feed: a grade added, changed or removed (with HMICFRS's amendment when one
    was recorded with it), an amendment on its own, or a newly imported report."""

    key: str
    title: str
    description: str
    force_slug: str
    round_slug: str
    when: datetime


def _grade_label(*, force_name: str, round_name: str, question: Question) -> str:
    return f"{force_name}, PEEL {round_name}, {question.label}"


def _grade_words(values) -> str:
    return grade_word(status=values.status, tier=values.tier) + (" (carried over)" if values.carried_over else "")


def feed_entries_get(*, limit: int = FEED_ENTRIES) -> list[FeedEntry]:
    """The latest changes to grades and reports, newest first, from their history records (so what
    changed since the shipped data was loaded: fixtures load without history). A grade edit that
    changed neither the grade nor carried-over (only its evidence or source) is left out."""
    grade_records = list(
        Grade.history.filter(history_type__in=["+", "~", "-"])
        .exclude(history_change_reason=BASELINE_REASON)
        .select_related("force", "question__round")
        .order_by("-history_date", "-history_id")[: limit * 4]
    )
    previous = _grade_previous_values(grade_records)
    amendment_records = list(
        GradeAmendment.history.filter(history_type="+")
        .exclude(history_change_reason=BASELINE_REASON)
        .select_related("grade__force", "grade__question__round")
        .order_by("-history_date", "-history_id")[:limit]
    )
    report_records = list(
        Report.history.filter(history_type="+")
        .exclude(history_change_reason__in=[BASELINE_REASON, "restored"])
        .select_related("force", "round")
        .order_by("-history_date", "-history_id")[:limit]
    )
    entries = []
    amendments_told = set()
    for record in grade_records:
        before = previous.get(record.history_id)
        if record.history_type == "~" and before is not None and _grade_words(before) == _grade_words(record):
            continue
        label = _grade_label(force_name=record.force.name, round_name=record.question.round.name, question=record.question)
        amendment = next(
            (
                a
                for a in amendment_records
                if a.grade_id == record.id and abs((a.history_date - record.history_date).total_seconds()) <= SAME_EDIT_SECONDS
            ),
            None,
        )
        if record.history_type == "+":
            title, said = f"New grade: {label}: {_grade_words(record)}", "Added"
        elif record.history_type == "-":
            title, said = f"Grade removed: {label} (was {_grade_words(record)}; now not known)", "Removed"
        else:
            was = _grade_words(before) if before is not None else "unknown"
            title, said = f"Grade changed: {label}: {was} → {_grade_words(record)}", "Changed"
        description = f"{said} on the dashboard on {record.history_date:%d/%m/%Y}."
        if amendment is not None:
            amendments_told.add(amendment.history_id)
            description += f" HMICFRS amended it on {amendment.amended_on:%d/%m/%Y}: {amendment.reason}"
        if record.source_url:
            description += f" Source: {record.source_url}"
        entries.append(
            FeedEntry(
                key=f"grade-{record.history_id}",
                title=title,
                description=description,
                force_slug=record.force.slug,
                round_slug=record.question.round.slug,
                when=record.history_date,
            )
        )
    for record in amendment_records:
        if record.history_id in amendments_told:
            continue
        grade = record.grade
        label = _grade_label(force_name=grade.force.name, round_name=grade.question.round.name, question=grade.question)
        before = grade_word(status=record.previous_status, tier=record.previous_tier)
        after = grade_word(status=record.new_status, tier=record.new_tier)
        entries.append(
            FeedEntry(
                key=f"amendment-{record.history_id}",
                title=f"Grade amended by HMICFRS: {label}: {before} → {after}",
                description=f"HMICFRS amended it on {record.amended_on:%d/%m/%Y}: {record.reason} Source: {record.source_url}",
                force_slug=grade.force.slug,
                round_slug=grade.question.round.slug,
                when=record.history_date,
            )
        )
    for record in report_records:
        published = f", published {record.published:%d/%m/%Y}" if record.published else ""
        source = record.source_url or "none given"
        entries.append(
            FeedEntry(
                key=f"report-{record.history_id}",
                title=f"New report: {record.title}",
                description=f"{record.force.name}, PEEL {record.round.name}{published}. Source: {source}",
                force_slug=record.force.slug,
                round_slug=record.round.slug,
                when=record.history_date,
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def _grade_previous_values(records: list) -> dict[int, object]:
    """For each grade history record, the record before it of the same grade (None for the first), in one query."""
    if not records:
        return {}
    rows = Grade.history.filter(id__in={record.id for record in records}).order_by("id", "history_date", "history_id")
    previous: dict[int, object] = {}
    last_of_grade: dict[int, object] = {}
    for row in rows.only("history_id", "id", "status", "tier", "carried_over", "history_date"):
        previous[row.history_id] = last_of_grade.get(row.id)
        last_of_grade[row.id] = row
    return previous
