import pytest

from reports.importers.document import Cause, ReportImportError
from reports.importers.sections import section_read
from reports.importers.text import Block


def para(text: str, line: int = 1) -> Block:
    return Block(text, line)


def bullet(text: str, level: int = 0, line: int = 1) -> Block:
    return Block(text, line, bullet=True, level=level)


def test_a_section_reads_into_summary_causes_and_areas_for_improvement():
    content = section_read(
        [
            para("First paragraph."),
            para("Second paragraph."),
            para("Cause of concern"),
            para("Too few officers."),
            para("Recommendations"),
            para("To address this cause of concern the force should:"),
            bullet("recruit; and"),
            bullet("train."),
            para("Areas for improvement"),
            bullet("The force should ensure that:"),
            bullet("a;", level=1),
            bullet("b.", level=1),
            bullet("The force should act."),
            para("Read the revisit report"),
        ],
        end_line=20,
    )
    assert content.summary == "First paragraph.\n\nSecond paragraph."
    assert content.causes == (
        Cause("Too few officers.", "To address this cause of concern the force should:", ("recruit; and", "train.")),
    )
    assert content.areas_for_improvement == ("The force should ensure that:\na;\nb.", "The force should act.")
    assert not content.carried_over


def test_a_single_area_for_improvement_can_be_a_paragraph():
    content = section_read(
        [para("Summary."), para("Area for improvement"), para("The force should act."), para("More text.")], end_line=9
    )
    assert content.areas_for_improvement == ("The force should act.",)


def test_a_recommendation_can_be_a_paragraph_without_an_introduction():
    content = section_read(
        [para("Cause of concern"), para("Calls wait too long."), para("Recommendation"), para("By March, the force should act.")],
        end_line=9,
    )
    assert content.causes == (Cause("Calls wait too long.", "", ("By March, the force should act.",)),)


def test_causes_of_concern_under_one_heading_each_keep_their_recommendations():
    content = section_read(
        [
            para("Causes of concern"),
            para("First concern."),
            para("Recommendations"),
            bullet("act one."),
            para("Second concern."),
            para("Recommendations"),
            bullet("act two."),
        ],
        end_line=9,
    )
    assert [(cause.text, cause.recommendations) for cause in content.causes] == [
        ("First concern.", ("act one.",)),
        ("Second concern.", ("act two.",)),
    ]


def test_a_carried_over_note_marks_the_judgment():
    content = section_read([para("This question was not subject to detailed inspection in 2018/19.")], end_line=2)
    assert content.carried_over


def test_recommendations_without_a_cause_of_concern_are_an_error():
    with pytest.raises(ReportImportError, match="line 4: 'Recommendations' with no cause of concern before it"):
        section_read([para("Summary."), para("Recommendations", line=4), bullet("act.")], end_line=9)


def test_an_empty_list_of_areas_for_improvement_is_an_error():
    with pytest.raises(ReportImportError, match="line 7: 'Areas for improvement' with no item after it"):
        section_read([para("Summary."), para("Areas for improvement", line=7)], end_line=9)


def test_a_cause_of_concern_without_text_is_an_error():
    with pytest.raises(ReportImportError, match="line 3: 'Cause of concern' with no text after it"):
        section_read([para("Cause of concern", line=3), para("Recommendations", line=4), bullet("act.")], end_line=9)
