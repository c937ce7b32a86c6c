import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.importers.document import ReportImportError
from reports.importers.layouts import report_parse
from reports.importers.service import IMPORTED, report_import
from reports.importers.text import source_text_read
from reports.models import AreaForImprovement, CauseOfConcern, DataVersion, Grade, Recommendation, Report
from reports.vocabulary import GradeStatus, Tier
from tests.reports.importers import bedfordshire_2016 as truth
from tests.reports.importers import texts

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("peel_data")


def web_text() -> str:
    return truth.WEB.read_text(encoding="utf-8")


def pdf_text() -> str:
    return truth.PDF.read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if needle in line)


def snapshot() -> dict:
    """Everything an import can write, to show that a failed import changed nothing."""
    models = (Report, Grade, CauseOfConcern, Recommendation, AreaForImprovement, DataVersion)
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}


def bedfordshire_report() -> Report:
    return Report.objects.get(force__slug="bedfordshire", round__slug="2016", pillar="Effectiveness")


def bedfordshire_grades() -> dict[str, Grade]:
    grades = Grade.objects.filter(force__slug="bedfordshire", question__round__slug="2016", question__pillar="Effectiveness")
    return {grade.question.slug: grade for grade in grades.select_related("question")}


def back_to_grade_facts_only() -> None:
    """The state before any report was imported: the report gone, the grade it added removed."""
    Report.objects.filter(force__slug="bedfordshire", round__slug="2016").delete()
    Grade.objects.filter(force__slug="bedfordshire", source_type__contains=IMPORTED).delete()
    Grade.objects.filter(force__slug="bedfordshire").update(summary="")


def expected(text: str, wording: dict[str, str]) -> str:
    for web, other in wording.items():
        text = text.replace(web, other)
    return text


def assert_ground_truth(*, wording: dict[str, str] | None = None) -> None:
    """The Bedfordshire 2016 effectiveness report as the database holds it is the ground truth."""
    wording = wording or {}
    report = bedfordshire_report()
    assert report.last_updated == truth.LAST_UPDATED
    grades = bedfordshire_grades()
    assert {slug: grade.display_grade for slug, grade in grades.items()} == truth.GRADES
    assert grades["e5"].status == GradeStatus.UNGRADED
    assert all(grade.report == report for grade in grades.values())
    causes = [
        (
            cause.question.slug,
            cause.text,
            cause.recommendations_intro,
            [r.text for r in cause.recommendations.order_by("position")],
        )
        for cause in report.causes_of_concern.order_by("position")
    ]
    assert causes == [(slug, text, intro, recommendations) for slug, text, intro, recommendations in truth.CAUSES]
    areas: dict[str, list[str]] = {}
    for area in report.areas_for_improvement.order_by("position"):
        areas.setdefault(area.question.slug, []).append(area.text)
    assert {slug: len(items) for slug, items in areas.items()} == {"e1": 2, "e2": 5, "e3": 4, "e4": 6, "e5": 1}
    assert areas == {slug: [expected(text, wording) for text in items] for slug, items in truth.AREAS_FOR_IMPROVEMENT.items()}


def test_the_shipped_data_holds_the_bedfordshire_2016_effectiveness_report_in_full():
    assert_ground_truth()
    report = bedfordshire_report()
    assert report.source_document == "bedfordshire-2016-effectiveness.txt"
    assert (
        report.source_url == "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/bedfordshire/effectiveness/"
    )
    assert report.summary.startswith("Bedfordshire Police is inadequate in respect of its effectiveness")
    assert report.summary.count("\n\n") == 15
    assert bedfordshire_grades()["e1"].summary.startswith("Bedfordshire Police is inadequate in its approach to the prevention")


