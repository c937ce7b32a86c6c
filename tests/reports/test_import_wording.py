"""Never a wrong grade: headings are matched to the round's questions by their wording, never by
their position, and every grade written keeps the line and the words it rests on."""

import pytest

from reports.importers.document import ReportImportError
from reports.importers.service import report_import
from reports.importers.wording import Wording, wording_match, wording_normalise
from reports.models import AreaForImprovement, Grade
from tests.reports.test_import import snapshot

pytestmark = pytest.mark.usefixtures("peel_reference")

SOURCE = "https://example.org/peel-2018"

# A 2018/19 effectiveness page that re-inspected only the investigation question: its first heading is
# question 2, and the prevention question is restated from 2017 in prose.
EFFECTIVENESS_2018 = """Norfolk PEEL 2018

Effectiveness

How effectively does the force reduce crime and keep people safe?

Last updated 02/05/2019
Good

Norfolk Constabulary keeps people safe and reduces crime well.

Questions for Effectiveness

We did not look again at how the force prevents crime this year. In 2017, we judged the force to be good at it.

How effective is the force at investigating crime and reducing re-offending?

Requires improvement

Investigations are not always supervised closely enough.

Areas for improvement

- The force should check the quality of its investigations more often.
"""

EFFICIENCY_2018 = """Norfolk PEEL 2018

Efficiency

How efficiently does the force operate and how sustainable are its services to the public?

Last updated 02/05/2019
Outstanding

Questions for Efficiency

How well does the force use its resources to meet the demand it faces?

Outstanding

The force matches its people to the calls it receives.

Areas for improvement

- The force should understand the hidden demand on its control room.
- The force should review its shift patterns.
- The force should plan its estate for the next decade.
"""


def grades_of(force: str, round_: str) -> dict[str, tuple[str, str]]:
    grades = Grade.objects.filter(force__slug=force, question__round__slug=round_).select_related("question")
    return {f"{grade.question.pillar} {grade.question.code}": (grade.display_grade, grade.evidence) for grade in grades}


def test_a_heading_is_matched_by_its_wording_not_its_position():
    Grade.objects.filter(force__slug="norfolk", question__round__slug="2018-19").delete()
    report_import(text=EFFECTIVENESS_2018, source_url=SOURCE)
    grades = grades_of("norfolk", "2018-19")
    assert grades["Effectiveness E2"][0] == "Requires improvement"
    assert "Effectiveness E1" not in grades
    assert [area.question.code for area in AreaForImprovement.objects.filter(report__force__slug="norfolk")] == ["E2"]


def test_every_grade_written_keeps_its_line_and_the_words_it_rests_on():
    Grade.objects.filter(force__slug="norfolk", question__round__slug="2018-19").delete()
    result = report_import(text=EFFECTIVENESS_2018, source_url=SOURCE, dry_run=True)
    found = {found.label: found.evidence for found in result.found}
    assert found["E2 Investigating crime"] == (
        'line 18: "Requires improvement" (the grade under '
        '"How effective is the force at investigating crime and reducing re-offending?", line 16)'
    )
    report_import(text=EFFECTIVENESS_2018, source_url=SOURCE)
    assert grades_of("norfolk", "2018-19")["Effectiveness E2"][1] == found["E2 Investigating crime"]


def test_a_pillar_flag_that_disagrees_with_the_text_is_an_error_not_an_override():
    before = snapshot()
    with pytest.raises(ReportImportError, match="--pillar Legitimacy disagrees with the text, which is the Effectiveness report"):
        report_import(text=EFFECTIVENESS_2018, source_url=SOURCE, pillar="Legitimacy")
    assert snapshot() == before


def test_a_heading_that_matches_no_question_names_itself_its_line_and_the_closest_questions():
    text = EFFECTIVENESS_2018.replace("investigating crime and reducing re-offending?", "catching criminals quickly?")
    with pytest.raises(ReportImportError) as raised:
        report_import(text=text, source_url=SOURCE)
    assert raised.value.line == 16
    assert (
        "the heading 'How effective is the force at catching criminals quickly?' matches no PEEL 2018/19" in raised.value.problem
    )
    assert "closest: E" in raised.value.problem


def test_a_numbered_heading_whose_number_disagrees_with_its_wording_is_an_error():
    from tests.reports.test_import import web_text

    text = web_text().replace(
        "\n1\n\nHow effective is the force at preventing", "\n2\n\nHow effective is the force at preventing", 1
    )
    with pytest.raises(ReportImportError):
        report_import(text=text)


def test_an_efficiency_heading_on_an_effectiveness_page_is_refused_not_taken_as_an_effectiveness_question():
    text = EFFECTIVENESS_2018 + "\nHow well does the force use its resources to meet the demand it faces?\n\nGood\n"
    before = snapshot()
    with pytest.raises(ReportImportError, match="is Efficiency question 'Ef1 Meeting current demands and using resources'"):
        report_import(text=text, source_url=SOURCE)
    assert snapshot() == before


def test_a_carried_over_judgment_never_replaces_a_grade_from_another_source():
    text = EFFICIENCY_2018.replace(
        "The force matches its people to the calls it receives.",
        "This question was not subject to detailed inspection in 2018/19. In 2017, we judged the force to be outstanding.",
    )
    result = report_import(text=text, source_url=SOURCE, dry_run=True)
    assert next(f.evidence for f in result.found if f.label.startswith("Ef1")).startswith(
        "carried over from PEEL 2017, not re-inspected: line 14"
    )
    report_import(text=text, source_url=SOURCE)
    ef1 = Grade.objects.get(force__slug="norfolk", question__round__slug="2018-19", question__code="Ef1")
    assert (ef1.display_grade, ef1.carried_over) == ("Outstanding", True)
    ef1.tier, ef1.source_type, ef1.report = 4, "HMICFRS", None
    ef1.save()
    before = snapshot()
    with pytest.raises(ReportImportError, match="Ef1 Meeting current demands and using resources: report says 'Outstanding'"):
        report_import(text=text, source_url=SOURCE, overwrite_conflicts=True)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("How effective is Norfolk Constabulary at tackling serious and organised crime?", "E4"),
        ("HOW EFFECTIVE ARE THE FORCE'S SPECIALIST CAPABILITIES", "E5"),
        ("How well does the force understand demand?", "Ef1"),
        ("How well does the force use its resources to manage current demand?", "Ef2"),
        ("How well is the force planning for demand in the future?", "Ef3"),
        ("How effective is the force at catching criminals?", None),
    ],
)
def test_a_heading_matches_a_question_whose_wording_was_never_seen_by_every_word_of_its_short_name(heading, expected):
    wordings = [
        Wording("E4", "", "Tackling serious and organised crime"),
        Wording("E5", "", "Specialist capabilities"),
        Wording("Ef1", "", "Understanding demand"),
        Wording("Ef2", "", "Use of resources to manage demand"),
        Wording("Ef3", "", "Planning for future demand"),
        Wording("E2", "How effective is the force at investigating crime and reducing re-offending?", "Investigating crime"),
    ]
    found = wording_match(heading, wordings, force_names=("Norfolk Constabulary", "norfolk"))
    assert (found.key if found else None) == expected


def test_wordings_are_compared_without_case_punctuation_curly_quotes_or_the_forces_name():
    assert wording_normalise("How effective are Kent Police’s specialist capabilities?", force_names=("Kent Police", "kent")) == (
        wording_normalise("How effective are the force's specialist capabilities")
    )
