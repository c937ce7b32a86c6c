"""Accountability models refuse what cannot be true; monitoring.csv loads with its dates as precise as stated."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from forces.models import Force
from peel.sources import SourceError
from reports.facts.services import monitoring_load
from reports.models import Inspection, MonitoringPeriod, PccResponse
from reports.vocabulary import partial_date_display, partial_date_parse

pytestmark = pytest.mark.usefixtures("peel_data")
HEADER = "force_slug,status,entered,left,reasons,source_url,evidence\n"


@pytest.mark.parametrize(("text", "shown"), [("2019", "2019"), ("2020-12", "December 2020"), ("2022-06-28", "28 June 2022")])
def test_a_date_keeps_the_precision_of_its_source(text, shown):
    assert partial_date_display(*partial_date_parse(text)) == shown


def test_the_ten_engage_periods_are_loaded_with_lincolnshire_having_no_exit_found():
    assert MonitoringPeriod.objects.count() == 10
    cleveland = MonitoringPeriod.objects.get(force__slug="cleveland")
    assert (cleveland.entered_display, cleveland.left_display) == ("2019", "September 2023")
    assert MonitoringPeriod.objects.get(force__slug="metropolitan").entered_display == "28 June 2022"
    assert list(MonitoringPeriod.objects.filter(left__isnull=True).values_list("force__slug", flat=True)) == ["lincolnshire"]


def test_a_period_cannot_end_before_it_starts():
    period = MonitoringPeriod(
        force=Force.objects.get(slug="kent"),
        entered=date(2024, 1, 1),
        entered_precision="month",
        left=date(2023, 1, 1),
        left_precision="year",
        source_url="https://example.org/",
    )
    with pytest.raises(ValidationError, match="cannot leave the stage"):
        period.save()


def test_a_month_precise_date_must_be_stored_as_the_first_of_the_month():
    period = MonitoringPeriod(
        force=Force.objects.get(slug="kent"), entered=date(2024, 1, 15), entered_precision="month", source_url="https://x.org/"
    )
    with pytest.raises(ValidationError, match="first of that month"):
        period.save()


def test_a_response_with_an_unknown_publication_date_has_an_unknown_deadline():
    inspection = Inspection.objects.create(title="Undated", slug="undated", kind="national")
    response = PccResponse(
        force=Force.objects.get(slug="kent"),
        inspection=inspection,
        published=date(2024, 1, 1),
        text="x",
        source_url="https://x.org/",
    )
    response.save()
    assert (response.statutory_deadline, response.days_late, response.deadline_met) == (None, None, None)


def test_a_response_answers_one_inspection_or_one_report_not_neither():
    with pytest.raises(ValidationError, match="one inspection or one PEEL report"):
        PccResponse(force=Force.objects.get(slug="kent"), text="x", source_url="https://x.org/").save()


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
    path = tmp_path / "monitoring.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        monitoring_load(path=path)
    assert str(error.value).startswith("monitoring.csv ") and problem in str(error.value)
