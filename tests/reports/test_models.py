import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from forces.models import Force
from reports.models import Grade, Question
from reports.vocabulary import GradeStatus, Tier


def question(round_slug: str, slug: str) -> Question:
    return Question.objects.get(round__slug=round_slug, slug=slug)


@pytest.fixture
def northumbria(peel_data):
    return Force.objects.get(slug="northumbria")


def test_adequate_is_rejected_on_a_four_tier_round(northumbria):
    grade = Grade(force=northumbria, question=question("2016", "e5"), tier=Tier.ADEQUATE, source_url="https://example.org/r")
    with pytest.raises(ValidationError, match="'Adequate' is not on the PEEL 2016 scale"):
        grade.save()


def test_adequate_is_accepted_on_a_five_tier_round(northumbria):
    area = Question.objects.get(round__slug="2021-22", short_name="Providing a service to victims of crime")
    grade = Grade.objects.create(force=northumbria, question=area, tier=Tier.ADEQUATE, source_url="https://example.org/r")
    assert grade.display_grade == "Adequate"


def test_a_second_grade_for_the_same_force_and_question_is_rejected(peel_data):
    existing = Grade.objects.get(force__slug="bedfordshire", question=question("2016", "overall-effectiveness"))
    duplicate = Grade(force=existing.force, question=existing.question, tier=Tier.GOOD)
    with pytest.raises(ValidationError, match="already exists"):
        duplicate.save()


def test_the_database_rejects_a_duplicate_grade_even_without_model_validation(peel_data):
    existing = Grade.objects.get(force__slug="bedfordshire", question=question("2016", "overall-effectiveness"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Grade.objects.bulk_create([Grade(force=existing.force, question=existing.question, tier=Tier.GOOD)])


def test_the_database_rejects_a_tier_on_an_ungraded_status(northumbria):
    with pytest.raises(IntegrityError), transaction.atomic():
        Grade.objects.bulk_create(
            [Grade(force=northumbria, question=question("2016", "e5"), status=GradeStatus.UNGRADED, tier=Tier.GOOD)]
        )


def test_a_graded_status_without_a_tier_is_rejected(northumbria):
    with pytest.raises(ValidationError, match="needs a tier"):
        Grade(force=northumbria, question=question("2016", "e5"), status=GradeStatus.GRADED).save()


def test_tier_words_are_read_whatever_their_case_and_spacing():
    assert Tier.from_word("requires  Improvement") is Tier.REQUIRES_IMPROVEMENT
    with pytest.raises(ValueError, match="not a PEEL grade"):
        Tier.from_word("Excellent")


def test_saving_a_grade_bumps_the_data_version_in_the_same_transaction(peel_data):
    from reports.caching import data_version_get

    before = data_version_get()
    grade = Grade.objects.get(force__slug="bedfordshire", question=question("2016", "overall-effectiveness"))
    grade.evidence += " (checked)"
    grade.save()
    assert data_version_get() == before + 1
