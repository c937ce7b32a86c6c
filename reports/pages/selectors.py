"""Reads that cross models or aggregate: the pages and exports read through these.

Each table page takes its rows from ONE selector here, called with the page's parsed filters
(see the filter forms' ``selector_kwargs()``), so an export of a page can call the same
function and get exactly the rows the page shows. Results are plain data (dataclasses,
dicts, lists), cached per data version: a saved grade bumps the version, so the next request
reads fresh data and stale entries are never served.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from forces.models import Force
from reports.caching import data_version_get
from reports.models import (
    AreaForImprovement,
    CauseOfConcern,
    Grade,
    GradeAmendment,
    GradeCount,
    Question,
    Recommendation,
    Report,
    Round,
    Theme,
)
from reports.vocabulary import FINDING_KINDS, GradeStatus, Scale, Tier

CACHE_SECONDS = 60 * 60
BREAK_CAVEAT = (
    "From 2021/22 HMICFRS grades forces by area on a five-tier scale that adds Adequate. "
    "HMICFRS says these grades cannot be compared directly with those of 2018/19 and earlier."
)
NOT_KNOWN = "Not known"


def _cached(name: str, parts: tuple, build: Callable[[], Any]) -> Any:
    """build()'s result, cached under the data version and the arguments that shaped it."""
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    key = f"peel:{name}:{connection.vendor}:{data_version_get()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, getattr(settings, "PEEL_SELECTOR_CACHE_SECONDS", CACHE_SECONDS))
    return value


# ---------------------------------------------------------------------------------------------
# Grade cells: what a grade (or its absence) looks like on every page
# ---------------------------------------------------------------------------------------------

TIER_CSS = {
    Tier.OUTSTANDING: "outstanding",
    Tier.GOOD: "good",
    Tier.ADEQUATE: "adequate",
    Tier.REQUIRES_IMPROVEMENT: "requires-improvement",
    Tier.INADEQUATE: "inadequate",
}


@dataclass(frozen=True)
class GradeCell:
    """A grade as shown: its words (always), a CSS class for colour, a sort key and its caveats."""

    word: str
    css: str
    tier: int | None = None
    status: str = ""
    carried_over: bool = False
    source_url: str = ""
    source_type: str = ""

    @property
    def known(self) -> bool:
        return self.status != ""

    @property
    def sort_key(self) -> int:
        """Tiers sort by value; known-but-ungraded before unknown, both below Inadequate."""
        if self.tier is not None:
            return self.tier
        return 0 if self.known else -1

    @property
    def text(self) -> str:
        return f"{self.word} (carried over)" if self.carried_over else self.word

    def __str__(self) -> str:
        return self.text


def grade_cell(
    *, status: str, tier: int | None, carried_over: bool = False, source_url: str = "", source_type: str = ""
) -> GradeCell:
    """The cell for a Grade row's values."""
    if status == GradeStatus.GRADED and tier is not None:
        return GradeCell(
            word=Tier(tier).label,
            css=TIER_CSS[Tier(tier)],
            tier=tier,
            status=status,
            carried_over=carried_over,
            source_url=source_url,
            source_type=source_type,
        )
    return GradeCell(
        word=GradeStatus(status).label,
        css="ungraded",
        status=status,
        carried_over=carried_over,
        source_url=source_url,
        source_type=source_type,
    )


def missing_cell(*, question_graded: bool) -> GradeCell:
    """The cell for a question with no Grade row: 'Ungraded' if nobody was graded on it, else unknown."""
    if question_graded:
        return GradeCell(word=NOT_KNOWN, css="unknown")
    return GradeCell(word="Ungraded", css="ungraded")


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
    """Every round in order, with whether any grade is held for it."""

    def build() -> list[RoundInfo]:
        with_data = set(Grade.objects.values_list("question__round_id", flat=True).distinct())
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
                has_data=r.pk in with_data,
            )
            for r in Round.objects.order_by("position")
        ]

    return _cached("rounds", (), build)


def round_latest_with_data() -> RoundInfo | None:
    """The latest round for which any grade is held (the national page's default)."""
    with_data = [r for r in rounds_list() if r.has_data]
    return with_data[-1] if with_data else None