def test_the_web_page_imported_over_the_grade_facts_gives_the_ground_truth_and_keeps_the_facts_sources():
    back_to_grade_facts_only()
    facts = {slug: (grade.source_url, grade.evidence) for slug, grade in bedfordshire_grades().items()}
    result = report_import(text=web_text(), source_document="bedfordshire-2016-effectiveness.txt")
    assert_ground_truth()
    grades = bedfordshire_grades()
    for slug in ("overall-effectiveness", "e1", "e2", "e3", "e4"):
        assert (grades[slug].source_url, grades[slug].evidence) == facts[slug]
    assert grades["e5"].source_type == IMPORTED
    assert grades["e5"].source_url == bedfordshire_report().source_url
    assert [(found.label[:2], found.causes, found.recommendations, found.areas_for_improvement) for found in result.found] == [
        ("Ov", 0, 0, 0),
        ("E1", 1, 2, 2),
        ("E2", 0, 0, 5),
        ("E3", 1, 1, 4),
        ("E4", 0, 0, 6),
        ("E5", 0, 0, 1),
    ]


def test_the_pdf_text_imported_over_the_grade_facts_gives_the_ground_truth_too():
    back_to_grade_facts_only()
    report_import(text=pdf_text(), source_document="bedfordshire-2016-effectiveness.pdf.txt")
    assert_ground_truth(wording=truth.PDF_WORDING)


def test_the_pdf_text_gives_the_same_structured_result_as_the_web_page():
    web = report_parse(source_text_read(web_text()))
    pdf = report_parse(source_text_read(pdf_text()))
    assert (web.layout, pdf.layout) == ("web-pillar-2014-17", "pdf-pillar-2014-17")
    assert (pdf.round_name, pdf.pillar, pdf.overall.grade) == (web.round_name, web.pillar, web.overall.grade)
    assert pdf.summary == web.summary
    web_judgments = [
        judgment.__class__(**{**judgment.__dict__, "summary": expected(judgment.summary, truth.PDF_WORDING)})
        for judgment in web.judgments
    ]
    for web_judgment, pdf_judgment in zip(web_judgments, pdf.judgments, strict=True):
        assert pdf_judgment.name == web_judgment.name
        assert pdf_judgment.grade == web_judgment.grade
        assert pdf_judgment.summary == web_judgment.summary
        assert pdf_judgment.causes == web_judgment.causes
        assert pdf_judgment.areas_for_improvement == tuple(
            expected(text, truth.PDF_WORDING) for text in web_judgment.areas_for_improvement
        )


def test_importing_the_pdf_over_the_web_page_changes_only_where_their_wording_differs():
    result = report_import(text=pdf_text(), source_document="bedfordshire-2016-effectiveness.pdf.txt", dry_run=True)
    assert [str(change) for change in result.changes] == [
        "report: source_document updated",
        "grade E5 Specialist capabilities: summary updated",
        "area for improvement 17 (E4 Tackling serious and organised crime): text updated",
    ]


def test_reimporting_the_same_report_changes_nothing():
    before = snapshot()
    result = report_import(text=web_text(), source_document="bedfordshire-2016-effectiveness.txt")
    assert result.changes == []
    assert snapshot() == before


def test_a_corrected_report_updates_in_place():
    report = bedfordshire_report()
    pks = list(report.areas_for_improvement.order_by("position").values_list("pk", flat=True))
    corrected = web_text().replace(
        "The force should ensure that it responds with appropriate promptness to reports of crime.",
        "The force should ensure that it responds promptly to reports of crime.",
    )
    result = report_import(text=corrected, source_document="bedfordshire-2016-effectiveness.txt")
    assert [str(change) for change in result.changes] == [
        "area for improvement 4 (E2 Investigating crime and reducing re-offending): text updated"
    ]
    assert list(report.areas_for_improvement.order_by("position").values_list("pk", flat=True)) == pks
    assert (
        AreaForImprovement.objects.get(pk=pks[3]).text == "The force should ensure that it responds promptly to reports of crime."
    )


