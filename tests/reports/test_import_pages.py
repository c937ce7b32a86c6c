"""A text holding several pages is split where a new page starts, and each page is read on its own."""

import pytest

from reports.importers.document import ReportImportError
from reports.importers.pages import pages_split
from reports.importers.service import report_import, report_pages_import
from reports.importers.text import source_text_read
from reports.models import AreaForImprovement, Grade, Report
from tests.reports.test_import import snapshot
from tests.reports.test_import_wording import EFFECTIVENESS_2018, EFFICIENCY_2018, SOURCE

pytestmark = pytest.mark.usefixtures("peel_reference")

# The integrated 2018/19 report page: the efficiency part follows with no title of its own.
TWO_PAGES = EFFECTIVENESS_2018 + "\n" + EFFICIENCY_2018.removeprefix("Norfolk PEEL 2018\n")


def test_a_text_is_split_at_another_pillars_opening_judgment():
    pages = pages_split(source_text_read(TWO_PAGES))
    assert [(page.start_line, page.pillar, page.titled) for page in pages] == [(1, "", True), (27, "Efficiency", False)]
    assert pages[1].reason == "the Efficiency page's opening judgment"


def test_a_text_is_split_at_a_second_title_and_at_questions_for_another_pillar():
    doc = source_text_read(EFFECTIVENESS_2018 + "\n" + EFFICIENCY_2018)
    assert [page.reason for page in pages_split(doc)] == ["a new title 'Norfolk PEEL 2018'", "a new title 'Norfolk PEEL 2018'"]
    doc = source_text_read(EFFECTIVENESS_2018 + "\nQuestions for Legitimacy\n\nSome text.\n")
    assert [page.reason for page in pages_split(doc)][1] == "'Questions for Legitimacy'"


def test_each_page_of_a_two_page_text_is_imported_as_its_own_report_with_its_own_findings():
    Grade.objects.filter(force__slug="norfolk", question__round__slug="2018-19").exclude(question__is_overall=True).delete()
    results = report_pages_import(text=TWO_PAGES, source_url=SOURCE)
    assert [(result.pillar, [found.label for found in result.found]) for result in results] == [
        ("Effectiveness", ["Overall effectiveness", "E2 Investigating crime"]),
        ("Efficiency", ["Overall efficiency", "Ef1 Meeting current demands and using resources"]),
    ]
    grades = Grade.objects.filter(force__slug="norfolk", question__round__slug="2018-19").select_related("question")
    assert {grade.question.code: grade.display_grade for grade in grades if not grade.question.is_overall} == {
        "E2": "Requires improvement",
        "Ef1": "Outstanding",
    }
    effectiveness = Report.objects.get(force__slug="norfolk", round__slug="2018-19", pillar="Effectiveness")
    efficiency = Report.objects.get(force__slug="norfolk", round__slug="2018-19", pillar="Efficiency")
    assert [area.question.code for area in AreaForImprovement.objects.filter(report=effectiveness)] == ["E2"]
    assert [area.question.code for area in AreaForImprovement.objects.filter(report=efficiency)] == ["Ef1", "Ef1", "Ef1"]
    e2 = grades.get(question__code="E2")
    assert "efficiency" not in e2.summary.lower() and "calls it receives" not in e2.summary


def test_the_single_report_import_refuses_a_text_of_several_pages_naming_where_they_start():
    before = snapshot()
    with pytest.raises(ReportImportError, match=r"the text holds 2 pages, starting at line 1 .*; line 27 \(the Efficiency page"):
        report_import(text=TWO_PAGES, source_url=SOURCE)
    assert snapshot() == before


def test_a_problem_on_a_later_page_names_the_page_and_writes_nothing():
    text = TWO_PAGES.replace("How well does the force use its resources to meet the demand it faces?", "How well does it cope?")
    before = snapshot()
    with pytest.raises(
        ReportImportError, match=r"^line 36: page 2 \(from line 27, the Efficiency page's opening judgment\): the heading"
    ):
        report_pages_import(text=text, source_url=SOURCE)
    assert snapshot() == before


def test_a_pillar_flag_cannot_apply_to_a_text_of_several_pages():
    with pytest.raises(ReportImportError, match="--pillar Efficiency cannot apply to a text of 2 pages"):
        report_pages_import(text=TWO_PAGES, source_url=SOURCE, pillar="Efficiency")
