"""The analyst pages in a real headless Chromium: charts drawn, no console error, no serious
or critical accessibility violation (axe-core)."""

PAGES = [
    "/",
    "/?round=2016&pillar=Effectiveness",
    "/forces/",
    "/forces/?show=areas",
    "/forces/bedfordshire/",
    "/forces/bedfordshire/2016/",
    "/forces/bedfordshire/2021-22/",
    "/compare/",
    "/compare/?forces=bedfordshire,cleveland",
    "/movers/",
    "/findings/",
    "/findings/?q=children",
    "/?round=2099",
]

# The on-screen point of one theme's grade in one round, found through plotly's own data on the chart
# (each point's customdata holds its tier, grade words and round slug; a gap holds null).
POINT_BOX = """([theme, round]) => {
  const chart = document.getElementById("chart-history");
  const traces = chart.querySelectorAll(".scatterlayer .trace");
  for (let t = 0; t < chart.data.length; t++) {
    const trace = chart.data[t];
    const i = trace.customdata.findIndex((data) => data && data[2] === round.replace("/", "-"));
    if (trace.name === theme && trace.visible === true && i >= 0) {
      // Only shown traces are drawn, and a gap (null) draws no point.
      const drawnTrace = chart.data.slice(0, t).filter((other) => other.visible === true).length;
      const drawnPoint = trace.y.slice(0, i).filter((y) => y !== null).length;
      const box = traces[drawnTrace].querySelectorAll(".points path")[drawnPoint].getBoundingClientRect();
      return {word: trace.customdata[i][1], x: box.x + box.width / 2, y: box.y + box.height / 2};
    }
  }
  return null;
}"""


def drawn(page, url: str) -> None:
    response = page.goto(url)
    assert response.status in {200, 400}, url
    page.wait_for_function(
        "document.querySelectorAll('.chart[data-figure]').length === document.querySelectorAll('.chart[data-drawn]').length"
    )


def test_the_bedfordshire_page_draws_its_history_with_the_2016_inadequate_and_2021_22_outstanding_points(page):
    drawn(page, "/forces/bedfordshire/")
    assert page.locator("#chart-history svg.main-svg").count() >= 1
    # The story sits above the chart: bring the whole chart on screen before pointing at its points.
    page.evaluate("document.getElementById('chart-history').scrollIntoView({block: 'start'})")
    for theme, round_name, word in [
        ("Overall effectiveness", "2016", "Inadequate"),
        ("Managing offenders and suspects", "2021/22", "Outstanding"),
    ]:
        point = page.evaluate(POINT_BOX, [theme, round_name])
        assert point is not None, (theme, round_name)
        assert point["word"] == word
        page.mouse.move(0, 0)
        page.locator("#chart-history .hoverlayer .hovertext").wait_for(state="detached")
        page.mouse.move(point["x"], point["y"])
        hover = page.locator("#chart-history .hoverlayer .hovertext")
        hover.wait_for()
        text = hover.text_content()
        assert word in text and f"PEEL {round_name}" in text and theme in text
    assert page.locator("#chart-history").get_by_text("Scale changed (not comparable)").count() == 1
    assert page.console_errors == []


def test_the_tier_axis_reads_from_inadequate_to_outstanding(page):
    drawn(page, "/forces/bedfordshire/")
    ticks = page.locator("#chart-history .ytick text").all_text_contents()
    assert ticks == ["Inadequate", "Requires improvement", "Adequate", "Good", "Outstanding"]


def test_the_national_and_compare_charts_draw(page):
    drawn(page, "/?round=2016")
    assert page.locator("#chart-distribution .barlayer .trace").count() >= 4
    drawn(page, "/compare/?forces=bedfordshire,cleveland")
    assert page.locator("#chart-compare .main-svg .hm image").count() == 1
    assert page.console_errors == []


def test_the_compare_form_turns_ticked_forces_into_a_shareable_link(page):
    page.goto("/compare/")
    page.get_by_label("Bedfordshire Police").check()
    page.get_by_label("Durham Constabulary").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare/?forces=bedfordshire,durham*")
    assert page.get_by_role("heading", name="Bedfordshire Police, Durham Constabulary").is_visible()
