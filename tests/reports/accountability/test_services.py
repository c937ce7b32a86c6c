"""The letter import: everything or nothing, a dry run writes nothing, the same letter twice changes nothing."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.accountability.letters import LetterImportError
from reports.accountability.services import letter_import
from reports.models import Inspection, InspectionRecommendation, PccResponse, PromisingPractice, RecommendationResponse
from tests.reports.accountability.letters import VARIANT, seed_text

pytestmark = pytest.mark.usefixtures("peel_data")
MODELS = (Inspection, InspectionRecommendation, PccResponse, RecommendationResponse, PromisingPractice)


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


def test_the_shipped_data_holds_the_seed_letter_as_a_response_20_days_late():
    response = PccResponse.objects.get(force__slug="bedfordshire")
    assert response.inspection.title == "Police performance: Getting a grip"
    assert response.statutory_deadline == date(2023, 9, 1)
    assert response.published == date(2023, 9, 21)
    assert response.days_late == 20 and response.deadline_met is False
    assert response.recommendation_responses.count() == 3
    assert PromisingPractice.objects.filter(force__slug="bedfordshire").count() == 2


def test_importing_the_seed_letter_again_changes_nothing():
    before = counts()
    result = letter_import(text=seed_text(), source_document="bedfordshire-2023-getting-a-grip.txt")
    assert result.changes == []
    assert counts() == before


def test_a_dry_run_shows_the_changes_and_writes_nothing():
    before = counts()
    result = letter_import(text=VARIANT, dry_run=True)
    assert {change.kind for change in result.changes} >= {"Inspection", "PCC response", "Recommendation", "Promising practice"}
    assert counts() == before


def test_a_new_letter_is_written_whole_with_its_source_address():
    letter_import(text=VARIANT)
    response = PccResponse.objects.get(force__slug="kent")
    assert response.source_url == "https://example.org/pcc/response-vetting"
    assert response.statutory_deadline == date(2024, 3, 8)
    assert response.days_late == -5
    assert response.deadline_met is True
    recommendation = InspectionRecommendation.objects.get(inspection__slug__startswith="an-inspection-of-vetting", number=1)
    assert recommendation.force.slug == "kent"
    assert recommendation.inspection.kind == "force"


def test_a_letter_disagreeing_with_the_held_publication_date_is_refused_with_nothing_written():
    before = counts()
    text = seed_text().replace("published on the 07 July 2023", "published on the 08 July 2023")
    with pytest.raises(LetterImportError, match="the database holds 7 July 2023"):
        letter_import(text=text, source_document="x.txt")
    assert counts() == before


def test_a_letter_from_an_unknown_force_is_refused_with_nothing_written():
    before = counts()
    with pytest.raises(LetterImportError, match="no force matches"):
        letter_import(text=VARIANT.replace("Commissioner for Kent", "Commissioner for Atlantis"))
    assert counts() == before


def test_a_letter_without_any_source_is_refused():
    with pytest.raises(LetterImportError, match="address it was published at"):
        letter_import(text=VARIANT.replace("source: https://example.org/pcc/response-vetting\n", "note: none\n"))


LINES = VARIANT.split("\n")


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(min_value=0, max_value=len(LINES)),
    drop=st.sets(st.integers(min_value=0, max_value=len(LINES) - 1), max_size=4),
    spaces=st.sampled_from(["", "  ", "\t", "\u00a0"]),
)
def test_a_mutated_letter_imports_cleanly_or_is_refused_with_nothing_written(cut, drop, spaces):
    text = "\n".join(spaces + line if i % 3 == 0 else line for i, line in enumerate(LINES[:cut]) if i not in drop)
    before = counts()
    try:
        result = letter_import(text=text, dry_run=True)
    except LetterImportError as error:
        assert error.problem
    else:
        assert result.letter.recommendations
    assert counts() == before
