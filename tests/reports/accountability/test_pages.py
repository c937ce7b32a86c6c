"""/monitoring/, /recommendations/ and the force page's accountability section: content, filters,
exports read back, query counts that do not grow with the data."""

import csv
import io
from dataclasses import dataclass
from datetime import date

import pytest
from openpyxl import load_workbook

from forces.models import Force
from reports.accountability.charts import monitoring_timeline_figure
from reports.models import Inspection
from reports.vocabulary import DatePrecision
from tests.factories import (
    ForceFactory,
    InspectionFactory,
    InspectionRecommendationFactory,
    MonitoringPeriodFactory,
    PccResponseFactory,
    PromisingPracticeFactory,
    RecommendationFactory,
    RecommendationResponseFactory,
)
from tests.reports.page_helpers import QUERY_CEILING, figure_of, queries_for

pytestmark = pytest.mark.django_db
JOINT_ANSWER = "Northshire Police have reported to the commissioner on all three recommendations."


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


@dataclass
class Answered:
    force: Force
    other: Force
    inspection: Inspection


def answered_inspection() -> Answered:
    """A national inspection published 7 July 2023 (a response due 1 September 2023) recommending to all
    forces: 2 and 3 by January 2024, 6 'By January 4' (no year, so no date); 7 to Southshire only, no
    deadline. Northshire's PCC answered 2, 3 and 6 jointly on 21 September 2023 and quoted two pieces of
    promising practice; Southshire's PCC has not answered."""
    force = ForceFactory(name="Northshire Police", slug="northshire")
    other = ForceFactory(name="Southshire Police", slug="southshire")
    inspection = InspectionFactory(title="Policing under test", published=date(2023, 7, 7))
    response = PccResponseFactory(force=force, inspection=inspection, published=date(2023, 9, 21))
    january = {"deadline_text": "By January 2024", "deadline": date(2024, 1, 1), "deadline_precision": DatePrecision.MONTH}
    for number, deadline in ((2, january), (3, january), (6, {"deadline_text": "By January 4"})):
        recommendation = InspectionRecommendationFactory(inspection=inspection, number=number, **deadline)
        RecommendationResponseFactory(response=response, recommendation=recommendation, text=JOINT_ANSWER, joint=True)
    InspectionRecommendationFactory(inspection=inspection, number=7, force=other)
    for title in ("Street triage", "Case review panels"):
        PromisingPracticeFactory(inspection=inspection, force=force, title=title)
    return Answered(force=force, other=other, inspection=inspection)