def test_an_area_for_improvement_dropped_from_a_corrected_report_is_deleted():
    dropped = "  • The force should improve its ability to retrieve digital evidence from mobile phones"
    corrected = "\n".join(line for line in web_text().split("\n") if not line.startswith(dropped))
    result = report_import(text=corrected, source_document="bedfordshire-2016-effectiveness.txt")
    assert bedfordshire_report().areas_for_improvement.count() == 17
    assert "area for improvement 18: deleted (no longer in the report)" in [str(change) for change in result.changes]


def test_a_dry_run_lists_the_changes_and_writes_nothing():
    back_to_grade_facts_only()
    before = snapshot()
    result = report_import(text=web_text(), source_document="bedfordshire-2016-effectiveness.txt", dry_run=True)
    assert result.dry_run and len(result.changes) == 30
    assert snapshot() == before


def test_a_grade_that_disagrees_with_the_grade_facts_is_refused_and_nothing_is_written():
    text = web_text().replace("re-offending?\n\nRequires improvement", "re-offending?\n\nGood")
    before = snapshot()
    with pytest.raises(ReportImportError) as raised:
        report_import(text=text, source_document="corrected.txt")
    message = str(raised.value)
    assert "E2 Investigating crime and reducing re-offending: report says 'Good' (line " in message
    assert "grade facts say 'Requires improvement'" in message
    assert "--overwrite-conflicts" in message
    assert snapshot() == before


def test_a_conflicting_grade_is_taken_from_the_report_when_asked():
    text = web_text().replace("re-offending?\n\nRequires improvement", "re-offending?\n\nGood")
    result = report_import(text=text, source_document="corrected.txt", overwrite_conflicts=True)
    grade = bedfordshire_grades()["e2"]
    assert (grade.tier, grade.source_type, grade.source_url) == (Tier.GOOD, IMPORTED, bedfordshire_report().source_url)
    assert "grade E2 Investigating crime and reducing re-offending: Requires improvement → Good (from the report)" in [
        str(change) for change in result.changes
    ]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("Bedfordshire PEEL 2016", "Gotham Police PEEL 2016", "line 13: unknown force 'Gotham Police'"),
        ("Bedfordshire PEEL 2016", "Bedfordshire PEEL 2012", "unknown PEEL round '2012'"),
        (
            "re-offending?\n\nRequires improvement",
            "re-offending?\n\nAdequate",
            f"line {line_of(web_text(), 'reducing re-offending?') + 2}: "
            "grade 'Adequate' is not on the PEEL 2016 scale (Outstanding, Good, Requires improvement, Inadequate)",
        ),
        (
            "Last updated 02/03/2017",
            "Last updated 02/03/2027",
            "the report's last updated: 02/03/2027 is outside PEEL 2016 (01/01/2016 to 31/12/2017).",
        ),
    ],
)
def test_input_that_cannot_be_imported_is_an_error_naming_the_problem_and_nothing_is_written(old, new, problem):
    before = snapshot()
    with pytest.raises(ReportImportError) as raised:
        report_import(text=web_text().replace(old, new), source_document="bad.txt")
    assert problem in str(raised.value)
    assert snapshot() == before


def test_text_cut_short_before_any_grade_is_an_error():
    text = "\n".join(web_text().split("\n")[:19])
    with pytest.raises(ReportImportError, match=r"^no grade anywhere in the text \(it ends at line 19\): it is cut short"):
        report_import(text=text)


def test_text_cut_short_after_two_questions_imports_what_it_states_with_a_warning_naming_what_it_lacks():
    text = web_text()
    text = text[: text.index("\n3\n\nHow effective is the force at protecting")]
    result = report_import(text=text, dry_run=True)
    assert [found.label for found in result.found] == [
        "Overall effectiveness",
        "E1 Preventing crime, tackling ASB and keeping people safe",
        "E2 Investigating crime and reducing re-offending",
    ]
    warning = next(warning for warning in result.warnings if "the text states 2 of the 5 questions" in warning)
    assert "E3 Protecting vulnerable people and supporting victims" in warning
    assert "E5 Specialist capabilities" in warning


