"""django-tables2 tables of the forces pages. Rows are plain dicts from reports.selectors."""

import django_tables2 as tables
from django.utils.html import format_html

from reports.tables import ForceColumn, GradeColumn, PeelTable, report_url
from reports.templatetags.peel import grade_badge


class LatestGradeColumn(GradeColumn):
    """A force's latest grade on a pillar or area, with the round it comes from."""

    def render(self, value, record, bound_column) -> str:
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
