"""Charts as pure functions: plain rows in, a plotly figure dict out (no ORM, no request).

Views pass the dict to the template with ``json_script`` and one static script
(``static/js/charts.js``) draws it with Plotly.newPlot, so pages need no inline script. Plain
dicts rather than ``plotly.graph_objects`` keep plotly's Python package out of the request path.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from reports.templatetags.peel import grade_text, grade_words
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
# Okabe–Ito without its sky blue (too near the blue), then Tol's wine, teal, olive and purple: ten
# colours no two alike; with ten marker symbols and dotted lines for the non-default themes.
LINE_COLOURS = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#000000",
    "#882255",
    "#44AA99",
    "#999933",
    "#6F4E7C",
]
LINE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "triangle-down", "star", "hexagon", "pentagon"]
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Liberation Sans, sans-serif", "size": 13, "color": "#1d1d1f"}
COMPARE_BREAK_NOTE = "Dashed line: the scale changed after 2018/19; grades either side are not directly comparable"
DODGE = 0.4  # how far left or right of its round a point may sit, so equal grades stay side by side
DODGE_STEP = 0.12  # the distance between two points of equal grade in one round (in rounds)
SHORT_TIER = {Tier.REQUIRES_IMPROVEMENT: "Req. improvement"}
SHORT_GRADE = {"Outstanding": "Outst.", "Adequate": "Adeq.", "Requires improvement": "Req. impr.", "Inadequate": "Inad."}
SHORT_GRADE |= {"Not known": "?", "Ungraded": "Ungr.", "Not graded this time": "Not gr.", "Not inspected": "Not insp."}


def _layout(**extra) -> dict:
    return {
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"namelength": -1},
        **extra,
    }


def short_round(name: str) -> str:
    """A round's name for a narrow axis: 2016 → ’16, 2018/19 → ’18/19, 2023–25 → ’23–25."""
    return "’" + name[2:] if name[:2] == "20" and len(name) >= 4 else name


