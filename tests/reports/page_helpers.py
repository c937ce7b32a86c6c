"""Helpers for the page tests: figures from json_script, script tags, query counts, a small site, grades on a theme."""

import json
import re

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forces.models import Force
from reports.models import Grade, Question, Theme
from reports.summaries import movers_summary_ensure
from reports.vocabulary import GradeStatus, Pillar, Tier
from tests.factories import (
    AreaForImprovementFactory,
    CauseOfConcernFactory,
    FiveTierRoundFactory,
    ForceFactory,
    GradeAmendmentFactory,
    GradeCountFactory,
    GradeFactory,
    MonitoringPeriodFactory,
    QuestionFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
)

QUERY_CEILING = 20
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)


def figure_of(response, chart_id: str) -> dict:
    """The plotly figure a page hands to static/js/charts.js for one chart."""
    match = re.search(
        rf'<script id="{chart_id}-figure" type="application/json">(.*?)</script>', response.content.decode(), re.DOTALL
    )
    assert match, f"no figure for {chart_id}"
    return json.loads(match.group(1))


def inline_code_scripts(response) -> list[str]:
    """Script tags that carry code in the page (JSON data blocks and src= scripts are fine)."""
    return [
        attrs
        for attrs, body in SCRIPT.findall(response.content.decode())
        if "src=" not in attrs and 'type="application/json"' not in attrs and body.strip()
    ]


def queries_for(client, url: str) -> int:
    """SQL queries one request makes with every cache empty (the worst case), the movers summary
    current (its one-off rebuild after loaddata is not a page's read)."""
    movers_summary_ensure()
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


# Grades of site_rows: per force, Overall effectiveness in 2016, 2017, 2018/19, then Investigating crime in
# the same rounds and in 2021/22 and 2023–25 (O Outstanding, G Good, A Adequate, R Requires improvement, I Inadequate).
SITE_FORCES = {
    "metropolitan": ("Metropolitan Police Service", "RGG", "GRGAG"),
    "kent": ("Kent Police", "IRG", "RRGRA"),
    "essex": ("Essex Police", "GRR", "GGOGI"),
    "surrey": ("Surrey Police", "OGG", "IRROG"),
}
SITE_TIERS = {"O": Tier.OUTSTANDING, "G": Tier.GOOD, "A": Tier.ADEQUATE, "R": Tier.REQUIRES_IMPROVEMENT, "I": Tier.INADEQUATE}


def site_rows() -> dict[str, Force]:
    """A small site on which every public page shows its full content: four forces (SITE_FORCES) graded in
    three four-tier rounds and two five-tier ones on two themes, so movers change on each scale and across
    the break; a carried-over and a not-inspected grade; each force's 2016 report with a cause of concern
    (about crime and custody) and its recommendation, its 2023–25 report with an area for improvement (about crime);
    the Met's 2021/22 grade amended, its areas counted and its time in Engage."""
    overall_theme = ThemeFactory(name="Overall effectiveness", pillar=Pillar.EFFECTIVENESS)
    crime_theme = ThemeFactory(name="Investigating crime")
    four_tier = [RoundFactory(slug=slug) for slug in ("2016", "2017", "2018-19")]
    five_tier = [FiveTierRoundFactory(), FiveTierRoundFactory(slug="2023-25")]
    overall = [QuestionFactory(round=round_, overall=True, theme=overall_theme) for round_ in four_tier]
    crime = [
        QuestionFactory(round=round_, code="E2", short_name="Investigating crime", theme=crime_theme) for round_ in four_tier
    ]
    crime += [QuestionFactory(round=round_, short_name="Investigating crime", theme=crime_theme) for round_ in five_tier]
    custody = QuestionFactory(round=five_tier[1], short_name="Custody")
    forces = {}
    for slug, (name, overall_tiers, crime_tiers) in SITE_FORCES.items():
        force = forces[slug] = ForceFactory(slug=slug, name=name)
        for question, letter in [*zip(overall, overall_tiers, strict=True), *zip(crime, crime_tiers, strict=True)]:
            GradeFactory(force=force, question=question, tier=SITE_TIERS[letter])
        GradeFactory(force=force, question=custody, status=GradeStatus.NOT_INSPECTED, tier=None)
        GradeCountFactory(force=force, round=five_tier[1], n_areas_graded=1)
        report = ReportFactory(force=force, round=four_tier[0], summary=f"{name} is not yet effective enough.")
        cause = CauseOfConcernFactory(
            report=report,
            question=crime[0],
            text=f"{name} does not record crime well or check detainees in custody often enough.",
        )
        RecommendationFactory(cause=cause, text="Within six months, the force should review its custody checks.")
        AreaForImprovementFactory(
            report=ReportFactory(force=force, round=five_tier[1]),
            question=crime[4],
            text="The force should investigate crime sooner.",
        )
    met = forces["metropolitan"]
    GradeAmendmentFactory(grade=Grade.objects.get(force=met, question=crime[3]))
    GradeCountFactory(force=met, round=five_tier[0], n_areas_graded=1)
    GradeFactory(
        force=met, question=QuestionFactory(round=four_tier[0], code="E1", short_name="Preventing crime"), carried_over=True
    )
    MonitoringPeriodFactory(force=met)
    return forces


def theme_graded(force, theme: Theme, round_slug: str, tier: int | None = Tier.GOOD, **grade) -> Grade:
    """force's grade on `theme` in a round. The theme's question of the round is made the first time a round
    needs it: the pillar's own judgment for an 'Overall …' theme up to 2018/19, else a question (an area from
    2021/22) named as the theme."""
    round_ = RoundFactory(slug=round_slug)
    question = Question.objects.filter(round=round_, theme=theme).first()
    if question is None:
        pillar = (theme.pillar or Pillar.EFFECTIVENESS) if round_.has_pillars else ""
        if round_.has_pillars and theme.slug.startswith("overall-"):
            question = QuestionFactory(round=round_, theme=theme, overall=True, pillar=pillar)
        else:
            question = QuestionFactory(round=round_, theme=theme, pillar=pillar, short_name=theme.name)
    return GradeFactory(force=force, question=question, tier=tier, **grade)
