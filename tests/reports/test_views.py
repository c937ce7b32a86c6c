import datetime
import re

import pytest
from django.contrib.staticfiles import finders

from forces.models import Force
from reports.models import Question
from reports.summaries import movers_summary_ensure
from reports.vocabulary import Pillar, Tier
from tests.conftest import rows_for_module
from tests.factories import (
    AreaForImprovementFactory,
    CauseOfConcernFactory,
    FiveTierRoundFactory,
    ForceFactory,
    GradeAmendmentFactory,
    GradeCountFactory,
    GradeFactory,
    QuestionFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
)
from tests.reports.page_helpers import QUERY_CEILING, figure_of, inline_code_scripts, queries_for, site_rows, theme_graded

pytestmark = pytest.mark.django_db


def grid_body(html: str) -> str:
    """The rows of a page's first table (the grade legend above it shows every badge)."""
    return html.split("<tbody")[1].split("</tbody>")[0]


# --- the national picture -------------------------------------------------------------------


def test_the_national_picture_defaults_to_the_latest_round_with_grades(client):
    round_ = FiveTierRoundFactory()
    area = QuestionFactory(round=round_)
    complete, partial, _none = ForceFactory(), ForceFactory(), ForceFactory()
    GradeFactory(force=complete, question=area)
    GradeCountFactory(round=round_, force=complete, n_areas_graded=1)
    GradeFactory(force=partial, question=area)  # how many areas it was graded on is not known
    GradeFactory(force=partial)  # a 2016 grade
    QuestionFactory(round=RoundFactory(slug="2023-25"))  # a later round, no grade yet
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "National picture: PEEL 2021/22" in html
    assert "Every graded area known for 1 of 3 forces</strong> in PEEL 2021/22; some for 1; none for 1." in html


def test_the_national_picture_of_2016_shows_grades_as_words_with_a_colour_class(client):
    overall = QuestionFactory(overall=True)
    QuestionFactory(code="E5", graded=False)
    QuestionFactory(overall=True, pillar=Pillar.EFFICIENCY)
    GradeFactory(question=overall, tier=Tier.INADEQUATE)
    ForceFactory()  # no grade held
    html = client.get("/?round=2016&pillar=Effectiveness").content.decode()
    grid = html.split('id="grid-heading"')[1].split('id="distribution-heading"')[0]
    assert '<span class="grade grade--inadequate">Inadequate</span>' in grid_body(grid)
    assert '<span class="grade grade--unknown">Not known</span>' in grid_body(grid)
    assert '<span class="grade grade--ungraded">Ungraded</span>' in grid_body(grid)
    assert "Overall efficiency" not in grid
    assert "Overall efficiency" in client.get("/?round=2016").content.decode()


def test_the_national_picture_has_a_distribution_chart_and_a_table_of_the_same_numbers(client):
    overall = QuestionFactory(overall=True)
    for tier in (Tier.INADEQUATE, Tier.GOOD, Tier.INADEQUATE):
        GradeFactory(question=overall, tier=tier)
    ForceFactory()  # no grade held
    response = client.get("/?round=2016")
    figure = figure_of(response, "chart-distribution")
    counts = {trace["name"]: trace["x"][trace["y"].index("Overall effectiveness")] for trace in figure["data"]}
    assert (counts["Inadequate"], counts["Good"], counts["Outstanding"], counts["Not known"]) == (2, 1, 0, 1)
    table = response.content.decode().split('id="distribution-table"')[1].split("</table>")[0]
    row = table.split('<th scope="row">Overall effectiveness</th>')[1].split("</tr>")[0]
    # Outstanding, Good, Requires improvement, Inadequate, Ungraded, Not known, Known
    assert re.findall(r'<td class="num">(.*?)</td>', row) == ["0", "1", "0", "2", "0", "1", "3 of 4"]


