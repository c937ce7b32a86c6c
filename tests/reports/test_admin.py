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
from reports.history import BASELINE_REASON
from reports.models import CauseOfConcern, Grade, GradeAmendment, Report, Round
from reports.vocabulary import GradeStatus, Pillar, Tier
from tests.conftest import role_user
from tests.factories import (
    AreaForImprovementFactory,
    CauseOfConcernFactory,
    ForceFactory,
    GradeAmendmentFactory,
    GradeCountFactory,
    GradeFactory,
    InspectionRecommendationFactory,
    MonitoringPeriodFactory,
    PccResponseFactory,
    PromisingPracticeFactory,
    QuestionFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
    pillar_questions,
)

SOURCE = "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/cumbria/"


@pytest.fixture
def cumbria_2016(db) -> Grade:
    """Cumbria graded Good on effectiveness overall in PEEL 2016, among the 2016 effectiveness questions."""
    questions = pillar_questions("2016", Pillar.EFFECTIVENESS)
    cumbria = ForceFactory(name="Cumbria Constabulary", slug="cumbria")
    return GradeFactory(force=cumbria, question=questions["overall-effectiveness"], tier=Tier.GOOD, source_url=SOURCE)


def cumbria_effectiveness() -> Grade:
    return Grade.objects.get(force__slug="cumbria", question__round__slug="2016", question__slug="overall-effectiveness")


def as_loaded(grade: Grade) -> Grade:
    """The grade as the shipped data's load leaves it: with no history (loaddata's raw saves record none)."""
    grade.history.all().delete()
    return grade


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


def test_the_groups_come_with_their_permissions(db):
    editor = set(Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True))
    administrator = set(Group.objects.get(name=ADMINISTRATOR).permissions.values_list("codename", flat=True))
    assert {"add_grade", "change_grade", "view_grade", "change_report", "add_causeofconcern", "change_gradeamendment"} <= editor
    assert not {code for code in editor if code.startswith("delete_")}
    assert not {"add_user", "change_user"} & editor
    assert {"delete_grade", "delete_report", "add_user", "change_user", "delete_user", "change_group"} <= administrator
    assert editor < administrator


@pytest.mark.parametrize("url", ["/admin/", "/admin/reports/grade/", "/admin/auth/user/"])
def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("is_staff", [False, True])
def test_a_logged_in_user_without_a_role_gets_403_from_the_admin_and_can_still_log_out(client, cumbria_2016, is_staff):
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


def test_an_editor_enters_and_changes_data_but_cannot_delete_or_manage_users(client, editor, cumbria_2016):
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


def test_an_administrator_also_manages_users_and_deletes(client, administrator, cumbria_2016):
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


@pytest.fixture
def a_row_of_every_kind(cumbria_2016):
    """At least one row of every model the admin lists: Cumbria's wherever a row has a force."""
    cumbria = cumbria_2016.force
    report = ReportFactory(force=cumbria, round=cumbria_2016.question.round)
    RecommendationFactory(cause=CauseOfConcernFactory(report=report, question=cumbria_2016.question))
    AreaForImprovementFactory(report=report, question=cumbria_2016.question)
    QuestionFactory(theme=ThemeFactory())
    GradeAmendmentFactory(grade__force=cumbria)
    GradeCountFactory(force=cumbria)
    MonitoringPeriodFactory(force=cumbria)
    recommendation = InspectionRecommendationFactory(force=cumbria)
    recommendation.inspection.forces.add(cumbria)
    PccResponseFactory(force=cumbria, inspection=recommendation.inspection)
    PromisingPracticeFactory(force=cumbria, inspection=recommendation.inspection)


def test_every_admin_list_search_add_and_change_page_opens_for_an_editor(client, editor, a_row_of_every_kind):
    client.force_login(editor)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"forces", "reports"}:
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        listed = client.get(base)
        assert listed.status_code == 200, base
        assert listed.context["cl"].result_count > 0, base
        if model_admin.search_fields:
            assert client.get(base, {"q": "cumbria"}).status_code == 200, base
        assert client.get(f"{base}add/").status_code == 200, base
        assert client.get(f"{base}{model._default_manager.first().pk}/change/").status_code == 200, base


def test_the_grade_list_filters_by_round_and_searches_by_force(client, editor, cumbria_2016):
    cumbria, round_2016 = cumbria_2016.force, cumbria_2016.question.round
    cumbria_e1 = GradeFactory(force=cumbria, question=round_2016.questions.get(slug="e1"))
    GradeFactory(force=ForceFactory(name="Northumbria Police"), question=cumbria_2016.question)  # another force
    GradeFactory(force=cumbria, question__round__slug="2018-19")  # another round
    client.force_login(editor)
    response = client.get("/admin/reports/grade/", {"question__round__id__exact": round_2016.pk, "q": "Cumbria"})
    assert sorted(grade.pk for grade in response.context["cl"].result_list) == sorted([cumbria_2016.pk, cumbria_e1.pk])


# --- validation -----------------------------------------------------------------------------------


