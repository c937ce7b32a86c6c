"""Shared text handling for every layout: the optional source header, whitespace, grade words,
finding headings, bullets and dates. Quotes, apostrophes and dashes are never rewritten."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from reports.importers.document import ReportImportError
from reports.vocabulary import STATUS_EXPORT_WORDS, Pillar, Tier, words_fold

HEADER_FENCE = "---"
HEADER_FIELDS = {
    "source": "the address the text was taken from",
    "attribution": "the licence line shown with the text",
    "layout": "the layout to read it with (otherwise detected)",
    "last-updated": "a date the text itself does not carry (YYYY-MM-DD)",
    "published": "the publication date, if the text does not carry it (YYYY-MM-DD)",
    "same-report-as": "another file holding the same report in another layout (not imported by the fixture build)",
    "note": "free text for people",
}
ATTRIBUTION = "Contains HMICFRS material, Crown copyright, Open Government Licence v3.0"

# The grade words that are not tiers, as a report prints them: those the grade facts accept.
STATUS_WORDS = tuple(STATUS_EXPORT_WORDS.values())
GRADE_WORDS = {words_fold(word): word for word in [*(tier.label for tier in Tier), *STATUS_WORDS]}

BULLET = re.compile(r"^(?P<indent>\s*)(?:[•●▪◦‣∙]|[*-](?=\s))\s*(?P<text>.*)$")
CAUSE_HEADING = re.compile(r"^causes? (?:of|for) concern:?$", re.IGNORECASE)
RECOMMENDATIONS_HEADING = re.compile(r"^recommendations?:?$", re.IGNORECASE)
AFI_HEADING = re.compile(r"^areas? for improvement:?$", re.IGNORECASE)
MONTHS = list(calendar.month_name)[1:]


@dataclass(frozen=True)
class SourceText:
    """A report's text split into lines, with the header (if any) taken off; line numbers stay those of the file."""

    lines: tuple[str, ...]
    first_line: int = 1
    header: tuple[tuple[str, str], ...] = ()

    def number(self, index: int) -> int:
        """The file line number of lines[index]."""
        return self.first_line + index

    def header_value(self, key: str) -> str:
        return dict(self.header).get(key, "")


def source_text_read(text: str) -> SourceText:
    """Split a report's text into lines and read its optional header: a first line '---', then
    'field: value' lines, then '---'. Raw text without a header is accepted as it is."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != HEADER_FENCE:
        return SourceText(lines=tuple(lines))
    header: dict[str, str] = {}
    for index in range(1, len(lines)):
        line = lines[index].strip()
        if not line:
            continue
        if line == HEADER_FENCE:
            return SourceText(lines=tuple(lines[index + 1 :]), first_line=index + 2, header=tuple(header.items()))
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or key not in HEADER_FIELDS:
            known = ", ".join(HEADER_FIELDS)
            raise ReportImportError(f"header line {line!r} is not 'field: value' with a known field ({known})", line=index + 1)
        header[key] = value.strip()
    raise ReportImportError("the header opened with '---' is never closed with '---'", line=1)


def clean(text: str) -> str:
    """Runs of spaces, tabs and no-break spaces as one space, trimmed; everything else kept."""
    return " ".join(text.split())


FOLDED_PUNCTUATION = str.maketrans("’‘“”–—", "''\"\"--")


def fold(text: str) -> str:
    """A form for comparing wordings: case, spacing, quote and dash styles ignored."""
    text = text.translate(FOLDED_PUNCTUATION)
    return clean(text).casefold()


def grade_word(text: str) -> str | None:
    """The grade word a line consists of ('Requires improvement', 'Ungraded'…), or None."""
    return GRADE_WORDS.get(clean(text).casefold())


PILLAR_WORDS = {pillar.value.casefold(): pillar.value for pillar in Pillar}


def pillar_word(text: str) -> str | None:
    """The pillar a line names on its own ('Effectiveness'), or None."""
    return PILLAR_WORDS.get(clean(text).casefold())


def pillar_of_question(question: str) -> str | None:
    """The pillar a pillar-level question asks about: 'How effective…' is Effectiveness."""
    lowered = question.casefold()
    for stem, pillar in (("effective", Pillar.EFFECTIVENESS), ("efficien", Pillar.EFFICIENCY), ("legitima", Pillar.LEGITIMACY)):
        if stem in lowered:
            return pillar.value
    if "lead" in lowered:
        return Pillar.LEADERSHIP.value
    return None


def date_parse(text: str) -> date | None:
    """A date written as 02/03/2017 or 2 March 2017 (or 2017-03-02); None if it is neither."""
    text = clean(text).rstrip(".")
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    match = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+),? (\d{4})", text)
    if match and match[2].capitalize() in MONTHS:
        try:
            return date(int(match[3]), MONTHS.index(match[2].capitalize()) + 1, int(match[1]))
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Block:
    """A paragraph or a bullet of a report, with the file line it starts on."""

    text: str
    line: int
    bullet: bool = False
    level: int = 0


def web_blocks(doc: SourceText, start: int, end: int) -> list[Block]:
    """Blocks of web-page text: every non-blank line is a paragraph or a bullet; a bullet indented
    deeper than the bullets before it in the same list is a sub-point (level 1, 2…)."""
    blocks: list[Block] = []
    indents: list[int] = []
    for index in range(start, min(end, len(doc.lines))):
        raw = doc.lines[index].expandtabs(4)
        if not raw.strip():
            continue
        match = BULLET.match(raw)
        if match and match["text"].strip():
            indent = len(match["indent"])
            indents = [i for i in indents if i <= indent]
            if not indents or indents[-1] < indent:
                indents.append(indent)
            blocks.append(Block(clean(match["text"]), doc.number(index), bullet=True, level=len(indents) - 1))
        else:
            indents = []
            blocks.append(Block(clean(raw), doc.number(index)))
    return blocks


TITLE_SEARCH_LINES = 60


def title_find(doc: "SourceText", pattern: re.Pattern[str]) -> int | None:
    """Index of the first line matching a layout's title pattern among the first non-blank lines, or None."""
    seen = 0
    for index, line in enumerate(doc.lines):
        if not line.strip():
            continue
        if pattern.match(clean(line)):
            return index
        seen += 1
        if seen >= TITLE_SEARCH_LINES:
            return None
    return None
