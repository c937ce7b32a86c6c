"""The accountability pages in headless Chromium at desktop and phone widths: the monitoring chart
draws, the Bedfordshire section shows the letter, no console error, no serious axe violation."""

import pytest

from tests.browser.conftest import axe_serious_violations

WIDTHS = [1280, 390]


def drawn(page, url: str) -> None:
    assert page.goto(url).status == 200, url
    page.wait_for_function(
        "document.querySelectorAll('.chart[data-figure]').length === document.querySelectorAll('.chart[data-drawn]').length"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_monitoring_chart_draws_ten_periods_beside_its_table(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    drawn(page, "/monitoring/")
    assert page.locator("#chart-monitoring .barlayer .point").count() == 10
    assert page.locator("#monitoring-table table tbody tr").count() == 10
    assert axe_serious_violations(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_register_is_accessible(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    assert page.goto("/recommendations/?force=bedfordshire").status == 200
    assert page.locator("table").get_by_text("Police performance: Getting a grip").first.is_visible()
    assert axe_serious_violations(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_bedfordshires_accountability_section_shows_the_late_letter(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    drawn(page, "/forces/bedfordshire/")
    section = page.locator("section.accountability")
    section.scroll_into_view_if_needed()
    assert section.get_by_text("20 days late").is_visible()
    assert section.get_by_text("External scrutiny of stop and search powers").is_visible()
    assert axe_serious_violations(page) == []
    assert page.console_errors == []
