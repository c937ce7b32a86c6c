"""HMICFRS report pages from 2021/22 on: one integrated report per force, graded by area.

PEEL 2021/22 … | PEEL 2023–25 …
An inspection of <Force>
[Published on: 14 July 2022]
Our judgments
[… graded judgments in nine of these ten areas …]
either by tier:   <Tier> / <area> / <area> / <Tier> / No areas …
or by area:       <area> / <Tier> …   (or "<area>: <Tier>" on one line)
narrative…
then per area:    <area> / [<Tier>] / section… (see sections.py)
"""

import re
from collections.abc import Callable

from reports.importers.document import Judgment, ParsedReport, ReportImportError
from reports.importers.sections import section_read
from reports.importers.text import SourceText, clean, date_parse, fold, grade_word, title_find, web_blocks

NAME = "web-report-2021-25"
DESCRIPTION = "HMICFRS report page, 2021/22 and 2023–25 (graded areas)"

TITLE = re.compile(r"^PEEL (?P<round>20\d\d\s?[/–-]\s?\d\d)\b")
FORCE = re.compile(r"^(?:An )?inspection of (?:the )?(?P<force>.+?)\.?$", re.IGNORECASE)
PUBLISHED = re.compile(r"^Published(?: on)?:? (?P<date>.+)$", re.IGNORECASE)
OUR_JUDGMENTS = re.compile(r"^Our judg(?:e)?ments$", re.IGNORECASE)
STATED_COUNT = re.compile(r"graded judgments? (?:in|on|for) (?P<count>\w+) of (?:these|the)\b", re.IGNORECASE)
NO_AREAS = re.compile(r"^(?:No areas?|None)\.?$", re.IGNORECASE)
PAIR = re.compile(r"^(?P<area>.+?)\s*(?::|\t| [–-] )\s*(?P<grade>[A-Za-z ]+)$")
END = re.compile(r"^(?:About the data|Annex [A-Z]\b.*|Appendix\b.*|Next steps)$", re.IGNORECASE)
NUMBER_WORDS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
)
AREA_MAX_LENGTH = 120


def detect(doc: SourceText) -> bool:
    return title_find(doc, TITLE) is not None and any(OUR_JUDGMENTS.match(clean(line)) for line in doc.lines)


