import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reports.models import Grade
from reports.vocabulary import GradeStatus, Tier
from tests.factories import FiveTierRoundFactory, ForceFactory, GradeFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_adequate_is_rejected_on_a_four_tier_round():
    grade = Grade(force=ForceFactory(), question=QuestionFactory(), tier=Tier.ADEQUATE, source_url="https://example.org/r")
    with pytest.raises(ValidationError, match="'Adequate' is not on the PEEL 2016 scale"):
        grade.save()


def test_adequate_is_accepted_on_a_five_tier_round():
    area = QuestionFactory(round=FiveTierRoundFactory())
    grade = Grade.objects.create(force=ForceFactory(), question=area, tier=Tier.ADEQUATE, source_url="https://example.org/r")
    assert grade.display_grade == "Adequate"


def test_a_second_grade_for_the_same_force_and_question_is_rejected():
    existing = GradeFactory()
    duplicate = Grade(force=existing.force, question=existing.question, tier=Tier.GOOD)
    with pytest.raises(ValidationError, match="already exists"):
        duplicate.save()


def test_the_database_rejects_a_duplicate_grade_even_without_model_validation():
    existing = GradeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Grade.objects.bulk_create([Grade(force=existing.force, question=existing.question, tier=Tier.GOOD)])


def test_the_database_rejects_a_tier_on_an_ungraded_status():
    with pytest.raises(IntegrityError), transaction.atomic():
        Grade.objects.bulk_create(
            [Grade(force=ForceFactory(), question=QuestionFactory(), status=GradeStatus.UNGRADED, tier=Tier.GOOD)]
        )


def test_a_graded_status_without_a_tier_is_rejected():
    with pytest.raises(ValidationError, match="needs a tier"):
        Grade(force=ForceFactory(), question=QuestionFactory(), status=GradeStatus.GRADED).save()


def test_tier_words_are_read_whatever_their_case_and_spacing():
    assert Tier.from_word("requires  Improvement") is Tier.REQUIRES_IMPROVEMENT
    with pytest.raises(ValueError, match="not a PEEL grade"):
        Tier.from_word("Excellent")


def test_saving_a_grade_bumps_the_data_version_in_the_same_transaction():
    from reports.caching import data_version_get

    grade = GradeFactory()
    before = data_version_get()
    grade.evidence += " (checked)"
    grade.save()
    assert data_version_get() == before + 1


def test_the_factories_make_a_four_tier_2016_round_and_a_five_tier_2021_22_round():
    assert [t.label for t in QuestionFactory().round.tiers] == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    five = FiveTierRoundFactory()
    assert (five.name, five.has_pillars, Tier.ADEQUATE in five.tiers) == ("2021/22", False, True)
