"""Every page at 1,280 and 390 px: no console error, no sideways scroll, nothing serious for axe; every
chart fits its box after a resize and covers nothing below it; the Bedfordshire story reads in the first
screen without hovering."""

import pytest

from tests.browser.conftest import axe_serious_violations
from tests.browser.test_pages import PAGES, drawn

CHART_PAGES = ["/forces/bedfordshire/", "/?round=2016", "/compare/?forces=bedfordshire,cleveland", "/movers/"]
WIDTHS = [1280, 390]

# Each chart's box, its drawn plot, and the boxes of what follows it on the page.
CHART_BOXES = """() => [...document.querySelectorAll('.chart[data-drawn]')].map((chart) => {
  const box = chart.getBoundingClientRect();
  const svg = chart.querySelector('.main-svg').getBoundingClientRect();
  const figure = chart.closest('figure');
  const caption = figure.querySelector('figcaption').getBoundingClientRect();
  let after = figure.nextElementSibling;
  while (after && after.getClientRects().length === 0) after = after.nextElementSibling;  // skip the figure's JSON
  return {
    id: chart.id,
    box: [box.left, box.top, box.right, box.bottom],
    plot: [svg.left, svg.top, svg.right, svg.bottom],
    caption_top: caption.top,
    figure_bottom: figure.getBoundingClientRect().bottom,
    next_top: after ? after.getBoundingClientRect().top : null,
  };
})"""


# Whether every drawn plot has been laid out again to its box's width (plotly resizes after a debounce).
PLOTS_FIT_THEIR_BOXES = """() => [...document.querySelectorAll('.chart[data-drawn]')].every((chart) => {
  const box = chart.getBoundingClientRect();
  const svg = chart.querySelector('.main-svg').getBoundingClientRect();
  return Math.abs(svg.width - box.width) <= 1;
})"""


def resized(page, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function(PLOTS_FIT_THEIR_BOXES, timeout=5_000)


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_after_a_resize_every_chart_holds_its_plot_and_covers_nothing_below(page, width):
    problems = []
    for url in CHART_PAGES:
        page.set_viewport_size({"width": width, "height": 900})
        drawn(page, url)
        # A rotation, a zoom or a window drag: resize away and back, as the issue saw it.
        resized(page, width + 211, 700)
        resized(page, width, 900)
        for chart in page.evaluate(CHART_BOXES):
            left, top, right, bottom = chart["box"]
            p_left, p_top, p_right, p_bottom = chart["plot"]
            if not (p_left >= left - 1 and p_top >= top - 1 and p_right <= right + 1 and p_bottom <= bottom + 1):
                problems.append(f"{url} {chart['id']}: plot {chart['plot']} outside its box {chart['box']}")
            if chart["caption_top"] < bottom - 1:
                problems.append(f"{url} {chart['id']}: the caption starts inside the chart")
            if chart["next_top"] is not None and chart["next_top"] < chart["figure_bottom"] - 1:
                problems.append(f"{url} {chart['id']}: the next element overlaps the chart")
    assert problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_logs_an_error_scrolls_sideways_or_has_a_serious_accessibility_violation(page, width):
    # axe runs on every page at 1,280 px and on the chart pages, whose layout changes most, at 390 px.
    page.set_viewport_size({"width": width, "height": 900})
    problems: dict[str, list[str]] = {}
    for url in PAGES:
        drawn(page, url)
        found = problems.setdefault(url, [])
        expected_errors = 1 if url == "/?round=2099" else 0  # the browser logs the 400 status itself
        if len(page.console_errors) != expected_errors:
            found += page.console_errors
        page.console_errors.clear()
        if (wide := overflow(page)) > 0:
            found.append(f"body {wide} px wider than the screen")
        if width == 1280 or url in CHART_PAGES:
            found += axe_serious_violations(page)
    assert {url: found for url, found in problems.items() if found} == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_bedfordshire_story_reads_in_the_first_screen_without_hovering(page, width):
    height = 900 if width == 1280 else 844
    page.set_viewport_size({"width": width, "height": height})
    drawn(page, "/forces/bedfordshire/")
    lede = page.locator(".story-lede")
    box = lede.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height
    text = " ".join(lede.inner_text().split())
    assert "From Inadequate for overall effectiveness in PEEL 2016 to Outstanding for managing offenders" in text
    assert "2021/22" in text and "not directly comparable" in text
    assert page.locator("#chart-history .hoverlayer .hovertext").count() == 0  # nothing hovered


def test_the_chart_toolbar_offers_only_a_png_download(page):
    drawn(page, "/forces/bedfordshire/")
    page.hover("#chart-history")
    buttons = page.locator("#chart-history .modebar-btn")
    assert buttons.count() == 1
    assert buttons.first.get_attribute("data-title") == "Download plot as a PNG"


def test_one_themes_history_is_one_choice_away(page):
    drawn(page, "/forces/bedfordshire/")
    page.select_option("#chart-history-show", "managing-offenders")
    shown = page.evaluate(
        "document.getElementById('chart-history').data.filter((t) => t.visible === true).map((t) => t.meta.theme)"
    )
    assert shown and set(shown) == {"managing-offenders"}
    page.select_option("#chart-history-show", "all")
    hidden = page.evaluate("document.getElementById('chart-history').data.filter((t) => t.visible !== true).length")
    assert hidden == 0
