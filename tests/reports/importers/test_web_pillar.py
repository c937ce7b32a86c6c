import pytest

from reports.importers.document import ReportImportError
from reports.importers.layouts import layout_for, report_parse
from reports.importers.text import source_text_read
from tests.reports.importers import texts


def parse(text: str):
    return report_parse(source_text_read(text))


def test_a_2016_pillar_page_is_read_question_by_question():
    report = parse(texts.WEB_2016)
    assert (report.layout, report.force_name, report.round_name, report.pillar) == (
        "web-pillar-2014-17",
        "Kent",
        "2016",
        "Effectiveness",
    )
    assert str(report.last_updated) == "2017-03-02"
    assert report.overall.grade == "Good"
    assert (
        report.summary
        == "Kent Police is good at keeping people safe and reducing crime.\n\nThe force works well with partner organisations."
    )
    first, second = report.judgments
    assert (first.number, first.grade, first.summary) == (
        1,
        "Good",
        "The force is good at preventing crime.\n\nIt understands its communities.",
    )
    assert first.areas_for_improvement == ("The force should evaluate its problem-solving work.",)
    assert (second.number, second.grade) == (2, "Requires improvement")
    assert second.causes == texts.KENT_2016_QUESTION_2_CAUSES
    assert second.areas_for_improvement == texts.KENT_2016_QUESTION_2_AREAS_FOR_IMPROVEMENT


def test_a_note_after_the_lists_is_not_an_area_for_improvement():
    assert all("revisit" not in text for judgment in parse(texts.WEB_2016).judgments for text in judgment.areas_for_improvement)


def test_a_2018_19_pillar_page_reads_question_then_grade_and_carried_over_judgments():
    report = parse(texts.WEB_2018_19)
    assert (report.layout, report.force_name, report.round_name, report.pillar) == (
        "web-pillar-2018-19",
        "Suffolk",
        "2018",
        "Legitimacy",
    )
    assert [(j.number, j.grade, j.carried_over) for j in report.judgments] == [
        (None, "Good", True),
        (None, "Good", False),
        (None, "Good", True),
    ]
    assert report.judgments[1].areas_for_improvement == (
        "The force should make sure its counter-corruption unit has enough trained staff.",
        "The force should monitor its vetting decisions for disproportionality.",
    )


def test_the_layout_is_chosen_by_the_year_in_the_title():
    assert layout_for(source_text_read(texts.WEB_2016)).name == "web-pillar-2014-17"
    assert layout_for(source_text_read(texts.WEB_2018_19)).name == "web-pillar-2018-19"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "\n2\n\nHow effective is the force at investigating",
            "\n1\n\nHow effective is the force at investigating",
            r"line 32: question 1 appears twice \(first at line 18\)",
        ),
        (
            "\n1\n\nHow effective is the force at preventing",
            "\n2\n\nHow effective is the force at preventing",
            "line 18: question 2 comes where question 1 should",
        ),
        (
            "reducing re-offending?\n\nRequires improvement",
            "reducing re-offending?\n\nMostly fine",
            "line 36: expected the grade of question 2 after its wording, found 'Mostly fine'",
        ),
        ("Last updated 02/03/2017", "Last updated 31/02/2017", r"line 9: 'Last updated' date '31/02/2017' is not a date"),
        (
            "Questions for Effectiveness",
            "Questions for Efficiency",
            "line 16: the page says Efficiency here but Effectiveness at line 5",
        ),
    ],
)
def test_a_malformed_pillar_page_is_an_error_naming_the_line(old, new, problem):
    assert old in texts.WEB_2016
    with pytest.raises(ReportImportError, match=problem):
        parse(texts.WEB_2016.replace(old, new))


def test_a_text_without_a_title_is_not_a_report():
    with pytest.raises(ReportImportError, match=r"^not an HMICFRS PEEL report: no '<Force> PEEL <year>' title found"):
        parse("Police offender management\n\nBedfordshire Police have been rated as 'Outstanding'.\n")
