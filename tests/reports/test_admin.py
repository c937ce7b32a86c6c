"""The admin: who gets in and what each role may do, validation messages, optimistic locking,
amendments, history (recorded, viewable, restorable) and deleting and restoring a report."""

import io
import re
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client

from forces.models import Force
from peel.roles import ADMINISTRATOR, EDITOR
from reports.models import AreaForImprovement, CauseOfConcern, Grade, GradeAmendment, Recommendation, Report, Round
from reports.vocabulary import Tier
from tests.conftest import role_user

SOURCE = "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/cumbria/"


# Most of these tests change shipped grades and reports through the admin.
pytestmark = pytest.mark.usefixtures("peel_data")


def cumbria_effectiveness() -> Grade:
    return Grade.objects.get(force__slug="cumbria", question__round__slug="2016", question__slug="overall-effectiveness")


def admin_form_data(response) -> dict:
    """The admin change form as a browser would submit it unchanged (main form and inlines)."""
    data = {}

    def add(form, prefix: str = "") -> None:
        for name in form.fields:
            value = form[name].value()
            key = f"{prefix}{name}"
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        add(formset.management_form, f"{formset.prefix}-")
        for form in formset.forms:
            add(form, f"{form.prefix}-")
    return data


# --- who gets in -----------------------------------------------------------------------------------


def test_the_groups_come_with_their_permissions(peel_data):
    editor = set(Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True))
    administrator = set(Group.objects.get(name=ADMINISTRATOR).permissions.values_list("codename", flat=True))
    assert {"add_grade", "change_grade", "view_grade", "change_report", "add_causeofconcern", "change_gradeamendment"} <= editor
    assert not {code for code in editor if code.startswith("delete_")}
    assert not {"add_user", "change_user"} & editor
    assert {"delete_grade", "delete_report", "add_user", "change_user", "delete_user", "change_group"} <= administrator
    assert editor < administrator


@pytest.mark.parametrize("url", ["/admin/", "/admin/reports/grade/", "/admin/auth/user/"])
def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, peel_data, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("is_staff", [False, True])
def test_a_logged_in_user_without_a_role_gets_403_from_the_admin_and_can_still_log_out(client, peel_data, is_staff):
    client.force_login(role_user("someone", None, is_staff=is_staff))
    for url in ("/admin/", "/admin/reports/grade/", f"/admin/reports/grade/{cumbria_effectiveness().pk}/change/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/login/").status_code == 200  # to log in as someone else
    assert client.post("/admin/logout/").status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_login_with_an_unsafe_next_lands_on_the_editors_home(client, editor):
    response = client.post("/admin/login/?next=https://evil.example/", {"username": "eddie", "password": "pw-eddie-2024"})
    assert response.status_code == 302
    assert response["Location"] == "/editor/"
    assert client.get(response["Location"]).status_code == 200


