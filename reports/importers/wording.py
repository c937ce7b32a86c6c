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
    # Other words reports use for the same judgment (a pillar's "keeping people safe and reducing crime").
    also: tuple[str, ...] = ()
    # A sentence names it only with every word of one of its wordings (a pillar's own question: 'keeping
    # people safe' alone is half the pillar's words and the whole of none).
    whole: bool = False


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


# Words a report's sentence puts around a question's subject that name nothing ("good at the way it…").
PHRASE_NOISE = frozenset(["way", "which", "who", "those", "that", "there", "their", "them", "also", "services", "service"])
# Words of a question's wording that only say which pillar or how it is asked ("How effective…", "To what extent…").
QUESTION_FRAME = frozenset(["effec", "effic", "legit", "exten"])
PHRASE_SUFFIXES = ("ing", "ed", "s")
PHRASE_COVERAGE = 0.5


def phrase_stems(text: str, *, force_names: tuple[str, ...] = ()) -> frozenset[str]:
    """The content words of a sentence's phrase or a question's wording, normalised as `wording_normalise`
    does, with a plain ending (-ing, -ed, -s) taken off before the first letters are kept, so 'keeps'
    and 'keeping' meet."""
    found = set()
    for word in wording_normalise(text, force_names=force_names).split():
        if word in STOP_WORDS or word in PHRASE_NOISE or word == "force":
            continue
        for suffix in PHRASE_SUFFIXES:
            if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        found.add(word[:STEM_LENGTH])
    return frozenset(found)


def phrase_vocabulary(wording: Wording) -> tuple[frozenset[str], list[frozenset[str]]]:
    """Every content word of a question's wordings, and each wording's own words (without 'How effective…')."""
    wordings = [
        frozenset(phrase_stems(text) - QUESTION_FRAME) for text in (wording.text, wording.short_name, *wording.also) if text
    ]
    wordings = [words for words in wordings if words]
    return frozenset().union(*wordings) | (phrase_stems(wording.short_name) & QUESTION_FRAME), wordings


def phrase_fits(phrase: frozenset[str], wording: Wording) -> bool:
    """Whether a phrase's content words all belong to the question's wordings, and cover at least half of
    one of them: 'preventing crime and tackling anti-social behaviour' fits the 2017 prevention question;
    'supporting victims' alone does not fit the question on protecting vulnerable people and supporting victims."""
    vocabulary, wordings = phrase_vocabulary(wording)
    if not phrase or not phrase <= vocabulary:
        return False
    share = 1.0 if wording.whole else PHRASE_COVERAGE
    return any(len(phrase & words) >= share * len(words) for words in wordings)


def wording_phrase_match(phrase: str, wordings: list[Wording], *, force_names: tuple[str, ...] = ()) -> list[Wording]:
    """The questions a sentence's phrase ('investigating crime and reducing re-offending') may name: none if
    it fits no question; else every question whose words hold all of the phrase's, so that 'keeping people
    safe' (the prevention question's words, and the pillar's) comes back twice. The caller takes a grade
    only when exactly one comes back."""
    stems_of_phrase = phrase_stems(phrase, force_names=force_names)
    if not any(phrase_fits(stems_of_phrase, wording) for wording in wordings):
        return []
    return [wording for wording in wordings if stems_of_phrase and stems_of_phrase <= phrase_vocabulary(wording)[0]]
