"""Template helpers for grades: the badge shows the grade word always, colour only as a second signal."""

from django import template
from django.utils.html import format_html

from reports.vocabulary import GradeStatus, Tier, grade_display

register = template.Library()

NOT_KNOWN = "Not known"
NOT_INSPECTED_ROUND = "Not inspected that round"
TIER_CSS = {
    Tier.OUTSTANDING: "outstanding",
    Tier.GOOD: "good",
    Tier.ADEQUATE: "adequate",
    Tier.REQUIRES_IMPROVEMENT: "requires-improvement",
    Tier.INADEQUATE: "inadequate",
}


def grade_words(
    *, status: str, tier: int | None, carried_over: bool = False, question_graded: bool = True, in_round: bool = True
) -> str:
    """A grade as people read it: the tier's name or the status's, 'Not known' when we hold no grade
    on a graded question, 'Ungraded' when forces were not graded on it, 'Not inspected that round'
    when the round had no such question; '(carried over)' when it was."""
    if not status and not in_round:
        return NOT_INSPECTED_ROUND
    word = grade_display(status=status, tier=tier) if status else NOT_KNOWN if question_graded else GradeStatus.UNGRADED.label
    return f"{word} (carried over)" if carried_over else word


@register.filter
def grade_word(cell) -> str:
    """A grade cell's word without the carried-over note (exports' grade column)."""
    return grade_words(status=cell.status, tier=cell.tier, question_graded=cell.question_graded, in_round=cell.in_round)


@register.filter
def grade_text(cell) -> str:
    """A grade cell (selectors.GradeCell) as its words, with the carried-over note."""
    return grade_words(
        status=cell.status,
        tier=cell.tier,
        carried_over=cell.carried_over,
        question_graded=cell.question_graded,
        in_round=cell.in_round,
    )


@register.filter
def grade_css(cell) -> str:
    """The colour class of a grade cell: its tier's, or ungraded / unknown."""
    if cell.status == GradeStatus.GRADED and cell.tier is not None:
        return TIER_CSS[Tier(cell.tier)]
    if not cell.status and not cell.in_round:
        return "absent"
    return "ungraded" if cell.status or not cell.question_graded else "unknown"


@register.filter
def tier_css(tier) -> str:
    """The colour class of a tier."""
    return TIER_CSS[Tier(tier)]


@register.simple_tag
def grade_badge(cell) -> str:
    """A grade cell as a coloured badge with its words (None: not known)."""
    if cell is None:
        return format_html('<span class="grade grade--unknown">{}</span>', NOT_KNOWN)
    return format_html('<span class="grade grade--{}">{}</span>', grade_css(cell), grade_text(cell))
