"""Charts are pure functions: plain rows in, a figure dict out; no database needed."""

import json

from reports.pages import charts
from reports.vocabulary import Tier
from tests.reports.chart_inputs import (
    ROUNDS,
    compare_forces,
    compare_rows,
    distribution_rows,
    history_figure,
    movers_rows,
    point,
)


def test_the_history_chart_has_a_line_per_theme_with_the_tiers_in_order_on_the_y_axis():
    figure = history_figure()
    assert [t["name"] for t in figure["data"] if t["showlegend"]] == [
        "Overall effectiveness",
        "Investigating crime",
        "Managing offenders and suspects",
    ]
    yaxis = figure["layout"]["yaxis"]
    assert yaxis["ticktext"] == ["Inadequate", "Requires improvement", "Adequate", "Good", "Outstanding"]
    assert yaxis["tickvals"] == [1, 2, 3, 4, 5]
    assert figure["layout"]["xaxis"]["ticktext"] == ["2015", "2016", "2018/19", "2021/22"]
    assert figure["layout"]["xaxis"]["tickvals"] == [0, 1, 2, 3]


def test_the_history_chart_puts_each_point_on_its_tier_and_beside_its_round_with_its_true_grade_in_the_data():
    figure = history_figure()
    rounds = figure["layout"]["xaxis"]["ticktext"]
    for trace in figure["data"]:
        for x, y, data in zip(trace["x"], trace["y"], trace["customdata"], strict=True):
            if data is None:
                continue
            tier, word, slug = data
            assert y == tier and Tier(tier).label == word
            assert abs(x - [r["slug"] for r in ROUNDS].index(slug)) <= charts.DODGE + 1e-9
    assert len(rounds) == len(ROUNDS)


def test_points_of_equal_grade_in_one_round_sit_side_by_side():
    points = [
        point("Overall effectiveness", "2016", "2016", Tier.GOOD),
        point("Preventing crime", "2016", "2016", Tier.GOOD),
    ]
    figure = charts.force_history_figure(points=points, rounds=ROUNDS, break_after="2018-19")
    xs = [trace["x"][0] for trace in figure["data"]]
    assert xs[0] != xs[1] and abs(xs[0] - xs[1]) >= 0.05


def test_a_round_with_no_grade_leaves_a_gap_in_the_line():
    points = [
        point("Overall effectiveness", "2015", "2015", Tier.GOOD),
        point("Overall effectiveness", "2018-19", "2018/19", Tier.GOOD),
    ]
    (trace,) = charts.force_history_figure(points=points, rounds=ROUNDS, break_after="2018-19")["data"]
    assert trace["y"] == [4, None, 4]
    assert trace["connectgaps"] is False


def test_pillar_judgments_and_areas_show_by_default_and_other_themes_are_a_click_away():
    points = [
        point("Overall effectiveness", "2016", "2016", Tier.GOOD, headline=True),
        point("Preventing crime", "2016", "2016", Tier.GOOD, headline=False),
    ]
    figure = charts.force_history_figure(points=points, rounds=ROUNDS, break_after="2018-19")
    assert [trace["visible"] for trace in figure["data"]] == [True, "legendonly"]


def test_the_lines_colours_and_markers_do_not_repeat_within_ten_themes():
    assert len(set(charts.LINE_COLOURS)) == len(charts.LINE_COLOURS) == 10
    assert len(set(charts.LINE_SYMBOLS)) == len(charts.LINE_SYMBOLS)


def test_a_narrow_screen_gets_short_round_labels():
    assert history_figure()["narrow"]["xaxis"]["ticktext"] == ["’15", "’16", "’18/19", "’21/22"]


def test_no_line_crosses_the_scale_break_and_the_break_is_marked_with_its_reason():
    figure = history_figure()
    investigating = [t for t in figure["data"] if t["name"] == "Investigating crime"]
    assert [t["x"] for t in investigating] == [[2], [3]]
    assert [t["showlegend"] for t in investigating] == [True, False]
    (line,) = [s for s in figure["layout"]["shapes"] if s["type"] == "line"]
    assert line["x0"] == line["x1"] == 2.5  # between 2018/19 (index 2) and 2021/22 (index 3)
    assert "not comparable" in figure["layout"]["annotations"][0]["text"]


def test_hover_text_names_the_question_the_source_and_any_caveat():
    figure = history_figure()
    hovers = [text for trace in figure["data"] for text in trace["hovertext"]]
    assert any("Inadequate" in h and "Source: HMICFRS" in h and "Question: Overall effectiveness" in h for h in hovers)
    assert any("partly comparable" in h for h in hovers)


def test_a_chart_figure_is_plain_json():
    json.dumps(history_figure())
    json.dumps(charts.compare_figure(forces=[], rows=[]))
    json.dumps(charts.grade_distribution_figure(distribution=[], round_name="2016"))


def test_the_distribution_chart_stacks_every_tier_then_ungraded_and_not_known():
    distribution = distribution_rows()
    figure = charts.grade_distribution_figure(distribution=distribution, round_name="2016")
    assert [t["name"] for t in figure["data"]] == [
        "Inadequate",
        "Requires improvement",
        "Good",
        "Outstanding",
        "Ungraded",
        "Not known",
    ]
    assert [t["x"] for t in figure["data"]] == [[1], [12], [19], [1], [0], [10]]
    assert figure["data"][2]["marker"]["color"] == charts.TIER_COLOURS[Tier.GOOD]
    # Not known and ungraded differ by pattern as well as colour.
    assert figure["data"][-1]["marker"]["pattern"]["shape"] != figure["data"][-2]["marker"]["pattern"]["shape"]


def test_the_compare_chart_shows_the_grade_word_in_every_cell_and_marks_the_break():
    forces, rows = compare_forces(), compare_rows()
    (trace,) = charts.compare_figure(forces=forces, rows=rows)["data"]
    assert trace["x"] == ["Force A", "Force B"]
    assert trace["z"] == [[1, None], [5, 3]]
    assert trace["text"] == [["Inadequate", "Not known"], ["Outstanding", "Adequate"]]
    assert trace["texttemplate"] == "%{text}"
    shapes = charts.compare_figure(forces=forces, rows=rows)["layout"]["shapes"]
    assert [s["y0"] for s in shapes] == [0.5]


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_tier_colours_are_distinct_and_darker_at_each_end_of_the_scale():
    colours = charts.TIER_COLOURS
    assert len(set(colours.values())) == 5
    assert luminance(colours[Tier.OUTSTANDING]) < luminance(colours[Tier.GOOD]) < luminance(colours[Tier.ADEQUATE])
    assert luminance(colours[Tier.INADEQUATE]) < luminance(colours[Tier.REQUIRES_IMPROVEMENT]) < luminance(colours[Tier.ADEQUATE])


def test_the_movers_chart_joins_each_pairs_grades_and_dots_the_partly_comparable():
    figure = charts.movers_figure(rows=movers_rows())
    lines = [t for t in figure["data"] if t["mode"] == "lines"]
    assert [(t["name"], t["line"]["dash"]) for t in lines] == [
        ("Improved", "solid"),
        ("Declined (questions only partly comparable)", "dot"),
    ]
    assert figure["layout"]["yaxis"]["ticktext"] == ["Force A · Investigating crime", "Force B · Managing offenders"]


def test_narrow_compare_cells_hold_short_words():
    figure = charts.compare_figure(forces=compare_forces(), rows=compare_rows())
    assert figure["narrow_data"][0]["text"] == [["Inad.", "?"], ["Outst.", "Adeq."]]