def test_an_editor_enters_and_changes_data_but_cannot_delete_or_manage_users(client, editor):
    client.force_login(editor)
    grade = cumbria_effectiveness()
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/reports/grade/").status_code == 200
    assert client.get(f"/admin/reports/grade/{grade.pk}/change/").status_code == 200
    assert client.get("/admin/reports/report/add/").status_code == 200
    assert client.get(f"/admin/reports/grade/{grade.pk}/delete/").status_code == 403
    assert client.post(f"/admin/reports/grade/{grade.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    assert Grade.objects.filter(pk=grade.pk).exists()


def test_an_administrator_also_manages_users_and_deletes(client, administrator):
    client.force_login(administrator)
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 200
    grade = Grade.objects.create(
        force=Force.objects.get(slug="cumbria"),
        question=cumbria_effectiveness().question.round.questions.get(slug="e4"),
        tier=Tier.GOOD,
        source_url=SOURCE,
    )
    confirm = client.get(f"/admin/reports/grade/{grade.pk}/delete/")
    assert "Are you sure" in confirm.content.decode()
    assert client.post(f"/admin/reports/grade/{grade.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Grade.objects.filter(pk=grade.pk).exists()
    assert Grade.history.filter(id=grade.pk, history_type="-").get().history_user == administrator


def test_every_admin_list_search_and_add_page_opens_for_an_editor(client, editor):
    client.force_login(editor)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"forces", "reports"}:
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(base).status_code == 200, base
        if model_admin.search_fields:
            assert client.get(base, {"q": "cumbria"}).status_code == 200, base
        assert client.get(f"{base}add/").status_code == 200, base


def test_the_grade_list_filters_by_round_and_searches_by_force(client, editor):
    client.force_login(editor)
    response = client.get(
        "/admin/reports/grade/", {"question__round__id__exact": Round.objects.get(slug="2016").pk, "q": "Cumbria"}
    )
    shown = list(response.context["cl"].result_list)
    assert shown and all(g.force.slug == "cumbria" and g.question.round.slug == "2016" for g in shown)


# --- validation -----------------------------------------------------------------------------------


def test_the_admin_refuses_an_off_scale_tier_with_the_rounds_scale_named(client, editor):
    client.force_login(editor)
    grade = cumbria_effectiveness()
    data = admin_form_data(client.get(f"/admin/reports/grade/{grade.pk}/change/"))
    data["tier"] = str(Tier.ADEQUATE)
    response = client.post(f"/admin/reports/grade/{grade.pk}/change/", data)
    assert response.status_code == 200
    assert "is not on the PEEL 2016 scale (Outstanding, Good, Requires improvement, Inadequate)" in response.content.decode()
    assert cumbria_effectiveness().tier == Tier.GOOD


def test_the_admin_refuses_a_second_grade_for_the_same_force_and_question(client, editor):
    client.force_login(editor)
    grade = cumbria_effectiveness()
    response = client.post(
        "/admin/reports/grade/add/",
        {
            "force": grade.force_id,
            "question": grade.question_id,
            "status": "graded",
            "tier": str(Tier.GOOD),
            "source_url": SOURCE,
            "amendments-TOTAL_FORMS": "0",
            "amendments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Grade with this Force and Question already exists." in response.content.decode()


def test_the_admin_refuses_a_report_dated_outside_its_round(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/reports/report/add/",
        {
            "force": Force.objects.get(slug="cumbria").pk,
            "round": Round.objects.get(slug="2016").pk,
            "pillar": "Effectiveness",
            "title": "Cumbria PEEL 2016 effectiveness",
            "published": "2019-03-02",
            **{
                f"{prefix}-{name}": "0"
                for prefix in ("causes_of_concern", "areas_for_improvement")
                for name in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 200
    assert "02/03/2019 is outside PEEL 2016 (01/01/2016 to 31/12/2017)." in response.content.decode()
    assert not Report.objects.filter(title="Cumbria PEEL 2016 effectiveness").exists()


# --- optimistic locking ----------------------------------------------------------------------------


def test_a_second_editor_saving_the_same_grade_is_refused_rather_than_overwriting(client, editor, administrator):
    grade = cumbria_effectiveness()
    client.force_login(editor)
    mine = admin_form_data(client.get(f"/admin/reports/grade/{grade.pk}/change/"))
    other = Client()
    other.force_login(administrator)
    theirs = admin_form_data(other.get(f"/admin/reports/grade/{grade.pk}/change/"))
    theirs["evidence"] = "Checked again."
    assert other.post(f"/admin/reports/grade/{grade.pk}/change/", theirs).status_code == 302

    mine["tier"] = str(Tier.OUTSTANDING)
    response = client.post(f"/admin/reports/grade/{grade.pk}/change/", mine)
    assert response.status_code == 200
    assert "This grade was changed by someone else after you opened it" in response.content.decode()
    kept = cumbria_effectiveness()
    assert (kept.tier, kept.evidence) == (Tier.GOOD, "Checked again.")


@pytest.fixture
def report(peel_data):
    report = Report.objects.create(
        force=Force.objects.get(slug="cumbria"),
        round=Round.objects.get(slug="2023-25"),
        title="PEEL 2023–25 Cumbria",
        published=date(2024, 3, 1),
        source_url="https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2023-25/cumbria/",
    )
    cause = CauseOfConcern.objects.create(report=report, position=1, text="Calls are not answered quickly enough.")
    Recommendation.objects.create(cause=cause, position=1, text="Answer 999 calls within ten seconds.")
    AreaForImprovement.objects.create(report=report, position=1, text="Supervise investigations.")
    return report


def test_a_second_editor_saving_the_same_report_is_refused(client, editor, administrator, report):
    client.force_login(editor)
    mine = admin_form_data(client.get(f"/admin/reports/report/{report.pk}/change/"))
    other = Client()
    other.force_login(administrator)
    theirs = admin_form_data(other.get(f"/admin/reports/report/{report.pk}/change/"))
    theirs["causes_of_concern-0-text"] = "Calls to 101 are not answered quickly enough."
    assert other.post(f"/admin/reports/report/{report.pk}/change/", theirs).status_code == 302

    mine["summary"] = "A summary typed meanwhile."
    response = client.post(f"/admin/reports/report/{report.pk}/change/", mine)
    assert "This report was changed by someone else after you opened it" in response.content.decode()
    report.refresh_from_db()
    assert report.summary == ""
    assert report.causes_of_concern.get().text == "Calls to 101 are not answered quickly enough."


def test_a_finding_saved_on_its_own_page_is_locked_on_its_report(client, editor, report):
    cause = report.causes_of_concern.get()
    client.force_login(editor)
    mine = admin_form_data(client.get(f"/admin/reports/causeofconcern/{cause.pk}/change/"))
    report.summary = "Changed by someone else."
    report.save()
    mine["text"] = "Overwritten?"
    response = client.post(f"/admin/reports/causeofconcern/{cause.pk}/change/", mine)
    assert "This report was changed by someone else after you opened it" in response.content.decode()
    assert CauseOfConcern.objects.get(pk=cause.pk).text == "Calls are not answered quickly enough."


# --- amendments ------------------------------------------------------------------------------------


def test_an_amendment_entered_in_the_admin_reaches_the_public_change_log(client, editor):
    grade = cumbria_effectiveness()
    assert "Amended grades" not in client.get("/forces/cumbria/").content.decode()  # rendered, maybe cached
    client.force_login(editor)
    data = admin_form_data(client.get(f"/admin/reports/grade/{grade.pk}/change/"))
    data.update(tier=str(Tier.REQUIRES_IMPROVEMENT), amended_on="2017-04-03", amendment_reason="HMICFRS corrected the data.")
    assert client.post(f"/admin/reports/grade/{grade.pk}/change/", data).status_code == 302
    amendment = GradeAmendment.objects.get(grade=grade)
    assert (amendment.previous_display, amendment.new_display, amendment.amended_on) == (
        "Good",
        "Requires improvement",
        date(2017, 4, 3),
    )
    html = client.get("/forces/cumbria/").content.decode()
    assert '<time datetime="2017-04-03">3 April 2017</time>' in html
    assert "<strong>Good</strong> to <strong>Requires improvement</strong>" in html
    assert "HMICFRS corrected the data." in html and SOURCE in html


def test_an_amendment_without_a_change_of_grade_is_refused_in_the_admin(client, editor):
    grade = cumbria_effectiveness()
    client.force_login(editor)
    data = admin_form_data(client.get(f"/admin/reports/grade/{grade.pk}/change/"))
    data.update(amended_on="2017-04-03", amendment_reason="Nothing changed really.")
    response = client.post(f"/admin/reports/grade/{grade.pk}/change/", data)
    assert "An amendment records a change to a published grade" in response.content.decode()
    assert not GradeAmendment.objects.filter(grade=grade).exists()


def test_the_northamptonshire_amendment_is_on_its_force_page(client, peel_data):
    html = client.get("/forces/northamptonshire/").content.decode()
    assert '<time datetime="2024-08-08">8 August 2024</time>' in html
    assert "PEEL 2023–25 “Responding to the public” changed from" in html
    assert "<strong>Adequate</strong> to <strong>Requires improvement</strong>" in html
    assert "Northamptonshire Police for this question was incorrect." in html
    assert 'href="https://northantspfcc.org.uk/?p=25963"' in html
    assert "Amended grades" not in client.get("/forces/cumbria/").content.decode()


# --- history ---------------------------------------------------------------------------------------


def test_a_change_is_in_the_history_with_who_when_and_the_old_and_new_values_and_can_be_reverted(client, editor):
    grade = cumbria_effectiveness()
    client.force_login(editor)
    data = admin_form_data(client.get(f"/admin/reports/grade/{grade.pk}/change/"))
    data["tier"] = str(Tier.OUTSTANDING)
    assert client.post(f"/admin/reports/grade/{grade.pk}/change/", data).status_code == 302

    latest = Grade.history.filter(id=grade.pk).first()
    assert latest.history_user == editor and latest.history_type == "~"
    change = next(c for c in latest.diff_against(latest.prev_record).changes if c.field == "tier")
    assert (change.old, change.new) == (Tier.GOOD, Tier.OUTSTANDING)
    page = client.get(f"/admin/reports/grade/{grade.pk}/history/").content.decode()
    assert "eddie" in page
    assert re.search(r"<strong>Tier:</strong>\s*Good\s*&nbsp;&rarr;&nbsp;&nbsp;Outstanding", page)

    baseline = latest.prev_record
    revert = client.get(f"/admin/reports/grade/{grade.pk}/history/{baseline.history_id}/")
    assert revert.status_code == 200
    assert (
        client.post(f"/admin/reports/grade/{grade.pk}/history/{baseline.history_id}/", admin_form_data(revert)).status_code == 302
    )
    reverted = cumbria_effectiveness()
    assert reverted.tier == Tier.GOOD
    assert reverted.version == latest.version + 1


def test_a_revert_form_opened_before_someone_elses_change_is_refused(client, editor):
    grade = cumbria_effectiveness()
    grade.evidence = "first change"
    grade.save()
    first = Grade.history.filter(id=grade.pk).last()
    client.force_login(editor)
    revert = admin_form_data(client.get(f"/admin/reports/grade/{grade.pk}/history/{first.history_id}/"))
    grade.evidence = "second change"
    grade.save()
    response = client.post(f"/admin/reports/grade/{grade.pk}/history/{first.history_id}/", revert)
    assert "This grade was changed by someone else after you opened it" in response.content.decode()
    assert cumbria_effectiveness().evidence == "second change"


def test_deleting_a_report_asks_first_keeps_its_history_and_can_be_undone(client, administrator, report):
    client.force_login(administrator)
    confirm = client.get(f"/admin/reports/report/{report.pk}/delete/").content.decode()
    assert "Are you sure" in confirm and "Calls are not answered quickly enough." in confirm
    assert client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Report.objects.filter(pk=report.pk).exists()
    assert Report.history.filter(id=report.pk, history_type="-").get().history_user == administrator
    assert CauseOfConcern.history.filter(report_id=report.pk, history_type="-").exists()

    deleted = client.get("/admin/reports/report/deleted/").content.decode()
    assert "PEEL 2023–25 Cumbria" in deleted
    response = client.post("/admin/reports/report/deleted/", {"report_id": report.pk})
    assert response.status_code == 302
    restored = Report.objects.get(pk=report.pk)
    assert restored.causes_of_concern.get().recommendations.get().text == "Answer 999 calls within ten seconds."
    assert restored.areas_for_improvement.count() == 1


def test_an_editor_cannot_delete_a_report(client, editor, report):
    client.force_login(editor)
    assert client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()


def test_the_roles_command_can_be_rerun(peel_data):
    from django.core.management import call_command

    call_command("roles_sync", stdout=io.StringIO())
    assert Group.objects.filter(name__in=[EDITOR, ADMINISTRATOR]).count() == 2
    assert not User.objects.filter(groups__name=EDITOR).exists()


def test_the_admins_import_report_text_takes_the_pdf_through_the_editors_preview(client, administrator, peel_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.reports.importers.test_pdf_file import pdf_with_text
    from tests.reports.test_import_wording import EFFECTIVENESS_2018

    client.force_login(administrator)
    changelist = client.get("/admin/reports/report/").content.decode()
    link = re.search(r'<a href="([^"]+)">Import report text</a>', changelist).group(1)
    form = client.get(link).content.decode()
    assert 'type="file"' in form and "PDF" in form
    pdf = pdf_with_text([[line for line in EFFECTIVENESS_2018.split("\n") if line.strip()]])
    upload = SimpleUploadedFile("norfolk-2018.pdf", pdf, content_type="application/pdf")
    preview = client.post(link, {"file": upload, "source_url": "https://example.org/norfolk-2018.pdf"})
    assert preview.status_code == 200, re.findall(r"errornote[^>]*>(.*?)</", preview.content.decode(), re.S)
    assert "Norfolk Constabulary · PEEL 2018/19 · Effectiveness" in preview.content.decode()
