"""django-tables2 tables of the analyst pages. Rows are plain dicts from reports.selectors."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from reports.templatetags.peel import grade_badge


class PeelTable(tables.Table):
    """The common look: our accessible template (caption, th scope, aria-sort, labelled paging)."""

    caption = ""
    scroll_label = ""

    def __init__(self, *args, caption: str = "", scroll_label: str = "", **kwargs) -> None:
        # Set here rather than in Meta: django-tables2 does not pass Meta on to subclasses.
        kwargs.setdefault("template_name", "tables/table.html")
        kwargs.setdefault("attrs", {"class": "data-table"})
        super().__init__(*args, **kwargs)
        self.caption = caption or self.caption
        self.scroll_label = scroll_label or self.scroll_label

    @property
    def fragment_key(self) -> str:
        """What, besides the URL and data version, tells this table's rendering apart from another's."""
        return f"{type(self).__name__}:{self.prefix}:{self.caption}"


def force_url(record: dict) -> str:
    return reverse("forces:detail", kwargs={"slug": record["force_slug"]})


def report_url(record: dict, prefix: str = "") -> str:
    """The report page of the record's force in its round (``prefix`` picks from_/to_ round of a mover).

    As a linkify, wrap it in ``lambda record: ...``: django-tables2 skips a callable with any argument it cannot fill.
    """
    return reverse("reports:detail", kwargs={"force_slug": record["force_slug"], "round_slug": record[f"{prefix}round_slug"]})


class GradeColumn(tables.Column):
    """A grade cell, sorted by tier (unknowns last when ascending... first; they sort below Inadequate)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "grade-cell"}, "th": {"class": "grade-head"}})
        super().__init__(*args, **kwargs)

    def render(self, value) -> str:
        return grade_badge(value)

    def value(self, value) -> str:
        return value.text


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
    known = tables.Column(verbose_name="Grades known", order_by=("known_sort",), attrs={"td": {"class": "num"}})

    @classmethod
    def for_grid(cls, grid, **kwargs) -> "NationalGridTable":
        columns = [
            (q.key, GradeColumn(verbose_name=q.label, order_by=(f"{q.key}_sort",), accessor=q.key)) for q in grid.questions
        ]
        return cls(grid.rows, extra_columns=columns, sequence=["force", *[q.key for q in grid.questions], "known"], **kwargs)


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

    def value_steps(self, value) -> int:
        # Exports write the change as a signed number of steps, which a spreadsheet can sort.
        return value

    def render_theme(self, value, record) -> str:
        if record["partial"]:
            return format_html('{} <span class="note">(questions only partly comparable)</span>', value)
        return value


class CrossBreakTable(MoversTable):
    """Grades either side of the 2018/19 → 2021/22 scale break, listed apart and never ranked."""

    steps = tables.Column(verbose_name="Nominal direction (not comparable)", accessor="direction", orderable=False)

    def render_steps(self, value, record) -> str:
        return {"improved": "Higher word", "declined": "Lower word"}.get(value, "Same word")

    def value_steps(self, value) -> str:
        return self.render_steps(value, None)


class FindingsTable(PeelTable):
    """Causes of concern, recommendations and areas for improvement matching a search."""

    kind_label = tables.Column(verbose_name="Type", order_by=("kind",))
    text = tables.Column(verbose_name="Finding", orderable=False, attrs={"td": {"class": "finding-text"}})
    force = ForceColumn()
    round = tables.Column(
        verbose_name="Report",
        order_by=("round_position",),
        linkify=lambda record: report_url(record),
    )
    question = tables.Column(verbose_name="Question or area", default="—")

    def render_text(self, value, record) -> str:
        if record["cause"]:
            return format_html('{}<br><span class="note">To address: {}</span>', value, record["cause"])
        return value

    def render_round(self, value, record) -> str:
        return f"PEEL {value} {record['pillar']}".strip()
