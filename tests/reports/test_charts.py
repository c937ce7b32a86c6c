"""Charts are pure functions: plain rows in, a figure dict out; no database needed."""

import json

from reports.pages import charts
from reports.vocabulary import Tier
from tests.reports.chart_inputs import compare_forces, compare_rows, distribution_rows, history_figure


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
    assert figure["layout"]["xaxis"]["categoryarray"] == ["2015", "2016", "2018/19", "2021/22"]


def test_the_history_chart_keeps_each_point_within_its_tiers_band_and_its_true_grade_in_the_data():
    for trace in history_figure()["data"]:
        for y, (tier, word, _slug) in zip(trace["y"], trace["customdata"], strict=True):
            assert abs(y - tier) <= charts.DODGE + 1e-9
            assert Tier(tier).label == word


def test_no_line_crosses_the_scale_break_and_the_break_is_marked_with_its_reason():
    figure = history_figure()
    investigating = [t for t in figure["data"] if t["name"] == "Investigating crime"]
    assert [t["x"] for t in investigating] == [["2018/19"], ["2021/22"]]
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
