"""Helpers for the page tests: figures from json_script, script tags, query counts, more data, a small site."""

import json
import re

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forces.models import Force
from reports.models import AreaForImprovement, CauseOfConcern, Grade, Question, Recommendation, Report, Round
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


def more_data_added() -> None:
    """Five more forces with a grade on every graded 2016 question, and more findings, to show that
    the number of queries a page makes does not grow with the data."""
    round_ = Round.objects.get(slug="2016")
    questions = list(Question.objects.filter(round=round_, graded=True))
    for index in range(5):
        force = Force.objects.create(name=f"Test Force {index}", slug=f"test-force-{index}", country="England")
        for question in questions:
            Grade.objects.create(
                force=force, question=question, status=GradeStatus.GRADED, tier=4, source_url="https://example.org/grade"
            )
        report = Report.objects.create(force=force, round=round_, pillar="Effectiveness", title=f"Report {index}")
        for position in range(1, 4):
            cause = CauseOfConcern.objects.create(
                report=report, question=questions[0], position=position, text=f"Concern {position} children"
            )
            Recommendation.objects.create(cause=cause, position=1, text="Recommendation about children")
            AreaForImprovement.objects.create(report=report, position=position, text="Area for improvement about children")
    bedfordshire = Force.objects.get(slug="bedfordshire")
    report = Report.objects.create(
        force=bedfordshire, round=Round.objects.get(slug="2017"), pillar="Legitimacy", title="Legitimacy 2017"
    )
    for position in range(1, 4):
        AreaForImprovement.objects.create(report=report, position=position, text="Another area for improvement about children")


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
