"""Reads that cross models or aggregate: the pages and exports read through these.

Each table page takes its rows from ONE selector here, called with the page's parsed filters
(see the filter forms' ``selector_kwargs()``), so an export of a page can call the same
function and get exactly the rows the page shows. Results are plain data (dataclasses,
dicts, lists), read afresh on every call: the rendered page is what is cached (reports/caching.py).
"""

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Combinable, Expression
from django.db.models.functions import Cast, Coalesce, Concat

from forces.models import Force
from reports.models import (
    AreaForImprovement,
    CauseOfConcern,
    Grade,
    GradeAmendment,
    GradeCount,
    MoverPair,
    Question,
    Recommendation,
    Report,
    Round,
    Theme,
)
from reports.summaries import movers_summary_ensure
from reports.vocabulary import GradeStatus, Scale, Tier

BREAK_CAVEAT = (
    "From 2021/22 HMICFRS grades forces by area on a five-tier scale that adds Adequate. "
    "HMICFRS says these grades cannot be compared directly with those of 2018/19 and earlier."
)


class LazyRows(Sequence):
    """The rows of a table whose data grows with the dataset, read a page at a time: len() is counted in
    SQL, a slice reads only its rows, iteration (an export) reads them all. fetch(order=, offset=, limit=)
    returns rows as dicts, ordered by the accessors in order ('-' for descending) and then by its default."""

    def __init__(self, *, count: Callable[[], int], fetch: Callable[..., list[dict]], order: tuple[str, ...] = ()) -> None:
        self._count = count
        self._fetch = fetch
        self.order = order
        self._length: list[int] = []  # shared with the same rows in another order: counted once

    def ordered(self, order: tuple[str, ...]) -> "LazyRows":
        """The same rows in another order."""
        rows = LazyRows(count=self._count, fetch=self._fetch, order=tuple(order))
        rows._length = self._length
        return rows

    def __len__(self) -> int:
        if not self._length:
            self._length.append(self._count())
        return self._length[0]

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return list(self)[index]
            return self._fetch(order=self.order, offset=start, limit=max(0, stop - start))
        index = index + len(self) if index < 0 else index
        rows = self._fetch(order=self.order, offset=index, limit=1) if index >= 0 else []
        if not rows:
            raise IndexError(index)
        return rows[0]

    def __iter__(self) -> Iterator[dict]:
        return iter(self._fetch(order=self.order, offset=0, limit=None))

    def __eq__(self, other) -> bool:
        if not isinstance(other, list | tuple | LazyRows):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


# ---------------------------------------------------------------------------------------------
# Grade cells: a grade held (or its absence), as data; templatetags.peel says how it looks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeCell:
    """A force's grade on one question: its tier and status, or status "" when we hold no Grade row
    (question_graded then says whether forces were graded on the question at all, and in_round whether
    a theme had a question in that round at all)."""

    tier: int | None = None
    status: str = ""
    carried_over: bool = False
    source_url: str = ""
    source_type: str = ""
    question_graded: bool = True
    in_round: bool = True  # False: the theme had no question in that round, so there was nothing to grade

    @property
    def known(self) -> bool:
        return self.status != ""

    @property
    def graded(self) -> bool:
        return self.status == GradeStatus.GRADED and self.tier is not None

    @property
    def gradable(self) -> bool:
        """Whether the force's grade here is a tier: graded, or not known on a question forces were graded on."""
        return self.graded or (not self.known and self.question_graded and self.in_round)

    @property
    def sort_key(self) -> int:
        """Tiers sort by value; known-but-ungraded before unknown, both below Inadequate."""
        if self.tier is not None:
            return self.tier
        return 0 if self.known else -1


def grade_cell(
    *, status: str, tier: int | None, carried_over: bool = False, source_url: str = "", source_type: str = ""
) -> GradeCell:
    """The cell for a Grade row's values."""
    return GradeCell(
        tier=tier if status == GradeStatus.GRADED else None,
        status=status,
        carried_over=carried_over,
        source_url=source_url,
        source_type=source_type,
    )


def missing_cell(*, question_graded: bool) -> GradeCell:
    """The cell for a question with no Grade row: unknown if forces were graded on it, else ungraded."""
    return GradeCell(question_graded=question_graded)


# ---------------------------------------------------------------------------------------------
# Typed rows: what the tables and exports read (dicts, so django-tables2 accessors and sorts work)
# ---------------------------------------------------------------------------------------------


class GradeRow(TypedDict):
    """One grade held for a force, with its round, question, theme and source."""

    round: str
    round_slug: str
    round_position: int
    pillar: str
    question: str
    question_id: int
    question_text: str
    question_position: int
    is_overall: bool
    grade: GradeCell
    grade_sort: int
    summary: str
    source_url: str
    source_type: str
    force_slug: str
    theme_slug: str
    theme: str
    theme_pillar: str
    theme_position: int
    theme_partial: bool


class ForceFacts(TypedDict):
    """A force's basic facts, as its pages show them."""

    pk: int
    slug: str
    name: str
    country: str
    region: str
    most_similar_group: str


class ForceName(TypedDict):
    """A force as a comparison names it."""

    pk: int
    slug: str
    name: str


# ---------------------------------------------------------------------------------------------
# Rounds, forces, questions: the small lists every page and filter form needs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundInfo:
    """A round as pages need it."""

    pk: int
    slug: str
    name: str
    position: int
    scale: str
    has_pillars: bool
    comparability_note: str
    source_url: str
    has_data: bool

    @property
    def five_tier(self) -> bool:
        return self.scale == Scale.FIVE_TIER

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return Round(scale=self.scale).tiers

    def __str__(self) -> str:
        return f"PEEL {self.name}"


def rounds_list() -> list[RoundInfo]:
    """Every round in order, with whether any grade is held for it (an EXISTS per round: constant as data grows)."""
    rounds = Round.objects.order_by("position").annotate(
        with_data=Exists(Grade.objects.filter(question__round=OuterRef("pk")).order_by())
    )
    return [
        RoundInfo(
            pk=r.pk,
            slug=r.slug,
            name=r.name,
            position=r.position,
            scale=r.scale,
            has_pillars=r.has_pillars,
            comparability_note=r.comparability_note,
            source_url=r.source_url,
            has_data=r.with_data,
        )
        for r in rounds
    ]


