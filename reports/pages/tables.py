"""django-tables2 tables of the analyst pages: how the selectors' rows (data) look and export."""

from collections.abc import Iterator

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django_tables2.data import TableListData
from django_tables2.utils import OrderBy

from reports.exports.services import FINDING_TYPES, TableData, snake_case, tier_of
from reports.pages.selectors import LazyRows
from reports.tablepages import AccessibleTable
from reports.templatetags.peel import grade_badge, grade_text, grade_word
from reports.vocabulary import FINDING_KINDS


class LazyTableData(TableListData):
    """django-tables2's list data over LazyRows: sorting hands the accessors to the rows' SQL instead of
    sorting a list, and pagination reads one page."""

    def __init__(self, data: LazyRows) -> None:
        self.data = data

    def order_by(self, aliases) -> None:
        accessors = []
        for alias in aliases:
            bound_column = self.table.columns[OrderBy(alias).bare]
            # As TableListData: the column's current order_by is flipped when the alias asks the other way.
            accessors += bound_column.order_by.opposite if alias[0] != bound_column.order_by_alias[0] else bound_column.order_by
        self.data = self.data.ordered(tuple(accessors))


class PeelTable(AccessibleTable):
    """An analyst page's table; rows a selector reads lazily (LazyRows) are sorted and sliced in SQL."""

    def __init__(self, data=None, *args, **kwargs) -> None:
        if isinstance(data, LazyRows):
            data = LazyTableData(data)
        super().__init__(data, *args, **kwargs)


def force_url(record: dict) -> str:
    return reverse("pages:force_detail", kwargs={"slug": record["force_slug"]})


def report_url(record: dict, prefix: str = "") -> str:
    """The report page of the record's force in its round (``prefix`` picks from_/to_ round of a mover).

    As a linkify, wrap it in ``lambda record: ...``: django-tables2 skips a callable with any argument it cannot fill.
    """
    return reverse("pages:report", kwargs={"force_slug": record["force_slug"], "round_slug": record[f"{prefix}round_slug"]})


class GradeColumn(tables.Column):
    """A grade cell, sorted by tier (unknowns last when ascending... first; they sort below Inadequate)."""

    export_order = True  # exports add the grade's order number (1 Inadequate … 5 Outstanding) beside it

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "grade-cell"}, "th": {"class": "grade-head"}})
        super().__init__(*args, **kwargs)

    def render(self, value) -> str:
        return grade_badge(value)

    def value(self, value) -> str:
        return grade_text(value)


