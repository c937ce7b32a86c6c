"""The monitoring timeline as a pure function: period rows in, a plotly figure dict out (no ORM,
no request), drawn by static/js/charts.js from json_script like every chart of the dashboard."""

from datetime import date, datetime, time

FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Liberation Sans, sans-serif", "size": 13, "color": "#1d1d1f"}
# Okabe–Ito: closed periods in blue, periods with no exit found in orange with a hatch, so the
# difference never rests on colour alone (the hover text and the table say it in words too).
CLOSED_COLOUR = "#0072B2"
OPEN_COLOUR = "#E69F00"
MS_PER_DAY = 86_400_000


def _ms(start: date, end: date) -> int:
    """The length of a bar from start to end, in milliseconds (plotly's unit for a date axis)."""
    return int((datetime.combine(end, time()) - datetime.combine(start, time())).total_seconds() * 1000)


def monitoring_timeline_figure(*, periods: list[dict], today: date) -> dict:
    """One bar per monitoring period, one row per force (earliest entry at the top), on a date axis.

    periods: dicts with force_name, stage, entered, entered_display, left (date or None),
    left_display, open. A period with no exit found is drawn to ``today`` and says so; a date
    known only to the month or year starts (or ends) its bar on the first day of that month or year.
    """
    forces: list[str] = []
    for period in periods:
        if period["force_name"] not in forces:
            forces.append(period["force_name"])
    traces = []
    for is_open, colour, name in ((False, CLOSED_COLOUR, "Engage, left"), (True, OPEN_COLOUR, "Engage, no exit found")):
        chosen = [p for p in periods if p["open"] == is_open]
        if not chosen:
            continue
        ends = [today if p["open"] else p["left"] for p in chosen]
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "y": [p["force_name"] for p in chosen],
                "base": [p["entered"].isoformat() for p in chosen],
                "x": [max(_ms(p["entered"], end), MS_PER_DAY) for p, end in zip(chosen, ends, strict=True)],
                "marker": {
                    "color": colour,
                    "pattern": {"shape": "/" if is_open else ""},
                    "line": {"color": "#1d1d1f", "width": 1},
                },
                "customdata": [
                    [p["stage"], p["entered_display"], p["left_display"] or f"no exit found (drawn to {today:%d %B %Y})"]
                    for p in chosen
                ],
                "hovertemplate": "%{y}: %{customdata[0]} from %{customdata[1]} to %{customdata[2]}<extra></extra>",
            }
        )
    return {
        "data": traces,
        "layout": {
            "font": FONT,
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "barmode": "overlay",
            "height": 120 + 34 * max(len(forces), 1),
            "margin": {"l": 150, "r": 20, "t": 30, "b": 40},
            "xaxis": {"type": "date", "title": {"text": "Date"}, "gridcolor": "#e5e5e5"},
            "yaxis": {"categoryorder": "array", "categoryarray": forces, "autorange": "reversed", "automargin": True},
            "legend": {"orientation": "h", "y": 1.08, "x": 0},
            "hoverlabel": {"namelength": -1},
        },
    }