def round_latest_with_data() -> RoundInfo | None:
    """The latest round for which any grade is held (the national page's default)."""
    with_data = [r for r in rounds_list() if r.has_data]
    return with_data[-1] if with_data else None


def forces_choices() -> list[tuple[str, str]]:
    """(slug, name) of every force, by name, for filter forms."""
    return list(Force.objects.order_by("name").values_list("slug", "name"))


def questions_choices() -> list[tuple[int, str]]:
    """(id, 'PEEL 2016 · E1 …') of every question, in round order, for the findings filter."""

    return [(q.pk, f"{q.round.name} · {q.label}") for q in Question.objects.select_related("round")]


def themes_choices() -> list[tuple[str, str]]:
    """(slug, name) of every theme that links questions across rounds."""
    return list(Theme.objects.values_list("slug", "name"))


# ---------------------------------------------------------------------------------------------
# National picture: one round, force × question
# ---------------------------------------------------------------------------------------------


@dataclass
class QuestionColumn:
    """A question as a column of a grid."""

    pk: int
    key: str
    label: str
    pillar: str
    graded: bool
    is_overall: bool


@dataclass
class NationalGrid:
    """The force × question grid of one round, with the distribution of grades per question."""

    round: RoundInfo
    pillar: str
    questions: list[QuestionColumn]
    rows: "LazyRows"
    distribution: list[dict]
    forces_known: int
    forces_total: int
    pillar_ignored: bool = False
    forces_complete: int = 0  # forces whose every graded area (question) we hold
    forces_partial: int = 0  # forces of whose graded areas we hold some but not all (or an unknown number)

    @property
    def forces_none(self) -> int:
        return self.forces_total - self.forces_complete - self.forces_partial


def national_grid_get(*, round_slug: str, pillar: str = "") -> NationalGrid:
    """Every force's grade on every question of one round (optionally one pillar), unknowns included."""
    return _national_grid_build(round_slug=round_slug, pillar=pillar)


def _national_grid_build(*, round_slug: str, pillar: str) -> NationalGrid:
    round_ = next(r for r in rounds_list() if r.slug == round_slug)
    pillar_ignored = bool(pillar) and not round_.has_pillars
    questions_qs = Question.objects.filter(round_id=round_.pk).order_by("position")
    if pillar and round_.has_pillars:
        questions_qs = questions_qs.filter(pillar=pillar)
    questions = [
        QuestionColumn(pk=q.pk, key=f"q{q.pk}", label=q.label, pillar=q.pillar, graded=q.graded, is_overall=q.is_overall)
        for q in questions_qs
    ]
    pillar_order = {pillar: index for index, pillar in reversed(list(enumerate(q.pillar for q in questions)))}
    # The pillars' own judgments first (the key columns, on screen at 1,280 px), then each pillar's questions.
    questions.sort(key=lambda q: (not q.is_overall, pillar_order[q.pillar]))
    question_pks = [q.pk for q in questions]
    round_grades = Grade.objects.filter(question__in=question_pks).order_by()
    forces_total = Force.objects.count()

    # How many forces got each grade: one aggregate over the round's grades, not the grades themselves.
    counted: dict[int, dict[tuple[str, int | None], int]] = {}
    for question_id, status, tier, n in round_grades.values_list("question_id", "status", "tier").annotate(n=Count("pk")):
        counted.setdefault(question_id, {})[status, tier] = n
    distribution = []
    for q in questions:
        by_grade = counted.get(q.pk, {})
        known = sum(by_grade.values())
        entry: dict[str, Any] = {"question": q.label, "key": q.key, "graded": q.graded}
        # (tier, number of forces at it), best first
        entry["tiers"] = [(tier, by_grade.get((GradeStatus.GRADED, int(tier)), 0)) for tier in round_.tiers]
        entry["ungraded"] = sum(n for (status, _), n in by_grade.items() if status != GradeStatus.GRADED)
        entry["known"] = known
        entry["not_known"] = forces_total - known if q.graded else 0
        entry["ungraded"] += 0 if q.graded else forces_total - known
        distribution.append(entry)

    return NationalGrid(
        round=round_,
        pillar="" if pillar_ignored else pillar,
        questions=questions,
        rows=LazyRows(
            count=lambda: forces_total,
            fetch=lambda **page: _national_rows(round_=round_, questions=questions, **page),
        ),
        distribution=distribution,
        forces_known=round_grades.values("force_id").distinct().count(),
        forces_total=forces_total,
        pillar_ignored=pillar_ignored,
        **_forces_complete(round_=round_, round_grades=round_grades, graded_questions=sum(1 for q in questions if q.graded)),
    )


def _forces_complete(*, round_: RoundInfo, round_grades, graded_questions: int) -> dict[str, int]:
    """How many forces we hold every graded area (question) of, and how many some but not all (or of an
    unknown number): one count per force and, for a five-tier round, the inspectorate's counts."""
    known = dict(round_grades.filter(status=GradeStatus.GRADED).values_list("force_id").annotate(n=Count("pk")))
    of: Mapping[int, int | None]
    if round_.five_tier:
        of = dict(
            GradeCount.objects.filter(round_id=round_.pk, n_areas_graded__isnull=False).values_list("force_id", "n_areas_graded")
        )
    else:
        of = dict.fromkeys(known, graded_questions)
    complete = sum(1 for force_id, n in known.items() if (needed := of.get(force_id)) is not None and n >= needed > 0)
    return {"forces_complete": complete, "forces_partial": sum(1 for n in known.values() if n > 0) - complete}


def _grade_sort_key(grades) -> Coalesce:
    """GradeCell.sort_key in SQL for the grade of `grades` (filtered to one force and question): its tier,
    0 if held but ungraded, -1 if none is held."""
    key = grades.values(sort_key=Case(When(tier__isnull=False, then=F("tier")), default=Value(0)))[:1]
    return Coalesce(Subquery(key), Value(-1))