def test_the_national_grid_is_sortable_by_a_grade_column_best_first(client):
    overall = QuestionFactory(overall=True)
    for name, tier in (
        ("Aylshire Police", Tier.INADEQUATE),
        ("Zedshire Police", Tier.OUTSTANDING),
        ("Midshire Police", Tier.GOOD),
    ):
        GradeFactory(force=ForceFactory(name=name), question=overall, tier=tier)
    html = client.get(f"/?round=2016&sort=-q{overall.pk}").content.decode()
    first_row = grid_body(html).split("</tr>")[0]
    assert "Zedshire Police" in first_row and "Outstanding" in first_row
    assert 'aria-sort="descending"' in html


def test_the_national_grid_is_paginated_and_bad_page_or_sort_parameters_do_not_fail(client):
    GradeFactory()
    ForceFactory.create_batch(26)
    assert "Rows 1–25 of 27" in client.get("/?round=2016").content.decode()
    assert "Rows 26–27 of 27" in client.get("/?round=2016&page=99").content.decode()
    assert "Rows 1–25 of 27" in client.get("/?round=2016&page=first").content.decode()
    assert "Rows 1–5 of 27" in client.get("/?round=2016&per_page=5").content.decode()
    assert client.get("/?round=2016&sort=no-such-column").status_code == 200


def test_no_page_renders_more_than_a_hundred_rows_whatever_per_page_asks(client):
    GradeFactory()
    ForceFactory.create_batch(100)
    html = client.get("/?round=2016&per_page=100000").content.decode()
    assert "Rows 1–100 of 101" in html
    assert grid_body(html).count("<tr") == 100


def test_an_unknown_round_is_a_clear_400(client):
    GradeFactory()
    RoundFactory(slug="2018-19")
    response = client.get("/?round=2099")
    assert response.status_code == 400
    assert "There is no PEEL round 2099. The rounds are 2016, 2018-19." in response.content.decode()


def test_an_unknown_pillar_is_a_clear_400(client):
    GradeFactory()
    response = client.get("/?pillar=Leniency")
    assert response.status_code == 400
    assert "There is no PEEL pillar Leniency" in response.content.decode()


def test_the_pillar_filter_on_a_round_graded_by_area_says_it_does_not_apply(client):
    GradeFactory(question__round=FiveTierRoundFactory())
    response = client.get("/?round=2021-22&pillar=Legitimacy")
    assert response.status_code == 200
    assert "the pillar filter does not apply" in response.content.decode()
    assert "the pillar filter does not apply" not in client.get("/?round=2021-22").content.decode()


# --- the report page ------------------------------------------------------------------------


def test_the_report_page_shows_judgments_findings_dates_source_and_attribution(client):
    force = ForceFactory(slug="northshire")
    report = ReportFactory(force=force, last_updated=datetime.date(2017, 3, 2), source_url="https://example.org/peel-2016-north/")
    GradeFactory(force=force, question=QuestionFactory(overall=True), tier=Tier.INADEQUATE, report=report)
    e3 = QuestionFactory(code="E3", short_name="Protecting vulnerable people and supporting victims")
    cause = CauseOfConcernFactory(report=report, question=e3)
    recommendations = RecommendationFactory.create_batch(2, cause=cause)
    areas = AreaForImprovementFactory.create_batch(2, report=report)
    response = client.get("/forces/northshire/2016/")
    assert response.status_code == 200
    html = response.content.decode()
    effectiveness = html.split("Overall effectiveness:")[1]
    assert effectiveness.lstrip().startswith('<span class="grade grade--inadequate">Inadequate</span>')
    assert "E3 Protecting vulnerable people and supporting victims" in html
    assert "Open Government Licence" in html
    assert "<dt>Last updated</dt><dd>2 March 2017</dd>" in html
    assert report.source_url in html
    for text in [cause.text, *(r.text for r in recommendations), *(a.text for a in areas)]:
        assert text in html


