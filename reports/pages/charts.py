"""Charts as pure functions: plain rows in, a plotly figure dict out (no ORM, no request).

Views pass the dict to the template with ``json_script`` and one static script
(``static/js/charts.js``) draws it with Plotly.newPlot, so pages need no inline script. Plain
dicts rather than ``plotly.graph_objects`` keep plotly's Python package out of the request path.
"""

from reports.vocabulary import Tier

# Blue–orange diverging, safe for the common colour-vision deficiencies; the grade word is
# always shown too (cell text, axis labels, hover), so colour is never the only signal.
TIER_COLOURS = {
    Tier.OUTSTANDING: "#08519c",
    Tier.GOOD: "#6baed6",
    Tier.ADEQUATE: "#bdbdbd",
    Tier.REQUIRES_IMPROVEMENT: "#fd8d3c",
    Tier.INADEQUATE: "#a63603",
}
UNGRADED_COLOUR = "#f0f0f0"
NOT_KNOWN_COLOUR = "#ffffff"
# Okabe–Ito, for lines that stand for themes rather than grades; symbols vary as well.
LINE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#882255"]
LINE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "triangle-down", "star", "hexagon", "pentagon"]
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Liberation Sans, sans-serif", "size": 13, "color": "#1d1d1f"}
COMPARE_BREAK_NOTE = "Dashed line: the scale changed after 2018/19; grades either side are not directly comparable"
DODGE = 0.28  # how far from its tier a theme's line may sit, so equal grades stay visible


def _layout(**extra) -> dict:
    return {
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"namelength": -1},
        **extra,
    }


def force_history_figure(*, points: list[dict], rounds: list[dict], break_after: str) -> dict:
    """A force's grades across rounds: one line per theme (pillar judgments are themes too),
    y-axis the tiers in order, and a marked gap where the scale changed after ``break_after``.

    points: dicts with theme_slug, theme, round_slug, round, tier, grade (word), question,
    source, carried_over, partial. rounds: dicts with slug and name, in order.
    """
    round_names = [r["name"] for r in rounds]
    break_index = next((i for i, r in enumerate(rounds) if r["slug"] == break_after), None)
    after_break = {r["slug"] for i, r in enumerate(rounds) if break_index is not None and i > break_index}
    themes: dict[str, list[dict]] = {}
    for point in points:
        themes.setdefault(point["theme_slug"], []).append(point)
    traces = []
    count = len(themes)
    for index, theme_points in enumerate(themes.values()):
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        symbol = LINE_SYMBOLS[index % len(LINE_SYMBOLS)]
        name = theme_points[0]["theme"]
        # Lines on the same tier would hide each other: each theme sits at its own small offset
        # inside the tier's band (the band, the axis label and the hover text give the grade).
        offset = 0.0 if count == 1 else round(-DODGE + 2 * DODGE * index / (count - 1), 3)
        overall = name.startswith("Overall")
        # Two segments per theme, one each side of the break, so no line crosses it.
        segments = [
            [p for p in theme_points if p["round_slug"] not in after_break],
            [p for p in theme_points if p["round_slug"] in after_break],
        ]
        first = True
        for segment in segments:
            if not segment:
                continue
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": first,
                    "x": [p["round"] for p in segment],
                    "y": [p["tier"] + offset for p in segment],
                    "line": {"color": colour, "width": 3 if overall else 1.5, "dash": "solid" if overall else "dot"},
                    "marker": {"color": colour, "symbol": symbol, "size": 10, "line": {"color": "#ffffff", "width": 1}},
                    "hovertext": [_history_hover(p) for p in segment],
                    "hoverinfo": "text",
                    "customdata": [[p["tier"], p["grade"], p["round_slug"]] for p in segment],
                }
            )
            first = False
    shapes, annotations = [], []
    if break_index is not None and break_index + 1 < len(rounds):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": break_index + 0.5,
                "x1": break_index + 0.5,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#5a5a60", "width": 2, "dash": "dash"},
            }
        )
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": break_index + 0.5,
                "y": 1.02,
                "yanchor": "bottom",
                "text": "Scale changed (not comparable)",
                "showarrow": False,
                "font": {"size": 12, "color": "#3a3a40"},
            }
        )
    tiers = sorted(Tier, key=int)
    for tier in tiers:
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": int(tier) - DODGE - 0.08,
                "y1": int(tier) + DODGE + 0.08,
                "fillcolor": "#f3f4f8",
                "line": {"width": 0},
                "layer": "below",
            }
        )
    return {
        "data": traces,
        "layout": _layout(
            height=560,
            margin={"l": 170, "r": 20, "t": 40, "b": 20},
            xaxis={
                "type": "category",
                "categoryorder": "array",
                "categoryarray": round_names,
                "range": [-0.5, len(round_names) - 0.5],
                "showgrid": False,
            },
            yaxis={
                "range": [0.5, 5.5],
                "tickvals": [int(t) for t in tiers],
                "ticktext": [t.label for t in tiers],
                "zeroline": False,
                "showgrid": False,
                "fixedrange": True,
            },
            legend={"orientation": "h", "y": -0.08, "yanchor": "top"},
            shapes=shapes,
            annotations=annotations,
            hovermode="closest",
        ),
    }


