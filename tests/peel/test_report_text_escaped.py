"""Report text from HMICFRS is shown as text: markup in it is escaped on every page that shows it."""

import pytest

from tests.factories import (
    AreaForImprovementFactory,
    CauseOfConcernFactory,
    ForceFactory,
    GradeFactory,
    QuestionFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
)
from tests.peel.html_checks import inline_code_problems

HOSTILE = 'Custody checks <script>alert("peel")</script><img src=x onerror="alert(1)"> & more'
ESCAPED = (
    "Custody checks &lt;script&gt;alert(&quot;peel&quot;)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; more"
)


@pytest.fixture
def hostile_report(db):
    report = ReportFactory(
        force=ForceFactory(slug="kent", name="Kent Police"),
        round=RoundFactory(slug="2023-25"),
        title="PEEL 2023–25 " + HOSTILE,
        summary=HOSTILE,
        source_url="https://example.org/kent",
    )
    GradeFactory(force=report.force, question=QuestionFactory(round=report.round))
    cause = CauseOfConcernFactory(report=report, text=HOSTILE, recommendations_intro=HOSTILE)
    RecommendationFactory(cause=cause, text=HOSTILE)
    AreaForImprovementFactory(report=report, text=HOSTILE)
    return report


PAGES_WITH_REPORT_TEXT = ["/forces/kent/", "/forces/kent/2023-25/", "/findings/?q=custody+checks", "/findings/?force=kent"]


@pytest.mark.parametrize("url", PAGES_WITH_REPORT_TEXT)
def test_markup_in_report_text_is_escaped(client, hostile_report, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert ESCAPED in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert inline_code_problems(page) == []
