import pytest
from django.contrib.staticfiles import finders

from reports.models import Grade, Question
from reports.vocabulary import Tier
from tests.reports.page_helpers import QUERY_CEILING, figure_of, inline_code_scripts, more_data_added, queries_for

pytestmark = pytest.mark.usefixtures("peel_data")

PAGES = [
    "/",
    "/?round=2016&pillar=Effectiveness",
    "/forces/bedfordshire/2016/",
    "/compare/?forces=bedfordshire,cleveland",
    "/movers/",
    "/findings/?q=children",
]


# --- the national picture -------------------------------------------------------------------


def test_the_national_picture_defaults_to_the_latest_round_with_grades(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "National picture: PEEL 2023–25" in html
    assert "Every graded area known for" in html and "of 43 forces" in html


def test_the_national_picture_of_2016_shows_grades_as_words_with_a_colour_class(client):
    html = client.get("/?round=2016&pillar=Effectiveness").content.decode()
    assert '<span class="grade grade--inadequate">Inadequate</span>' in html
    assert '<span class="grade grade--unknown">Not known</span>' in html
    assert '<span class="grade grade--ungraded">Ungraded</span>' in html
    assert "Overall efficiency" not in html.split('id="grid-heading"')[1].split('id="distribution-heading"')[0]


def test_the_national_picture_has_a_distribution_chart_and_a_table_of_the_same_numbers(client):
    response = client.get("/?round=2016")
    figure = figure_of(response, "chart-distribution")
    overall = Question.objects.get(round__slug="2016", pillar="Effectiveness", is_overall=True)
    inadequate = next(t for t in figure["data"] if t["name"] == "Inadequate")
    index = inadequate["y"].index(overall.label)
    held = Grade.objects.filter(question=overall, tier=Tier.INADEQUATE).count()
    assert inadequate["x"][index] == held
    assert 'id="distribution-table"' in response.content.decode()


def test_the_national_grid_is_sortable_by_a_grade_column_best_first(client):
    question = Question.objects.get(round__slug="2016", pillar="Effectiveness", is_overall=True)
    html = client.get(f"/?round=2016&sort=-q{question.pk}").content.decode()
    grid = html.split("<tbody")[1].split("</tbody>")[0]
    first_row = grid.split("</tr>")[0]
    assert "Outstanding" in first_row
    assert 'aria-sort="descending"' in html


def test_the_national_grid_is_paginated_and_bad_page_or_sort_parameters_do_not_fail(client):
    assert "Rows 1–25 of 43" in client.get("/?round=2016").content.decode()
    assert "Rows 26–43 of 43" in client.get("/?round=2016&page=99").content.decode()
    assert "Rows 1–25 of 43" in client.get("/?round=2016&page=first").content.decode()
    assert "Rows 1–5 of 43" in client.get("/?round=2016&per_page=5").content.decode()
    assert client.get("/?round=2016&sort=no-such-column").status_code == 200


def test_no_page_renders_more_than_a_hundred_rows_whatever_per_page_asks(client):
    html = client.get("/movers/?direction=all&same-per_page=100000").content.decode()
    assert "Rows 1–100 of" in html


def test_an_unknown_round_is_a_clear_400(client):
    response = client.get("/?round=2099")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no PEEL round 2099" in html
    assert "2018-19" in html


def test_an_unknown_pillar_is_a_clear_400(client):
    response = client.get("/?pillar=Leniency")
    assert response.status_code == 400
    assert "There is no PEEL pillar Leniency" in response.content.decode()


def test_the_pillar_filter_on_a_round_graded_by_area_says_it_does_not_apply(client):
    response = client.get("/?round=2021-22&pillar=Legitimacy")
    assert response.status_code == 200
    assert "the pillar filter does not apply" in response.content.decode()


# --- the report page ------------------------------------------------------------------------


def test_the_bedfordshire_2016_report_page_shows_judgments_findings_dates_source_and_attribution(client):
    response = client.get("/forces/bedfordshire/2016/")
    assert response.status_code == 200
    html = response.content.decode()
    effectiveness = html.split("Overall effectiveness:")[1]
    assert effectiveness.lstrip().startswith('<span class="grade grade--inadequate">Inadequate</span>')
    assert "E3 Protecting vulnerable people and supporting victims" in html
    assert "Open Government Licence" in html
    assert "Last updated" in html
    report = Grade.objects.get(
        force__slug="bedfordshire", question__round__slug="2016", question__is_overall=True, question__pillar="Effectiveness"
    ).report
    if report is not None:  # the shipped report text (fixtures/reports.json)
        assert report.source_url in html
        for cause in report.causes_of_concern.all():
            assert cause.text[:60] in html
            for recommendation in cause.recommendations.all():
                assert recommendation.text[:60] in html
        for area in report.areas_for_improvement.all()[:3]:
            assert area.text[:60] in html


def test_a_round_without_any_grade_for_the_force_shows_what_is_not_known(client):
    assert not Grade.objects.filter(force__slug="cleveland", question__round__slug="2014").exists()
    response = client.get("/forces/cleveland/2014/")
    assert response.status_code == 200
    assert "Not known" in response.content.decode()


def test_an_unknown_force_or_round_on_the_report_page_is_a_404(client):
    assert client.get("/forces/gotham/2016/").status_code == 404
    assert client.get("/forces/bedfordshire/2099/").status_code == 404


def test_a_report_knows_its_page_address():
    report = Grade.objects.filter(report__isnull=False).select_related("report").first()
    if report is None:
        pytest.skip("no report text shipped")
    assert report.report.get_absolute_url() == f"/forces/{report.force.slug}/{report.question.round.slug}/"


# --- compare --------------------------------------------------------------------------------


def test_compare_shows_two_forces_side_by_side_with_a_chart(client):
    response = client.get("/compare/?forces=bedfordshire,cleveland&round=2016")
    assert response.status_code == 200
    figure = figure_of(response, "chart-compare")
    (trace,) = figure["data"]
    assert trace["x"] == ["Bedfordshire Police", "Cleveland Police"]
    row = trace["y"].index("2016 · Overall effectiveness")
    assert trace["text"][row][0] == "Inadequate"
    assert 'id="compare-table"' in response.content.decode()


def test_compare_across_rounds_marks_the_scale_break(client):
    figure = figure_of(client.get("/compare/?forces=bedfordshire,cleveland"), "chart-compare")
    assert "not directly comparable" in figure["layout"]["title"]["text"]
    assert [shape["line"]["dash"] for shape in figure["layout"]["shapes"]] == ["dash"]


def test_compare_turns_one_checkbox_per_force_into_the_shareable_comma_link(client):
    response = client.get("/compare/?forces=bedfordshire&forces=cleveland&round=2016")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?forces=bedfordshire,cleveland&round=2016"


def test_compare_with_one_force_keeps_it_ticked_and_asks_for_another(client):
    response = client.get("/compare/?forces=bedfordshire")
    assert response.status_code == 200
    html = response.content.decode()
    assert "You chose Bedfordshire Police only: tick at least one more force" in html
    assert 'value="bedfordshire" checked' in html
    assert 'name="forces" value="cleveland"' in html


def test_compare_without_forces_offers_the_choice(client):
    response = client.get("/compare/")
    assert response.status_code == 200
    assert 'name="forces" value="bedfordshire"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("forces=bedfordshire,cleveland,durham,kent,essex,dorset,gwent", "at most 6 forces"),
        ("forces=bedfordshire,gotham", "There is no force gotham"),
        ("forces=bedfordshire,cleveland&round=1999", "There is no PEEL round 1999"),
    ],
)
def test_bad_compare_parameters_are_a_clear_400(client, query, message):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


