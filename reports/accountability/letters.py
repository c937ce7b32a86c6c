"""Reading a police and crime commissioner's response letter to HMICFRS: pure, no database.

A letter is recognised by what it must hold, and refused naming what it lacks: its date line (the
first line, "21 September 2023"), the inspection it answers with that inspection's publication date
("… published on the 07 July 2023 – Police performance: Getting a grip Inspection"), at least one
"Recommendation n" block, and a signature ("Yours sincerely", the commissioner's name, "Police and
Crime Commissioner for <force>"). "Promising practice: <title>" blocks are read where present.

A recommendation block is the recommendation as quoted ("By January 2024, forces should …", with its
bullets), then, from the first paragraph in the force's or the office's own voice, what the letter
says about it. A letter answering its recommendations in one passage after the last of them
answers each of them jointly, and says so (``joint``). Deadlines keep the source's words; a date is
read from them only as precisely as they state it (a month, a year, a day), never more.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from reports.importers.document import ReportImportError
from reports.importers.text import source_text_read
from reports.vocabulary import DatePrecision


class LetterImportError(Exception):
    """A text that cannot be imported as a PCC response letter: the problem and, where known, the line."""

    def __init__(self, problem: str, *, line: int | None = None) -> None:
        self.problem = problem
        self.line = line
        super().__init__(f"line {line}: {problem}" if line else problem)


@dataclass(frozen=True)
class LetterDeadline:
    """A recommendation's deadline: the source's words, and the date they state (None if they state none)."""

    text: str = ""
    value: date | None = None
    precision: str = ""


@dataclass(frozen=True)
class LetterRecommendation:
    """A recommendation quoted in a letter, with what the letter says about it."""

    number: int
    text: str
    deadline: LetterDeadline = LetterDeadline()
    to_all_forces: bool = True
    response: str = ""
    joint: bool = False
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class LetterPractice:
    """A piece of promising practice the letter quotes from the inspection."""

    title: str
    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ParsedLetter:
    """A whole PCC response letter as read, before it is matched to a force and an inspection."""

    dated: date
    force_name: str
    commissioner: str
    inspection_title: str
    inspection_published: date
    recommendations: tuple[LetterRecommendation, ...]
    practices: tuple[LetterPractice, ...] = ()
    body: str = ""
    source: str = ""


MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_DAY_MONTH_YEAR = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]+),?\s+(?P<year>\d{4})"
DATE_LINE = re.compile(rf"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?{_DAY_MONTH_YEAR}\.?$", re.IGNORECASE)
PUBLISHED = re.compile(
    rf"published\s+(?:on\s+)?(?:the\s+)?{_DAY_MONTH_YEAR}\s*[–—:-]\s*(?P<title>.+?)\s*(?:inspection(?:\s+report)?)?\s*\.?$",
    re.IGNORECASE,
)
PUBLISHED_AFTER_TITLE = re.compile(
    rf"[‘'“\"](?P<title>[^’'”\"]+)[’'”\"],?\s+(?:inspection\s+|report\s+)?(?:was\s+)?published\s+(?:on\s+)?(?:the\s+)?{_DAY_MONTH_YEAR}",
    re.IGNORECASE,
)
RECOMMENDATION_HEADING = re.compile(r"^Recommendation\s+(?P<number>\d{1,3})\s*[:.]?$", re.IGNORECASE)
PRACTICE_HEADING = re.compile(r"^(?P<quote>[‘'“\"]?)Promising practice\s*:\s*(?P<title>.+)$", re.IGNORECASE)
SIGN_OFF = re.compile(r"^(?:Yours\s+(?:sincerely|faithfully)|Kind regards|Best regards)[,.]?$", re.IGNORECASE)
COMMISSIONER_FOR = re.compile(r"Police,?\s+(?:Fire\s+)?and\s+Crime\s+Commissioner\s+for\s+(?P<force>[A-Z][A-Za-z&' -]+?)\s*$")
DEADLINE = re.compile(r"^By\s+(?P<words>[^,]{1,60}),\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
TO_ONE_FORCE = re.compile(r"^(?:the\s+force|[A-Z][A-Za-z ]+\s+(?:Police|Constabulary))\s+should\b")
CLOSING_QUOTES = ("'", "’", '"', "”")
OWN_VOICE = ("The force", "The Force", "The office", "The Office", "Response:", "We ", "Our ", "I ", "The PCC", "The OPCC")


@dataclass(frozen=True)
class _Paragraph:
    text: str
    line: int


def letter_parse(text: str) -> ParsedLetter:
    """Read a PCC response letter; LetterImportError naming what is missing if the text is not one."""
    try:
        source = source_text_read(text)
    except ReportImportError as error:
        raise LetterImportError(error.problem, line=error.line) from None
    lines = [line.strip() for line in source.lines]
    paragraphs = _paragraphs(lines, first_line=source.first_line)
    if not paragraphs:
        raise LetterImportError("the text is empty: a PCC response letter starts with its date line, e.g. '21 September 2023'")
    dated = _date_line(paragraphs[0])
    title, published = _inspection(paragraphs)
    sign_off_index = next((i for i, p in enumerate(paragraphs) if SIGN_OFF.match(p.text)), None)
    if sign_off_index is None:
        raise LetterImportError("no signature: a letter ends 'Yours sincerely', the commissioner's name and their title")
    commissioner, force_name = _signature(paragraphs[sign_off_index + 1 :], after_line=paragraphs[sign_off_index].line)
    body = paragraphs[:sign_off_index]
    practices = _practices(body)
    recommendations = _recommendations(body, force_name=force_name)
    return ParsedLetter(
        dated=dated,
        force_name=force_name,
        commissioner=commissioner,
        inspection_title=title,
        inspection_published=published,
        recommendations=recommendations,
        practices=practices,
        body="\n\n".join(p.text for p in paragraphs),
        source=source.header_value("source"),
    )


def deadline_parse(words: str) -> LetterDeadline:
    """The deadline of 'By <words>,': 'January 2024' (month), '31 March 2024' (day), '2024' (year);
    words that state no whole date ('January 4': no year) are kept with no date."""
    text = f"By {words.strip()}"
    parts = words.strip().rstrip(".").split()
    try:
        if len(parts) == 1 and re.fullmatch(r"\d{4}", parts[0]):
            return LetterDeadline(text=text, value=date(int(parts[0]), 1, 1), precision=DatePrecision.YEAR)
        if len(parts) == 2 and parts[0].lower() in MONTH_NAMES and re.fullmatch(r"\d{4}", parts[1]):
            return LetterDeadline(
                text=text, value=date(int(parts[1]), MONTH_NAMES[parts[0].lower()], 1), precision=DatePrecision.MONTH
            )
        if len(parts) == 3:
            day = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", parts[0])
            if day and parts[1].lower() in MONTH_NAMES and re.fullmatch(r"\d{4}", parts[2]):
                value = date(int(parts[2]), MONTH_NAMES[parts[1].lower()], int(day.group(1)))
                return LetterDeadline(text=text, value=value, precision=DatePrecision.DAY)
    except ValueError:
        pass  # '31 February 2024': the words are kept, no date is made up
    return LetterDeadline(text=text)


def _paragraphs(lines: list[str], *, first_line: int) -> list[_Paragraph]:
    """Blank-line separated paragraphs, each line of a bullet list kept on its own line."""
    paragraphs: list[_Paragraph] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate(lines):
        if line:
            if not current:
                start = first_line + index
            current.append(line)
        elif current:
            paragraphs.append(_Paragraph("\n".join(current), start))
            current = []
    if current:
        paragraphs.append(_Paragraph("\n".join(current), start))
    return paragraphs


def _date_value(match: re.Match, *, line: int) -> date:
    month = MONTH_NAMES.get(match["month"].lower())
    if month is None:
        raise LetterImportError(f"{match['month']!r} is not a month", line=line)
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        raise LetterImportError(f"{match.group(0)!r} is not a date", line=line) from None


def _date_line(first: _Paragraph) -> date:
    match = DATE_LINE.match(first.text.split("\n")[0])
    if not match:
        raise LetterImportError(
            f"no date line: a PCC response letter starts with its date, e.g. '21 September 2023', not {first.text[:60]!r}",
            line=first.line,
        )
    return _date_value(match, line=first.line)


def _inspection(paragraphs: list[_Paragraph]) -> tuple[str, date]:
    for paragraph in paragraphs:
        flat = " ".join(paragraph.text.split())
        for pattern in (PUBLISHED, PUBLISHED_AFTER_TITLE):
            if match := pattern.search(flat):
                title = match["title"].strip(" ‘'“\"’”.")
                if title:
                    return title, _date_value(match, line=paragraph.line)
    raise LetterImportError(
        "no inspection named with its publication date: expected e.g. "
        "'published on the 7 July 2023 – Police performance: Getting a grip'"
    )


def _signature(after: list[_Paragraph], *, after_line: int) -> tuple[str, str]:
    lines = [line for paragraph in after for line in paragraph.text.split("\n")]
    if not lines or COMMISSIONER_FOR.search(lines[0]) or lines[0].lower().startswith("police and crime commissioner"):
        raise LetterImportError("no commissioner's name after the sign-off", line=after_line)
    commissioner = lines[0]
    force = next((match["force"] for line in lines[1:] if (match := COMMISSIONER_FOR.search(line))), "")
    if not force:
        raise LetterImportError(
            "the signature does not say whose commissioner signed: expected 'Police and Crime Commissioner for <force>'",
            line=after_line,
        )
    return commissioner, force.strip()


def _is_marker(text: str) -> bool:
    first = text.split("\n")[0]
    return bool(RECOMMENDATION_HEADING.match(first) or PRACTICE_HEADING.match(first))


def _practices(body: list[_Paragraph]) -> tuple[LetterPractice, ...]:
    practices = []
    index = 0
    while index < len(body):
        first, _, rest = body[index].text.partition("\n")
        match = PRACTICE_HEADING.match(first)
        if not match:
            index += 1
            continue
        quoted = bool(match["quote"])
        title = match["title"].strip()
        parts = [rest] if rest else []
        closed = quoted and title.endswith(CLOSING_QUOTES)
        title = title.rstrip("'’\"”").strip()
        index += 1
        while index < len(body) and not closed:
            paragraph = body[index]
            if _is_marker(paragraph.text) or (not quoted and parts):
                break
            parts.append(paragraph.text)
            closed = quoted and paragraph.text.endswith(CLOSING_QUOTES)
            index += 1
        if quoted and not closed:
            raise LetterImportError(
                f"the promising practice '{title}' opens a quotation that is never closed", line=body[index - 1].line
            )
        text = "\n\n".join(parts).rstrip("'’\"”").strip()
        if not title or not text:
            raise LetterImportError("a 'Promising practice:' block needs a title and a text", line=body[index - 1].line)
        practices.append(LetterPractice(title=title, text=text, line=body[index - 1].line))
    return tuple(practices)


def _in_own_voice(text: str, *, force_name: str) -> bool:
    """Whether a paragraph is the force's or the office's account rather than the recommendation's words."""
    starts = (force_name, *OWN_VOICE)
    return text.startswith(starts)