def test_a_text_that_is_not_a_report_is_an_error():
    news = "Police offender management\n\nMonday, 09 May, 2022\n\nBedfordshire Police have been rated as 'Outstanding'.\n"
    with pytest.raises(ReportImportError, match=r"^not an HMICFRS PEEL report: no '<Force> PEEL <year>' title found"):
        report_import(text=news)


def test_a_pillar_page_cannot_be_imported_into_a_round_without_pillars():
    with pytest.raises(ReportImportError, match="laid out as a pillar report, but PEEL 2021/22 reports have no pillars"):
        report_import(text=web_text(), round="2021-22")


def test_the_flags_supply_what_the_text_does_not_say():
    raw_pdf = source_text_read(pdf_text())
    text = "\n".join(raw_pdf.lines).replace("findings for Bedfordshire Police", "findings for the force")
    text = text.replace("peel-assessments/peel2016/bedfordshire/", "peel-assessments/")
    with pytest.raises(ReportImportError, match="the text does not name the force: give it with --force SLUG"):
        report_import(text=text, source_document="pdf.txt")
    with pytest.raises(ReportImportError, match="the text does not say which PEEL round it is: give it with --round SLUG"):
        report_import(text=text, force="bedfordshire", source_document="pdf.txt")
    result = report_import(text=text, force="bedfordshire", round="2016", source_document="pdf.txt", dry_run=True)
    assert (result.force.slug, result.round.slug, result.pillar) == ("bedfordshire", "2016", "Effectiveness")


def test_a_flag_naming_another_force_than_the_text_wins_with_a_warning():
    result = report_import(text=web_text(), force="kent", dry_run=True, overwrite_conflicts=True)
    assert result.force.slug == "kent"
    assert result.warnings == ["the text names 'Bedfordshire' (line 13); imported as Kent Police as asked"]


def test_a_2018_19_pillar_page_marks_carried_over_judgments():
    result = report_import(text=texts.WEB_2018_19, source_url="https://example.org/suffolk-2018-legitimacy")
    assert (result.round.slug, result.pillar) == ("2018-19", "Legitimacy")
    grades = {
        grade.question.code: grade
        for grade in Grade.objects.filter(force__slug="suffolk", question__round__slug="2018-19", question__pillar="Legitimacy")
    }
    assert {code: (grade.display_grade, grade.carried_over) for code, grade in grades.items()} == {
        "OVERALL": ("Good", False),
        "L1": ("Good", True),
        "L2": ("Good", False),
        "L3": ("Good", True),
    }
    assert grades["L2"].source_type == IMPORTED
    report = Report.objects.get(force__slug="suffolk", round__slug="2018-19", pillar="Legitimacy")
    assert [area.question.code for area in report.areas_for_improvement.all()] == ["L2", "L2"]


def test_a_2021_22_report_imports_its_graded_areas_with_their_findings():
    result = report_import(text=texts.WEB_2021_22, source_url="https://example.org/suffolk-2021-22")
    assert (result.round.slug, result.pillar) == ("2021-22", "")
    report = Report.objects.get(force__slug="suffolk", round__slug="2021-22")
    assert str(report.published) == "2022-07-14"
    grades = {g.question.short_name: g.display_grade for g in Grade.objects.filter(report=report).select_related("question")}
    assert grades == {
        "Providing a service to victims of crime": "Ungraded",
        "Responding to the public": "Requires improvement",
        "Preventing crime and anti-social behaviour": "Good",
        "Investigating crime": "Good",
        "Protecting vulnerable people": "Adequate",
    }
    cause = report.causes_of_concern.get()
    assert (cause.question.short_name, cause.recommendations.count()) == ("Responding to the public", 2)
    assert [(area.question.short_name, area.text[:30]) for area in report.areas_for_improvement.order_by("position")] == [
        ("Providing a service to victims of crime", "The force should make sure it "),
        ("Responding to the public", "The force should make sure it "),
        ("Responding to the public", "The force should review how it"),
        ("Investigating crime", "The force should make sure inv"),
    ]