class ForceColumn(tables.Column):
    """A force's name linking to its page."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("verbose_name", "Force")
        kwargs.setdefault("linkify", force_url)
        kwargs.setdefault("attrs", {"td": {"class": "force-cell"}})
        super().__init__(*args, **kwargs)


class NationalGridTable(PeelTable):
    """Every force × every question of one round; the grade columns are added per round."""

    force = ForceColumn()

    def render_known(self, value, record) -> str:
        of = record["known_of"]
        return f"{value} of {of}" if of is not None else f"{value} of an unknown number"

    @classmethod
    def for_grid(cls, grid, **kwargs) -> "NationalGridTable":
        columns = [
            (q.key, GradeColumn(verbose_name=q.label, order_by=(f"{q.key}_sort",), accessor=q.key)) for q in grid.questions
        ]
        known = tables.Column(
            verbose_name="Graded areas known" if grid.round.five_tier else "Graded questions known",
            accessor="known_sort",
            attrs={"td": {"class": "num"}},
        )
        kwargs.setdefault("attrs", {"class": "data-table national-grid"})
        return cls(grid.rows, extra_columns=[("known", known), *columns], sequence=["force", "known", "..."], **kwargs)


class CompareTable(PeelTable):
    """Chosen forces side by side per round and question; force columns are added per request."""

    round = tables.Column(verbose_name="Round", order_by=("round_position",), orderable=False)
    question = tables.Column(verbose_name="Question or area", orderable=False)

    @classmethod
    def for_comparison(cls, comparison, **kwargs) -> "CompareTable":
        columns = [
            (force["slug"], GradeColumn(verbose_name=force["name"], accessor=force["slug"], orderable=False))
            for force in comparison.forces
        ]
        return cls(comparison.rows, extra_columns=columns, **kwargs)


def _mover_round_column(*, verbose_name: str, prefix: str) -> tables.Column:
    return tables.Column(
        verbose_name=verbose_name,
        linkify=lambda record: report_url(record, prefix),
        order_by=(f"{prefix}round_slug",),
        attrs={"td": {"class": "nowrap"}},
    )


class MoversTable(PeelTable):
    """Changes of grade between consecutive rounds on the same scale, biggest first."""

    force = ForceColumn()
    theme = tables.Column(verbose_name="Theme")
    from_round = _mover_round_column(verbose_name="From", prefix="from_")
    from_grade = GradeColumn(verbose_name="Grade then", order_by=("from_sort",))
    to_round = _mover_round_column(verbose_name="To", prefix="to_")
    to_grade = GradeColumn(verbose_name="Grade now", order_by=("to_sort",))
    steps = tables.Column(verbose_name="Change", order_by=("change_sort",), attrs={"td": {"class": "num"}})

    def render_steps(self, value, record) -> str:
        word = {"improved": "better", "declined": "worse"}.get(record["direction"], "")
        if not value:
            return "No change"
        plural = "s" if abs(value) > 1 else ""
        return format_html("{}{} step{} {}", "+" if value > 0 else "−", abs(value), plural, word)

    def value_steps(self, value) -> int | str:
        # Exports write the change as a signed number of steps, which a spreadsheet can sort (a
        # cross-break table, whose grades are not comparable, writes words instead).
        return value

    def render_theme(self, value, record) -> str:
        if record["partial"]:
            return format_html(
                '{} <span class="note">(≈ questions only partly comparable, ranked after the others)</span>', value
            )
        return value


def movers_chart_rows(rows) -> list[dict]:
    """Mover rows (data) as charts.movers_figure takes them, with each grade's words."""
    return [
        {
            "force": row["force"],
            "theme": row["theme"],
            "from_round": row["from_round"],
            "to_round": row["to_round"],
            "from_tier": row["from_grade"].tier,
            "to_tier": row["to_grade"].tier,
            "from_text": grade_text(row["from_grade"]),
            "to_text": grade_text(row["to_grade"]),
            "direction": row["direction"],
            "partial": row["partial"],
        }
        for row in rows
    ]


class CrossBreakTable(MoversTable):
    """Grades either side of the 2018/19 → 2021/22 scale break, listed apart and never ranked."""

    steps = tables.Column(verbose_name="Nominal direction (not comparable)", accessor="direction", orderable=False)

    def render_steps(self, value, record) -> str:
        return {"improved": "Higher word", "declined": "Lower word"}.get(value, "Same word")

    def value_steps(self, value) -> str:
        return self.render_steps(value, None)


class FindingsTable(PeelTable):
    """Causes of concern, recommendations and areas for improvement matching a search."""

    kind = tables.Column(verbose_name="Type")
    text = tables.Column(verbose_name="Finding", orderable=False, attrs={"td": {"class": "finding-text"}})
    force = ForceColumn()
    round = tables.Column(
        verbose_name="Report",
        order_by=("round_position",),
        linkify=lambda record: report_url(record),
    )
    question = tables.Column(verbose_name="Question or area", default="—")

    def render_kind(self, value) -> str:
        return FINDING_KINDS[value]

    def render_text(self, value, record) -> str:
        if record["cause"]:
            return format_html('{}<br><span class="note">To address: {}</span>', value, record["cause"])
        return value

    def render_round(self, value, record) -> str:
        return f"PEEL {value} {record['pillar']}".strip()


class LatestGradeColumn(GradeColumn):
    """A force's latest grade on a pillar or area, with the round it comes from."""

    export_round = True  # exports add the round the grade comes from beside it

    # django-tables2 calls render with the arguments its signature names, so a column may ask for more.
    def render(self, value, record, bound_column) -> str:  # type: ignore[override]
        round_name = record.get(f"{bound_column.name}_round")
        if not round_name:
            return grade_badge(value)
        return format_html('{} <span class="round-tag">{}</span>', grade_badge(value), round_name)


class ForcesLatestTable(PeelTable):
    """Every force with its latest grade per pillar or area; columns depend on the view chosen."""

    force = ForceColumn()
    country = tables.Column()

    @classmethod
    def for_latest(cls, latest, **kwargs) -> "ForcesLatestTable":
        columns = [
            (c.key, LatestGradeColumn(verbose_name=c.label, accessor=c.key, order_by=(f"{c.key}_sort",))) for c in latest.columns
        ]
        return cls(latest.rows, extra_columns=columns, **kwargs)


