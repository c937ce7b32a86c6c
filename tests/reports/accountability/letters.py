"""The seed letter and variants of it, for the letter tests."""

from pathlib import Path

SEED = Path(__file__).resolve().parents[3] / "fixtures" / "sources" / "letters" / "bedfordshire-2023-getting-a-grip.txt"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


VARIANT = """---
source: https://example.org/pcc/response-vetting
---
3rd March 2024

Dear HMICFRS

I welcome the report 'An inspection of vetting and counter-corruption in Kent Police', published on 12 January 2024.

Recommendation 1

By 31 March 2024, Kent Police should review its vetting decisions.

Response: The force completed the review in February 2024.

Recommendation 4

By 2025, the force should train every supervisor.

We have started the training and will finish it in time.

Promising practice: Vetting surgeries

Kent Police holds monthly vetting surgeries.

Yours faithfully

Jane Example

Police and Crime Commissioner for Kent
"""
