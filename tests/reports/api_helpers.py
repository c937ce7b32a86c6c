"""Shared by the API and feed tests: a grade changed the way an editor changes it."""

from datetime import date

from forces.models import Force
from reports.editor.services import GradeEntry, grades_write
from reports.models import Grade, Question
from reports.vocabulary import GradeStatus, Tier

SOURCE = "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/bedfordshire/"


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