def forces_choices() -> list[tuple[str, str]]:
    """(slug, name) of every force, by name, for filter forms."""
    return _cached("forces", (), lambda: list(Force.objects.order_by("name").values_list("slug", "name")))


def questions_choices() -> list[tuple[int, str]]:
    """(id, 'PEEL 2016 · E1 …') of every question, in round order, for the findings filter."""

    def build() -> list[tuple[int, str]]:
        return [(q.pk, f"{q.round.name} · {q.label}") for q in Question.objects.select_related("round")]

    return _cached("questions", (), build)


def themes_choices() -> list[tuple[str, str]]:
    """(slug, name) of every theme that links questions across rounds."""
    return _cached("themes", (), lambda: list(Theme.objects.values_list("slug", "name")))


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
    rows: list[dict]
    distribution: list[dict]
    forces_known: int
    forces_total: int
    pillar_ignored: bool = False


def national_grid_get(*, round_slug: str, pillar: str = "") -> NationalGrid:
    """Every force's grade on every question of one round (optionally one pillar), unknowns included."""
    return _cached("national", (round_slug, pillar), lambda: _national_grid_build(round_slug=round_slug, pillar=pillar))


def _national_grid_build(*, round_slug: str, pillar: str) -> NationalGrid:
    import pandas as pd

    round_ = next(r for r in rounds_list() if r.slug == round_slug)
    pillar_ignored = bool(pillar) and not round_.has_pillars
    questions_qs = Question.objects.filter(round_id=round_.pk).order_by("position")
    if pillar and round_.has_pillars:
        questions_qs = questions_qs.filter(pillar=pillar)
    questions = [
        QuestionColumn(pk=q.pk, key=f"q{q.pk}", label=q.label, pillar=q.pillar, graded=q.graded, is_overall=q.is_overall)
        for q in questions_qs
    ]
    # Within each pillar the pillar's own judgment comes first, then its questions.
    pillar_order = {pillar: index for index, pillar in reversed(list(enumerate(q.pillar for q in questions)))}
    questions.sort(key=lambda q: (pillar_order[q.pillar], not q.is_overall))
    forces = list(Force.objects.order_by("name").values_list("pk", "slug", "name"))
    grades = pd.DataFrame(
        list(
            Grade.objects.filter(question__in=[q.pk for q in questions]).values_list(
                "force_id", "question_id", "status", "tier", "carried_over", "source_url", "source_type"
            )
        ),
        columns=["force_id", "question_id", "status", "tier", "carried_over", "source_url", "source_type"],
    )
    counts = {
        force_id: n
        for force_id, n in GradeCount.objects.filter(round_id=round_.pk).values_list("force_id", "n_areas_graded")
        if n is not None
    }

    grades["cell"] = [
        grade_cell(status=s, tier=None if pd.isna(t) else int(t), carried_over=bool(c), source_url=u, source_type=st)
        for s, t, c, u, st in zip(
            grades["status"], grades["tier"], grades["carried_over"], grades["source_url"], grades["source_type"], strict=True
        )
    ]
    grid = grades.pivot(index="force_id", columns="question_id", values="cell")
    graded_known = grades[grades["status"] == GradeStatus.GRADED].groupby("force_id").size()
    graded_questions = sum(1 for q in questions if q.graded)

    rows = []
    for force_id, slug, name in forces:
        row: dict[str, Any] = {"force": name, "force_slug": slug, "known_sort": int(graded_known.get(force_id, 0))}
        for q in questions:
            cell = grid.at[force_id, q.pk] if force_id in grid.index and q.pk in grid.columns else None
            if not isinstance(cell, GradeCell):
                cell = missing_cell(question_graded=q.graded)
            row[q.key] = cell
            row[f"{q.key}_sort"] = cell.sort_key
        if round_.five_tier:
            of = counts.get(force_id)
            row["known"] = f"{row['known_sort']} of {of}" if of is not None else f"{row['known_sort']} of ?"
        else:
            row["known"] = f"{row['known_sort']} of {graded_questions}"
        rows.append(row)

    distribution = []
    by_question = grades.groupby("question_id")
    for q in questions:
        cells = list(by_question.get_group(q.pk)["cell"]) if q.pk in by_question.groups else []
        words = pd.Series([c.word for c in cells], dtype="object").value_counts()
        entry = {"question": q.label, "key": q.key, "graded": q.graded}
        entry["tiers"] = [(tier.label, TIER_CSS[tier], int(words.get(tier.label, 0))) for tier in round_.tiers]
        entry["ungraded"] = int(sum(words.get(status.label, 0) for status in GradeStatus if status != GradeStatus.GRADED))
        entry["known"] = len(cells)
        entry["not_known"] = len(forces) - len(cells) if q.graded else 0
        entry["ungraded"] += 0 if q.graded else len(forces) - len(cells)
        distribution.append(entry)

    return NationalGrid(
        round=round_,
        pillar="" if pillar_ignored else pillar,
        questions=questions,
        rows=rows,
        distribution=distribution,
        forces_known=int(grades["force_id"].nunique()),
        forces_total=len(forces),
        pillar_ignored=pillar_ignored,
    )


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
    rows: list[dict]


