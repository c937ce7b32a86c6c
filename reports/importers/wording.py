"""Matching a report's question headings to a round's questions by their wording, never by position.

Pure: the caller passes the questions as plain `Wording`s, so the rules test without a database.
A heading matches a question when their normalised wordings are equal (case, punctuation, curly
quotes, "the force"/"<Force name>" ignored). A question whose wording was never seen (blank in the
question facts) is matched on its short name instead: every content word of the short name must
appear in the heading, and no other question of the pillar may match the heading that way.
"""

import difflib
import re
from dataclasses import dataclass

from reports.importers.text import fold

FORCE_WORDS = re.compile(r"\b(?:police service|constabulary|police|force)\b")
PUNCTUATION = re.compile(r"[^\w\s]")
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "by",
        "does",
        "do",
        "for",
        "from",
        "how",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "this",
        "to",
        "use",
        "well",
        "what",
        "with",
    ]
)
STEM_LENGTH = 5
CLOSEST_SHOWN = 3


@dataclass(frozen=True)
class Wording:
    """One question as the matcher sees it: a key for the caller, its wording (may be blank), its short name."""

    key: object
    text: str
    short_name: str


def wording_normalise(text: str, *, force_names: tuple[str, ...] = ()) -> str:
    """A question's wording reduced for comparison: folded, the force's own name read as 'the force',
    punctuation and possessives dropped, spaces single."""
    folded = fold(text)
    for name in sorted(force_names, key=len, reverse=True):
        if name:
            folded = re.sub(rf"\b(?:the )?{re.escape(fold(name))}\b", "the force", folded)
    folded = folded.replace("'s", "").replace("'", "")
    folded = FORCE_WORDS.sub("force", folded)
    folded = re.sub(r"\b(?:the )+force\b", "the force", folded)
    return " ".join(PUNCTUATION.sub(" ", folded).split())


def stems(text: str) -> set[str]:
    """The content words of a wording, cut to their first letters so 'planning' meets 'plan…'."""
    return {word[:STEM_LENGTH] for word in wording_normalise(text).split() if word not in STOP_WORDS and word != "force"}


def wording_match(heading: str, wordings: list[Wording], *, force_names: tuple[str, ...] = ()) -> Wording | None:
    """The one question `heading` asks, or None when no question (or more than one) fits."""
    wanted = wording_normalise(heading, force_names=force_names)
    exact = [w for w in wordings if w.text and wording_normalise(w.text, force_names=force_names) == wanted]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    heading_stems = stems(heading)
    by_name = [w for w in wordings if not w.text and stems(w.short_name) and stems(w.short_name) <= heading_stems]
    return by_name[0] if len(by_name) == 1 else None


def wordings_closest(heading: str, wordings: list[Wording]) -> list[Wording]:
    """The questions whose wording (or short name) reads most like `heading`, closest first."""
    wanted = wording_normalise(heading)
    scored = sorted(
        wordings,
        key=lambda w: difflib.SequenceMatcher(None, wanted, wording_normalise(w.text or w.short_name)).ratio(),
        reverse=True,
    )
    return scored[:CLOSEST_SHOWN]
