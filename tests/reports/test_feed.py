"""The Atom feed of changes (/feed/): what editors and imports change after the shipped data was loaded."""

import pytest

from forces.models import Force
from reports.models import Grade, Round
from reports.vocabulary import Tier
from tests.factories import FiveTierRoundFactory, ForceFactory, GradeFactory, QuestionFactory, ReportFactory
from tests.reports.api_helpers import feed_entries, grade_edit, history_forgotten

pytestmark = pytest.mark.usefixtures("loaded")

E1 = "E1 Preventing crime, tackling ASB and keeping people safe"


@pytest.fixture
def loaded(db):
    """Bedfordshire's 2016 E1 graded Inadequate, and Kent with no 2021/22 report, as loaded: no history yet."""
    GradeFactory(
        force=ForceFactory(name="Bedfordshire Police", slug="bedfordshire"),
        question=QuestionFactory(code="E1", slug="e1", short_name=E1.removeprefix("E1 ")),
        tier=Tier.INADEQUATE,
    )
    ForceFactory(name="Kent Police", slug="kent")
    FiveTierRoundFactory()
    history_forgotten()


def test_data_as_loaded_makes_an_empty_feed(client):
    assert feed_entries(client) == []


def test_a_grade_changed_in_the_editor_appears_in_the_feed_with_its_old_and_new_grade(client):
    grade_edit(force_slug="bedfordshire", round_slug="2016", question_slug="e1", tier=Tier.GOOD)
    entries = feed_entries(client)
    assert len(entries) == 1
    assert entries[0]["title"] == f"Grade changed: Bedfordshire Police, PEEL 2016, {E1}: Inadequate → Good"
    assert entries[0]["link"].endswith("/forces/bedfordshire/2016/")
    assert entries[0]["id"].startswith("tag:")


def test_a_change_recorded_with_hmicfrs_amendment_is_one_entry_giving_the_amendment(client):
    round_ = Round.objects.get(slug="2016")
    grade_edit(
        force_slug="bedfordshire",
        round_slug="2016",
        question_slug="e1",
        tier=Tier.REQUIRES_IMPROVEMENT,
        amended_on=round_.end_date,
        amendment_reason="Data corrected by the force.",
    )
    entries = feed_entries(client)
    assert len(entries) == 1
    assert entries[0]["title"].endswith("Inadequate → Requires improvement")
    assert f"HMICFRS amended it on {round_.end_date:%d/%m/%Y}: Data corrected by the force." in entries[0]["summary"]


def test_an_edit_of_only_the_evidence_is_not_news(client):
    grade = Grade.objects.get(force__slug="bedfordshire", question__round__slug="2016", question__slug="e1")
    grade.evidence += " (quotation checked)"
    grade.save()
    assert feed_entries(client) == []


def test_entries_are_newest_first_and_a_new_report_is_announced(client):
    grade_edit(force_slug="bedfordshire", round_slug="2016", question_slug="e1", tier=Tier.GOOD)
    ReportFactory(force=Force.objects.get(slug="kent"), round=FiveTierRoundFactory(), title="PEEL 2021/22 – Kent Police")
    titles = [entry["title"] for entry in feed_entries(client)]
    assert titles[0] == "New report: PEEL 2021/22 – Kent Police"
    assert titles[1].startswith("Grade changed: Bedfordshire Police")


def test_the_feed_answers_304_until_the_data_changes(client):
    first = client.get("/feed/")
    assert client.get("/feed/", headers={"If-None-Match": first["ETag"]}).status_code == 304
    grade_edit(force_slug="bedfordshire", round_slug="2016", question_slug="e1", tier=Tier.GOOD)
    assert client.get("/feed/", headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_every_page_names_the_feed_in_its_head(client):
    html = client.get("/").content.decode()
    head = html.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head and 'href="/feed/"' in head