def count_word(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    lowered = word.casefold()
    return NUMBER_WORDS.index(lowered) + 1 if lowered in NUMBER_WORDS else None


def looks_like_area(text: str, known: dict[str, str]) -> bool:
    """A line naming an area: one the round is known to have, or (with none known) a short line
    that is not a sentence."""
    if known:
        return fold(text) in known
    return len(text) <= AREA_MAX_LENGTH and not text.endswith((".", ":", "?")) and not grade_word(text)


def next_line_text(doc: SourceText, index: int) -> str:
    """The first non-blank line at or after index, cleaned ('' at the end)."""
    while index < len(doc.lines):
        if doc.lines[index].strip():
            return clean(doc.lines[index])
        index += 1
    return ""


def judgments_list_read(
    doc: SourceText, start: int, known: dict[str, str], round_name: str
) -> tuple[dict[str, tuple[str, int]], int | None, int]:
    """Read the 'Our judgments' list from the line after its heading: ({area: (grade, line)},
    the number of graded areas the text states, index of the first line after the list)."""
    judgments: dict[str, tuple[str, int]] = {}
    stated = None
    tier: str | None = None
    pending: tuple[str, int] | None = None
    pending_index = start
    index = start
    while index < len(doc.lines):
        text = clean(doc.lines[index])
        line = doc.number(index)
        if not text or NO_AREAS.match(text):
            index += 1
            continue
        if count := STATED_COUNT.search(text):
            stated = count_word(count["count"])
            index += 1
            continue
        grade = grade_word(text)
        pair = PAIR.match(text)
        if grade and pending:
            judgment_add(judgments, pending[0], grade, pending[1])
            pending = None
        elif grade:
            if pending is None and judgments and tier is None:
                raise ReportImportError(f"grade {text!r} with no area before it", line=line)
            tier = grade
        elif pair and grade_word(pair["grade"]):
            if not looks_like_area(pair["area"], known):
                raise ReportImportError(f"no area {pair['area']!r} in PEEL {round_name}", line=line)
            judgment_add(judgments, pair["area"], grade_word(pair["grade"]) or "", line)
        elif known and tier is None and pending is None and grade_word(next_line_text(doc, index + 1)):
            raise ReportImportError(f"no area {text!r} in PEEL {round_name}", line=line)
        elif looks_like_area(text, known):
            if tier is not None:
                judgment_add(judgments, text, tier, line)
            elif pending is not None:
                raise ReportImportError(f"area {pending[0]!r} has no grade after it", line=pending[1])
            else:
                pending, pending_index = (text, line), index
        elif judgments or pending or tier:
            break
        # Anything else before the first area is a sentence introducing the list.
        index += 1
    if pending is not None:
        if not judgments and stated is None:
            raise ReportImportError(f"area {pending[0]!r} has no grade after it", line=pending[1])
        # An area heading followed by prose is where the sections begin: the list ended before it
        # (or, on a web page whose grades table is a graphic, there was no list).
        return judgments, stated, pending_index
    return judgments, stated, index


def judgment_add(judgments: dict[str, tuple[str, int]], area: str, grade: str, line: int) -> None:
    for name, (_, first) in judgments.items():
        if fold(name) == fold(area):
            raise ReportImportError(f"area {area!r} is graded twice (first at line {first})", line=line)
    judgments[area] = (grade, line)


def parse(doc: SourceText, *, areas_of: Callable[[str], tuple[str, ...]] | None = None, **context) -> ParsedReport:
    """Read the report; `areas_of(round name)` gives the round's area names when known, so area
    headings are told apart from other short lines."""
    title = title_find(doc, TITLE)
    if title is None:
        raise ReportImportError("not an HMICFRS PEEL report: no 'PEEL <year>' title found")
    match = TITLE.match(clean(doc.lines[title]))
    assert match is not None
    round_name = re.sub(r"\s", "", match["round"])
    area_names = areas_of(round_name) if areas_of else ()
    force, force_line, published = "", 0, None
    heading = None
    for index in range(title, len(doc.lines)):
        text = clean(doc.lines[index])
        if not force and (match := FORCE.match(text)):
            force, force_line = match["force"], doc.number(index)
        elif published is None and (match := PUBLISHED.match(text)):
            published = date_parse(match["date"])
            if published is None:
                raise ReportImportError(f"publication date {match['date']!r} is not a date", line=doc.number(index))
        elif OUR_JUDGMENTS.match(text):
            heading = index
            break
    if heading is None:
        raise ReportImportError("no 'Our judgments' section in the text", line=doc.number(title))

    known = {fold(name): name for name in area_names}
    listed, stated, after = judgments_list_read(doc, heading + 1, known, round_name)
    if not listed and stated is None:
        raise ReportImportError("'Our judgments' lists no graded area", line=doc.number(heading))
    # Web text often lacks the table (a graphic): the page's count is kept and no grade is read.
    if listed and stated is not None and stated != len(listed):
        problem = f"'Our judgments' says {stated} areas were graded but lists {len(listed)}"
        raise ReportImportError(problem, line=doc.number(heading))

    names = {fold(name): name for name in [*area_names, *listed]}
    starts: list[tuple[int, str]] = []
    seen: set[str] = set()
    end = len(doc.lines)
    for index in range(after, len(doc.lines)):
        text = clean(doc.lines[index])
        if END.match(text):
            end = index
            break
        if fold(text) in names and fold(text) not in seen:
            seen.add(fold(text))
            starts.append((index, names[fold(text)]))

    grades = {fold(name): (grade, line) for name, (grade, line) in listed.items()}
    judgments = []
    for position, (index, name) in enumerate(starts):
        section_end = starts[position + 1][0] if position + 1 < len(starts) else end
        blocks = web_blocks(doc, index + 1, section_end)
        grade, grade_line = grades.get(fold(name), ("", 0))
        if blocks and grade_word(blocks[0].text):
            if grade and grade_word(blocks[0].text) != grade:
                here = grade_word(blocks[0].text)
                problem = f"{name!r} is graded {here!r} here but {grade!r} in 'Our judgments' (line {grade_line})"
                raise ReportImportError(problem, line=blocks[0].line)
            grade, grade_line = grade_word(blocks[0].text) or "", blocks[0].line
            blocks = blocks[1:]
        content = section_read(blocks, end_line=doc.number(section_end - 1))
        judgments.append(
            content.judgment(
                name=name,
                grade=grade,
                line=doc.number(index),
                grade_line=grade_line,
            )
        )
    covered = {fold(judgment.name) for judgment in judgments}
    for name, (grade, line) in listed.items():
        if fold(name) not in covered:
            judgments.append(Judgment(name=name, grade=grade, line=line, grade_line=line))
    narrative_end = starts[0][0] if starts else end
    summary = [block.text for block in web_blocks(doc, after, narrative_end)]
    return ParsedReport(
        layout=NAME,
        force_name=force,
        force_line=force_line,
        round_name=round_name,
        published=published,
        summary="\n\n".join(summary),
        judgments=tuple(judgments),
        stated_area_count=stated,
        end_line=doc.number(len(doc.lines) - 1),
    )