def _national_rows(*, round_: RoundInfo, questions: list[QuestionColumn], order: tuple[str, ...], offset: int, limit: int | None):
    """One page of the grid: the forces in the table's order (sorted and sliced in SQL), then only their grades."""
    by_key = {f"{q.key}_sort": q for q in questions}
    question_pks = [q.pk for q in questions]
    forces = Force.objects.all()
    ordering = []
    for accessor in order:
        name = accessor.lstrip("-")
        if name == "force":
            expression = F("name")
        elif name == "known_sort":
            graded = Q(grades__question__in=question_pks, grades__status=GradeStatus.GRADED)
            forces = forces.annotate(known_sort=Count("grades", filter=graded))
            expression = F("known_sort")
        elif name in by_key:
            forces = forces.annotate(
                **{name: _grade_sort_key(Grade.objects.filter(force=OuterRef("pk"), question_id=by_key[name].pk).order_by())}
            )
            expression = F(name)
        else:
            continue
        ordering.append(expression.desc() if accessor.startswith("-") else expression.asc())
    ordered = forces.order_by(*ordering, "name").values_list("pk", "slug", "name")
    page = list(ordered[offset : offset + limit] if limit is not None else ordered[offset:])
    force_pks = [pk for pk, _, _ in page]
    cells = {
        (force_id, question_id): grade_cell(
            status=status, tier=tier, carried_over=carried_over, source_url=source_url, source_type=source_type
        )
        for force_id, question_id, status, tier, carried_over, source_url, source_type in Grade.objects.filter(
            force__in=force_pks, question__in=question_pks
        )
        .order_by()
        .values_list("force_id", "question_id", "status", "tier", "carried_over", "source_url", "source_type")
    }
    counts = dict(
        GradeCount.objects.filter(round_id=round_.pk, force__in=force_pks, n_areas_graded__isnull=False)
        .order_by()
        .values_list("force_id", "n_areas_graded")
    )
    graded_questions = sum(1 for q in questions if q.graded)
    rows = []
    for force_id, slug, name in page:
        row: dict[str, Any] = {"force": name, "force_slug": slug}
        known = 0
        for q in questions:
            cell = cells.get((force_id, q.pk)) or missing_cell(question_graded=q.graded)
            known += cell.status == GradeStatus.GRADED
            row[q.key] = cell
            row[f"{q.key}_sort"] = cell.sort_key
        row["known_sort"] = known
        # Of how many: the inspectorate's count of areas graded (None when unknown) or the round's graded questions.
        row["known_of"] = counts.get(force_id) if round_.five_tier else graded_questions
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# Forces list: each force's latest grade per pillar or per area
# ---------------------------------------------------------------------------------------------


@dataclass
class LatestColumn:
    """A column of the forces list: a pillar's overall judgment or an area theme."""

    key: str
    label: str


@dataclass
class ForcesLatest:
    """Every force (matching a name search) with its latest known grade per pillar or area."""

    show: str
    columns: list[LatestColumn]
    rows: LazyRows


PILLAR_THEMES = (
    ("overall-effectiveness", "Effectiveness"),
    ("overall-efficiency", "Efficiency"),
    ("overall-legitimacy", "Legitimacy"),
)


def forces_latest_get(*, q: str = "", show: str = "pillars") -> ForcesLatest:
    """Each force's latest grade per pillar (to 2018/19) or per area (2021/22 on), with its round."""
    return _forces_latest_build(q=q, show=show)


def _latest_grades(*, show: str):
    """The grades the forces list shows: pillar judgments (to 2018/19) or areas (2021/22 on), on a theme."""
    grades = Grade.objects.filter(question__theme__isnull=False)
    if show == "areas":
        return grades.filter(question__round__scale=Scale.FIVE_TIER)
    return grades.filter(question__is_overall=True, question__round__has_pillars=True)


def _forces_latest_build(*, q: str, show: str) -> ForcesLatest:
    forces = Force.objects.all()
    if q:
        forces = forces.filter(name__icontains=q)
    if show == "areas":
        graded = _latest_grades(show=show).filter(question__theme=OuterRef("pk"), force__in=forces)
        shown = list(Theme.objects.filter(Exists(graded)).order_by("position", "name").values_list("slug", "name"))
    else:
        shown = list(PILLAR_THEMES)
    columns = [LatestColumn(key=slug.replace("-", "_"), label=label) for slug, label in shown]
    slug_of = {column.key: slug for column, (slug, _) in zip(columns, shown, strict=True)}
    return ForcesLatest(
        show=show,
        columns=columns,
        rows=LazyRows(
            count=forces.count, fetch=lambda **page: _forces_latest_rows(forces=forces, show=show, slug_of=slug_of, **page)
        ),
    )


def _forces_latest_rows(*, forces, show: str, slug_of: dict[str, str], order: tuple[str, ...], offset: int, limit: int | None):
    """One page of the forces list: forces in the table's order (in SQL), then only their grades."""
    ordering = []
    for accessor in order:
        name = accessor.lstrip("-")
        if name in {"force", "country"}:
            expression = F("name" if name == "force" else "country")
        elif name.endswith("_sort") and name[: -len("_sort")] in slug_of:
            grades = _latest_grades(show=show).filter(force=OuterRef("pk"), question__theme__slug=slug_of[name[: -len("_sort")]])
            forces = forces.annotate(**{name: _grade_sort_key(grades.order_by("-question__round__position"))})
            expression = F(name)
        else:
            continue
        ordering.append(expression.desc() if accessor.startswith("-") else expression.asc())
    forces = forces.order_by(*ordering, "name").values_list("pk", "slug", "name", "country")
    page = list(forces[offset : offset + limit] if limit is not None else forces[offset:])
    values = (
        _latest_grades(show=show)
        .filter(force__in=[pk for pk, *_ in page])
        .order_by("question__round__position")
        .values_list("force_id", "question__theme__slug", "question__round__name", "status", "tier", "carried_over")
    )
    latest: dict[tuple[int, str], tuple[str, GradeCell]] = {}
    for force_id, theme_slug, round_name, status, tier, carried_over in values:
        latest[force_id, theme_slug] = (round_name, grade_cell(status=status, tier=tier, carried_over=carried_over))
    rows = []
    for force_id, slug, name, country in page:
        row: dict[str, Any] = {"force": name, "force_slug": slug, "country": country}
        for key, theme_slug in slug_of.items():
            round_name, cell = latest.get((force_id, theme_slug), ("", missing_cell(question_graded=True)))
            row[key] = cell
            row[f"{key}_round"] = round_name
            row[f"{key}_sort"] = cell.sort_key
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# A force's history, grades and findings
# ---------------------------------------------------------------------------------------------


