"""The letter import: everything or nothing, a dry run writes nothing, the same letter twice changes nothing.
(The shipped seed letter as loaded is checked in tests/reports/test_loaded_data.py.)"""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.accountability.letters import LetterImportError
from reports.accountability.services import letter_import
from reports.models import Inspection, InspectionRecommendation, PccResponse, PromisingPractice, RecommendationResponse
from tests.factories import ForceFactory, InspectionFactory
from tests.reports.accountability.letters import VARIANT

pytestmark = pytest.mark.django_db
MODELS = (Inspection, InspectionRecommendation, PccResponse, RecommendationResponse, PromisingPractice)
VARIANT_INSPECTION = "An inspection of vetting and counter-corruption in Kent Police"


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


@pytest.fixture
def kent(db):
    """The force whose commissioner signed VARIANT."""
    return ForceFactory(name="Kent Police", slug="kent")


def test_importing_the_same_letter_again_changes_nothing(kent):
    assert letter_import(text=VARIANT).changes
    before = counts()
    result = letter_import(text=VARIANT)
    assert result.changes == []
    assert counts() == before


def test_a_dry_run_shows_the_changes_and_writes_nothing(kent):
    before = counts()
    result = letter_import(text=VARIANT, dry_run=True)
    assert {change.kind for change in result.changes} >= {"Inspection", "PCC response", "Recommendation", "Promising practice"}
    assert counts() == before


def test_a_new_letter_is_written_whole_with_its_source_address(kent):
    letter_import(text=VARIANT)
    response = PccResponse.objects.get(force__slug="kent")
    assert response.source_url == "https://example.org/pcc/response-vetting"
    # Published 12 January 2024 (the letter says so), answered 3 March 2024: 56 days run to 8 March.
    assert response.statutory_deadline == date(2024, 3, 8)
    assert response.days_late == -5
    assert response.deadline_met is True
    recommendation = InspectionRecommendation.objects.get(inspection__slug__startswith="an-inspection-of-vetting", number=1)
    assert recommendation.force.slug == "kent"
    assert recommendation.inspection.kind == "force"


def test_a_letter_disagreeing_with_the_held_publication_date_is_refused_with_nothing_written(kent):
    InspectionFactory(title=VARIANT_INSPECTION, published=date(2024, 1, 11))
    before = counts()
    with pytest.raises(LetterImportError, match="the database holds 11 January 2024"):
        letter_import(text=VARIANT)
    assert counts() == before


def test_a_letter_from_an_unknown_force_is_refused_with_nothing_written(kent):
    before = counts()
    with pytest.raises(LetterImportError, match="no force matches"):
        letter_import(text=VARIANT.replace("Commissioner for Kent", "Commissioner for Atlantis"))
    assert counts() == before


def test_a_letter_without_any_source_is_refused(kent):
    with pytest.raises(LetterImportError, match="address it was published at"):
        letter_import(text=VARIANT.replace("source: https://example.org/pcc/response-vetting\n", "note: none\n"))


LINES = VARIANT.split("\n")


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(min_value=0, max_value=len(LINES)),
    drop=st.sets(st.integers(min_value=0, max_value=len(LINES) - 1), max_size=4),
    spaces=st.sampled_from(["", "  ", "\t", "\u00a0"]),
)
def test_a_mutated_letter_imports_cleanly_or_is_refused_with_nothing_written(kent, cut, drop, spaces):
    text = "\n".join(spaces + line if i % 3 == 0 else line for i, line in enumerate(LINES[:cut]) if i not in drop)
    before = counts()
    try:
        result = letter_import(text=text, dry_run=True)
    except LetterImportError as error:
        assert error.problem
    else:
        assert result.letter.recommendations
    assert counts() == before
