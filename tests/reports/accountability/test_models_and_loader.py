"""Accountability models refuse what cannot be true; monitoring.csv loads with its dates as precise as stated."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from peel.sources import SourceError
from reports.facts.services import monitoring_load
from reports.models import MonitoringPeriod, PccResponse
from reports.vocabulary import DatePrecision, partial_date_display, partial_date_parse
from tests.factories import ForceFactory, InspectionFactory, PccResponseFactory, ReportFactory

HEADER = "force_slug,status,entered,left,reasons,source_url,evidence\n"


@pytest.mark.parametrize(("text", "shown"), [("2019", "2019"), ("2020-12", "December 2020"), ("2022-06-28", "28 June 2022")])
def test_a_date_keeps_the_precision_of_its_source(text, shown):
    assert partial_date_display(*partial_date_parse(text)) == shown


@pytest.mark.django_db
def test_monitoring_rows_load_with_their_dates_as_precise_as_stated_and_an_open_period_has_no_exit(tmp_path: Path):
    for slug in ("northshire", "southshire", "westshire"):
        ForceFactory(slug=slug)
    path = tmp_path / "monitoring.csv"
    path.write_text(
        HEADER
        + "northshire,Engage,2019,2023-09,r,https://x.org/1,e\n"
        + "southshire,Engage,2022-06-28,2025-01,r,https://x.org/2,e\n"
        + "westshire,Engage,2024-12-06,,r,https://x.org/3,e\n",
        encoding="utf-8",
    )
    assert monitoring_load(path=path) == 3
    assert MonitoringPeriod.objects.count() == 3
    northshire = MonitoringPeriod.objects.get(force__slug="northshire")
    assert (northshire.entered, northshire.entered_precision) == (date(2019, 1, 1), DatePrecision.YEAR)
    assert (northshire.entered_display, northshire.left_display) == ("2019", "September 2023")
    assert MonitoringPeriod.objects.get(force__slug="southshire").entered_display == "28 June 2022"
    assert list(MonitoringPeriod.objects.filter(left__isnull=True).values_list("force__slug", flat=True)) == ["westshire"]
    monitoring_load(path=path)
    assert MonitoringPeriod.objects.count() == 3


@pytest.mark.django_db
def test_a_period_cannot_end_before_it_starts():
    period = MonitoringPeriod(
        force=ForceFactory(),
        entered=date(2024, 1, 1),
        entered_precision="month",
        left=date(2023, 1, 1),
        left_precision="year",
        source_url="https://example.org/",
    )
    with pytest.raises(ValidationError, match="cannot leave the stage"):
        period.save()


@pytest.mark.django_db
def test_a_month_precise_date_must_be_stored_as_the_first_of_the_month():
    period = MonitoringPeriod(
        force=ForceFactory(), entered=date(2024, 1, 15), entered_precision="month", source_url="https://x.org/"
    )
    with pytest.raises(ValidationError, match="first of that month"):
        period.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dated", "days_late", "met"),
    [(date(2023, 9, 21), 20, False), (date(2023, 9, 2), 1, False), (date(2023, 9, 1), 0, True), (date(2023, 8, 1), -31, True)],
)
def test_a_response_is_due_56_days_after_the_inspection_was_published_and_late_from_the_day_after(dated, days_late, met):
    response = PccResponseFactory(inspection=InspectionFactory(published=date(2023, 7, 7)), published=dated)
    assert response.statutory_deadline == date(2023, 9, 1)
    assert (response.days_late, response.deadline_met) == (days_late, met)


@pytest.mark.django_db
def test_a_response_to_a_peel_report_is_due_56_days_after_the_report_was_published():
    report = ReportFactory(published=date(2024, 1, 12))
    response = PccResponseFactory(force=report.force, inspection=None, report=report, published=date(2024, 3, 3))
    assert response.statutory_deadline == date(2024, 3, 8)  # 2024 is a leap year
    assert (response.days_late, response.deadline_met) == (-5, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("inspection_published", "response_published", "deadline"),
    [(None, date(2024, 1, 1), None), (date(2023, 7, 7), None, date(2023, 9, 1))],
)
def test_a_response_is_neither_on_time_nor_late_when_either_date_is_unknown(inspection_published, response_published, deadline):
    inspection = InspectionFactory(published=inspection_published)
    response = PccResponse(
        force=ForceFactory(), inspection=inspection, published=response_published, text="x", source_url="https://x.org/"
    )
    response.save()
    assert (response.statutory_deadline, response.days_late, response.deadline_met) == (deadline, None, None)


@pytest.mark.django_db
def test_a_response_answers_one_inspection_or_one_report_not_neither():
    with pytest.raises(ValidationError, match="one inspection or one PEEL report"):
        PccResponse(force=ForceFactory(), text="x", source_url="https://x.org/").save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("atlantis,Engage,2020,,r,https://x.org/,e", "line 2: unknown force 'atlantis'"),
        ("kent,Special,2020,,r,https://x.org/,e", "line 2: unknown status 'Special'"),
        ("kent,Engage,2020-13,,r,https://x.org/,e", "line 2: entered '2020-13' is not a date"),
        ("kent,Engage,2020-05,2019,r,https://x.org/,e", "line 2: The force cannot leave the stage"),
        ("kent,Engage,2020,,r,,e", "line 2: empty source_url"),
    ],
)
def test_a_bad_monitoring_row_fails_naming_file_line_and_problem(tmp_path: Path, row, problem):
    ForceFactory(slug="kent")  # only the row's own fault is left for the loader to find
    path = tmp_path / "monitoring.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        monitoring_load(path=path)
    assert str(error.value).startswith("monitoring.csv ") and problem in str(error.value)