PILLAR_THEMES = (
    ("overall-effectiveness", "Effectiveness"),
    ("overall-efficiency", "Efficiency"),
    ("overall-legitimacy", "Legitimacy"),
)


def forces_latest_get(*, q: str = "", show: str = "pillars") -> ForcesLatest:
    """Each force's latest grade per pillar (to 2018/19) or per area (2021/22 on), with its round."""
    return _cached("forces-latest", (q.casefold(), show), lambda: _forces_latest_build(q=q, show=show))


def _forces_latest_build(*, q: str, show: str) -> ForcesLatest:
    forces = Force.objects.order_by("name")
    if q:
        forces = forces.filter(name__icontains=q)
    forces = list(forces.values_list("pk", "slug", "name", "country"))
    grades = Grade.objects.filter(force__in=[f[0] for f in forces], question__theme__isnull=False)
    if show == "areas":
        grades = grades.filter(question__round__scale=Scale.FIVE_TIER)
    else:
        grades = grades.filter(question__is_overall=True, question__round__has_pillars=True)
    values = grades.order_by("question__round__position").values_list(
        "force_id",
        "question__theme__slug",
        "question__theme__name",
        "question__theme__position",
        "question__round__name",
        "status",
        "tier",
        "carried_over",
    )
    latest: dict[tuple[int, str], tuple[str, GradeCell]] = {}
    themes: dict[str, tuple[int, str]] = {}
    for force_id, theme_slug, theme_name, theme_position, round_name, status, tier, carried_over in values:
        latest[force_id, theme_slug] = (round_name, grade_cell(status=status, tier=tier, carried_over=carried_over))
        themes[theme_slug] = (theme_position, theme_name)
    if show == "areas":
        shown = [(slug, name) for slug, (_, name) in sorted(themes.items(), key=lambda t: t[1])]
    else:
        shown = list(PILLAR_THEMES)
    columns = [LatestColumn(key=slug.replace("-", "_"), label=label) for slug, label in shown]
    slugs = [slug for slug, _ in shown]
    rows = []
    for force_id, slug, name, country in forces:
        row: dict[str, Any] = {"force": name, "force_slug": slug, "country": country}
        for column, theme_slug in zip(columns, slugs, strict=True):
            round_name, cell = latest.get((force_id, theme_slug), ("", missing_cell(question_graded=True)))
            row[column.key] = cell
            row[f"{column.key}_round"] = round_name
            row[f"{column.key}_sort"] = cell.sort_key
        rows.append(row)
    return ForcesLatest(show=show, columns=columns, rows=rows)


# ---------------------------------------------------------------------------------------------
# A force's history, grades and findings
# ---------------------------------------------------------------------------------------------


@dataclass
class ForceHistory:
    """One force's grades across every round, its history per theme, and its reports' findings."""

    force: dict
    rounds: list[RoundInfo]
    grades: list[dict]
    points: list[dict]
    themes: list[dict]
    report_rounds: list[RoundInfo]
    findings: list[dict]
    counts: dict[str, dict] = field(default_factory=dict)