def _line_style(index: int) -> tuple[str, str]:
    """A theme's colour and marker: no two of the first len(colours) × len(symbols) themes share both."""
    colour = LINE_COLOURS[index % len(LINE_COLOURS)]
    symbol = LINE_SYMBOLS[(index + index // len(LINE_COLOURS)) % len(LINE_SYMBOLS)]
    return colour, symbol


def _dodges(points: list[dict]) -> dict[tuple[str, str], float]:
    """How far left or right of its round each point sits, so points of equal grade in one round sit
    side by side (none hides another): the default points (pillar judgments, graded areas) centred,
    the others beyond them."""
    groups: dict[tuple[str, int], list[dict]] = {}
    for point in points:
        groups.setdefault((point["round_slug"], point["tier"]), []).append(point)
    offsets = {}
    for group in groups.values():
        group.sort(key=lambda p: not p.get("headline", True))
        centre = (max(1, sum(1 for p in group if p.get("headline", True))) - 1) / 2
        step = min(DODGE_STEP, 2 * DODGE / max(1, len(group)))
        for rank, point in enumerate(group):
            offsets[point["theme_slug"], point["round_slug"]] = round(max(-DODGE, min(DODGE, (rank - centre) * step)), 3)
    return offsets


def force_history_figure(*, points: list[dict], rounds: list[dict], break_after: str) -> dict:
    """A force's grades across rounds: one line per theme (pillar judgments are themes too), a gap
    where we hold no grade, y-axis the tiers in order, and a marked break where the scale changed
    after ``break_after`` (no line crosses it). Pillar judgments and graded areas show by default,
    the other themes are a legend click away. ``narrow`` holds the layout changes for small screens.

    points: dicts with theme_slug, theme, round_slug, round, tier, status, question, source,
    source_url, carried_over, partial, headline. rounds: dicts with slug and name, in order.
    """
    round_names = [r["name"] for r in rounds]
    index_of = {r["slug"]: i for i, r in enumerate(rounds)}
    break_index = next((i for i, r in enumerate(rounds) if r["slug"] == break_after), None)
    sides = [
        [r["slug"] for i, r in enumerate(rounds) if break_index is None or i <= break_index],
        [r["slug"] for i, r in enumerate(rounds) if break_index is not None and i > break_index],
    ]
    themes: dict[str, list[dict]] = {}
    for point in points:
        themes.setdefault(point["theme_slug"], []).append(point)
    offsets = _dodges(points)
    traces = []
    for index, (slug, theme_points) in enumerate(themes.items()):
        colour, symbol = _line_style(index)
        name = theme_points[0]["theme"]
        overall = name.startswith("Overall")
        by_round = {p["round_slug"]: p for p in theme_points}
        # The legend entry sits on the theme's first default segment (clicking it toggles both).
        segments = [[by_round.get(r) for r in side] for side in sides]
        shown = [any(p and p.get("headline", True) for p in held) for held in segments]
        legend_on = shown.index(True) if any(shown) else next(i for i, held in enumerate(segments) if any(held))
        # One trace each side of the break, so no line crosses it; None where no grade, so lines have gaps.
        for number, (side, held) in enumerate(zip(sides, segments, strict=True)):
            if not any(held):
                continue
            span = [i for i, p in enumerate(held) if p]
            held, side_slugs = held[span[0] : span[-1] + 1], side[span[0] : span[-1] + 1]
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": name,
                    "legendgroup": slug,
                    "showlegend": number == legend_on,
                    "visible": True if shown[number] else "legendonly",
                    "connectgaps": False,
                    "x": [index_of[r] + offsets.get((slug, r), 0) for r in side_slugs],
                    "y": [p["tier"] if p else None for p in held],
                    "line": {"color": colour, "width": 3 if overall else 2, "dash": "solid" if shown[number] else "dot"},
                    "marker": {"color": colour, "symbol": symbol, "size": 11, "line": {"color": "#ffffff", "width": 1}},
                    "hovertext": [_history_hover(p) if p else "" for p in held],
                    "hoverinfo": "text",
                    "customdata": [[p["tier"], _grade(p), p["round_slug"]] if p else None for p in held],
                    "meta": {"theme": slug, "headline": shown[number]},
                }
            )
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
                "y": 1.0,
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
                "y0": int(tier) - 0.3,
                "y1": int(tier) + 0.3,
                "fillcolor": "#f3f4f8",
                "line": {"width": 0},
                "layer": "below",
            }
        )
    ticks = list(range(len(round_names)))
    return {
        "data": traces,
        "layout": _layout(
            autosize=True,
            margin={"l": 160, "r": 16, "t": 28, "b": 8},
            xaxis={
                "tickvals": ticks,
                "ticktext": round_names,
                "range": [-0.5, len(round_names) - 0.5],
                "showgrid": False,
                "zeroline": False,
                "fixedrange": True,
            },
            yaxis={
                "range": [0.5, 5.5],
                "tickvals": [int(t) for t in tiers],
                "ticktext": [t.label for t in tiers],
                "zeroline": False,
                "showgrid": False,
                "fixedrange": True,
            },
            legend={"orientation": "h", "y": -0.06, "yanchor": "top", "x": 0, "groupclick": "togglegroup"},
            shapes=shapes,
            annotations=annotations,
            hovermode="closest",
            hoverdistance=12,
        ),
        "narrow": {
            "margin": {"l": 112, "r": 8, "t": 28, "b": 8},
            "font": {"size": 11},
            "xaxis": {"ticktext": [short_round(name) for name in round_names], "tickangle": 0, "tickfont": {"size": 10}},
            "yaxis": {"ticktext": [SHORT_TIER.get(t, t.label) for t in tiers]},
            "legend": {"font": {"size": 10}, "tracegroupgap": 0},
            "annotations": [{**a, "text": "Scale changed"} for a in annotations],
        },
    }


def _grade(point: dict) -> str:
    return grade_words(status=point.get("status", "graded"), tier=point["tier"])


def _history_hover(point: dict) -> str:
    lines = [f"<b>{point['theme']}</b> · PEEL {point['round']}", _grade(point), f"Question: {point['question']}"]
    if point.get("carried_over"):
        lines.append("Judgment carried over from an earlier inspection")
    if point.get("partial"):
        lines.append("Only partly comparable with this theme's other questions")
    lines.append(f"Source: {point.get('source') or 'not recorded'}")
    return "<br>".join(lines)


def grade_distribution_figure(*, distribution: list[dict], round_name: str) -> dict:
    """How many forces got each grade on each question of a round, as stacked horizontal bars,
    with ungraded and not-known counts so every force is accounted for.

    distribution: dicts with question, tiers [(Tier, count) best first], ungraded, not_known.
    """
    questions = [d["question"] for d in distribution]
    traces = []
    if distribution:
        # Worst tier first, so the bars stack from Inadequate up to Outstanding.
        for position in reversed(range(len(distribution[0]["tiers"]))):
            tier = Tier(distribution[0]["tiers"][position][0])
            counts = [d["tiers"][position][1] for d in distribution]
            traces.append(_bar(name=tier.label, counts=counts, questions=questions, colour=TIER_COLOURS[tier]))
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
        "narrow": {
            "margin": {"l": 8, "r": 8, "t": 70, "b": 40},
            "font": {"size": 10},
            "xaxis": {"title": {"text": "Forces"}, "dtick": 10},
            "yaxis": {"tickvals": questions, "ticktext": [_shorten(q, 24) for q in questions], "tickfont": {"size": 9}},
            "legend": {"font": {"size": 10}},
        },
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