def test_a_round_without_any_grade_for_the_force_shows_what_is_not_known(client):
    grade = GradeFactory()
    QuestionFactory(round=RoundFactory(slug="2014"), overall=True)
    response = client.get(f"/forces/{grade.force.slug}/2014/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'Overall effectiveness: <span class="grade grade--unknown">Not known</span>' in html
    assert "<dd>0 of 1 graded questions</dd>" in html


def test_an_unknown_force_or_round_on_the_report_page_is_a_404(client):
    grade = GradeFactory()
    assert client.get(f"/forces/{grade.force.slug}/2016/").status_code == 200
    assert client.get("/forces/gotham/2016/").status_code == 404
    assert client.get(f"/forces/{grade.force.slug}/2099/").status_code == 404


def test_a_report_knows_its_page_address():
    report = ReportFactory(round=RoundFactory(slug="2018-19"))
    assert report.get_absolute_url() == f"/forces/{report.force.slug}/2018-19/"


# --- compare --------------------------------------------------------------------------------


@pytest.fixture
def two_forces():
    return ForceFactory(name="Northshire Police", slug="northshire"), ForceFactory(name="Southshire Police", slug="southshire")


def test_compare_shows_two_forces_side_by_side_with_a_chart(client, two_forces):
    north, south = two_forces
    overall = QuestionFactory(overall=True)
    GradeFactory(force=north, question=overall, tier=Tier.INADEQUATE)
    GradeFactory(force=south, question=overall, tier=Tier.GOOD)
    response = client.get("/compare/?forces=northshire,southshire&round=2016")
    assert response.status_code == 200
    figure = figure_of(response, "chart-compare")
    (trace,) = figure["data"]
    assert trace["x"] == ["Northshire Police", "Southshire Police"]
    row = trace["y"].index("2016 · Overall effectiveness")
    assert trace["text"][row] == ["Inadequate", "Good"]
    assert 'id="compare-table"' in response.content.decode()


def test_compare_across_rounds_marks_the_scale_break(client, two_forces):
    north, south = two_forces
    GradeFactory(force=north, question__round=RoundFactory(slug="2018-19"))
    GradeFactory(force=south, question__round=FiveTierRoundFactory())
    figure = figure_of(client.get("/compare/?forces=northshire,southshire"), "chart-compare")
    assert "not directly comparable" in figure["layout"]["title"]["text"]
    assert [shape["line"]["dash"] for shape in figure["layout"]["shapes"]] == ["dash"]
    same_scale = figure_of(client.get("/compare/?forces=northshire,southshire&round=2018-19"), "chart-compare")
    assert same_scale["layout"]["shapes"] == []


def test_compare_turns_one_checkbox_per_force_into_the_shareable_comma_link(client, two_forces):
    response = client.get("/compare/?forces=northshire&forces=southshire&round=2016")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?forces=northshire,southshire&round=2016"


def test_compare_with_one_force_keeps_it_ticked_and_asks_for_another(client, two_forces):
    response = client.get("/compare/?forces=northshire")
    assert response.status_code == 200
    html = response.content.decode()
    assert "You chose Northshire Police only: tick at least one more force" in html
    assert 'value="northshire" checked' in html
    assert 'name="forces" value="southshire">' in html


def test_compare_without_forces_offers_the_choice(client, two_forces):
    response = client.get("/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="forces" value="northshire">' in html and 'name="forces" value="southshire">' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("forces=force-1,force-2,force-3,force-4,force-5,force-6,force-7", "at most 6 forces"),
        ("forces=force-1,gotham", "There is no force gotham"),
        ("forces=force-1,force-2&round=1999", "There is no PEEL round 1999"),
    ],
)
def test_bad_compare_parameters_are_a_clear_400(client, query, message):
    for n in range(1, 8):
        ForceFactory(slug=f"force-{n}")
    GradeFactory()
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


# --- movers ---------------------------------------------------------------------------------