def test_the_admin_refuses_an_off_scale_tier_with_the_rounds_scale_named(client, editor, cumbria_2016):
    client.force_login(editor)
    grade = cumbria_effectiveness()
    data = admin_form_data(client.get(f"/admin/reports/grade/{grade.pk}/change/"))
    data["tier"] = str(Tier.ADEQUATE)
    response = client.post(f"/admin/reports/grade/{grade.pk}/change/", data)
    assert response.status_code == 200
    assert "is not on the PEEL 2016 scale (Outstanding, Good, Requires improvement, Inadequate)" in response.content.decode()
    assert cumbria_effectiveness().tier == Tier.GOOD


def test_the_admin_refuses_a_second_grade_for_the_same_force_and_question(client, editor, cumbria_2016):
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


def test_the_admin_refuses_a_report_dated_outside_its_round(client, editor, cumbria_2016):
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


def test_a_second_editor_saving_the_same_grade_is_refused_rather_than_overwriting(client, editor, administrator, cumbria_2016):
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
def report(db):
    """Cumbria's PEEL 2023–25 report with a cause of concern, its recommendation and an area for improvement."""
    report = ReportFactory(
        force=ForceFactory(name="Cumbria Constabulary", slug="cumbria"),
        round=RoundFactory(slug="2023-25"),
        title="PEEL 2023–25 Cumbria",
        published=date(2024, 3, 1),
        source_url="https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2023-25/cumbria/",
    )
    cause = CauseOfConcernFactory(report=report, position=1, text="Calls are not answered quickly enough.")
    RecommendationFactory(cause=cause, position=1, text="Answer 999 calls within ten seconds.")
    AreaForImprovementFactory(report=report, position=1, text="Supervise investigations.")
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


def test_an_amendment_entered_in_the_admin_reaches_the_public_change_log(client, editor, cumbria_2016):
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


def test_an_amendment_without_a_change_of_grade_is_refused_in_the_admin(client, editor, cumbria_2016):
    grade = cumbria_effectiveness()
    client.force_login(editor)
    data = admin_form_data(client.get(f"/admin/reports/grade/{grade.pk}/change/"))
    data.update(amended_on="2017-04-03", amendment_reason="Nothing changed really.")
    response = client.post(f"/admin/reports/grade/{grade.pk}/change/", data)
    assert "An amendment records a change to a published grade" in response.content.decode()
    assert not GradeAmendment.objects.filter(grade=grade).exists()


def test_an_amendment_is_on_its_forces_page_and_on_no_other(client, cumbria_2016):
    grade = GradeFactory(
        force=ForceFactory(name="Northamptonshire Police", slug="northamptonshire"),
        question=QuestionFactory(round=RoundFactory(slug="2023-25"), short_name="Responding to the public"),
        tier=Tier.REQUIRES_IMPROVEMENT,
        source_url="https://northantspfcc.org.uk/?p=25963",
    )
    GradeAmendmentFactory(
        grade=grade,
        amended_on=date(2024, 8, 8),
        previous_status=GradeStatus.GRADED,
        previous_tier=Tier.ADEQUATE,
        reason="The grade given to Northamptonshire Police for this question was incorrect.",
        source_url=grade.source_url,
    )
    html = client.get("/forces/northamptonshire/").content.decode()
    assert '<time datetime="2024-08-08">8 August 2024</time>' in html
    assert "PEEL 2023–25 “Responding to the public” changed from" in html
    assert "<strong>Adequate</strong> to <strong>Requires improvement</strong>" in html
    assert "Northamptonshire Police for this question was incorrect." in html
    assert 'href="https://northantspfcc.org.uk/?p=25963"' in html
    assert "Amended grades" not in client.get("/forces/cumbria/").content.decode()


# --- history ---------------------------------------------------------------------------------------


def test_a_change_is_in_the_history_with_who_when_and_the_old_and_new_values_and_can_be_reverted(client, editor, cumbria_2016):
    grade = as_loaded(cumbria_2016)
    client.force_login(editor)
    data = admin_form_data(client.get(f"/admin/reports/grade/{grade.pk}/change/"))
    data["tier"] = str(Tier.OUTSTANDING)
    assert client.post(f"/admin/reports/grade/{grade.pk}/change/", data).status_code == 302

    latest = Grade.history.filter(id=grade.pk).first()
    assert latest.history_user == editor and latest.history_type == "~"
    assert latest.prev_record.history_change_reason == BASELINE_REASON  # the grade as it was before its first edit
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


def test_a_revert_form_opened_before_someone_elses_change_is_refused(client, editor, cumbria_2016):
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


def test_the_roles_command_can_be_rerun(db):
    from django.core.management import call_command

    call_command("roles_sync", stdout=io.StringIO())
    assert Group.objects.filter(name__in=[EDITOR, ADMINISTRATOR]).count() == 2
    assert not User.objects.filter(groups__name=EDITOR).exists()


def test_the_admins_import_report_text_takes_the_pdf_through_the_editors_preview(client, administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.reports.importers.test_pdf_file import pdf_with_text
    from tests.reports.test_import_wording import EFFECTIVENESS_2018

    ForceFactory(name="Norfolk Constabulary", slug="norfolk")
    pillar_questions("2018-19", Pillar.EFFECTIVENESS)
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