@dataclass
class ForceHistory:
    """One force's grades across every round, its history per theme, its story and its reports' findings."""

    force: ForceFacts
    rounds: list[RoundInfo]
    grades: list[GradeRow]
    points: list[dict]
    themes: list[dict]
    report_rounds: list[RoundInfo]
    findings: list[dict]
    counts: dict[str, dict] = field(default_factory=dict)
    story: "ForceStory | None" = None


def force_get(*, slug: str) -> ForceFacts | None:
    """A force's basic facts by slug, or None."""
    return Force.objects.filter(slug=slug).values("pk", "slug", "name", "country", "region", "most_similar_group").first()


def _theme_gap(asked: dict[tuple[str, int], bool], theme_slug: str, round_id: int) -> GradeCell:
    """A theme's cell in a round where we hold no grade: not known, ungraded, or no such question that round."""
    if (theme_slug, round_id) not in asked:
        return GradeCell(question_graded=False, in_round=False)
    return missing_cell(question_graded=asked[theme_slug, round_id])


def force_history_get(*, force_slug: str) -> ForceHistory | None:
    """Everything the force page shows, or None for an unknown force."""
    return _force_history_build(force_slug=force_slug)


def _grade_row(grade: Grade, rounds_by_pk: dict[int, RoundInfo], force_slug: str) -> GradeRow:
    question = grade.question
    round_ = rounds_by_pk[question.round_id]
    cell = grade_cell(
        status=grade.status,
        tier=grade.tier,
        carried_over=grade.carried_over,
        source_url=grade.source_url,
        source_type=grade.source_type,
    )
    return {
        "round": round_.name,
        "round_slug": round_.slug,
        "round_position": round_.position,
        "pillar": question.pillar,
        "question": question.label,
        "question_id": question.pk,
        "question_text": question.text,
        "question_position": question.position,
        "is_overall": question.is_overall,
        "grade": cell,
        "grade_sort": cell.sort_key,
        "summary": grade.summary,
        "source_url": grade.source_url,
        "source_type": grade.source_type,
        "force_slug": force_slug,
        "theme_slug": question.theme.slug if question.theme else "",
        "theme": question.theme.name if question.theme else "",
        "theme_pillar": question.theme.pillar if question.theme else "",
        "theme_position": question.theme.position if question.theme else 0,
        "theme_partial": question.theme_partial,
    }


def _also_themed(grades: list[GradeRow], also_links: list[tuple]) -> list[GradeRow]:
    """The grades again under the other themes their questions partly cover (Question.also_themes),
    each marked partly comparable: a force's history per theme shows them, its grade list does not."""
    links: dict[int, list[tuple[str, str, str, int]]] = {}
    for question_id, slug, name, pillar, position, _, _ in also_links:
        links.setdefault(question_id, []).append((slug, name, pillar, position))
    return [
        {**g, "theme_slug": slug, "theme": name, "theme_pillar": pillar, "theme_position": position, "theme_partial": True}
        for g in grades
        for slug, name, pillar, position in links.get(g["question_id"], [])
    ]


def _findings_of_reports(reports: list[Report], rounds_by_pk: dict[int, RoundInfo]) -> list[dict]:
    findings = []
    for report in reports:
        round_ = rounds_by_pk[report.round_id]
        base = {"round": round_.name, "round_slug": round_.slug, "round_position": round_.position, "pillar": report.pillar}
        for cause in report.causes_of_concern.all():
            findings.append(
                {
                    **base,
                    "kind": "cause",
                    "position": cause.position,
                    "text": cause.text,
                    "question": cause.question.label if cause.question else "",
                    "recommendations_intro": cause.recommendations_intro,
                    "recommendations": [r.text for r in cause.recommendations.all()],
                }
            )
        for area in report.areas_for_improvement.all():
            findings.append(
                {
                    **base,
                    "kind": "afi",
                    "position": area.position,
                    "text": area.text,
                    "question": area.question.label if area.question else "",
                    "recommendations": [],
                }
            )
    return findings


def _reports_with_findings(**filters) -> list[Report]:
    return list(
        Report.objects.filter(**filters)
        .order_by("round__position", "pillar")
        .prefetch_related(
            "causes_of_concern__question",
            "causes_of_concern__recommendations",
            "areas_for_improvement__question",
        )
    )


def _force_history_build(*, force_slug: str) -> ForceHistory | None:
    force = force_get(slug=force_slug)
    if force is None:
        return None
    rounds = rounds_list()
    rounds_by_pk = {r.pk: r for r in rounds}
    grades = [
        _grade_row(grade, rounds_by_pk, force_slug)
        for grade in Grade.objects.filter(force_id=force["pk"])
        .select_related("question__theme")
        .order_by("question__round__position", "question__position")
    ]
    reports = _reports_with_findings(force_id=force["pk"])
    counts = {
        rounds_by_pk[round_id].slug: {"n_areas_graded": n}
        for round_id, n in GradeCount.objects.filter(force_id=force["pk"]).values_list("round_id", "n_areas_graded")
    }
    # Every partial link of a question to a second theme (a handful of rows): for the grades and the gaps.
    also_links = list(
        Question.also_themes.through.objects.values_list(
            "question_id",
            "theme__slug",
            "theme__name",
            "theme__pillar",
            "theme__position",
            "question__round_id",
            "question__graded",
        )
    )
    by_theme = sorted(grades + _also_themed(grades, also_links), key=lambda g: (g["theme_position"], g["round_position"]))
    rounds_by_pk_slug = {r.slug: r for r in rounds}
    points = [
        {
            "theme_slug": g["theme_slug"],
            "theme": g["theme"],
            "round_slug": g["round_slug"],
            "round": g["round"],
            "tier": g["grade"].tier,
            "status": g["grade"].status,
            "question": g["question"],
            "source": g["source_type"] or g["source_url"],
            "carried_over": g["grade"].carried_over,
            "partial": g["theme_partial"],
            # the chart's default lines: pillar judgments and graded areas
            "headline": g["is_overall"] or rounds_by_pk_slug[g["round_slug"]].five_tier,
            "source_url": g["source_url"],
        }
        for g in by_theme
        if g["theme_slug"] and g["grade"].tier is not None
    ]
    theme_order: dict[str, dict] = {}
    for g in by_theme:
        if not g["theme_slug"]:
            continue
        theme = theme_order.setdefault(
            g["theme_slug"], {"slug": g["theme_slug"], "name": g["theme"], "pillar": g["theme_pillar"], "cells": {}}
        )
        theme["cells"][g["round_slug"]] = g
    asked = {
        (theme_slug, round_id): graded
        for theme_slug, round_id, graded in Question.objects.filter(theme__isnull=False).values_list(
            "theme__slug", "round_id", "graded"
        )
    }
    for _, theme_slug, _, _, _, round_id, graded in also_links:
        asked.setdefault((theme_slug, round_id), graded)
    themes = []
    for theme in theme_order.values():
        theme["row"] = [theme["cells"].get(r.slug) or {"grade": _theme_gap(asked, theme["slug"], r.pk)} for r in rounds]
        themes.append(theme)
    round_slugs = {g["round_slug"] for g in grades} | {rounds_by_pk[r.round_id].slug for r in reports}
    history = ForceHistory(
        force=force,
        rounds=rounds,
        grades=grades,
        points=points,
        themes=themes,
        report_rounds=[r for r in rounds if r.slug in round_slugs],
        findings=_findings_of_reports(reports, rounds_by_pk),
        counts=counts,
    )
    history.story = _force_story_build(history=history)
    return history


