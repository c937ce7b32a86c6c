"""django-tables2 tables of the accountability pages; rows are plain dicts from the selectors."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from reports.exports.services import TableData
from reports.tablepages import AccessibleTable


def force_url(record: dict) -> str | None:
    return reverse("pages:force_detail", kwargs={"slug": record["force_slug"]}) if record.get("force_slug") else None


def source_cell(url: str, words: str = "source"):
    return format_html('<a href="{}" rel="noopener">{}</a>', url, words) if url else "—"


class MonitoringTable(AccessibleTable):
    """Every monitoring period: force, stage, entered and left as precise as the source, reasons, source."""

    force_name = tables.Column(verbose_name="Force", linkify=force_url, attrs={"td": {"class": "force-cell"}})
    stage = tables.Column(verbose_name="Stage")
    entered_display = tables.Column(verbose_name="Entered", order_by=("entered",))
    left_display = tables.Column(verbose_name="Left", order_by=("left",), default="No exit found")
    reasons = tables.Column(verbose_name="Reasons given", orderable=False)
    source_url = tables.Column(verbose_name="Source", orderable=False)

    def value_left_display(self, value, record) -> str:
        return record["left_iso"] or "No exit found"

    def value_entered_display(self, value, record) -> str:
        # Exports write the date as precise as the source: 2019, 2020-12, 2022-06-28.
        return record["entered_iso"]

    def render_source_url(self, value):
        return source_cell(value)

    def value_source_url(self, value) -> str:
        return value


class RegisterTable(AccessibleTable):
    """The recommendation register: every recommendation, its deadline and whether a response is held."""

    source_title = tables.Column(verbose_name="Inspection or report", order_by=("source_title", "number_sort"))
    number = tables.Column(verbose_name="No.", order_by=("number_sort",), attrs={"td": {"class": "num"}})
    addressed_to = tables.Column(verbose_name="Addressed to", linkify=force_url)
    text = tables.Column(verbose_name="Recommendation", orderable=False, attrs={"td": {"class": "finding-text"}})
    deadline_display = tables.Column(verbose_name="Deadline", order_by=("deadline_sort",))
    response_held = tables.Column(verbose_name="Response held", order_by=("response_held",))

    def render_source_title(self, value, record):
        if record["source_url"]:
            return format_html('<a href="{}">{}</a>', record["source_url"], value)
        return value

    def render_deadline_display(self, value, record):
        if record["unanswered_past"]:
            return format_html('{} <span class="flag flag--past">Past deadline, no response held</span>', value)
        return value

    def value_deadline_display(self, value, record) -> str:
        return record["deadline_iso"] or record["deadline_text"] or "not stated"

    def render_response_held(self, value, record):
        if not value:
            return "No"
        names = format_html_join(", ", "{}", ((a["force_name"],) for a in record["answers"]))
        return format_html("Yes: {}", names)

    def value_response_held(self, value) -> str:
        return "yes" if value else "no"


class ResponsesTable(AccessibleTable):
    """PCC responses: what they answer, when published, the statutory deadline and whether it was met."""

    force_name = tables.Column(verbose_name="Force", linkify=force_url)
    subject = tables.Column(verbose_name="Answers")
    subject_published = tables.Column(verbose_name="Published", default="Not known")
    statutory_deadline = tables.Column(verbose_name="Statutory deadline (+56 days)", default="Not known")
    published = tables.Column(verbose_name="Response dated", default="Not known")
    days_late = tables.Column(verbose_name="Days late", order_by=("days_late",))
    commissioner = tables.Column(verbose_name="Commissioner", default="—")

    def render_subject_published(self, value) -> str:
        return f"{value.day} {value:%B %Y}"

    render_statutory_deadline = render_subject_published
    render_published = render_subject_published

    def value_subject_published(self, value) -> str:
        return value.isoformat() if value else ""

    value_statutory_deadline = value_subject_published
    value_published = value_subject_published

    def render_days_late(self, value, record) -> str:
        return on_time_words(record)

    def value_days_late(self, value, record):
        # Exports write the days after the deadline as a number (0 or less: on time; blank: not known).
        return "" if value is None else value


def on_time_words(record: dict) -> str:
    """'On time', '20 days late' or 'Not known' (a date we lack)."""
    late = record["days_late"]
    if late is None:
        return "Not known"
    if late <= 0:
        return "On time"
    return f"{late} day{'s' if late != 1 else ''} late"


def practice_data(practices: list[dict], *, title: str) -> TableData:
    """Promising practice as an export writes it."""
    header = ["force_slug", "force_name", "inspection", "inspection_published", "title", "text", "source_url", "source_type"]
    rows = (
        [
            p["force_slug"],
            p["force_name"],
            p["inspection"],
            p["inspection_published"].isoformat() if p["inspection_published"] else "",
            p["title"],
            p["text"],
            p["source_url"],
            p["source_type"],
        ]
        for p in practices
    )
    return TableData(title=title, header=header, rows=rows)