# --- movers ---------------------------------------------------------------------------------


def test_movers_list_same_scale_changes_and_the_break_apart_with_the_caveat(client):
    html = client.get("/movers/").content.decode()
    assert "Biggest improvements and declines, same scale" in html
    assert "Across the 2018/19 → 2021/22 break" in html
    assert "cannot be compared directly" in html


def test_movers_filter_by_round_theme_force_and_direction(client):
    html = client.get("/movers/?round=2016&theme=overall-effectiveness&force=bedfordshire&direction=declined").content.decode()
    same = html.split('id="same-heading"')[1].split('id="break-heading"')[0]
    assert "Bedfordshire Police" in same
    assert "−1 step worse" in same


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("direction=sideways", "direction must be"),
        ("theme=luck", "There is no theme luck"),
        ("round=2014", "There is no PEEL round 2014"),
    ],
)
def test_bad_movers_parameters_are_a_clear_400(client, query, message):
    response = client.get(f"/movers/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


# --- findings -------------------------------------------------------------------------------


def test_findings_search_lists_matching_findings_with_links_to_report_pages(client):
    more_data_added()
    response = client.get("/findings/?q=children&force=test-force-1&type=afi")
    html = response.content.decode()
    assert "3 findings" in html
    assert 'href="/forces/test-force-1/2016/"' in html


def test_findings_without_a_search_list_everything_the_filters_select(client):
    more_data_added()
    assert "9 findings" in client.get("/findings/?force=test-force-2").content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=" + "x" * 201, "The search is too long: at most 200 characters"),
        ("type=rumour", "type must be cause, recommendation or afi"),
        ("question=abc", "There is no question abc"),
        ("force=gotham", "There is no force gotham"),
    ],
)
def test_bad_findings_parameters_are_a_clear_400(client, query, message):
    response = client.get(f"/findings/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


# --- every page -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_pages_carry_no_inline_script_code_and_load_plotly_from_our_static_files(client, url):
    response = client.get(url)
    assert inline_code_scripts(response) == []
    html = response.content.decode()
    if "data-figure=" in html:
        assert '<script src="/static/plotly/plotly.min.js" defer></script>' in html
        assert '<script src="/static/js/charts.js" defer></script>' in html
    assert "cdn" not in html.lower()


def test_plotly_js_is_found_in_the_installed_npm_cartesian_bundle():
    path = finders.find("plotly/plotly.min.js")
    assert path and path.replace("\\", "/").endswith("node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js")


@pytest.mark.parametrize("url", PAGES)
def test_each_page_stays_under_the_query_ceiling(client, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(QUERY_CEILING):
        assert client.get(url).status_code == 200


def test_the_number_of_queries_does_not_grow_with_forces_rounds_or_findings(client):
    urls = [*PAGES, "/findings/", "/forces/", "/forces/bedfordshire/", "/compare/?forces=bedfordshire,cleveland,durham"]
    before = {url: queries_for(client, url) for url in urls}
    more_data_added()
    after = {url: queries_for(client, url) for url in urls}
    assert after == before


def test_a_saved_grade_shows_on_the_next_request(client):
    url = "/forces/bedfordshire/2016/"
    assert 'Overall effectiveness: <span class="grade grade--inadequate">' in client.get(url).content.decode()
    grade = Grade.objects.get(
        force__slug="bedfordshire", question__round__slug="2016", question__pillar="Effectiveness", question__is_overall=True
    )
    grade.tier = Tier.REQUIRES_IMPROVEMENT
    grade.save()
    html = client.get(url).content.decode()
    assert 'Overall effectiveness: <span class="grade grade--requires-improvement">Requires improvement</span>' in html
    assert 'Overall effectiveness: <span class="grade grade--inadequate">' not in client.get("/?round=2016").content.decode()
