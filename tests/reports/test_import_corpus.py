"""The corpus: texts in every layout HMICFRS published (our own wording, real structure), each with
the grades it states and what the import must write or refuse. Prints precision (grades written that
are right) and recall (grades stated that were written) per layout; precision must be 100% everywhere.

    PEEL_ENV=development .venv/bin/python -m pytest tests/reports/test_import_corpus.py -s -q
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import transaction

from reports.importers.document import ReportImportError
from reports.importers.service import report_pages_import
from reports.models import Grade
from tests.reports.importers import bedfordshire_2016 as truth
from tests.reports.importers import texts
from tests.reports.test_import_pages import TWO_PAGES
from tests.reports.test_import_wording import EFFECTIVENESS_2018

pytestmark = pytest.mark.usefixtures("peel_reference")

CORPUS = Path(__file__).resolve().parent / "importers" / "corpus"
E16 = {
    "Overall effectiveness": "Inadequate",
    "E1 Preventing crime, tackling ASB and keeping people safe": "Inadequate",
    "E2 Investigating crime and reducing re-offending": "Requires improvement",
    "E3 Protecting vulnerable people and supporting victims": "Inadequate",
    "E4 Tackling serious and organised crime": "Requires improvement",
    "E5 Specialist capabilities": "Ungraded",
}


@dataclass(frozen=True)
class Case:
    """One text of the corpus: the layout it is in, the grades it states, and the refusal expected (if any)."""

    name: str
    layout: str
    text: str
    clear: tuple[str, str] = ("", "")  # force slug and round slug whose grade facts are set aside first
    stated: dict[str, str] = field(default_factory=dict)
    refused: str = ""
    warned: str = ""


def corpus(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


CASES = [
    Case(
        "overview 2016, one sentence per pillar",
        "overview 2015–2018/19",
        corpus("overview-2016-norfolk.txt"),
        ("norfolk", "2016"),
        {"Overall effectiveness": "Good", "Overall efficiency": "Outstanding", "Overall legitimacy": "Good"},
    ),
    Case(
        "overview 2018/19, title run into the text, pillars out of order",
        "overview 2015–2018/19",
        corpus("overview-2018-kent.txt"),
        ("kent", "2018-19"),
        {"Overall effectiveness": "Good", "Overall efficiency": "Good", "Overall legitimacy": "Outstanding"},
    ),
    Case(
        "interim overview, one pillar not yet graded",
        "overview 2015–2018/19",
        corpus("overview-2016-interim-suffolk.txt"),
        ("suffolk", "2016"),
        {"Overall efficiency": "Good", "Overall legitimacy": "Good"},
    ),
    Case(
        "overview repeating a pillar's wording",
        "overview 2015–2018/19",
        corpus("overview-2017-repeated-wording-essex.txt"),
        ("essex", "2017"),
        {"Overall effectiveness": "Good", "Overall efficiency": "Good"},
        refused="the effectiveness sentence appears twice",
    ),
    Case("2016 pillar page (web)", "pillar page 2014–2017", truth.WEB.read_text(encoding="utf-8"), ("bedfordshire", "2016"), E16),
    Case(
        "2017 legitimacy page, questions known by short name only",
        "pillar page 2014–2017",
        corpus("pillar-2017-legitimacy-numbered-durham.txt"),
        ("durham", "2017"),
        {
            "Overall legitimacy": "Outstanding",
            "L1 Treating the people it serves with fairness and respect": "Outstanding",
            "L2 Workforce behaves ethically and lawfully": "Good",
            "L3 Treating its workforce with fairness and respect": "Outstanding",
        },
    ),
    Case(
        "2016 pillar report (PDF text)",
        "PDF pillar report 2014–2017",
        truth.PDF.read_text(encoding="utf-8"),
        ("bedfordshire", "2016"),
        E16,
    ),
    Case(
        "2016 pillar page, grades in summary sentences",
        "summary sentences 2016–2017",
        corpus("pillar-2016-summary-sentences-cumbria.txt"),
        ("cumbria", "2016"),
        {
            "Overall effectiveness": "Good",
            "E1 Preventing crime, tackling ASB and keeping people safe": "Good",
            "E2 Investigating crime and reducing re-offending": "Requires improvement",
            "E3 Protecting vulnerable people and supporting victims": "Good",
            "E4 Tackling serious and organised crime": "Good",
        },
    ),
    Case(
        "2016 summary sentences with traps (two grade words, two questions, no question, last year, not yet)",
        "summary sentences 2016–2017",
        corpus("pillar-2016-summary-traps-staffordshire.txt"),
        ("staffordshire", "2016"),
        {
            "Overall effectiveness": "Requires improvement",
            "E2 Investigating crime and reducing re-offending": "Good",
            # A reader would take this one, but its sentence also says part of the work requires improvement.
            "E4 Tackling serious and organised crime": "Good",
        },
        warned="no grade taken from that sentence",
    ),
    Case(
        "2017 efficiency summary stating all three question grades",
        "summary sentences 2016–2017",
        corpus("pillar-2017-efficiency-summary-lincolnshire.txt"),
        ("lincolnshire", "2017"),
        {
            # 'good at operating efficiently' names no question's wording: not taken.
            "Overall efficiency": "Good",
            "Ef1 Understanding demand": "Good",
            "Ef2 Use of resources to manage demand": "Good",
            "Ef3 Planning for future demand": "Requires improvement",
        },
    ),
    Case(
        "2017 efficiency summary, grades in quotes and in one sentence, a last-year grade",
        "summary sentences 2016–2017",
        corpus("pillar-2017-efficiency-three-grades-warwickshire.txt"),
        ("warwickshire", "2017"),
        {
            "Overall efficiency": "Good",
            "Ef1 Understanding demand": "Outstanding",
            "Ef2 Use of resources to manage demand": "Good",
            "Ef3 Planning for future demand": "Requires improvement",
        },
    ),
    Case(
        "2017 effectiveness summary, one question restated from 2016",
        "summary sentences 2016–2017",
        corpus("pillar-2017-effectiveness-summary-avon.txt"),
        ("avon-and-somerset", "2017"),
        {
            "Overall effectiveness": "Good",
            "E1 Preventing crime, tackling ASB and keeping people safe": "Good",
            "E3 Protecting vulnerable people and supporting victims": "Good",
            "E4 Tackling serious and organised crime": "Requires improvement",
        },
        warned="not in the text, so not imported: E2 Investigating crime",
    ),
    Case(
        "2018/19 page re-inspecting only its second question",
        "pillar page 2018/19",
        EFFECTIVENESS_2018,
        ("norfolk", "2018-19"),
        {"Overall effectiveness": "Good", "E2 Investigating crime": "Requires improvement"},
        warned="not in the text, so not imported: E1 Preventing crime",
    ),
    Case(
        "2018/19 legitimacy page with carried-over judgments",
        "pillar page 2018/19",
        texts.WEB_2018_19,
        ("suffolk", "2018-19"),
        {
            "Overall legitimacy": "Good",
            "L1 Treating the public fairly": "Good",
            "L2 Ethical and lawful workforce behaviour": "Good",
            "L3 Treating the workforce fairly": "Good",
        },
    ),
    Case(
        "2018/19 effectiveness page then efficiency page",
        "pillar page 2018/19",
        TWO_PAGES,
        ("norfolk", "2018-19"),
        {
            "Overall effectiveness": "Good",
            "E2 Investigating crime": "Requires improvement",
            "Overall efficiency": "Outstanding",
            "Ef1 Meeting current demands and using resources": "Outstanding",
        },
    ),
    Case(
        "2014 efficiency HMI summary",
        "HMI summary 2014",
        corpus("hmi-summary-2014-efficiency-wiltshire.txt"),
        ("wiltshire", "2014"),
        {
            "Overall efficiency": "Good",
            "Ef2-2014 Secure financial position": "Good",
            "Ef3-2014 Affordable way of providing policing": "Requires improvement",
        },
    ),
    Case(
        "2014 effectiveness HMI summary, three sub-areas in one sentence",
        "HMI summary 2014",
        corpus("hmi-summary-2014-effectiveness-gwent.txt"),
        ("gwent", "2014"),
        {
            "Reducing crime and preventing offending": "Good",
            "Investigating offending": "Requires improvement",
            "Tackling anti-social behaviour": "Good",
        },
        warned="which PEEL 2014 Effectiveness does not grade",
    ),
    Case(
        "2014 legitimacy HMI summary (no grade: 'fairness and legitimacy in some of the practices')",
        "HMI summary 2014",
        corpus("hmi-summary-2014-legitimacy-gwent.txt"),
        ("gwent", "2014"),
        refused="no grade anywhere in the text",
    ),
    Case(
        "2014 efficiency HMI summary that does not name its pillar",
        "HMI summary 2014",
        corpus("hmi-summary-2014-efficiency-dorset.txt"),
        ("dorset", "2014"),
        {"Overall efficiency": "Good", "Ef2-2014 Secure financial position": "Good"},
        refused="does not say which PEEL 2014 pillar",
    ),
    Case(
        "2014 legitimacy HMI summary (no grade, no pillar named)",
        "HMI summary 2014",
        corpus("hmi-summary-2014-legitimacy-dorset.txt"),
        ("dorset", "2014"),
        refused="no grade anywhere in the text",
    ),
    Case("2021/22 report with its grades list", "report 2021/22 and 2023–25", texts.WEB_2021_22, ("suffolk", "2021-22"), {}),
    Case(
        "2021/22 report page whose table is a graphic",
        "report 2021/22 and 2023–25",
        corpus("report-2021-no-table-cheshire.txt"),
        ("cheshire", "2021-22"),
        warned="announces 9 graded judgments but holds none of them",
    ),
    Case(
        "2023–25 report with the table as text",
        "report 2021/22 and 2023–25",
        corpus("report-2023-table-west-mercia.txt"),
        ("west-mercia", "2023-25"),
        {
            "Investigating crime": "Requires improvement",
            "Responding to the public": "Adequate",
            "Protecting vulnerable people": "Good",
        },
    ),
    Case("press release", "not a report", corpus("press-release-2017.txt"), refused="not an HMICFRS PEEL report"),
    Case("PCC statement", "not a report", corpus("pcc-statement-2022.txt"), refused="not an HMICFRS PEEL report"),
    Case("council minutes", "not a report", corpus("council-minutes-2019.txt"), refused="not an HMICFRS PEEL report"),
]


def wording_2021_stated() -> dict[str, str]:
    """The grades texts.WEB_2021_22 states, read from its own list (it is the shared test text)."""
    return {
        "Preventing crime and anti-social behaviour": "Good",
        "Investigating crime": "Good",
        "Protecting vulnerable people": "Adequate",
        "Responding to the public": "Requires improvement",
        # The text says no graded judgment is made in this area.
        "Providing a service to victims of crime": "Ungraded",
    }


def case_run(case: Case) -> tuple[dict[str, str], str, list[str]]:
    """(grades the import would write, the refusal if any, warnings), in a transaction rolled back."""
    with transaction.atomic():
        if case.clear[0]:
            Grade.objects.filter(force__slug=case.clear[0], question__round__slug=case.clear[1]).delete()
        try:
            results = report_pages_import(text=case.text, source_url="https://example.org/corpus", dry_run=True)
        except ReportImportError as error:
            transaction.set_rollback(True)
            return {}, str(error), []
        transaction.set_rollback(True)
    written = {found.label: found.grade for result in results for found in result.found if found.grade != "no grade stated"}
    return written, "", [warning for result in results for warning in result.warnings]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_corpus_text_writes_only_the_grades_it_states_or_is_refused_as_expected(case):
    written, refused, warnings = case_run(case)
    stated = case.stated or (wording_2021_stated() if case.text is texts.WEB_2021_22 else {})
    wrong = {label: grade for label, grade in written.items() if stated.get(label) != grade}
    assert wrong == {}, f"grades written that the text does not state: {wrong}"
    if case.refused:
        assert case.refused in refused
    else:
        assert refused == ""
    if case.warned:
        assert any(case.warned in warning for warning in warnings), warnings


def test_the_corpus_precision_is_100_percent_and_recall_is_printed_per_layout(capsys):
    by_layout: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # texts, written, right, stated
    for case in CASES:
        written, _, _ = case_run(case)
        stated = case.stated or (wording_2021_stated() if case.text is texts.WEB_2021_22 else {})
        counts = by_layout[case.layout]
        counts[0] += 1
        counts[1] += len(written)
        counts[2] += sum(1 for label, grade in written.items() if stated.get(label) == grade)
        counts[3] += len(stated)
    lines = [f"{'layout':<30} {'texts':>5} {'written':>7} {'right':>5} {'stated':>6} {'precision':>9} {'recall':>6}"]
    for layout, (count, written, right, stated) in by_layout.items():
        precision = f"{right / written:.0%}" if written else "–"
        recall = f"{right / stated:.0%}" if stated else "–"
        lines.append(f"{layout:<30} {count:>5} {written:>7} {right:>5} {stated:>6} {precision:>9} {recall:>6}")
        assert right == written, f"{layout}: {written - right} wrong grade(s)"
    with capsys.disabled():
        print("\n" + "\n".join(lines))
