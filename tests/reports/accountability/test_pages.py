"""/monitoring/, /recommendations/ and the force page's accountability section: content, filters,
exports read back, query counts that do not grow with the data."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from forces.models import Force
from reports.accountability.charts import monitoring_timeline_figure
from reports.models import Inspection, InspectionRecommendation, MonitoringPeriod
from tests.reports.page_helpers import QUERY_CEILING, figure_of, queries_for

pytestmark = pytest.mark.usefixtures("peel_data")


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_the_monitoring_page_shows_lincolnshire_in_engage_and_every_period_as_chart_and_table(client):
    response = client.get("/monitoring/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Lincolnshire Police</a>: in Engage since 6 December 2024" in content
    figure = figure_of(response, "chart-monitoring")
    bars = [name for trace in figure["data"] for name in trace["y"]]
    assert len(bars) == 10 and "Greater Manchester Police" in bars
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
    rows = csv_rows(client.get("/monitoring/?_export=csv"))
    assert len(rows) == 10
    cleveland = next(row for row in rows if row["force"] == "Cleveland Police")
    assert (cleveland["entered"], cleveland["left"]) == ("2019", "2023-09")
    assert next(row for row in rows if row["force"] == "Lincolnshire Police")["left"] == "No exit found"
    sheet = xlsx_rows(client.get("/monitoring/?_export=xlsx"))
    assert sheet[0][:4] == ("force", "stage", "entered", "left") or list(sheet[0][:4]) == ["force", "stage", "entered", "left"]
    assert len([row for row in sheet[1:] if row[1] == "Engage"]) == 10


def test_the_register_shows_the_seed_recommendations_and_peel_recommendations(client):
    content = client.get("/recommendations/").content.decode()
    assert "Police performance: Getting a grip" in content
    assert "January 2024" in content and "By January 4" in content
    rows = csv_rows(client.get("/recommendations/?_export=csv&inspection=peel"))
    assert rows and all(row["deadline"] == "not stated" for row in rows)


def test_the_register_filters_by_force_inspection_deadline_and_response(client):
    rows = csv_rows(client.get("/recommendations/?_export=csv&force=bedfordshire&inspection=police-performance-getting-a-grip"))
    assert [row["no"] for row in rows] == ["2", "3", "6"]
    assert {row["response_held"] for row in rows} == {"yes"}
    assert [row["deadline"] for row in rows] == ["2024-01", "2024-01", "By January 4"]
    assert (
        csv_rows(
            client.get("/recommendations/?_export=csv&force=kent&inspection=police-performance-getting-a-grip&response=held")
        )
        == []
    )
    past = csv_rows(client.get("/recommendations/?_export=csv&deadline=past&inspection=police-performance-getting-a-grip"))
    assert [row["no"] for row in past] == ["2", "3"]


def test_a_past_deadline_without_a_response_is_marked_never_called_failed(client):
    inspection = Inspection.objects.create(
        title="Test thematic", slug="test-thematic", kind="national", published=date(2023, 1, 1)
    )
    InspectionRecommendation.objects.create(
        inspection=inspection,
        number=1,
        text="By March 2023, forces should test.",
        deadline_text="By March 2023",
        deadline=date(2023, 3, 1),
        deadline_precision="month",
    )
    content = client.get("/recommendations/?inspection=test-thematic").content.decode()
    assert "Past deadline, no response held" in content
    assert "failed" not in content.lower()


def test_a_bad_filter_answers_400_naming_it(client):
    response = client.get("/recommendations/?force=atlantis")
    assert response.status_code == 400 and "There is no force atlantis" in response.content.decode()


def test_responses_and_practice_export_from_the_register(client):
    (response,) = csv_rows(client.get("/recommendations/?_export=csv&_table=responses&force=bedfordshire"))
    assert response["statutory_deadline_56_days"] == "2023-09-01"
    assert response["response_dated"] == "2023-09-21" and response["days_late"] == "20"
    practice = csv_rows(client.get("/recommendations/?_export=csv&_table=practice&force=bedfordshire"))
    assert [row["title"] for row in practice] == [
        "External scrutiny of stop and search powers",
        "Reducing the cost of harm using integrated offender Management",
    ]
    sheet = xlsx_rows(client.get("/recommendations/?_export=xlsx&_table=practice&force=bedfordshire"))
    assert sheet[0][4] == "title" and len(sheet) >= 3


def test_bedfordshires_page_shows_the_letter_20_days_late_with_its_recommendations_and_practice(client):
    content = client.get("/forces/bedfordshire/").content.decode()
    section = content[content.index('id="accountability-heading"') :]
    assert "20 days late" in section and "1 September 2023" in section and "21 September 2023" in section
    for number in (2, 3, 6):
        assert f"Recommendation {number}" in section
    assert section.count("Bedfordshire Police have provided a full comprehensive update") == 3
    assert "External scrutiny of stop and search powers" in section
    assert "Reducing the cost of harm using integrated offender Management" in section
    assert "not known to have been in Engage" in section


def test_a_force_in_engage_shows_its_period_on_its_page(client):
    content = client.get("/forces/greater-manchester/").content.decode()
    assert "from December 2020 to October 2022" in content


def test_the_pages_queries_do_not_grow_with_the_data(client):
    urls = ["/monitoring/", "/recommendations/", "/forces/bedfordshire/"]
    before = {url: queries_for(client, url) for url in urls}
    inspection = Inspection.objects.create(title="More", slug="more", kind="national", published=date(2024, 1, 1))
    for index in range(5):
        force = Force.objects.create(name=f"Extra {index}", slug=f"extra-{index}", country="England")
        MonitoringPeriod.objects.create(
            force=force, entered=date(2020, 1, 1), entered_precision="year", source_url="https://example.org/"
        )
        InspectionRecommendation.objects.create(inspection=inspection, number=index + 1, text="Forces should.")
    after = {url: queries_for(client, url) for url in urls}
    assert after == before
    assert max(after.values()) <= QUERY_CEILING + 10
