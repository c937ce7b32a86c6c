import pytest

from reports.models import Grade
from tests.reports.page_helpers import QUERY_CEILING, figure_of, inline_code_scripts

pytestmark = pytest.mark.usefixtures("peel_data")


def test_the_forces_page_lists_forces_with_their_latest_pillar_judgments(client):
    response = client.get("/forces/?show=pillars")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/forces/bedfordshire/"' in html
    assert "Effectiveness" in html and "Legitimacy" in html
    assert '<span class="round-tag">2018/19</span>' in html


def test_the_forces_page_shows_all_43_forces_and_their_latest_areas_by_default(client):
    html = client.get("/forces/").content.decode()
    assert html.count('class="force-cell"') == 43
    assert "Rows 1–" not in html  # one page
    assert "Managing offenders and suspects" in html
    assert '<span class="round-tag">2023–25</span>' in html


def test_the_forces_page_searches_by_name(client):
    html = client.get("/forces/?q=bedford").content.decode()
    assert 'href="/forces/bedfordshire/"' in html
    assert 'href="/forces/cleveland/"' not in html


def test_the_forces_page_can_show_the_latest_grade_per_area(client):
    html = client.get("/forces/?show=areas").content.decode()
    assert "Managing offenders and suspects" in html
    assert '<span class="round-tag">2023–25</span>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [("q=" + "b" * 101, "The search is too long: at most 100 characters"), ("show=colours", "show must be pillars or areas")],
)
def test_bad_forces_page_parameters_are_a_clear_400(client, query, message):
    response = client.get(f"/forces/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_bedfordshire_page_charts_inadequate_effectiveness_in_2016_and_outstanding_offender_management_in_2021_22(client):
    response = client.get("/forces/bedfordshire/")
    assert response.status_code == 200
    figure = figure_of(response, "chart-history")
    # Each point's customdata holds its tier, grade words and round slug; a gap (no grade) holds None.
    points = {(trace["name"], slug): word for trace in figure["data"] for _, word, slug in filter(None, trace["customdata"])}
    assert points["Overall effectiveness", "2016"] == "Inadequate"
    assert points["Managing offenders and suspects", "2021-22"] == "Outstanding"
    assert figure["layout"]["yaxis"]["ticktext"][0] == "Inadequate"


def test_the_force_page_shows_the_scale_break_and_why(client):
    html = client.get("/forces/bedfordshire/").content.decode()
    assert "The dashed line marks a change of scale." in html
    assert "cannot be compared directly with those of 2018/19 and earlier" in html
    assert 'class="before-break"' in html


def test_the_force_page_has_the_charts_numbers_as_a_table_and_its_grades_by_round(client):
    html = client.get("/forces/bedfordshire/").content.decode()
    history = html.split('id="history-table"')[1].split("</table>")[0]
    effectiveness = history.split("Overall effectiveness")[1].split("</tr>")[0]
    assert effectiveness.count('<span class="grade grade--inadequate">Inadequate</span>') == 1
    assert "Grades of Bedfordshire Police" in html
    assert Grade.objects.filter(force__slug="bedfordshire").count() <= 50  # one page of the grades table
    for grade in Grade.objects.filter(force__slug="bedfordshire").exclude(source_url=""):
        assert grade.source_url in html


def test_the_force_page_links_each_report_page(client):
    html = client.get("/forces/bedfordshire/").content.decode()
    for round_slug in ["2014", "2015", "2016", "2017", "2018-19", "2021-22", "2023-25"]:
        assert f'href="/forces/bedfordshire/{round_slug}/"' in html


def test_the_force_page_shows_causes_of_concern_and_areas_for_improvement_from_its_reports(client):
    grade = Grade.objects.filter(force__slug="bedfordshire", report__isnull=False).select_related("report").first()
    html = client.get("/forces/bedfordshire/").content.decode()
    if grade is None:
        assert "We hold no causes of concern" in html
        return
    for cause in grade.report.causes_of_concern.all():
        assert cause.text[:60] in html
    assert grade.report.areas_for_improvement.exists()
    assert grade.report.areas_for_improvement.first().text[:60] in html


def test_the_force_page_has_no_inline_script_code(client):
    assert inline_code_scripts(client.get("/forces/bedfordshire/")) == []


def test_an_unknown_force_is_a_404(client):
    assert client.get("/forces/gotham/").status_code == 404


@pytest.mark.parametrize("url", ["/forces/", "/forces/?show=areas&q=police", "/forces/bedfordshire/"])
def test_the_forces_pages_stay_under_the_query_ceiling(client, django_assert_max_num_queries, url):
    # A force page also reads its accountability section: five queries, however much data (tests/reports/accountability).
    ceiling = QUERY_CEILING + 5 if url == "/forces/bedfordshire/" else QUERY_CEILING
    with django_assert_max_num_queries(ceiling):
        assert client.get(url).status_code == 200