def test_movers_list_same_scale_changes_and_the_break_apart_with_the_caveat(client):
    force = ForceFactory()
    effectiveness = ThemeFactory(name="Overall effectiveness", pillar=Pillar.EFFECTIVENESS)
    investigating = ThemeFactory(name="Investigating crime")
    theme_graded(force, effectiveness, "2015", Tier.GOOD)
    theme_graded(force, effectiveness, "2016", Tier.INADEQUATE)
    theme_graded(force, investigating, "2018-19", Tier.GOOD)
    theme_graded(force, investigating, "2021-22", Tier.ADEQUATE)
    html = client.get("/movers/").content.decode()
    assert "Biggest improvements and declines, same scale" in html
    same, across = html.split('id="same-heading"')[1].split('id="break-heading"')
    assert "Across the 2018/19 → 2021/22 break" in across
    assert "cannot be compared directly" in across
    assert "Overall effectiveness" in same and "Investigating crime" not in same
    assert "Investigating crime" in across and "Overall effectiveness" not in across


def test_movers_filter_by_round_theme_force_and_direction(client):
    north, south = ForceFactory(name="Northshire Police"), ForceFactory(name="Southshire Police")
    effectiveness = ThemeFactory(name="Overall effectiveness", pillar=Pillar.EFFECTIVENESS)
    for force, tiers in (
        (north, (Tier.GOOD, Tier.REQUIRES_IMPROVEMENT, Tier.INADEQUATE)),
        (south, (Tier.GOOD, Tier.INADEQUATE, Tier.GOOD)),
    ):
        for round_slug, tier in zip(("2015", "2016", "2017"), tiers, strict=True):
            theme_graded(force, effectiveness, round_slug, tier)
    query = f"round=2016&theme=overall-effectiveness&force={north.slug}&direction=declined"
    html = client.get(f"/movers/?{query}").content.decode()
    same = html.split('id="same-heading"')[1].split('id="break-heading"')[0]
    assert "Northshire Police" in same and "Southshire Police" not in same
    assert "−1 step worse" in same
    assert grid_body(same).count("<tr") == 1  # not north's 2016 → 2017 change


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("direction=sideways", "direction must be"),
        ("theme=luck", "There is no theme luck"),
        ("round=2014", "There is no PEEL round 2014"),  # the first round: no change into it
    ],
)
def test_bad_movers_parameters_are_a_clear_400(client, query, message):
    theme = ThemeFactory()
    force = ForceFactory()
    theme_graded(force, theme, "2014")
    theme_graded(force, theme, "2015")
    response = client.get(f"/movers/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


# --- findings -------------------------------------------------------------------------------


def test_findings_search_lists_matching_findings_with_links_to_report_pages(client):
    report = ReportFactory(force=ForceFactory(slug="northshire"))
    AreaForImprovementFactory.create_batch(3, report=report, text="Work with children in custody.")
    AreaForImprovementFactory(report=report, text="Work with victims.")
    CauseOfConcernFactory(report=report, text="Missing children.")
    AreaForImprovementFactory(text="Work with children at school.")  # another force
    response = client.get("/findings/?q=children&force=northshire&type=afi")
    html = response.content.decode()
    assert "3 findings" in html
    assert 'href="/forces/northshire/2016/"' in html


def test_findings_without_a_search_list_everything_the_filters_select(client):
    report = ReportFactory()
    for cause in CauseOfConcernFactory.create_batch(2, report=report):
        RecommendationFactory(cause=cause)
    AreaForImprovementFactory(report=report)
    AreaForImprovementFactory()  # another force
    assert "5 findings" in client.get(f"/findings/?force={report.force.slug}").content.decode()


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
    AreaForImprovementFactory()
    response = client.get(f"/findings/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


# --- every page, on the small site (page_helpers.site_rows) -----------------------------------

PAGES = [
    "/",
    "/?round=2016&pillar=Effectiveness",
    "/forces/metropolitan/2016/",
    "/compare/?forces=kent,essex",
    "/movers/",
    "/findings/?q=custody",
]


def site_made() -> dict[str, Force]:
    forces = site_rows()
    movers_summary_ensure()  # as loading data does: its one-off rebuild is not a page's read
    return forces


@pytest.fixture(scope="class")
def site_for_class(django_db_setup, django_db_blocker):
    """The site made once for the class's tests (a module-wide one would add to the rows the other tests state)."""
    with rows_for_module(django_db_blocker, site_made) as forces:
        yield forces


def more_data_added(forces: dict[str, Force]) -> None:
    """Three more forces graded on every graded question, an earlier round, more findings (on questions too)
    and another amendment: to show that the number of queries a page makes does not grow with the data."""
    earlier = QuestionFactory(round=RoundFactory(slug="2014"), overall=True)
    for force in forces.values():
        GradeFactory(force=force, question=earlier)
    questions = list(Question.objects.filter(graded=True))
    for _ in range(3):
        force = ForceFactory()
        for question in questions:
            GradeFactory(force=force, question=question)
        findings_added(ReportFactory(force=force), question=questions[0])
    met = forces["metropolitan"]
    findings_added(ReportFactory(force=met, round=earlier.round), question=earlier)
    GradeAmendmentFactory(grade=met.grades.get(question__round__slug="2023-25", question__short_name="Investigating crime"))


def findings_added(report, *, question) -> None:
    for _ in range(2):
        RecommendationFactory(cause=CauseOfConcernFactory(report=report, question=question, text="A concern about custody."))
        AreaForImprovementFactory(report=report, question=question, text="An area for improvement about custody.")


@pytest.mark.usefixtures("site_for_class")
class TestEveryPage:
    @pytest.mark.parametrize("url", PAGES)
    def test_pages_carry_no_inline_script_code_and_load_plotly_from_our_static_files(self, client, url):
        response = client.get(url)
        assert inline_code_scripts(response) == []
        html = response.content.decode()
        if "data-figure=" in html:
            assert '<script src="/static/plotly/plotly.min.js" defer></script>' in html
            assert '<script src="/static/js/charts.js" defer></script>' in html
        assert "cdn" not in html.lower()

    @pytest.mark.parametrize("url", PAGES)
    def test_each_page_stays_under_the_query_ceiling(self, client, django_assert_max_num_queries, url):
        with django_assert_max_num_queries(QUERY_CEILING):
            assert client.get(url).status_code == 200

    def test_the_number_of_queries_does_not_grow_with_forces_rounds_or_findings(self, client, site_for_class):
        urls = [*PAGES, "/findings/", "/forces/", "/forces/metropolitan/", "/compare/?forces=kent,essex,surrey"]
        before = {url: queries_for(client, url) for url in urls}
        more_data_added(site_for_class)
        after = {url: queries_for(client, url) for url in urls}
        assert after == before


def test_plotly_js_is_found_in_the_installed_npm_cartesian_bundle():
    path = finders.find("plotly/plotly.min.js")
    assert path and path.replace("\\", "/").endswith("node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js")


def test_a_saved_grade_shows_on_the_next_request(client):
    grade = GradeFactory(question=QuestionFactory(overall=True), tier=Tier.INADEQUATE)
    url = f"/forces/{grade.force.slug}/2016/"
    inadequate = 'Overall effectiveness: <span class="grade grade--inadequate">'
    assert inadequate in client.get(url).content.decode()
    assert "grade--inadequate" in grid_body(client.get("/?round=2016").content.decode())
    grade.tier = Tier.REQUIRES_IMPROVEMENT
    grade.save()
    html = client.get(url).content.decode()
    assert 'Overall effectiveness: <span class="grade grade--requires-improvement">Requires improvement</span>' in html
    assert "grade--inadequate" not in grid_body(client.get("/?round=2016").content.decode())