class ForceGradesTable(PeelTable):
    """Every grade held for one force, round by round, with its source and report page."""

    round = tables.Column(
        verbose_name="Round",
        order_by=("round_position", "question_position"),
        linkify=lambda record: report_url(record),
    )
    pillar = tables.Column(default="Area", verbose_name="Pillar")
    question = tables.Column(verbose_name="Question or area", order_by=("round_position", "question_position"))
    grade = GradeColumn(verbose_name="Grade", order_by=("grade_sort",))
    source_url = tables.Column(verbose_name="Source", orderable=False, default="—")

    def render_round(self, value) -> str:
        return f"PEEL {value}"

    def render_source_url(self, value, record) -> str:
        return format_html('<a href="{}" rel="noopener">{}</a>', value, record["source_type"] or "source")

    def value_source_url(self, value) -> str:
        # Exports write the source's address, not the link's words.
        return value


def report_grades_data(page) -> TableData:
    """The report page's judgments: every question or area of the round, the force's grade on it
    (or "Not known"), its source and the words under it."""
    header = [
        "pillar",
        "question_or_area",
        "overall",
        "grade",
        "grade_order",
        "carried_over",
        "source_type",
        "source_url",
        "graded_note",
        "question_text",
        "summary",
    ]

    def rows() -> Iterator[list]:
        for section in page.sections:
            for row in ([section["overall"]] if section["overall"] else []) + section["questions"]:
                cell = row["grade"]
                yield [
                    section["pillar"],
                    row["question"],
                    "yes" if row is section["overall"] else "no",
                    grade_word(cell),
                    tier_of(cell),
                    "yes" if cell.carried_over else "no",
                    row.get("source_type", ""),
                    row.get("source_url", ""),
                    row.get("graded_note", ""),
                    row.get("question_text", ""),
                    row.get("summary", ""),
                ]

    return TableData(title=f"{page.force['name']} PEEL {page.round.name}", header=header, rows=rows())


def findings_list_data(findings: list[dict], *, title: str) -> TableData:
    """A page's list of findings (report page, force page): each cause of concern, then its
    recommendations, then the areas for improvement, as on screen."""
    header = ["round", "pillar", "finding_type", "cause_number", "number", "question_or_area", "text"]

    def rows() -> Iterator[list]:
        for finding in findings:
            where = [finding["round"], finding["pillar"]]
            if finding["kind"] == "cause":
                yield [*where, FINDING_TYPES[0], finding["position"], finding["position"], finding["question"], finding["text"]]
            else:
                yield [*where, FINDING_TYPES[2], "", finding["position"], finding["question"], finding["text"]]
            for number, text in enumerate(finding.get("recommendations", []), start=1):
                yield [*where, FINDING_TYPES[1], finding["position"], number, finding["question"], text]

    return TableData(title=title, header=header, rows=rows())


def distribution_data(grid) -> TableData:
    """The national page's second table: how many forces got each grade, per question."""
    tiers = [tier.label for tier, _ in grid.distribution[0]["tiers"]] if grid.distribution else []
    header = ["question_or_area", *(snake_case(word) for word in tiers), "ungraded", "not_known", "known", "forces"]
    rows = (
        [row["question"], *(n for _, n in row["tiers"]), row["ungraded"], row["not_known"], row["known"], grid.forces_total]
        for row in grid.distribution
    )
    return TableData(title=f"Forces at each grade, PEEL {grid.round.name}", header=header, rows=rows)


def _theme_cell_text(cell: dict) -> str:
    return grade_text(cell["grade"]) + (" (partly comparable)" if cell.get("theme_partial") else "")


def theme_history_data(history) -> TableData:
    """The force page's grade per theme and round (the chart's numbers): "Not known" where we hold none,
    "Not inspected that round" where the theme had no question in the round, "(partly comparable)"
    where the round's question only partly matches the theme."""
    header = ["theme", *(f"peel_{round_.slug.replace('-', '_')}" for round_ in history.rounds)]
    rows = ([theme["name"], *(_theme_cell_text(cell) for cell in theme["row"])] for theme in history.themes)
    return TableData(title=f"{history.force['name']}: grade per theme and round", header=header, rows=rows)