# ---------------------------------------------------------------------------------------------
# The report page: one force, one round
# ---------------------------------------------------------------------------------------------


@dataclass
class ReportPage:
    """One force's report(s) in one round: judgments, findings, dates and sources."""

    force: ForceFacts
    round: RoundInfo
    sections: list[dict]
    reports: list[dict]
    findings: list[dict]
    known: int
    graded_questions: int
    n_areas_graded: int | None
    sourced: int = 0  # grades held that name the page they were read from
    held: int = 0  # grades held, graded or not
    last_updated: Any = None


def report_page_get(*, force_slug: str, round_slug: str) -> ReportPage | None:
    """Everything the report page shows, or None if the force or round is unknown."""
    return _report_page_build(force_slug=force_slug, round_slug=round_slug)


def _report_page_build(*, force_slug: str, round_slug: str) -> ReportPage | None:
    force = force_get(slug=force_slug)
    rounds = rounds_list()
    round_ = next((r for r in rounds if r.slug == round_slug), None)
    if force is None or round_ is None:
        return None
    rounds_by_pk = {r.pk: r for r in rounds}
    grades = {
        g.question_id: g
        for g in Grade.objects.filter(force_id=force["pk"], question__round_id=round_.pk).select_related("question__theme")
    }
    reports = _reports_with_findings(force_id=force["pk"], round_id=round_.pk)
    sections: dict[str, dict] = {}
    n_areas = GradeCount.objects.filter(force_id=force["pk"], round_id=round_.pk).values_list("n_areas_graded", flat=True).first()
    known = sum(1 for g in grades.values() if g.status == GradeStatus.GRADED)
    # When we hold as many grades as the areas the force was graded on, its other areas had no grade.
    all_held = round_.five_tier and n_areas is not None and known >= n_areas
    for question in Question.objects.filter(round_id=round_.pk).order_by("position"):
        grade = grades.get(question.pk)
        section = sections.setdefault(question.pillar, {"pillar": question.pillar, "overall": None, "questions": []})
        row: dict[str, Any]
        if grade:
            row = dict(_grade_row(grade, rounds_by_pk, force_slug))
        else:
            cell = missing_cell(question_graded=question.graded and not all_held)
            row = {"question": question.label, "question_text": question.text, "grade": cell, "summary": "", "source_url": ""}
        row["graded_note"] = question.graded_note if not question.graded else ""
        if question.is_overall:
            section["overall"] = row
        else:
            section["questions"].append(row)
    report_rows = [
        {
            "title": r.title,
            "pillar": r.pillar,
            "published": r.published,
            "last_updated": r.last_updated,
            "source_url": r.source_url,
            "summary": r.summary,
        }
        for r in reports
    ]
    for section in sections.values():
        section["reports"] = [r for r in report_rows if r["pillar"] and r["pillar"] == section["pillar"]]
    dates = [d for r in reports for d in (r.last_updated, r.published) if d]
    return ReportPage(
        force=force,
        round=round_,
        sections=list(sections.values()),
        reports=report_rows,
        findings=_findings_of_reports(reports, rounds_by_pk),
        known=known,
        sourced=sum(1 for g in grades.values() if g.source_url),
        held=len(grades),
        graded_questions=sum(1 for s in sections.values() for q in [s["overall"], *s["questions"]] if q and q["grade"].gradable),
        n_areas_graded=n_areas,
        last_updated=max(dates) if dates else None,
    )


# ---------------------------------------------------------------------------------------------
# Compare: two to six forces side by side
# ---------------------------------------------------------------------------------------------


@dataclass
class Comparison:
    """Forces side by side per round and question; rows only where one of them has a grade."""

    forces: list[ForceName]
    rows: list[dict]
    round_slug: str = ""


def compare_get(*, force_slugs: list[str], round_slug: str = "") -> Comparison:
    """Grades of the chosen forces per round and question (slugs already validated)."""
    return _compare_build(force_slugs=force_slugs, round_slug=round_slug)


def _compare_build(*, force_slugs: list[str], round_slug: str) -> Comparison:
    import pandas as pd

    by_slug = {f["slug"]: f for f in Force.objects.filter(slug__in=force_slugs).values("pk", "slug", "name")}
    forces = [by_slug[slug] for slug in force_slugs if slug in by_slug]
    grades = Grade.objects.filter(force__in=[f["pk"] for f in forces])
    if round_slug:
        grades = grades.filter(question__round__slug=round_slug)
    frame = pd.DataFrame(
        list(
            grades.values_list(
                "force__slug",
                "question_id",
                "question__round__position",
                "question__round__name",
                "question__round__slug",
                "question__position",
                "question__pillar",
                "question__code",
                "question__short_name",
                "question__is_overall",
                "status",
                "tier",
                "carried_over",
                "source_url",
            )
        ),
        columns=[
            "force_slug",
            "question_id",
            "round_position",
            "round",
            "round_slug",
            "question_position",
            "pillar",
            "code",
            "short_name",
            "is_overall",
            "status",
            "tier",
            "carried_over",
            "source_url",
        ],
    )
    if frame.empty:
        return Comparison(forces=forces, rows=[], round_slug=round_slug)
    frame["cell"] = [
        grade_cell(status=s, tier=None if pd.isna(t) else int(t), carried_over=bool(c), source_url=u)
        for s, t, c, u in zip(frame["status"], frame["tier"], frame["carried_over"], frame["source_url"], strict=True)
    ]
    frame["label"] = [
        Question(code=code, short_name=name, is_overall=overall).label
        for code, name, overall in zip(frame["code"], frame["short_name"], frame["is_overall"], strict=True)
    ]
    wide = frame.pivot_table(
        index=["round_position", "question_position", "round", "round_slug", "pillar", "label"],
        columns="force_slug",
        values="cell",
        aggfunc="first",
    ).sort_index()
    five_tier_slugs = {r.slug for r in rounds_list() if r.five_tier}
    rows = []
    for (_, _, round_name, slug, pillar, label), values in wide.iterrows():
        row: dict[str, Any] = {
            "round": round_name,
            "round_slug": slug,
            "pillar": pillar,
            "question": label,
            "five_tier": slug in five_tier_slugs,
        }
        for force in forces:
            value = values.get(force["slug"])
            cell = value if isinstance(value, GradeCell) else missing_cell(question_graded=True)
            row[force["slug"]] = cell
            row[f"{force['slug']}_sort"] = cell.sort_key
        rows.append(row)
    return Comparison(forces=forces, rows=rows, round_slug=round_slug)


