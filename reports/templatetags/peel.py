"""Template helpers for grades: the badge shows the grade word always, colour only as a second signal."""

from django import template
from django.utils.html import format_html

from reports.caching import data_version_get

register = template.Library()


@register.simple_tag
def grade_badge(cell) -> str:
    """A grade cell (selectors.GradeCell) as a coloured badge with its words."""
    if cell is None:
        return format_html('<span class="grade grade--unknown">Not known</span>')
    return format_html('<span class="grade grade--{}">{}</span>', cell.css, cell.text)


@register.simple_tag(takes_context=True)
def data_version(context) -> int:
    """The data version, read once per request: fragments cached under it are never stale."""
    request = context.get("request")
    if request is None:
        return data_version_get()
    if not hasattr(request, "peel_data_version"):
        request.peel_data_version = data_version_get()
    return request.peel_data_version