def _history_hover(point: dict) -> str:
    lines = [f"<b>{point['theme']}</b> · PEEL {point['round']}", f"{point['grade']}", f"Question: {point['question']}"]
    if point.get("carried_over"):
        lines.append("Judgment carried over from an earlier inspection")
    if point.get("partial"):
        lines.append("Only partly comparable with this theme's other questions")
    lines.append(f"Source: {point.get('source') or 'not recorded'}")
    return "<br>".join(lines)


def grade_distribution_figure(*, distribution: list[dict], round_name: str) -> dict:
    """How many forces got each grade on each question of a round, as stacked horizontal bars,
    with ungraded and not-known counts so every force is accounted for.

    distribution: dicts with question, tiers [(word, css, count) best first], ungraded, not_known.
    """
    questions = [d["question"] for d in distribution]
    traces = []
    if distribution:
        # Worst tier first, so the bars stack from Inadequate up to Outstanding.
        for position in reversed(range(len(distribution[0]["tiers"]))):
            word = distribution[0]["tiers"][position][0]
            counts = [d["tiers"][position][2] for d in distribution]
            traces.append(_bar(name=word, counts=counts, questions=questions, colour=TIER_COLOURS[Tier.from_word(word)]))
        extras = (("Ungraded", "ungraded", UNGRADED_COLOUR, "."), ("Not known", "not_known", NOT_KNOWN_COLOUR, "/"))
        for name, key, colour, pattern in extras:
            counts = [d[key] for d in distribution]
            traces.append(_bar(name=name, counts=counts, questions=questions, colour=colour, pattern=pattern))
    return {
        "data": traces,
        "layout": _layout(
            barmode="stack",
            height=max(260, 34 * len(questions) + 150),
            margin={"l": 260, "r": 20, "t": 70, "b": 50},
            xaxis={"title": {"text": f"Forces (PEEL {round_name})"}, "gridcolor": "#e5e5ea", "dtick": 5},
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
            legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
            hovermode="closest",
        ),
    }


def _bar(*, name: str, counts: list[int], questions: list[str], colour: str, pattern: str = "") -> dict:
    marker: dict = {"color": colour, "line": {"color": "#5a5a60", "width": 0.5}}
    if pattern:
        marker["pattern"] = {"shape": pattern, "fgcolor": "#8a8a90", "size": 6}
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "x": counts,
        "y": questions,
        "marker": marker,
        "hovertemplate": "%{y}<br>" + name + ": %{x} forces<extra></extra>",
    }


def compare_figure(*, forces: list[dict], rows: list[dict]) -> dict:
    """Forces side by side as a grid of coloured cells with the grade word in each.

    forces: dicts with slug and name. rows: dicts with round, question, five_tier (rows of the
    five-tier rounds come after the others) and, per force slug, a dict with tier (None if
    ungraded or not known) and text.
    """
    labels = [f"{row['round']} · {row['question']}" for row in rows]
    names = [force["name"] for force in forces]
    z = [[row[force["slug"]]["tier"] for force in forces] for row in rows]
    text = [[row[force["slug"]]["text"] for force in forces] for row in rows]
    shapes = []
    first_five_tier = next((i for i, row in enumerate(rows) if row.get("five_tier")), None)
    if first_five_tier:
        # Rows run oldest first: a dashed line where the scale changed, with the reason.
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "yref": "y",
                "x0": -0.02,
                "x1": 1,
                "y0": first_five_tier - 0.5,
                "y1": first_five_tier - 0.5,
                "line": {"color": "#1d1d1f", "width": 2, "dash": "dash"},
            }
        )

    scale = []
    for tier in sorted(Tier, key=int):
        low, high = (int(tier) - 1) / 5, int(tier) / 5
        scale += [[low, TIER_COLOURS[tier]], [high, TIER_COLOURS[tier]]]
    return {
        "data": [
            {
                "type": "heatmap",
                "x": names,
                "y": labels,
                "z": z,
                "text": text,
                "texttemplate": "%{text}",
                "textfont": {"size": 12},
                "hovertemplate": "%{x}<br>%{y}<br>%{text}<extra></extra>",
                "colorscale": scale,
                "zmin": 0.5,
                "zmax": 5.5,
                "showscale": False,
                "xgap": 3,
                "ygap": 3,
                "hoverongaps": False,
            }
        ],
        "layout": _layout(
            height=max(240, 30 * len(rows) + 90),
            margin={"l": 20, "r": 20, "t": 80, "b": 20},
            xaxis={"side": "top", "type": "category"},
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
            plot_bgcolor="#fafafa",
            shapes=shapes,
            **({"title": {"text": COMPARE_BREAK_NOTE, "x": 0, "xanchor": "left", "font": {"size": 12}}} if shapes else {}),
        ),
    }
