"""Template helpers for grades: the badge shows the grade word always, colour only as a second signal."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def grade_badge(cell) -> str:
    """A grade cell (selectors.GradeCell) as a coloured badge with its words."""
    if cell is None:
        return format_html('<span class="grade grade--unknown">Not known</span>')
    return format_html('<span class="grade grade--{}">{}</span>', cell.css, cell.text)
