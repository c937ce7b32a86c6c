import pytest

from reports.importers.document import ReportImportError
from reports.importers.layouts import layout_for, report_parse
from reports.importers.text import source_text_read
from tests.reports.importers import texts


def parse(text: str):
    return report_parse(source_text_read(text))


def test_a_pdf_report_is_read_from_its_summaries_of_findings():
    report = parse(texts.PDF_2016)
    assert layout_for(source_text_read(texts.PDF_2016)).name == "pdf-pillar-2014-17"
    assert (report.force_name, report.round_name, report.pillar, report.overall.grade) == (
        "Kent Police",
        "2016",
        "Effectiveness",
        "Good",
    )
    assert report.summary == (
        "Kent Police is good at keeping people safe and reducing crime. The force has a sound problem-solving approach.\n\n"
        "The force works well with partner organisations to prevent crime and anti-social behaviour."
    )
    first, second = report.judgments
    assert (first.number, first.grade) == (1, "Good")
    assert first.summary == (
        "Kent Police is good at preventing crime. It has a mature and well-established problem-solving approach, which "
        "officers use every day.\n\nIt understands its communities."
    )
    assert first.areas_for_improvement == (
        "The force should evaluate its problem-solving work and share what works across its teams.",
    )
    assert (second.number, second.grade) == (2, "Requires improvement")
    assert second.causes == texts.KENT_2016_QUESTION_2_CAUSES
    assert second.areas_for_improvement == texts.KENT_2016_QUESTION_2_AREAS_FOR_IMPROVEMENT


def test_the_pdf_and_web_layouts_of_the_same_findings_read_the_same():
    web, pdf = parse(texts.WEB_2016), parse(texts.PDF_2016)
    assert [(j.number, j.grade, j.causes) for j in web.judgments] == [(j.number, j.grade, j.causes) for j in pdf.judgments]
    assert web.judgments[1].areas_for_improvement == pdf.judgments[1].areas_for_improvement


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "Summary of findings\nRequires improvement",
            "Summary of findings\nGood",
            r"line 62: question 2 is graded 'Good' here but 'Requires improvement' in the overall summary \(line 28\)",
        ),
        (
            "Summary of findings\nGood",
            "Summary of findings\nFine",
            "line 44: expected the grade of question 1 after 'Summary of findings', found 'Fine'",
        ),
        (
            "\nSummary of findings\nRequires",
            "\nRequires",
            "line 44: found 1 'Summary of findings' for the 2 questions listed in the introduction",
        ),
        ("Overall judgment 1\nGood", "Overall judgment 1\nFine", "line 13: expected the overall judgment's grade, found 'Fine'"),
        ("1. How effective", "How effective", "no numbered list of questions"),
    ],
)
def test_a_malformed_pdf_report_is_an_error_naming_the_problem(old, new, problem):
    assert old in texts.PDF_2016
    with pytest.raises(ReportImportError, match=problem):
        parse(texts.PDF_2016.replace(old, new, 1))


def test_a_footnote_mark_stuck_to_the_overall_judgment_heading_is_tolerated():
    assert parse(texts.PDF_2016.replace("Overall judgment 1", "Overall judgment1")).overall.grade == "Good"
