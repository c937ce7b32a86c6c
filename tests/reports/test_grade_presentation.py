"""How a grade cell (data from the selectors) reads and looks: words, carried-over note, colour class."""

from reports.pages.selectors import grade_cell, missing_cell
from reports.templatetags.peel import grade_badge, grade_css, grade_text, grade_word
from reports.vocabulary import GradeStatus, Tier


def test_a_graded_cell_reads_as_its_tier_and_is_coloured_by_it():
    cell = grade_cell(status=GradeStatus.GRADED, tier=Tier.INADEQUATE)
    assert (grade_word(cell), grade_css(cell)) == ("Inadequate", "inadequate")


def test_a_carried_over_judgment_says_so_in_its_text_but_not_in_its_word():
    cell = grade_cell(status=GradeStatus.GRADED, tier=Tier.GOOD, carried_over=True)
    assert (grade_word(cell), grade_text(cell)) == ("Good", "Good (carried over)")


def test_a_missing_grade_is_not_known_and_a_missing_one_on_an_ungraded_question_is_ungraded():
    assert (grade_text(missing_cell(question_graded=True)), grade_css(missing_cell(question_graded=True))) == (
        "Not known",
        "unknown",
    )
    assert (grade_text(missing_cell(question_graded=False)), grade_css(missing_cell(question_graded=False))) == (
        "Ungraded",
        "ungraded",
    )


def test_a_status_without_a_tier_reads_as_the_status():
    cell = grade_cell(status=GradeStatus.NOT_INSPECTED, tier=None)
    assert (grade_text(cell), grade_css(cell)) == ("Not inspected", "ungraded")


def test_the_badge_holds_the_words_and_the_colour_class():
    assert grade_badge(grade_cell(status=GradeStatus.GRADED, tier=Tier.OUTSTANDING)) == (
        '<span class="grade grade--outstanding">Outstanding</span>'
    )