# ---------------------------------------------------------------------------------------------
# Movers: changes between consecutive rounds
# ---------------------------------------------------------------------------------------------


@dataclass
class Movers:
    """Changes of grade on the same theme between consecutive rounds: same-scale ones ranked by
    size, and those across the 2018/19 → 2021/22 break kept apart."""

    same_scale: LazyRows
    across_break: LazyRows


def movers_get(*, round_slug: str = "", direction: str = "", theme_slug: str = "", force_slug: str = "") -> Movers:
    """Each force's change of grade per theme from one round to the next (direction: '' for any
    change, 'improved', 'declined', 'unchanged' or 'all'); round_slug picks the later round."""
    return _movers_build(round_slug=round_slug, direction=direction, theme_slug=theme_slug, force_slug=force_slug)


_MOVER_ORDER = {
    "force": "force__name",
    "theme": "theme__name",
    "from_round_slug": "from_grade__question__round__slug",
    "to_round_slug": "to_round__slug",
    "from_sort": "from_grade__tier",
    "to_sort": "to_grade__tier",
    "change_sort": "change",
}
_MOVER_VALUES = {
    "force": "force__name",
    "force_slug": "force__slug",
    "theme": "theme__name",
    "theme_slug": "theme__slug",
    "from_round": "from_grade__question__round__name",
    "from_round_slug": "from_grade__question__round__slug",
    "from_code": "from_grade__question__code",
    "from_name": "from_grade__question__short_name",
    "from_overall": "from_grade__question__is_overall",
    "from_partial": "from_grade__question__theme_partial",
    "from_tier": "from_grade__tier",
    "from_carried": "from_grade__carried_over",
    "to_round": "to_round__name",
    "to_round_slug": "to_round__slug",
    "to_code": "to_grade__question__code",
    "to_name": "to_grade__question__short_name",
    "to_overall": "to_grade__question__is_overall",
    "to_partial": "to_grade__question__theme_partial",
    "to_tier": "to_grade__tier",
    "to_carried": "to_grade__carried_over",
    "steps": "steps",
    "change": "change",
    "direction": "direction",
}


def _movers_build(*, round_slug: str, direction: str, theme_slug: str, force_slug: str) -> Movers:
    movers_summary_ensure()
    pairs = MoverPair.objects.all()
    if round_slug:
        pairs = pairs.filter(to_round__slug=round_slug)
    if theme_slug:
        pairs = pairs.filter(theme__slug=theme_slug)
    if force_slug:
        pairs = pairs.filter(force__slug=force_slug)
    if direction == "":
        pairs = pairs.exclude(direction="unchanged")
    elif direction in {"improved", "declined", "unchanged"}:
        pairs = pairs.filter(direction=direction)
    same = pairs.filter(same_scale=True)
    across = pairs.filter(same_scale=False)
    ranked = Case(When(direction="improved", then=Value(0)), When(direction="declined", then=Value(1)), default=Value(2))
    # Fully comparable pairs ranked first, the partly comparable ones ranked apart after them.
    partly = Q(from_grade__question__theme_partial=True) | Q(to_grade__question__theme_partial=True)
    partial_last = Case(When(partly, then=Value(1)), default=Value(0))
    same_default = (partial_last.asc(), F("change").desc(), ranked.asc(), "force__name", "theme__name", "to_round__name", "pk")
    across_default = ("force__name", "theme__name", "to_round__position", "pk")
    return Movers(
        same_scale=LazyRows(count=same.count, fetch=lambda **page: _mover_rows(same, default=same_default, **page)),
        across_break=LazyRows(count=across.count, fetch=lambda **page: _mover_rows(across, default=across_default, **page)),
    )