def test_a_2023_25_report_that_agrees_with_the_grade_facts_is_attached_to_them():
    result = report_import(text=texts.WEB_2023_25, source_url="https://example.org/cumbria-2023-25")
    assert [change.label for change in result.changes if change.kind == "grade"] == [
        "grade Responding to the public",
        "grade Building, supporting and protecting the workforce",
        "grade Investigating crime",
    ]
    grade = Grade.objects.get(force__slug="cumbria", question__round__slug="2023-25", question__short_name="Investigating crime")
    assert grade.report.round.slug == "2023-25"
    assert grade.source_url.startswith("https://www.itv.com/")


def test_a_2023_25_area_graded_otherwise_than_the_grade_facts_is_a_conflict():
    with pytest.raises(ReportImportError, match="Investigating crime: report says 'Adequate' .* grade facts say 'Good'"):
        report_import(text=texts.WEB_2023_25.replace("Investigating crime: Good", "Investigating crime: Adequate"))


def test_an_area_the_round_does_not_have_is_an_error_naming_its_line():
    text = texts.WEB_2023_25.replace("Investigating crime: Good", "Catching spies: Good")
    with pytest.raises(ReportImportError, match="line 12: no area 'Catching spies' in PEEL 2023–25"):
        report_import(text=text, source_url="https://example.org/r")


def test_the_command_prints_what_it_found_and_that_nothing_changed():
    out = StringIO()
    call_command("import_report", str(truth.WEB), stdout=out)
    printed = out.getvalue()
    assert "Bedfordshire Police · PEEL 2016 · Effectiveness (web-pillar-2014-17, last updated 02/03/2017)" in printed
    assert "E1 Preventing crime, tackling ASB and keeping people safe" in printed
    assert "Inadequate            causes of concern 1 (recommendations 2), areas for improvement 2" in printed
    assert "No changes: the database already holds this report as it is." in printed


def test_the_command_counts_the_changes_of_a_dry_run(tmp_path):
    back_to_grade_facts_only()
    out = StringIO()
    call_command("import_report", str(truth.WEB), dry_run=True, stdout=out)
    printed = out.getvalue()
    assert "Would change (dry run, nothing written):" in printed
    assert "grade E5 Specialist capabilities: created (Ungraded)" in printed
    assert "18 × area for improvement: created" in printed
    assert not Report.objects.filter(force__slug="bedfordshire", round__slug="2016").exists()


def test_the_command_names_the_file_line_and_problem(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(web_text().replace("Bedfordshire PEEL 2016", "Gotham Police PEEL 2016"), encoding="utf-8")
    with pytest.raises(CommandError, match="^bad.txt line 13: unknown force 'Gotham Police'$"):
        call_command("import_report", str(bad), stdout=StringIO())


def test_the_command_rejects_a_file_that_is_not_utf8(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Bedfordshire PEEL 2016\nforce\xe2s".encode("latin-1"))
    with pytest.raises(CommandError, match=r"^latin1.txt: not UTF-8 text \(byte \d+\)$"):
        call_command("import_report", str(bad), stdout=StringIO())


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    news = tmp_path / "news.txt"
    news.write_text("Police offender management\n\nBedfordshire Police have been rated as 'Outstanding'.\n", encoding="utf-8")
    for path in (news, tmp_path / "missing.txt"):
        run = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "import_report", str(path)],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "PEEL_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
            cwd=ROOT,
        )
        assert run.returncode == 1
        assert "Traceback" not in run.stderr
        assert run.stderr.startswith("CommandError: ")
