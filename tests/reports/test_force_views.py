import pytest

from reports.summaries import movers_summary_ensure
from reports.vocabulary import Pillar, Tier
from tests.factories import (
    AreaForImprovementFactory,
    CauseOfConcernFactory,
    ForceFactory,
    GradeFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
)
from tests.reports.page_helpers import QUERY_CEILING, figure_of, inline_code_scripts, theme_graded

pytestmark = pytest.mark.django_db


@pytest.fixture
def themes():
    return {
        "effectiveness": ThemeFactory(name="Overall effectiveness", pillar=Pillar.EFFECTIVENESS),
        "legitimacy": ThemeFactory(name="Overall legitimacy", pillar=Pillar.LEGITIMACY),
        "offenders": ThemeFactory(name="Managing offenders and suspects", slug="managing-offenders"),
    }


@pytest.fixture
def northshire(themes):
    """A force inadequate for effectiveness in 2016, good in 2018/19, outstanding at managing offenders in
    2021/22 and adequate in 2023–25; every grade names its own source."""
    force = ForceFactory(name="Northshire Police", slug="northshire")
    for theme, round_slug, tier in (
        ("effectiveness", "2016", Tier.INADEQUATE),
        ("effectiveness", "2018-19", Tier.GOOD),
        ("legitimacy", "2018-19", Tier.GOOD),
        ("offenders", "2021-22", Tier.OUTSTANDING),
        ("offenders", "2023-25", Tier.ADEQUATE),
    ):
        theme_graded(force, themes[theme], round_slug, tier, source_url=f"https://example.org/{round_slug}/{theme}/")
    return force


def test_the_forces_page_lists_forces_with_their_latest_pillar_judgments(client, northshire):
    response = client.get("/forces/?show=pillars")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/forces/northshire/"' in html
    assert "Effectiveness" in html and "Legitimacy" in html
    assert '<span class="grade grade--good">Good</span> <span class="round-tag">2018/19</span>' in html
    assert '<span class="round-tag">2016</span>' not in html  # not its latest


def test_the_forces_page_shows_every_force_on_one_page_and_their_latest_areas_by_default(client, northshire):
    ForceFactory.create_batch(29)  # more than a table's usual 25 rows
    html = client.get("/forces/").content.decode()
    assert html.count('class="force-cell"') == 30
    assert "Rows 1–" not in html  # one page
    assert "Managing offenders and suspects" in html
    assert '<span class="grade grade--adequate">Adequate</span> <span class="round-tag">2023–25</span>' in html


def test_the_forces_page_searches_by_name(client):
    ForceFactory(name="Bedfordshire Police", slug="bedfordshire")
    ForceFactory(name="Cleveland Police", slug="cleveland")
    html = client.get("/forces/?q=bedford").content.decode()
    assert 'href="/forces/bedfordshire/"' in html
    assert 'href="/forces/cleveland/"' not in html


def test_the_forces_page_can_show_the_latest_grade_per_area(client, northshire):
    html = client.get("/forces/?show=areas").content.decode()
    assert "Managing offenders and suspects" in html
    assert '<span class="grade grade--adequate">Adequate</span> <span class="round-tag">2023–25</span>' in html
    assert "Overall effectiveness" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [("q=" + "b" * 101, "The search is too long: at most 100 characters"), ("show=colours", "show must be pillars or areas")],
)
def test_bad_forces_page_parameters_are_a_clear_400(client, query, message):
    ForceFactory()
    response = client.get(f"/forces/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_force_page_charts_inadequate_effectiveness_in_2016_and_outstanding_offender_management_in_2021_22(
    client, northshire
):
    response = client.get("/forces/northshire/")
    assert response.status_code == 200
    figure = figure_of(response, "chart-history")
    # Each point's customdata holds its tier, grade words and round slug; a gap (no grade) holds None.
    points = {(trace["name"], slug): word for trace in figure["data"] for _, word, slug in filter(None, trace["customdata"])}
    assert points["Overall effectiveness", "2016"] == "Inadequate"
    assert points["Managing offenders and suspects", "2021-22"] == "Outstanding"
    assert len(points) == 5
    assert figure["layout"]["yaxis"]["ticktext"][0] == "Inadequate"


def test_the_force_page_shows_the_scale_break_and_why(client, northshire):
    html = client.get("/forces/northshire/").content.decode()
    assert "The dashed line marks a change of scale." in html
    assert "cannot be compared directly with those of 2018/19 and earlier" in html
    history = html.split('id="history-table"')[1].split("</thead>")[0]
    assert '<th scope="col" class="before-break">2018/19</th>' in history


def test_the_force_page_has_the_charts_numbers_as_a_table_and_its_grades_by_round(client, northshire):
    html = client.get("/forces/northshire/").content.decode()
    history = html.split('id="history-table"')[1].split("</table>")[0]
    effectiveness = history.split("Overall effectiveness")[1].split("</tr>")[0]
    assert effectiveness.count('<span class="grade grade--inadequate">Inadequate</span>') == 1
    assert effectiveness.count('<span class="grade grade--good">Good</span>') == 1
    assert "Grades of Northshire Police" in html
    for grade in northshire.grades.all():
        assert grade.source_url in html


def test_the_force_page_links_each_report_page(client, northshire):
    ReportFactory(force=northshire, round=RoundFactory(slug="2014"))  # a report, no grade
    RoundFactory(slug="2015")  # neither
    html = client.get("/forces/northshire/").content.decode()
    for round_slug in ["2014", "2016", "2018-19", "2021-22", "2023-25"]:
        assert f'href="/forces/northshire/{round_slug}/"' in html
    assert 'href="/forces/northshire/2015/"' not in html


def test_the_force_page_shows_causes_of_concern_and_areas_for_improvement_from_its_reports(client, northshire):
    report = ReportFactory(force=northshire)
    cause = CauseOfConcernFactory(report=report)
    recommendation = RecommendationFactory(cause=cause)
    areas = AreaForImprovementFactory.create_batch(2, report=report)
    AreaForImprovementFactory()  # another force's
    html = client.get("/forces/northshire/").content.decode()
    findings = html.split('id="findings-heading"')[1]
    for text in (cause.text, recommendation.text, *(area.text for area in areas)):
        assert text in findings
    assert findings.count('class="finding finding--') == 3
    assert 'href="/forces/northshire/2016/">PEEL 2016</a>' in findings


def test_the_force_page_says_when_it_holds_no_findings(client, northshire):
    assert "We hold no causes of concern or areas for improvement from Northshire Police" in (
        client.get("/forces/northshire/").content.decode()
    )


def test_the_force_page_has_no_inline_script_code(client, northshire):
    assert inline_code_scripts(client.get("/forces/northshire/")) == []


def test_an_unknown_force_is_a_404(client):
    GradeFactory()
    assert client.get("/forces/gotham/").status_code == 404


@pytest.mark.parametrize("url", ["/forces/", "/forces/?show=areas&q=police", "/forces/northshire/"])
def test_the_forces_pages_stay_under_the_query_ceiling(client, django_assert_max_num_queries, northshire, url):
    ReportFactory(force=northshire)
    AreaForImprovementFactory(report=northshire.reports.get())
    GradeFactory()  # another force
    movers_summary_ensure()  # as loading data does: its one-off rebuild is not a page's read
    # A force page also reads its accountability section: five queries, however much data (tests/reports/accountability).
    ceiling = QUERY_CEILING + 5 if url == "/forces/northshire/" else QUERY_CEILING
    with django_assert_max_num_queries(ceiling):
        assert client.get(url).status_code == 200