def _mover_rows(pairs, *, default: tuple, order: tuple[str, ...], offset: int, limit: int | None) -> list[dict]:
    """One page of movers from the summary, in the table's order and then the default one."""
    ordering = [
        F(_MOVER_ORDER[name]).desc() if accessor.startswith("-") else F(_MOVER_ORDER[name]).asc()
        for accessor in order
        if (name := accessor.lstrip("-")) in _MOVER_ORDER
    ]
    pairs = pairs.order_by(*ordering, *default).values_list(*_MOVER_VALUES.values())
    page = pairs[offset : offset + limit] if limit is not None else pairs[offset:]
    rows = []
    for values in page:
        v = dict(zip(_MOVER_VALUES, values, strict=True))
        rows.append(
            {
                "force": v["force"],
                "force_slug": v["force_slug"],
                "theme": v["theme"],
                "theme_slug": v["theme_slug"],
                "from_round": v["from_round"],
                "from_round_slug": v["from_round_slug"],
                "from_question": Question(code=v["from_code"], short_name=v["from_name"], is_overall=v["from_overall"]).label,
                "from_grade": grade_cell(status=GradeStatus.GRADED, tier=v["from_tier"], carried_over=v["from_carried"]),
                "to_round": v["to_round"],
                "to_round_slug": v["to_round_slug"],
                "to_question": Question(code=v["to_code"], short_name=v["to_name"], is_overall=v["to_overall"]).label,
                "to_grade": grade_cell(status=GradeStatus.GRADED, tier=v["to_tier"], carried_over=v["to_carried"]),
                "from_sort": v["from_tier"],
                "to_sort": v["to_tier"],
                "partial": bool(v["from_partial"] or v["to_partial"]),
                "steps": v["steps"],
                "change_sort": v["change"],
                "direction": v["direction"],
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Findings: causes of concern, recommendations, areas for improvement
# ---------------------------------------------------------------------------------------------


def findings_search(
    *, q: str = "", force_slug: str = "", round_slug: str = "", question_id: int | None = None, kind: str = ""
) -> LazyRows:
    """Findings whose text matches q (PostgreSQL full-text search ranked by relevance; a plain
    contains-search elsewhere), filtered by force, round, question and kind: one SQL union of the three
    kinds, counted, sorted and sliced in the database."""
    found = _findings_union(q=q, force_slug=force_slug, round_slug=round_slug, question_id=question_id, kind=kind)
    ranked = bool(q) and connection.vendor == "postgresql"
    default = ("-rank",) if ranked else ()
    return LazyRows(
        count=lambda: found.count() if found is not None else 0,
        fetch=lambda **page: _findings_rows(found, default=(*default, *_FINDINGS_DEFAULT), **page),
    )


_FINDINGS_DEFAULT = ("force", "round_position", "pillar", "kind_order", "position", "id")
_FINDINGS_ORDER = {"kind": "kind", "force": "force", "round_position": "round_position", "question": "question"}


def _question_label(path: str):
    """Question.label in SQL for the question at path ('' when there is none)."""
    code, name = F(f"{path}__code"), F(f"{path}__short_name")
    plain = Q(**{f"{path}__is_overall": True}) | Q(**{f"{path}__code": ""})
    plain |= Q(**{f"{path}__code__startswith": "E-"}) | Q(**{f"{path}__code__startswith": "L-"})
    return Case(
        When(**{f"{path}__isnull": True}, then=Value("")),
        When(plain, then=name),
        default=Concat(code, Value(" "), name),
        output_field=CharField(),
    )


def _findings_union(*, q: str, force_slug: str, round_slug: str, question_id: int | None, kind: str):
    sources: dict[str, tuple[QuerySet[Any], str, str, Combinable]] = {
        "cause": (CauseOfConcern.objects.all(), "report", "question", Value("")),
        "recommendation": (Recommendation.objects.all(), "cause__report", "cause__question", F("cause__text")),
        "afi": (AreaForImprovement.objects.all(), "report", "question", Value("")),
    }
    postgres = connection.vendor == "postgresql"
    parts = []
    for order, (name, (queryset, report_path, question_path, cause)) in enumerate(sources.items()):
        if kind and kind != name:
            continue
        if force_slug:
            queryset = queryset.filter(**{f"{report_path}__force__slug": force_slug})
        if round_slug:
            queryset = queryset.filter(**{f"{report_path}__round__slug": round_slug})
        if question_id:
            queryset = queryset.filter(**{f"{question_path}_id": question_id})
        rank: Expression = Value(0.0, output_field=FloatField())
        if q and postgres:
            vector = SearchVector("text", config="english")
            query = SearchQuery(q, search_type="websearch", config="english")
            queryset = queryset.annotate(search=vector).filter(search=query)
            rank = SearchRank(vector, query)
        elif q:
            queryset = queryset.filter(text__icontains=q)
        columns = {
            "kind": Value(name, output_field=CharField()),
            "kind_order": Value(order),
            "id": F("id"),
            "text": F("text"),
            "cause": Cast(cause, TextField()),
            "force": F(f"{report_path}__force__name"),
            "force_slug": F(f"{report_path}__force__slug"),
            "round": F(f"{report_path}__round__name"),
            "round_slug": F(f"{report_path}__round__slug"),
            "round_position": F(f"{report_path}__round__position"),
            "pillar": F(f"{report_path}__pillar"),
            "question": _question_label(question_path),
            "rank": Cast(rank, FloatField()),
            "position": F("position"),
        }
        # Named f_… so no column meets a model field's name; every part selects them in this order.
        parts.append(queryset.order_by().values(**{f"f_{key}": value for key, value in columns.items()}))
    if not parts:
        return None
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _findings_rows(found, *, default: tuple, order: tuple[str, ...], offset: int, limit: int | None) -> list[dict]:
    """One page of findings, in the table's order and then the default one."""
    if found is None:
        return []
    wanted = [
        ("-" if accessor.startswith("-") else "") + _FINDINGS_ORDER[name]
        for accessor in order
        if (name := accessor.lstrip("-")) in _FINDINGS_ORDER
    ]
    rows_query = found.order_by(*(("-" if key.startswith("-") else "") + "f_" + key.lstrip("-") for key in [*wanted, *default]))
    page = rows_query[offset : offset + limit] if limit is not None else rows_query[offset:]
    rows = []
    for values in page:
        row = {key[2:]: value for key, value in values.items()}
        row["rank"] = float(row["rank"] or 0)
        row["cause"] = row["cause"] or ""
        rows.append(row)
    return rows


@dataclass(frozen=True)
class FindingsSource:
    """A report whose findings we hold, and how many."""

    force: str
    force_slug: str
    round: str
    round_slug: str
    pillar: str
    title: str
    findings: int


def findings_sources() -> list[FindingsSource]:
    """The reports whose causes of concern or areas for improvement we hold, in round and force order."""
    reports = (
        Report.objects.annotate(
            causes=Count("causes_of_concern", distinct=True), areas=Count("areas_for_improvement", distinct=True)
        )
        .filter(Q(causes__gt=0) | Q(areas__gt=0))
        .select_related("force", "round")
        .order_by("round__position", "force__name", "pillar")
    )
    return [
        FindingsSource(
            force=r.force.name,
            force_slug=r.force.slug,
            round=r.round.name,
            round_slug=r.round.slug,
            pillar=r.pillar,
            title=r.title,
            findings=r.causes + r.areas,
        )
        for r in reports
    ]


def grade_amendments_for_force(*, force_slug: str) -> list:
    """The changes HMICFRS made to this force's published grades, newest first: the public change log."""
    amendments = GradeAmendment.objects.filter(grade__force__slug=force_slug).select_related("grade__question__round")
    return list(amendments.order_by("-amended_on", "-pk"))


# ---------------------------------------------------------------------------------------------
# A force's story: where each theme started, where it is now, its best and worst, notable facts
# ---------------------------------------------------------------------------------------------


STORY_RARE = 3  # a grade at most this many forces shared is notable
STORY_FACTS = 3  # facts a force's headline names at most


@dataclass(frozen=True)
class StoryGrade:
    """One grade a force's story names: which theme and question, which round, the grade and its source."""

    theme: str
    theme_slug: str
    question: str
    question_id: int
    round: str
    round_slug: str
    round_position: int
    five_tier: bool
    cell: GradeCell


@dataclass(frozen=True)
class ThemeArc:
    """A theme's grades for one force: first and latest held, best and worst (earliest of equals)."""

    theme: str
    theme_slug: str
    headline: bool  # a pillar judgment or a graded area (the chart's default lines)
    first: StoryGrade
    latest: StoryGrade
    best: StoryGrade
    worst: StoryGrade
    rounds_held: int

    @property
    def crosses_break(self) -> bool:
        return self.first.five_tier != self.latest.five_tier


@dataclass(frozen=True)
class StoryFact:
    """A grade at an end of the scale, and how many forces got the same grade on the same question.

    first is True only when the publication dates we hold show this force got it before every other
    force that did; None when the dates cannot tell (a date is never guessed)."""

    grade: StoryGrade
    same: int  # forces with this grade on this question in this round (this one included)
    known: int  # forces whose graded judgment on it we hold
    first: bool | None
    published: Any = None


@dataclass
class ForceStory:
    """A force's story at a glance: the lowest and highest headline grades in time order, each theme's
    arc, and facts the data supports about its grades at the ends of the scale."""

    start: StoryGrade | None
    end: StoryGrade | None
    arcs: list[ThemeArc]
    facts: list[StoryFact]

    @property
    def crosses_break(self) -> bool:
        return bool(self.start and self.end and self.start.five_tier != self.end.five_tier)


def _story_grade(row: GradeRow, *, five_tier: bool) -> StoryGrade:
    return StoryGrade(
        theme=row["theme"] or row["question"],
        theme_slug=row["theme_slug"],
        question=row["question"],
        question_id=row["question_id"],
        round=row["round"],
        round_slug=row["round_slug"],
        round_position=row["round_position"],
        five_tier=five_tier,
        cell=row["grade"],
    )


def _force_story_build(*, history: ForceHistory) -> ForceStory:
    """The force page's headline, computed from the grades held: never written by hand."""
    five_tier = {r.slug: r.five_tier for r in history.rounds}
    rows = [row for row in history.grades if row["grade"].graded]
    grades = [_story_grade(row, five_tier=five_tier[row["round_slug"]]) for row in rows]
    headline_ids = {row["question_id"] for row in rows if row["is_overall"] or five_tier[row["round_slug"]]}
    headline = [g for g in grades if g.question_id in headline_ids] or grades
    if not headline:
        return ForceStory(start=None, end=None, arcs=[], facts=[])

    def tier(g: StoryGrade) -> int:
        return g.cell.tier or 0

    # min/max keep the first of equals: the earliest lowest and the earliest highest grade.
    lowest = min(headline, key=tier)
    highest = max(headline, key=tier)
    start, end = sorted((lowest, highest), key=lambda g: (g.round_position, g.question_id))
    if tier(lowest) == tier(highest):
        start, end = headline[0], headline[-1]

    arcs = []
    by_theme: dict[str, list[StoryGrade]] = {}
    for g in grades:
        if g.theme_slug:
            by_theme.setdefault(g.theme_slug, []).append(g)
    for slug, held in by_theme.items():
        arcs.append(
            ThemeArc(
                theme=held[0].theme,
                theme_slug=slug,
                headline=any(g.question_id in headline_ids for g in held),
                first=held[0],
                latest=held[-1],
                best=max(held, key=tier),
                worst=min(held, key=tier),
                rounds_held=len({g.round_slug for g in held}),
            )
        )
    arcs.sort(key=lambda a: (not a.headline, -a.latest.round_position, a.theme))

    ends = [g for g in headline if tier(g) in {Tier.INADEQUATE, Tier.OUTSTANDING}]
    facts = _story_facts(force_pk=history.force["pk"], grades=ends) if ends else []
    return ForceStory(start=start, end=end, arcs=arcs, facts=facts)


def _story_facts(*, force_pk: int, grades: list[StoryGrade]) -> list[StoryFact]:
    """How rare each grade was on its question that round, and whether the dates show it came first:
    one query, each holder's publication date read beside its grade (the report's own date, else the
    grade count's when it is a whole YYYY-MM-DD; never a guess)."""
    same_round = {"force_id": OuterRef("force_id"), "round_id": OuterRef("question__round_id")}
    report_date = Report.objects.filter(**same_round, published__isnull=False).order_by("published").values("published")[:1]
    count_date = GradeCount.objects.filter(**same_round).values("published")[:1]
    rows = (
        Grade.objects.filter(question_id__in={g.question_id for g in grades}, status=GradeStatus.GRADED)
        .annotate(report_date=Subquery(report_date), count_date=Subquery(count_date))
        .values_list("question_id", "force_id", "tier", "report_date", "count_date")
    )
    known: dict[int, int] = {}
    holders: dict[tuple[int, int | None], dict[int, date | None]] = {}
    for question_id, force_id, tier, report_day, count_day in rows:
        known[question_id] = known.get(question_id, 0) + 1
        holders.setdefault((question_id, tier), {})[force_id] = report_day or _whole_date(count_day or "")
    facts = []
    for g in grades:
        dates = holders[g.question_id, g.cell.tier]
        own = dates.get(force_pk)
        first: bool | None = None
        if len(dates) > 1 and own and all(dates.values()):
            first = all(own < other for force_id, other in dates.items() if force_id != force_pk)  # type: ignore[operator]
        facts.append(StoryFact(grade=g, same=len(dates), known=known[g.question_id], first=first, published=own))
    # The notable ones: a grade few forces shared (at most three), the rarest and latest first, then in time order.
    facts = sorted((f for f in facts if f.same <= STORY_RARE), key=lambda f: (f.same, -f.grade.round_position))[:STORY_FACTS]
    facts.sort(key=lambda f: (f.grade.round_position, f.grade.cell.tier or 0))
    return facts


def _whole_date(text: str) -> date | None:
    """A YYYY-MM-DD date, or None for anything less ("2022-09", "early 2023", blank)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(text)
    return None