def compare_chart_rows(*, forces: Sequence[Mapping[str, Any]], rows: list[dict]) -> list[dict]:
    """A comparison's rows (per force slug a selectors.GradeCell) as compare_figure takes them."""
    return [
        {
            "round": row["round"],
            "question": row["question"],
            "five_tier": row["five_tier"],
            **{f["slug"]: {"tier": row[f["slug"]].tier, "text": grade_text(row[f["slug"]])} for f in forces},
        }
        for row in rows
    ]


def compare_figure(*, forces: Sequence[Mapping[str, Any]], rows: list[dict]) -> dict:
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
        "narrow": {
            "font": {"size": 10},
            "margin": {"l": 4, "r": 4, "t": 80, "b": 10},
            "xaxis": {"ticktext": [_shorten(name.split(" ")[0], 12) for name in names], "tickvals": names, "tickangle": 0},
            "yaxis": {"tickvals": labels, "ticktext": [_shorten(label, 26) for label in labels], "tickfont": {"size": 9}},
            **({"title": {"text": "Dashed line: scale changed", "font": {"size": 10}}} if shapes else {}),
        },
        # Narrow cells hold short words: Outst., Good, Adeq., Req. impr., Inad.; ? where not known.
        "narrow_data": [{"text": [[SHORT_GRADE.get(word, word) for word in row] for row in text], "textfont": {"size": 9}}],
    }


MOVER_COLOURS = {"improved": "#0072B2", "declined": "#D55E00", "unchanged": "#5a5a60"}


def _shorten(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def movers_figure(*, rows: list[dict]) -> dict:
    """The biggest changes as a dumbbell chart: per row the earlier grade (open marker) and the
    later one (filled), joined by a line coloured by direction; partly comparable pairs dotted.

    rows: dicts with force, theme, from_round, to_round, from_tier, to_tier, from_text, to_text,
    direction (improved, declined, unchanged) and partial, biggest first.
    """
    labels = [f"{row['force']} · {row['theme']}" for row in rows]
    short = [f"{_shorten(row['force'].split(' ')[0], 11)} · {_shorten(row['theme'], 14)}" for row in rows]
    traces = []
    for direction, colour in MOVER_COLOURS.items():
        for partial in (False, True):
            chosen = [(i, row) for i, row in enumerate(rows) if row["direction"] == direction and row["partial"] == partial]
            if not chosen:
                continue
            x: list = []
            y: list = []
            for i, row in chosen:
                x += [row["from_tier"], row["to_tier"], None]
                y += [i, i, None]
            name = f"{direction.capitalize()}{' (questions only partly comparable)' if partial else ''}"
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": name,
                    "x": x,
                    "y": y,
                    "line": {"color": colour, "width": 3, "dash": "dot" if partial else "solid"},
                    "hoverinfo": "skip",
                }
            )
    for end, symbol in (("from", "circle-open"), ("to", "circle")):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Earlier grade" if end == "from" else "Later grade",
                "x": [row[f"{end}_tier"] for row in rows],
                "y": list(range(len(rows))),
                "marker": {
                    "symbol": symbol,
                    "size": 11,
                    "color": [MOVER_COLOURS[row["direction"]] for row in rows],
                    "line": {"width": 2, "color": [MOVER_COLOURS[row["direction"]] for row in rows]},
                },
                "hovertext": [
                    f"<b>{label}</b><br>PEEL {row['from_round']}: {row['from_text']}<br>PEEL {row['to_round']}: {row['to_text']}"
                    + ("<br>Questions only partly comparable" if row["partial"] else "")
                    for label, row in zip(labels, rows, strict=True)
                ],
                "hoverinfo": "text",
            }
        )
    tiers = sorted(Tier, key=int)
    return {
        "data": traces,
        "layout": _layout(
            autosize=True,
            margin={"l": 20, "r": 16, "t": 36, "b": 8},
            xaxis={
                "range": [0.5, 5.5],
                "tickvals": [int(t) for t in tiers],
                "ticktext": [t.label for t in tiers],
                "side": "top",
                "fixedrange": True,
                "gridcolor": "#e5e5ea",
                "zeroline": False,
                "showline": False,
            },
            yaxis={
                "tickvals": list(range(len(rows))),
                "ticktext": labels,
                "autorange": "reversed",
                "automargin": True,
                "fixedrange": True,
                "zeroline": False,
            },
            legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0},
            hovermode="closest",
        ),
        "narrow": {
            "font": {"size": 10},
            "margin": {"l": 4, "r": 8, "t": 30, "b": 8},
            "xaxis": {"ticktext": ["Inad.", "Req. impr.", "Adeq.", "Good", "Outst."], "tickangle": 0, "tickfont": {"size": 9}},
            "yaxis": {"ticktext": short, "tickfont": {"size": 9}},
        },
    }