def _recommendations(body: list[_Paragraph], *, force_name: str) -> tuple[LetterRecommendation, ...]:
    blocks: list[tuple[int, int, list[_Paragraph]]] = []
    for paragraph in body:
        first, _, rest = paragraph.text.partition("\n")
        if match := RECOMMENDATION_HEADING.match(first):
            blocks.append((int(match["number"]), paragraph.line, [_Paragraph(rest, paragraph.line + 1)] if rest else []))
        elif blocks and not _is_marker(paragraph.text):
            blocks[-1][2].append(paragraph)
        elif blocks:
            blocks.append((0, paragraph.line, []))  # a promising practice block after the recommendations ends the last one
    blocks = [block for block in blocks if block[0]]
    if not blocks:
        raise LetterImportError("no 'Recommendation n' block: a response letter quotes the recommendations it answers")
    seen: dict[int, int] = {}
    read = []
    for number, line, paragraphs in blocks:
        if number in seen:
            raise LetterImportError(f"Recommendation {number} appears twice (first at line {seen[number]})", line=line)
        seen[number] = line
        split = next((i for i, p in enumerate(paragraphs) if _in_own_voice(p.text, force_name=force_name)), len(paragraphs))
        words = "\n\n".join(p.text for p in paragraphs[:split]).strip()
        response = "\n\n".join(p.text for p in paragraphs[split:]).strip().removeprefix("Response:").strip()
        if not words:
            raise LetterImportError(f"Recommendation {number} has no text", line=line)
        deadline = LetterDeadline()
        recipient = words
        if match := DEADLINE.match(words):
            deadline = deadline_parse(match["words"])
            recipient = match["rest"]
        to_all = not TO_ONE_FORCE.match(recipient) and not recipient.startswith(force_name)
        read.append(
            LetterRecommendation(number=number, text=words, deadline=deadline, to_all_forces=to_all, response=response, line=line)
        )
    answered = [r for r in read if r.response]
    if len(read) > 1 and len(answered) == 1 and answered[0] is read[-1]:
        # One passage after the last recommendation answers them all: each gets it, marked joint.
        shared = answered[0].response
        read = [LetterRecommendation(**{**r.__dict__, "response": shared, "joint": True}) for r in read]
    return tuple(read)
