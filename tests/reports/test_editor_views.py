"""The editor pages: who reaches them, the grade sheet saved all or nothing with optimistic locking,
and the CSV upload's preview and confirmation."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reports.models import Grade, GradeAmendment, Question, Report
from reports.vocabulary import Pillar, Tier
from tests.conftest import role_user
from tests.factories import ForceFactory, GradeFactory, QuestionFactory, RoundFactory, pillar_questions

SOURCE = "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/cumbria/"
SHEET = "/editor/grade-sheet/2016/cumbria/"
EDITOR_URLS = ["/editor/", "/editor/grade-sheet/", SHEET, "/editor/upload/", "/editor/import/"]


@pytest.fixture
def cumbria_2016(db):
    """Cumbria's PEEL 2016 sheet: the effectiveness and efficiency questions as HMICFRS asked them, Cumbria graded
    Good on effectiveness overall and on nothing else."""
    questions = pillar_questions("2016", Pillar.EFFECTIVENESS) | pillar_questions("2016", Pillar.EFFICIENCY)
    cumbria = ForceFactory(name="Cumbria Constabulary", slug="cumbria")
    GradeFactory(force=cumbria, question=questions["overall-effectiveness"], tier=Tier.GOOD, source_url=SOURCE)


@pytest.fixture
def northamptonshire_2023_25(db):
    """Northamptonshire and a graded area of PEEL 2023–25 (five tiers)."""
    ForceFactory(name="Northamptonshire Police", slug="northamptonshire")
    QuestionFactory(round=RoundFactory(slug="2023-25"))


def grade_of(force_slug: str, round_slug: str, slug: str) -> Grade | None:
    return Grade.objects.filter(force__slug=force_slug, question__round__slug=round_slug, question__slug=slug).first()


@pytest.mark.parametrize("url", EDITOR_URLS)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={url}"


@pytest.mark.parametrize("url", EDITOR_URLS)
@pytest.mark.parametrize("kind", ["public reader with an account", "staff without a role"])
def test_a_logged_in_user_without_a_role_is_refused(client, cumbria_2016, url, kind):
    client.force_login(role_user("someone", None, is_staff=kind == "staff without a role"))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize("url", EDITOR_URLS)
def test_editors_and_administrators_reach_the_editor_pages(client, editor, administrator, cumbria_2016, url):
    for user in (editor, administrator):
        client.force_login(user)
        assert client.get(url, follow=True).status_code == 200


def test_an_inactive_editor_is_refused(client, editor, cumbria_2016):
    editor.is_active = False
    editor.save()
    client.force_login(editor)
    assert client.get(SHEET).status_code in {302, 403}


def test_the_sheet_picker_opens_the_chosen_sheet(client, editor, cumbria_2016, northamptonshire_2023_25):
    client.force_login(editor)
    response = client.get("/editor/grade-sheet/", {"round": "2023-25", "force": "northamptonshire"})
    assert response["Location"] == "/editor/grade-sheet/2023-25/northamptonshire/"


def test_an_unknown_round_or_force_is_a_404(client, editor, cumbria_2016):
    client.force_login(editor)
    assert client.get(SHEET).status_code == 200
    assert client.get("/editor/grade-sheet/2012/cumbria/").status_code == 404
    assert client.get("/editor/grade-sheet/2016/gotham/").status_code == 404


# --- the grade sheet ------------------------------------------------------------------------------


def sheet_data(client, url: str = SHEET) -> dict[str, str]:
    """The sheet's form as a browser would submit it unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["rows"]
    data = {"sheet-source_url": "", "sheet-source_type": "HMICFRS"}
    for row in form:
        for name, field in row.fields.items():
            value = row.initial.get(name, field.initial)
            if name == "carried_over":
                if value:
                    data[row.add_prefix(name)] = "on"
            else:
                data[row.add_prefix(name)] = "" if value is None else str(value)
    return data


def prefix(question_slug: str, round_slug: str = "2016") -> str:
    return f"q{Question.objects.get(round__slug=round_slug, slug=question_slug).pk}"


def test_the_sheet_has_one_row_per_question_offering_only_the_rounds_tiers(
    client, editor, cumbria_2016, northamptonshire_2023_25
):
    client.force_login(editor)
    response = client.get(SHEET)
    rows = response.context["rows"]
    assert [row.question.slug for row in rows] == [
        *("e1", "e2", "e3", "e4", "e5", "overall-effectiveness"),
        *("ef1", "ef2", "ef3", "overall-efficiency"),
    ]
    labels = [label for _, label in rows[0].fields["grade"].choices]
    assert labels == [
        "Not known",
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Ungraded",
        "Not graded this time",
        "Not inspected",
    ]
    five_tier = client.get("/editor/grade-sheet/2023-25/northamptonshire/").context["rows"][0]
    assert "Adequate" in [label for _, label in five_tier.fields["grade"].choices]