def force_get(*, slug: str) -> dict | None:
    """A force's basic facts by slug, or None."""
    return _cached(
        "force",
        (slug,),
        lambda: Force.objects.filter(slug=slug).values("pk", "slug", "name", "country", "region", "most_similar_group").first(),
    )


def force_history_get(*, force_slug: str) -> ForceHistory | None:
    """Everything the force page shows, or None for an unknown force."""
    return _cached("force-history", (force_slug,), lambda: _force_history_build(force_slug=force_slug))


def _grade_row(grade: Grade, rounds_by_pk: dict[int, RoundInfo], force_slug: str) -> dict:
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
    by_theme = sorted(grades, key=lambda g: (g["theme_position"], g["round_position"]))
    points = [
        {
            "theme_slug": g["theme_slug"],
            "theme": g["theme"],
            "round_slug": g["round_slug"],
            "round": g["round"],
            "tier": g["grade"].tier,
            "grade": g["grade"].text,
            "question": g["question"],
            "source": g["source_type"] or g["source_url"],
            "carried_over": g["grade"].carried_over,
            "partial": g["theme_partial"],
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
    themes = []
    for theme in theme_order.values():
        theme["row"] = [theme["cells"].get(r.slug) for r in rounds]
        themes.append(theme)
    round_slugs = {g["round_slug"] for g in grades} | {rounds_by_pk[r.round_id].slug for r in reports}
    return ForceHistory(
        force=force,
        rounds=rounds,
        grades=grades,
        points=points,
        themes=themes,
        report_rounds=[r for r in rounds if r.slug in round_slugs],
        findings=_findings_of_reports(reports, rounds_by_pk),
        counts=counts,
    )


def force_grades_get(*, force_slug: str) -> list[dict]:
    """The rows of the force page's grades table: every grade held for the force, in round order."""
    history = force_history_get(force_slug=force_slug)
    return history.grades if history else []


# ---------------------------------------------------------------------------------------------
# The report page: one force, one round
# ---------------------------------------------------------------------------------------------


@dataclass
class ReportPage:
    """One force's report(s) in one round: judgments, findings, dates and sources."""

    force: dict
    round: RoundInfo
    sections: list[dict]
    reports: list[dict]
    findings: list[dict]
    known: int
    graded_questions: int
    n_areas_graded: int | None
    last_updated: Any = None


def report_page_get(*, force_slug: str, round_slug: str) -> ReportPage | None:
    """Everything the report page shows, or None if the force or round is unknown."""
    return _cached("report", (force_slug, round_slug), lambda: _report_page_build(force_slug=force_slug, round_slug=round_slug))


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
    for question in Question.objects.filter(round_id=round_.pk).order_by("position"):
        grade = grades.get(question.pk)
        section = sections.setdefault(question.pillar, {"pillar": question.pillar, "overall": None, "questions": []})
        if grade:
            row = _grade_row(grade, rounds_by_pk, force_slug)
        else:
            cell = missing_cell(question_graded=question.graded)
            row = {"question": question.label, "question_text": question.text, "grade": cell, "summary": "", "source_url": ""}
        row["graded_note"] = question.graded_note if not question.graded else ""
        if question.is_overall:
            section["overall"] = row
        else:
            section["questions"].append(row)
    n_areas = GradeCount.objects.filter(force_id=force["pk"], round_id=round_.pk).values_list("n_areas_graded", flat=True).first()
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
        known=sum(1 for g in grades.values() if g.status == GradeStatus.GRADED),
        graded_questions=sum(
            1 for s in sections.values() for q in [s["overall"], *s["questions"]] if q and q["grade"].css != "ungraded"
        ),
        n_areas_graded=n_areas,
        last_updated=max(dates) if dates else None,
    )


# ---------------------------------------------------------------------------------------------
# Compare: two to six forces side by side
# ---------------------------------------------------------------------------------------------


@dataclass
class Comparison:
    """Forces side by side per round and question; rows only where one of them has a grade."""

    forces: list[dict]
    rows: list[dict]
    round_slug: str = ""

    def chart_rows(self) -> list[dict]:
        """The rows as charts.compare_figure takes them: per force slug, the grade's tier and words."""
        return [
            {
                "round": row["round"],
                "question": row["question"],
                "five_tier": row["five_tier"],
                **{f["slug"]: {"tier": row[f["slug"]].tier, "text": row[f["slug"]].text} for f in self.forces},
            }
            for row in self.rows
        ]


def compare_get(*, force_slugs: list[str], round_slug: str = "") -> Comparison:
    """Grades of the chosen forces per round and question (slugs already validated)."""
    return _cached(
        "compare", (tuple(force_slugs), round_slug), lambda: _compare_build(force_slugs=force_slugs, round_slug=round_slug)
    )


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

    same_scale: list[dict]
    across_break: list[dict]


def movers_get(*, round_slug: str = "", direction: str = "", theme_slug: str = "", force_slug: str = "") -> Movers:
    """Each force's change of grade per theme from one round to the next (direction: '' for any
    change, 'improved', 'declined', 'unchanged' or 'all'); round_slug picks the later round."""
    return _cached(
        "movers",
        (round_slug, direction, theme_slug, force_slug),
        lambda: _movers_build(round_slug=round_slug, direction=direction, theme_slug=theme_slug, force_slug=force_slug),
    )


def _movers_build(*, round_slug: str, direction: str, theme_slug: str, force_slug: str) -> Movers:
    import pandas as pd

    rounds = rounds_list()
    grades = Grade.objects.filter(status=GradeStatus.GRADED, question__theme__isnull=False)
    if theme_slug:
        grades = grades.filter(question__theme__slug=theme_slug)
    if force_slug:
        grades = grades.filter(force__slug=force_slug)
    columns = [
        "force",
        "force_slug",
        "theme",
        "theme_slug",
        "round_id",
        "question",
        "code",
        "overall",
        "partial",
        "tier",
        "carried",
    ]
    frame = pd.DataFrame(
        list(
            grades.values_list(
                "force__name",
                "force__slug",
                "question__theme__name",
                "question__theme__slug",
                "question__round_id",
                "question__short_name",
                "question__code",
                "question__is_overall",
                "question__theme_partial",
                "tier",
                "carried_over",
            )
        ),
        columns=columns,
    )
    if frame.empty:
        return Movers(same_scale=[], across_break=[])
    by_pk = {r.pk: r for r in rounds}
    frame["position"] = frame["round_id"].map(lambda pk: by_pk[pk].position)
    frame["label"] = [
        Question(code=c, short_name=q, is_overall=o).label
        for c, q, o in zip(frame["code"], frame["question"], frame["overall"], strict=True)
    ]
    # The later round of each pair joins the earlier one at position - 1: consecutive rounds only.
    later = frame.assign(position=frame["position"] - 1)
    pairs = frame.merge(later, on=["force", "force_slug", "theme", "theme_slug", "position"], suffixes=("_from", "_to"))
    by_position = {r.position: r for r in rounds}
    same, across = [], []
    for pair in pairs.itertuples(index=False):
        from_round, to_round = by_position[pair.position], by_pk[pair.round_id_to]
        if round_slug and to_round.slug != round_slug:
            continue
        steps = None
        if from_round.scale == to_round.scale:
            scale = list(reversed(from_round.tiers))
            steps = scale.index(Tier(int(pair.tier_to))) - scale.index(Tier(int(pair.tier_from)))
        row = {
            "force": pair.force,
            "force_slug": pair.force_slug,
            "theme": pair.theme,
            "theme_slug": pair.theme_slug,
            "from_round": from_round.name,
            "from_round_slug": from_round.slug,
            "from_question": pair.label_from,
            "from_grade": grade_cell(status=GradeStatus.GRADED, tier=int(pair.tier_from), carried_over=bool(pair.carried_from)),
            "to_round": to_round.name,
            "to_round_slug": to_round.slug,
            "to_question": pair.label_to,
            "to_grade": grade_cell(status=GradeStatus.GRADED, tier=int(pair.tier_to), carried_over=bool(pair.carried_to)),
            "from_sort": int(pair.tier_from),
            "to_sort": int(pair.tier_to),
            "partial": bool(pair.partial_from or pair.partial_to),
            "steps": steps,
            "change_sort": abs(steps) if steps is not None else abs(int(pair.tier_to) - int(pair.tier_from)),
        }
        nominal = steps if steps is not None else int(pair.tier_to) - int(pair.tier_from)
        row["direction"] = "improved" if nominal > 0 else "declined" if nominal < 0 else "unchanged"
        if direction == "" and row["direction"] == "unchanged":
            continue
        if direction in {"improved", "declined", "unchanged"} and row["direction"] != direction:
            continue
        (same if steps is not None else across).append(row)
    order = {"improved": 0, "declined": 1, "unchanged": 2}
    same.sort(key=lambda r: (-r["change_sort"], order[r["direction"]], r["force"], r["theme"], r["to_round"]))
    across.sort(key=lambda r: (r["force"], r["theme"]))
    return Movers(same_scale=same, across_break=across)


# ---------------------------------------------------------------------------------------------
# Findings: causes of concern, recommendations, areas for improvement
# ---------------------------------------------------------------------------------------------


def findings_search(
    *, q: str = "", force_slug: str = "", round_slug: str = "", question_id: int | None = None, kind: str = ""
) -> list[dict]:
    """Findings whose text matches q (PostgreSQL full-text search ranked by relevance; a plain
    contains-search elsewhere), filtered by force, round, question and kind."""
    return _cached(
        "findings",
        (q, force_slug, round_slug, question_id, kind),
        lambda: _findings_build(q=q, force_slug=force_slug, round_slug=round_slug, question_id=question_id, kind=kind),
    )


def _findings_build(*, q: str, force_slug: str, round_slug: str, question_id: int | None, kind: str) -> list[dict]:
    sources = {
        "cause": (CauseOfConcern.objects.select_related("report__force", "report__round", "question"), "report", "question"),
        "recommendation": (
            Recommendation.objects.select_related("cause__report__force", "cause__report__round", "cause__question"),
            "cause__report",
            "cause__question",
        ),
        "afi": (AreaForImprovement.objects.select_related("report__force", "report__round", "question"), "report", "question"),
    }
    postgres = connection.vendor == "postgresql"
    rows = []
    for name, (queryset, report_path, question_path) in sources.items():
        if kind and kind != name:
            continue
        if force_slug:
            queryset = queryset.filter(**{f"{report_path}__force__slug": force_slug})
        if round_slug:
            queryset = queryset.filter(**{f"{report_path}__round__slug": round_slug})
        if question_id:
            queryset = queryset.filter(**{f"{question_path}_id": question_id})
        if q and postgres:
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            vector = SearchVector("text", config="english")
            query = SearchQuery(q, search_type="websearch", config="english")
            queryset = queryset.annotate(search=vector, rank=SearchRank(vector, query)).filter(search=query)
        elif q:
            queryset = queryset.filter(text__icontains=q)
        for finding in queryset:
            report = finding.cause.report if name == "recommendation" else finding.report
            question = finding.cause.question if name == "recommendation" else finding.question
            rows.append(
                {
                    "kind": name,
                    "kind_label": FINDING_KINDS[name],
                    "text": finding.text,
                    "cause": finding.cause.text if name == "recommendation" else "",
                    "force": report.force.name,
                    "force_slug": report.force.slug,
                    "round": report.round.name,
                    "round_slug": report.round.slug,
                    "round_position": report.round.position,
                    "pillar": report.pillar,
                    "question": question.label if question else "",
                    "rank": float(getattr(finding, "rank", 0) or 0),
                    "position": finding.position,
                }
            )
    kind_order = list(FINDING_KINDS)
    rows.sort(key=lambda r: (r["force"], r["round_position"], r["pillar"], kind_order.index(r["kind"]), r["position"]))
    if q and postgres:
        rows.sort(key=lambda r: -r["rank"])
    return rows


def grade_amendments_for_force(*, force_slug: str) -> list:
    """The changes HMICFRS made to this force's published grades, newest first: the public change log."""
    amendments = GradeAmendment.objects.filter(grade__force__slug=force_slug).select_related("grade__question__round")
    return list(amendments.order_by("-amended_on", "-pk"))
