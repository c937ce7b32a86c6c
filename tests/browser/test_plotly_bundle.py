"""The plotly.js bundle the pages load, in Chromium: the wheel's plotly.js version, and it registers every
trace type the chart functions emit and the chart pages carry."""

from tests.reports.test_plotly_bundle import chart_trace_types, wheel_plotly_js_version

CHART_PAGES = ["/?round=2016", "/forces/bedfordshire/", "/compare/?forces=bedfordshire,cleveland"]

PAGE_TRACE_TYPES = """() => [...document.querySelectorAll(".chart[data-figure]")].flatMap(
  (chart) => JSON.parse(document.getElementById(chart.dataset.figure).textContent).data.map((trace) => trace.type || "scatter")
)"""


def test_the_loaded_plotly_is_the_wheels_version_and_registers_every_trace_type_the_charts_use(page):
    seen_on_pages = set()
    for url in CHART_PAGES:
        assert page.goto(url).status == 200
        page.wait_for_function("typeof Plotly !== 'undefined'")
        seen_on_pages |= set(page.evaluate(PAGE_TRACE_TYPES))
    assert page.evaluate("Plotly.version") == wheel_plotly_js_version()
    registered = set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)"))
    assert chart_trace_types() <= registered
    assert seen_on_pages and seen_on_pages <= registered
    # The cartesian bundle, not the full one: no 3D, map or geo traces are shipped to the browser.
    assert not {"scatter3d", "scattermap", "scattergeo", "choropleth"} & registered
    assert page.console_errors == []
