"""Shared by the API, feed and export tests: a grade changed the way an editor changes it, rows that look
as the shipped data does once loaded (no history), the feed's entries and grades of every kind."""

import xml.etree.ElementTree as ET
from datetime import date

from django.apps import apps

from forces.models import Force
from peel.roles import data_model_names
from reports.editor.services import GradeEntry, grades_write
from reports.models import Grade, Question
from reports.vocabulary import GradeStatus, Tier
from tests.factories import FiveTierRoundFactory, ForceFactory, GradeFactory, QuestionFactory, RoundFactory, ThemeFactory

SOURCE = "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/bedfordshire/"
ATOM = "{http://www.w3.org/2005/Atom}"


def grade_edit(
    *,
    force_slug: str,
    round_slug: str,
    question_slug: str,
    tier: Tier,
    amended_on: date | None = None,
    amendment_reason: str = "",
    reason: str = "api test",
) -> Grade:
    """Change one grade through the editors' write path (history and the data version follow),
    optionally recording HMICFRS's amendment with it."""
    question = Question.objects.get(round__slug=round_slug, slug=question_slug)
    force = Force.objects.get(slug=force_slug)
    grade = Grade.objects.get(force=force, question=question)
    entry = GradeEntry(
        force=force,
        question=question,
        status=GradeStatus.GRADED,
        tier=int(tier),
        source_url=grade.source_url or SOURCE,
        source_type=grade.source_type,
        evidence=grade.evidence,
        carried_over=grade.carried_over,
        expected_version=grade.version,
        amended_on=amended_on,
        amendment_reason=amendment_reason,
    )
    grades_write(entries=[entry], change_reason=reason)
    return Grade.objects.get(pk=grade.pk)


def history_forgotten() -> None:
    """The rows made so far as the shipped data is once loaded: without history records (loaddata saves
    raw, and django-simple-history records nothing for a raw save), so the feed tells nothing of them."""
    for app_label, model_name in data_model_names():
        model = apps.get_model(app_label, model_name)
        if hasattr(model._meta, "simple_history_manager_attribute"):
            model.history.all().delete()


def feed_entries(client) -> list[dict]:
    """The entries of /feed/, newest first."""
    response = client.get("/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def grades_of_every_kind() -> dict[str, Grade]:
    """Two forces graded in 2015, 2016 (four tiers) and 2021/22 (five tiers): every tier, every status that
    is not a tier, a carried-over judgment, awkward and formula-like evidence, a partly comparable theme."""
    north = ForceFactory(name="Northshire Police", slug="northshire")
    south = ForceFactory(name="Southshire Police", slug="southshire")
    theme = ThemeFactory(name="Investigating crime")
    overall = QuestionFactory(overall=True)
    e1 = QuestionFactory(code="E1", short_name="Preventing crime, tackling ASB and keeping people safe")
    e2 = QuestionFactory(code="E2", short_name="Investigating crime", theme=theme)
    area = QuestionFactory(round=FiveTierRoundFactory(), short_name="Investigating crime", theme=theme, theme_partial=True)
    other_area = QuestionFactory(round=FiveTierRoundFactory(), short_name="Protecting vulnerable people")
    overall_2015 = QuestionFactory(round=RoundFactory(slug="2015"), overall=True)
    return {
        "north 2015": GradeFactory(force=north, question=overall_2015, tier=Tier.REQUIRES_IMPROVEMENT),
        "north overall": GradeFactory(force=north, question=overall, tier=Tier.INADEQUATE, evidence="windows\r\nline end"),
        "south overall": GradeFactory(force=south, question=overall, tier=Tier.OUTSTANDING, evidence="-2+3+cmd|' /C calc'!A0"),
        "north e1": GradeFactory(
            force=north, question=e1, tier=Tier.GOOD, carried_over=True, evidence="E1 carried over from 2015; “good”, £0"
        ),
        "south e1": GradeFactory(force=south, question=e1, status=GradeStatus.UNGRADED, tier=None),
        "north e2": GradeFactory(force=north, question=e2, status=GradeStatus.NOT_GRADED, tier=None),
        "south e2": GradeFactory(force=south, question=e2, status=GradeStatus.NOT_INSPECTED, tier=None),
        "north area": GradeFactory(force=north, question=area, tier=Tier.ADEQUATE, evidence='a "quoted" word'),
        "south area": GradeFactory(force=south, question=area, tier=Tier.REQUIRES_IMPROVEMENT),
        "north other area": GradeFactory(force=north, question=other_area, tier=Tier.OUTSTANDING),
    }