def test_the_monitoring_page_shows_the_force_in_engage_with_no_exit_and_every_period_as_chart_and_table(client):
    MonitoringPeriodFactory(
        force__name="Eastshire Police",
        entered=date(2020, 12, 1),
        entered_precision=DatePrecision.MONTH,
        left=date(2022, 10, 1),
        left_precision=DatePrecision.MONTH,
    )
    MonitoringPeriodFactory(
        force__name="Southshire Police",
        entered=date(2022, 6, 28),
        entered_precision=DatePrecision.DAY,
        left=date(2025, 1, 1),
        left_precision=DatePrecision.MONTH,
    )
    MonitoringPeriodFactory(force__name="Northshire Police", entered=date(2024, 12, 6), entered_precision=DatePrecision.DAY)
    ForceFactory(name="Westshire Police")  # never in Engage: no bar
    response = client.get("/monitoring/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Northshire Police</a>: in Engage since 6 December 2024" in content
    assert "Eastshire Police</a>: in Engage since" not in content
    figure = figure_of(response, "chart-monitoring")
    bars = [name for trace in figure["data"] for name in trace["y"]]
    assert sorted(bars) == ["Eastshire Police", "Northshire Police", "Southshire Police"]
    for shown in ("December 2020", "October 2022", "28 June 2022", "January 2025", "No exit found"):
        assert shown in content


def test_the_timeline_draws_an_open_period_to_today_and_says_so():
    period = {
        "force_name": "A",
        "stage": "Engage",
        "entered": date(2024, 12, 6),
        "entered_display": "6 December 2024",
        "left": None,
        "left_display": "",
        "open": True,
    }
    figure = monitoring_timeline_figure(periods=[period], today=date(2024, 12, 16))
    (trace,) = figure["data"]
    assert trace["x"] == [10 * 86_400_000] and trace["base"] == ["2024-12-06"]
    assert "no exit found" in trace["customdata"][0][2]


def test_the_monitoring_table_exports_as_csv_and_xlsx_with_dates_as_precise_as_the_source(client):
    MonitoringPeriodFactory(
        force__name="Eastshire Police",
        entered=date(2019, 1, 1),
        entered_precision=DatePrecision.YEAR,
        left=date(2023, 9, 1),
        left_precision=DatePrecision.MONTH,
    )
    MonitoringPeriodFactory(force__name="Southshire Police", entered=date(2022, 6, 28), entered_precision=DatePrecision.DAY)
    rows = csv_rows(client.get("/monitoring/?_export=csv"))
    assert [(row["force"], row["entered"], row["left"]) for row in rows] == [
        ("Eastshire Police", "2019", "2023-09"),
        ("Southshire Police", "2022-06-28", "No exit found"),
    ]
    sheet = xlsx_rows(client.get("/monitoring/?_export=xlsx"))
    assert list(sheet[0][:4]) == ["force", "stage", "entered", "left"]
    assert [list(row[:4]) for row in sheet[1:]] == [
        ["Eastshire Police", "Engage", "2019", "2023-09"],
        ["Southshire Police", "Engage", "2022-06-28", "No exit found"],
    ]


def test_the_register_shows_inspection_and_peel_recommendations(client):
    answered = answered_inspection()
    peel = RecommendationFactory(text="The force should review its call handling.")
    content = client.get("/recommendations/").content.decode()
    assert answered.inspection.title in content and peel.text in content
    assert "January 2024" in content and "By January 4" in content
    rows = csv_rows(client.get("/recommendations/?_export=csv&inspection=peel"))
    assert [(row["recommendation"], row["deadline"]) for row in rows] == [(peel.text, "not stated")]


def test_the_register_filters_by_force_inspection_deadline_and_response(client):
    slug = answered_inspection().inspection.slug
    rows = csv_rows(client.get(f"/recommendations/?_export=csv&force=northshire&inspection={slug}"))
    assert [row["no"] for row in rows] == ["2", "3", "6"]
    assert {row["response_held"] for row in rows} == {"yes"}
    assert [row["deadline"] for row in rows] == ["2024-01", "2024-01", "By January 4"]
    # Northshire's answers are not Southshire's: to Southshire, nothing is answered.
    held = csv_rows(client.get(f"/recommendations/?_export=csv&force=southshire&inspection={slug}&response=held"))
    assert held == []
    unanswered = csv_rows(client.get(f"/recommendations/?_export=csv&force=southshire&inspection={slug}&response=none"))
    assert [row["no"] for row in unanswered] == ["2", "3", "6", "7"]
    past = csv_rows(client.get(f"/recommendations/?_export=csv&deadline=past&inspection={slug}"))
    assert [row["no"] for row in past] == ["2", "3"]


def test_a_past_deadline_without_a_response_is_marked_never_called_failed(client):
    inspection = InspectionFactory(title="Test thematic", published=date(2023, 1, 1))
    InspectionRecommendationFactory(
        inspection=inspection,
        number=1,
        text="By March 2023, forces should test.",
        deadline_text="By March 2023",
        deadline=date(2023, 3, 1),
        deadline_precision=DatePrecision.MONTH,
    )
    content = client.get(f"/recommendations/?inspection={inspection.slug}").content.decode()
    assert "Past deadline, no response held" in content
    assert "failed" not in content.lower()


def test_a_bad_filter_answers_400_naming_it(client):
    ForceFactory(slug="northshire")
    response = client.get("/recommendations/?force=atlantis")
    assert response.status_code == 400 and "There is no force atlantis" in response.content.decode()


def test_responses_and_practice_export_from_the_register(client):
    answered = answered_inspection()
    PccResponseFactory(force=answered.other)
    PromisingPracticeFactory(force=answered.other, title="Southshire's practice")
    (response,) = csv_rows(client.get("/recommendations/?_export=csv&_table=responses&force=northshire"))
    assert response["statutory_deadline_56_days"] == "2023-09-01"
    assert response["response_dated"] == "2023-09-21" and response["days_late"] == "20"
    practice = csv_rows(client.get("/recommendations/?_export=csv&_table=practice&force=northshire"))
    assert [row["title"] for row in practice] == ["Case review panels", "Street triage"]
    sheet = xlsx_rows(client.get("/recommendations/?_export=xlsx&_table=practice&force=northshire"))
    assert sheet[0][4] == "title" and [row[4] for row in sheet[1:]] == ["Case review panels", "Street triage"]


def test_a_forces_page_shows_its_late_response_with_the_recommendations_it_answers_and_its_practice(client):
    answered_inspection()
    content = client.get("/forces/northshire/").content.decode()
    section = content[content.index('id="accountability-heading"') :]
    assert "20 days late" in section and "1 September 2023" in section and "21 September 2023" in section
    for number in (2, 3, 6):
        assert f"Recommendation {number}" in section
    assert "Recommendation 7" not in section
    assert section.count(JOINT_ANSWER) == 3
    assert "Street triage" in section and "Case review panels" in section
    assert "not known to have been in Engage" in section


def test_a_force_in_engage_shows_its_period_on_its_page(client):
    period = MonitoringPeriodFactory(
        entered=date(2020, 12, 1),
        entered_precision=DatePrecision.MONTH,
        left=date(2022, 10, 1),
        left_precision=DatePrecision.MONTH,
    )
    content = client.get(f"/forces/{period.force.slug}/").content.decode()
    assert "from December 2020 to October 2022" in content
    assert "not known to have been in Engage" not in content


def test_the_pages_queries_do_not_grow_with_the_data(client):
    answered = answered_inspection()
    MonitoringPeriodFactory(force=answered.other)
    RecommendationFactory(cause__report__force=answered.force)
    urls = ["/monitoring/", "/recommendations/", "/forces/northshire/"]
    before = {url: queries_for(client, url) for url in urls}
    more = InspectionFactory(title="More", published=date(2024, 1, 1))
    for _ in range(5):
        force = ForceFactory()
        MonitoringPeriodFactory(force=force)
        recommendation = InspectionRecommendationFactory(inspection=more)
        RecommendationResponseFactory(response__force=force, response__inspection=more, recommendation=recommendation)
        PromisingPracticeFactory(inspection=more, force=force)
        RecommendationFactory(cause__report__force=force)
    after = {url: queries_for(client, url) for url in urls}
    assert after == before
    assert max(after.values()) <= QUERY_CEILING + 10
