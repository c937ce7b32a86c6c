"""The Atom feed of changes (/feed/): what editors and imports change after the shipped data was loaded."""

import xml.etree.ElementTree as ET
from datetime import date

from forces.models import Force
from reports.models import Grade, Report, Round
from reports.vocabulary import Tier
from tests.reports.api_helpers import grade_edit

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(client) -> list[dict]:
    response = client.get("/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_shipped_data_alone_makes_an_empty_feed(client, peel_data):
    assert feed_entries(client) == []


def test_a_grade_changed_in_the_editor_appears_in_the_feed_with_its_old_and_new_grade(client, peel_data):
    grade_edit(force_slug="bedfordshire", round_slug="2016", question_slug="e1", tier=Tier.GOOD)
    entries = feed_entries(client)
    assert len(entries) == 1
    question = "E1 Preventing crime, tackling ASB and keeping people safe"
    assert entries[0]["title"] == f"Grade changed: Bedfordshire Police, PEEL 2016, {question}: Inadequate → Good"
    assert entries[0]["link"].endswith("/forces/bedfordshire/2016/")
    assert entries[0]["id"].startswith("tag:")


def test_a_change_recorded_with_hmicfrs_amendment_is_one_entry_giving_the_amendment(client, peel_data):
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


def test_an_edit_of_only_the_evidence_is_not_news(client, peel_data):
    grade = Grade.objects.get(force__slug="bedfordshire", question__round__slug="2016", question__slug="e1")
    grade.evidence += " (quotation checked)"
    grade.save()
    assert feed_entries(client) == []


def test_entries_are_newest_first_and_a_new_report_is_announced(client, peel_data):
    grade_edit(force_slug="bedfordshire", round_slug="2016", question_slug="e1", tier=Tier.GOOD)
    force = Force.objects.get(slug="kent")
    round_ = Round.objects.get(slug="2021-22")
    Report.objects.filter(force=force, round=round_).delete()
    Report.objects.create(force=force, round=round_, title="PEEL 2021/22 – Kent Police", published=date(2022, 6, 1))
    titles = [entry["title"] for entry in feed_entries(client)]
    assert titles[0] == "New report: PEEL 2021/22 – Kent Police"
    assert titles[1].startswith("Grade changed: Bedfordshire Police")


def test_the_feed_answers_304_until_the_data_changes(client, peel_data):
    first = client.get("/feed/")
    assert client.get("/feed/", headers={"If-None-Match": first["ETag"]}).status_code == 304
    grade_edit(force_slug="bedfordshire", round_slug="2016", question_slug="e1", tier=Tier.GOOD)
    assert client.get("/feed/", headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_every_page_names_the_feed_in_its_head(client, peel_data):
    html = client.get("/").content.decode()
    head = html.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head and 'href="/feed/"' in head