def test_the_sheet_is_prefilled_with_what_is_known(client, editor, cumbria_2016):
    client.force_login(editor)
    data = sheet_data(client)
    known = grade_of("cumbria", "2016", "overall-effectiveness")
    assert data[f"{prefix('overall-effectiveness')}-grade"] == str(Tier.GOOD)
    assert data[f"{prefix('overall-effectiveness')}-source_url"] == known.source_url
    assert data[f"{prefix('overall-effectiveness')}-version"] == str(known.version)
    assert data[f"{prefix('e5')}-grade"] == ""


def test_the_sheet_saves_every_row_in_one_step_recording_who_saved(client, editor, cumbria_2016):
    client.force_login(editor)
    data = sheet_data(client)
    data["sheet-source_url"] = SOURCE
    data[f"{prefix('ef1')}-grade"] = str(Tier.GOOD)
    data[f"{prefix('ef2')}-grade"] = str(Tier.REQUIRES_IMPROVEMENT)
    data[f"{prefix('overall-effectiveness')}-grade"] = str(Tier.REQUIRES_IMPROVEMENT)
    response = client.post(SHEET, data)
    assert response.status_code == 302, response.context and [row.errors for row in response.context["rows"] if row.errors]
    assert grade_of("cumbria", "2016", "ef1").tier == Tier.GOOD
    assert grade_of("cumbria", "2016", "ef2").source_url == SOURCE
    changed = grade_of("cumbria", "2016", "overall-effectiveness")
    record = changed.history.first()
    assert (record.history_user, record.history_change_reason) == (editor, "grade sheet 2016 cumbria")
    assert record.prev_record.tier == Tier.GOOD and record.tier == Tier.REQUIRES_IMPROVEMENT
    message = [str(m) for m in client.get(response["Location"]).context["messages"]][0]
    # The sheet's ten questions: the three saved, and seven left as they were (not known).
    assert message == "Saved the PEEL 2016 grades of Cumbria Constabulary: 2 new, 1 changed, 0 removed, 7 unchanged."


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"grade": str(Tier.ADEQUATE)}, "Choose one of the grades listed."),
        ({"grade": str(Tier.GOOD), "source_url": "", "source_type": ""}, "A grade needs the address of its source"),
        ({"grade": str(Tier.GOOD), "source_url": "not an address"}, "Enter a valid URL."),
        (
            {"grade": str(Tier.REQUIRES_IMPROVEMENT), "amended_on": "2019-03-01", "amendment_reason": "Wrong data"},
            "01/03/2019 is outside PEEL 2016 (01/01/2016 to 31/12/2017).",
        ),
        ({"grade": str(Tier.GOOD), "amended_on": "2017-03-01"}, "needs both the date HMICFRS changed the grade and the reason"),
    ],
)
def test_one_invalid_row_saves_nothing_and_says_why_on_its_row(client, editor, cumbria_2016, change, problem):
    client.force_login(editor)
    data = sheet_data(client)
    data[f"{prefix('ef1')}-grade"] = str(Tier.GOOD)
    data[f"{prefix('ef1')}-source_url"] = SOURCE
    for name, value in change.items():
        data[f"{prefix('overall-effectiveness')}-{name}"] = value
    before = list(Grade.objects.filter(force__slug="cumbria").values_list("pk", "version"))
    response = client.post(SHEET, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert problem in html.replace("&#x27;", "'")
    assert "1 row needs correcting (marked below); nothing was saved." in html
    assert list(Grade.objects.filter(force__slug="cumbria").values_list("pk", "version")) == before
    assert grade_of("cumbria", "2016", "ef1") is None


def test_a_second_editor_saving_the_same_sheet_is_refused_with_a_message(client, editor, administrator, cumbria_2016):
    client.force_login(editor)
    first_look = sheet_data(client)
    other = Client()
    other.force_login(administrator)
    theirs = sheet_data(other)
    theirs[f"{prefix('overall-effectiveness')}-evidence"] = "Re-read the report: good."
    assert other.post(SHEET, theirs).status_code == 302

    first_look[f"{prefix('overall-effectiveness')}-grade"] = str(Tier.OUTSTANDING)
    response = client.post(SHEET, first_look)
    assert response.status_code == 409
    assert "after you opened it, so nothing was saved" in response.content.decode()
    kept = grade_of("cumbria", "2016", "overall-effectiveness")
    assert (kept.tier, kept.evidence) == (Tier.GOOD, "Re-read the report: good.")


def test_an_amendment_entered_on_the_sheet_appears_on_the_force_page(client, editor, cumbria_2016):
    client.force_login(editor)
    data = sheet_data(client)
    row = prefix("overall-effectiveness")
    data[f"{row}-grade"] = str(Tier.REQUIRES_IMPROVEMENT)
    data[f"{row}-amended_on"] = "2017-06-30"
    data[f"{row}-amendment_reason"] = "HMICFRS corrected a calculation error."
    assert client.post(SHEET, data).status_code == 302
    amendment = GradeAmendment.objects.get(grade__force__slug="cumbria")
    assert (amendment.previous_display, amendment.new_display) == ("Good", "Requires improvement")
    assert amendment.history.first().history_user == editor


def test_an_editor_cannot_remove_a_known_grade_but_an_administrator_can(client, editor, administrator, cumbria_2016):
    def remove_as(user):
        client.force_login(user)
        data = sheet_data(client)
        data[f"{prefix('overall-effectiveness')}-grade"] = ""
        return client.post(SHEET, data)

    refused = remove_as(editor)
    assert refused.status_code == 400
    assert "Only an administrator can remove a grade" in refused.content.decode()
    assert grade_of("cumbria", "2016", "overall-effectiveness") is not None
    asked = remove_as(administrator)
    assert asked.status_code == 200 and "Saving would remove 1 grade we hold" in asked.content.decode()
    assert grade_of("cumbria", "2016", "overall-effectiveness") is not None  # nothing removed without confirmation
    data = sheet_data(client)
    data[f"{prefix('overall-effectiveness')}-grade"] = ""
    data["confirm_remove"] = "yes"
    assert client.post(SHEET, data).status_code == 302
    assert grade_of("cumbria", "2016", "overall-effectiveness") is None
    removed = Grade.history.filter(force__slug="cumbria", question__slug="overall-effectiveness", history_type="-")
    assert removed.exists()  # kept in the grade's history


def test_a_field_error_sits_next_to_its_field_in_plain_words_and_marks_it(client, editor, cumbria_2016):
    client.force_login(editor)
    data = sheet_data(client)
    row = prefix("overall-effectiveness")
    data[f"{row}-grade"] = str(Tier.GOOD)
    data[f"{row}-source_url"] = ""
    data[f"{row}-source_type"] = ""
    html = client.post(SHEET, data).content.decode()
    assert f'id="{row}-source_url-error"' in html
    assert "source url:" not in html
    field = re.search(rf'<input[^>]*name="{row}-source_url"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and f'aria-describedby="{row}-source_url-error"' in field


def test_a_question_hmicfrs_did_not_grade_accepts_no_tier(client, editor, cumbria_2016):
    client.force_login(editor)
    html = client.get(SHEET).content.decode()
    ungraded = re.search(rf'<select[^>]*name="{prefix("e5")}-grade".*?</select>', html, re.S).group(0)
    assert "Good" not in ungraded and "Not known" in ungraded and "Ungraded" in ungraded
    data = sheet_data(client)
    data[f"{prefix('e5')}-grade"] = str(Tier.GOOD)
    response = client.post(SHEET, data)
    assert response.status_code == 400
    assert "HMICFRS did not grade" in response.content.decode()


def test_a_save_shows_at_once_on_the_public_force_page(client, editor, cumbria_2016):
    page = client.get("/forces/cumbria/").content.decode()
    assert page  # rendered (and cached, if the page caches) before the change
    client.force_login(editor)
    data = sheet_data(client)
    data[f"{prefix('ef3')}-grade"] = str(Tier.OUTSTANDING)
    data[f"{prefix('ef3')}-source_url"] = SOURCE
    assert client.post(SHEET, data).status_code == 302
    client.logout()
    after = client.get("/forces/cumbria/").content.decode()
    assert after.count("Outstanding") > page.count("Outstanding")


# --- the upload -----------------------------------------------------------------------------------

HEADER = "round,force_slug,pillar,question_or_area,grade,carried_over,source_url,evidence,source_type\n"


def upload(client, text: str, name: str = "grades.csv"):
    return client.post("/editor/upload/", {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")})


def test_an_upload_is_previewed_then_applied_on_confirmation(client, editor, cumbria_2016):
    client.force_login(editor)
    text = HEADER + f"2016,cumbria,Efficiency,Ef1 Understanding demand,Good,no,{SOURCE},,HMICFRS\n"
    preview = upload(client, text)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "<strong>1</strong> new" in html and "Apply grades.csv" in html
    assert grade_of("cumbria", "2016", "ef1") is None
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post("/editor/upload/", {"confirm": "1", "token": token}, follow=True)
    assert "Applied grades.csv: 1 new, 0 changed, 0 unchanged." in response.content.decode()
    grade = grade_of("cumbria", "2016", "ef1")
    assert grade.tier == Tier.GOOD
    assert grade.history.first().history_user == editor


def test_a_file_with_one_bad_row_shows_it_and_offers_nothing_to_apply(client, editor, cumbria_2016):
    client.force_login(editor)
    text = (
        HEADER
        + f"2016,cumbria,Efficiency,Ef1 Understanding demand,Good,no,{SOURCE},,HMICFRS\n"
        + f"2016,cumbria,Efficiency,Ef2 Use of resources to manage demand,Adequate,no,{SOURCE},,HMICFRS\n"
    )
    response = upload(client, text)
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "<td>3</td><td>grade 'Adequate' is not on the PEEL 2016 scale" in html
    assert "so nothing will be applied" in html
    assert 'name="confirm"' not in html
    # Even a forged confirmation applies nothing.
    token = client.session["grades_upload"]["token"]
    client.post("/editor/upload/", {"confirm": "1", "token": token})
    assert grade_of("cumbria", "2016", "ef1") is None


def test_a_confirmation_of_an_outdated_preview_applies_nothing(client, editor, cumbria_2016):
    client.force_login(editor)
    upload(client, HEADER + f"2016,cumbria,Efficiency,Ef1 Understanding demand,Good,no,{SOURCE},,HMICFRS\n")
    response = client.post("/editor/upload/", {"confirm": "1", "token": "not-the-token"}, follow=True)
    assert "This preview is no longer current" in response.content.decode()
    assert grade_of("cumbria", "2016", "ef1") is None


def test_an_upload_that_is_not_a_csv_file_says_so(client, editor):
    client.force_login(editor)
    response = client.post("/editor/upload/", {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_only_editors_may_confirm_an_upload(client, db):
    client.force_login(User.objects.create_user("reader", password="x-reader-2024"))
    assert client.post("/editor/upload/", {"confirm": "1", "token": "x"}).status_code == 403
    assert reverse("editor:upload") == "/editor/upload/"


# --- importing a report text ----------------------------------------------------------------------

REPORT_TEXT = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "reports" / "bedfordshire-2016-effectiveness.txt"


def bedfordshire_2016_effectiveness() -> Report | None:
    return Report.objects.filter(force__slug="bedfordshire", round__slug="2016", pillar="Effectiveness").first()


@pytest.fixture
def bedfordshire_2016(db):
    """Bedfordshire and the PEEL 2016 effectiveness questions its report answers, but not the report."""
    ForceFactory(name="Bedfordshire Police", slug="bedfordshire")
    pillar_questions("2016", Pillar.EFFECTIVENESS)


@pytest.fixture
def norfolk_2018_19(db):
    """Norfolk and the PEEL 2018/19 effectiveness and efficiency questions, with no grade or report yet."""
    ForceFactory(name="Norfolk Constabulary", slug="norfolk")
    pillar_questions("2018-19", Pillar.EFFECTIVENESS)
    pillar_questions("2018-19", Pillar.EFFICIENCY)


def preview_import(client, **fields):
    return client.post("/editor/import/", {"text": REPORT_TEXT.read_text(encoding="utf-8"), **fields})


def test_a_report_text_is_previewed_then_imported_on_confirmation(client, editor, bedfordshire_2016):
    client.force_login(editor)
    preview = preview_import(client)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Bedfordshire Police · PEEL 2016 · Effectiveness" in html
    assert "<td>report</td><td>report</td><td>created</td>" in html
    assert bedfordshire_2016_effectiveness() is None
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post("/editor/import/", {"confirm": "1", "token": token})
    report = bedfordshire_2016_effectiveness()
    assert response["Location"] == f"/admin/reports/report/{report.pk}/change/"
    assert report.causes_of_concern.exists()
    assert report.history.first().history_user == editor


def test_the_same_text_again_changes_nothing(client, editor, bedfordshire_2016):
    client.force_login(editor)
    token = re.search(r'name="token" value="([^"]+)"', preview_import(client).content.decode()).group(1)
    client.post("/editor/import/", {"confirm": "1", "token": token})
    again = preview_import(client).content.decode()
    assert "No changes: the database already holds this report as it is." in again
    assert 'name="confirm"' not in again


def test_an_import_confirmed_after_the_data_changed_is_refused_and_shown_again(client, editor, bedfordshire_2016):
    client.force_login(editor)
    token = re.search(r'name="token" value="([^"]+)"', preview_import(client).content.decode()).group(1)
    from reports.importers.service import report_import

    report_import(text=REPORT_TEXT.read_text(encoding="utf-8"))  # someone else imported it meanwhile
    report = bedfordshire_2016_effectiveness()
    report.summary = "Edited by someone else."
    report.save()
    response = client.post("/editor/import/", {"confirm": "1", "token": token})
    assert response.status_code == 409
    assert "The data changed after the preview you confirmed, so nothing was imported." in response.content.decode()
    assert bedfordshire_2016_effectiveness().summary == "Edited by someone else."


def test_a_text_that_is_not_a_report_imports_nothing_and_says_why(client, editor):
    client.force_login(editor)
    before = Report.objects.count()
    response = client.post("/editor/import/", {"text": "Shopping list\n\nMilk\nBread\n"})
    assert response.status_code == 400
    assert "Nothing was imported: not an HMICFRS PEEL report" in response.content.decode().replace("&#x27;", "'")
    assert Report.objects.count() == before
    assert client.post("/editor/import/", {}).status_code == 400


def test_a_report_pdf_is_previewed_from_its_text_then_imported_on_confirmation(client, editor, norfolk_2018_19):
    from tests.reports.importers.test_pdf_file import pdf_with_text
    from tests.reports.test_import_wording import EFFECTIVENESS_2018

    pdf = pdf_with_text([[line for line in EFFECTIVENESS_2018.split("\n") if line.strip()]])
    client.force_login(editor)
    upload = SimpleUploadedFile("norfolk-2018.pdf", pdf, content_type="application/pdf")
    preview = client.post("/editor/import/", {"file": upload, "source_url": "https://example.org/norfolk-2018.pdf"})
    html = preview.content.decode()
    assert preview.status_code == 200, html
    assert "Norfolk Constabulary · PEEL 2018/19 · Effectiveness" in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    client.post("/editor/import/", {"confirm": "1", "token": token})
    report = Report.objects.get(force__slug="norfolk", round__slug="2018-19", pillar="Effectiveness")
    assert report.source_document == "norfolk-2018.pdf"


def test_a_scanned_or_encrypted_pdf_or_a_false_pdf_imports_nothing_and_says_why(client, editor, norfolk_2018_19):
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    scanned = io.BytesIO()
    writer.write(scanned)
    client.force_login(editor)
    before = Report.objects.count()
    for name, data, message in [
        ("scan.pdf", scanned.getvalue(), "scan.pdf: The PDF&#x27;s 1 page(s) hold almost no text"),
        ("fake.pdf", b"<html>not a pdf</html>", "fake.pdf: The file is not a PDF"),
    ]:
        response = client.post("/editor/import/", {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Report.objects.count() == before


def test_a_text_of_two_pages_is_previewed_page_by_page_and_imported_whole_on_confirmation(client, editor, norfolk_2018_19):
    from tests.reports.test_import_pages import TWO_PAGES

    client.force_login(editor)
    preview = client.post("/editor/import/", {"text": TWO_PAGES, "source_url": "https://example.org/norfolk-2018"})
    html = preview.content.decode()
    assert preview.status_code == 200, html
    assert "The text holds 2 pages." in html
    assert "Page 1 (from line 1): PEEL: Police effectiveness 2018/19" in html
    assert "Page 2 (from line" in html and "PEEL: Police efficiency 2018/19" in html
    assert "line " in html and "Evidence" in html
    assert not Report.objects.filter(force__slug="norfolk", round__slug="2018-19").exists()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post("/editor/import/", {"confirm": "1", "token": token})
    assert response["Location"] == reverse("admin:reports_report_changelist")
    assert set(Report.objects.filter(force__slug="norfolk", round__slug="2018-19").values_list("pillar", flat=True)) == {
        "Effectiveness",
        "Efficiency",
    }


def test_a_two_page_text_whose_second_page_fails_imports_nothing_and_says_which_page(client, editor, norfolk_2018_19):
    from tests.reports.test_import_pages import TWO_PAGES

    ef1 = "How well does the force use its resources to meet the demand it faces?"
    broken = TWO_PAGES.replace(ef1, "How well does it bake bread?")
    client.force_login(editor)
    before = Report.objects.count()
    response = client.post("/editor/import/", {"text": broken, "source_url": "https://example.org/norfolk-2018"})
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400
    assert "Nothing was imported: line 36: page 2 (from line 27" in html
    assert Report.objects.count() == before
