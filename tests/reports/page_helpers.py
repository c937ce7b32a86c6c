"""Helpers for the page tests: figures from json_script, script tags, query counts, more data."""

import json
import re

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forces.models import Force
from reports.models import AreaForImprovement, CauseOfConcern, Grade, Question, Recommendation, Report, Round
from reports.summaries import movers_summary_ensure
from reports.vocabulary import GradeStatus

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
