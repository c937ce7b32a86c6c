"""Sample rows for the chart functions, shared by the chart tests and the plotly bundle checks."""

from reports.pages import charts
from reports.vocabulary import Tier

ROUNDS = [
    {"slug": "2015", "name": "2015"},
    {"slug": "2016", "name": "2016"},
    {"slug": "2018-19", "name": "2018/19"},
    {"slug": "2021-22", "name": "2021/22"},
]


def point(theme: str, round_slug: str, round_name: str, tier: Tier, **extra) -> dict:
    return {
        "theme_slug": theme.lower().replace(" ", "-"),
        "theme": theme,
        "round_slug": round_slug,
        "round": round_name,
        "tier": int(tier),
        "status": "graded",
        "question": theme,
        "source": "HMICFRS",
        "carried_over": False,
        "partial": False,
        **extra,
    }


def history_figure() -> dict:
    points = [
        point("Overall effectiveness", "2015", "2015", Tier.REQUIRES_IMPROVEMENT),
        point("Overall effectiveness", "2016", "2016", Tier.INADEQUATE),
        point("Investigating crime", "2018-19", "2018/19", Tier.GOOD),
        point("Investigating crime", "2021-22", "2021/22", Tier.REQUIRES_IMPROVEMENT, partial=True),
        point("Managing offenders and suspects", "2021-22", "2021/22", Tier.OUTSTANDING),
    ]
    return charts.force_history_figure(points=points, rounds=ROUNDS, break_after="2018-19")


def distribution_rows() -> list[dict]:
    """One 2016 question: 1 outstanding, 19 good, 12 requires improvement, 1 inadequate, 10 not known."""
    return [
        {
            "question": "Overall effectiveness",
            "tiers": [
                (Tier.OUTSTANDING, 1),
                (Tier.GOOD, 19),
                (Tier.REQUIRES_IMPROVEMENT, 12),
                (Tier.INADEQUATE, 1),
            ],
            "ungraded": 0,
            "not_known": 10,
        }
    ]


def compare_forces() -> list[dict]:
    return [{"slug": "a", "name": "Force A"}, {"slug": "b", "name": "Force B"}]


def compare_rows() -> list[dict]:
    """Force A and B in a four-tier round (B's grade not known) and a five-tier one."""
    return [
        {
            "round": "2016",
            "question": "Overall effectiveness",
            "five_tier": False,
            "a": {"tier": 1, "text": "Inadequate"},
            "b": {"tier": None, "text": "Not known"},
        },
        {
            "round": "2021/22",
            "question": "Investigating crime",
            "five_tier": True,
            "a": {"tier": 5, "text": "Outstanding"},
            "b": {"tier": 3, "text": "Adequate"},
        },
    ]


def movers_rows() -> list[dict]:
    """Two changes: one improvement, one partly comparable decline."""
    base = {"from_round": "2021/22", "to_round": "2023–25", "from_text": "", "to_text": ""}
    return [
        {
            **base,
            "force": "Force A",
            "theme": "Investigating crime",
            "from_tier": 1,
            "to_tier": 5,
            "direction": "improved",
            "partial": False,
        },
        {
            **base,
            "force": "Force B",
            "theme": "Managing offenders",
            "from_tier": 5,
            "to_tier": 3,
            "direction": "declined",
            "partial": True,
        },
    ]
