"""Splitting a text that holds several HMICFRS pages one after the other (an overview, then pillar
pages; an effectiveness page, then an efficiency page), so each page is read on its own and no
page's content is carried into another.

A new page starts at a new '<Force> PEEL <year>' title, at another pillar's opening judgment (its
pillar word or pillar question followed by a grade), or at 'Questions for <Pillar>' naming another
pillar than the page it is in.
"""

import re
from dataclasses import dataclass

from reports.importers.text import SourceText, clean, grade_word, pillar_word

TITLE = re.compile(r"^(?P<force>\S.*?) PEEL (?P<year>(?:19|20)\d\d(?:/\d\d)?)\b")
QUESTIONS_FOR = re.compile(r"^Questions for (?P<pillar>\w+)$", re.IGNORECASE)
# The pillar-level questions, 2014–2018/19; a question-level heading never ends this way.
PILLAR_QUESTION = re.compile(
    r"^How (?P<stem>effective|efficient|legitimate)(?:ly)?\b.*"
    r"(?:keeping people safe and reducing crime|reduce crime and keep people safe|how sustainable are its services"
    r"|treat the public and its workforce)",
    re.IGNORECASE,
)
STEM_PILLARS = {"effective": "Effectiveness", "efficient": "Efficiency", "legitimate": "Legitimacy"}
OPENING_REACH = 4  # non-blank lines from a pillar question to its grade


@dataclass(frozen=True)
class Page:
    """One page of a text: its own lines (file numbering kept), the pillar it opens with, and why it starts here."""

    doc: SourceText
    pillar: str
    start_line: int
    reason: str
    titled: bool


def pillar_question_pillar(text: str) -> str:
    """The pillar a pillar-level question asks about ('How efficient is the force at keeping…'), or ''."""
    match = PILLAR_QUESTION.match(clean(text))
    return STEM_PILLARS[match["stem"].lower()] if match else ""


def following(doc: SourceText, index: int, count: int) -> list[int]:
    """Indices of the next `count` non-blank lines after index."""
    found: list[int] = []
    index += 1
    while index < len(doc.lines) and len(found) < count:
        if doc.lines[index].strip():
            found.append(index)
        index += 1
    return found


def opening_at(doc: SourceText, index: int) -> str:
    """The pillar whose opening judgment starts at line index (a pillar word or pillar question then,
    within a few lines, a grade), or ''."""
    text = clean(doc.lines[index])
    if pillar := pillar_word(text):
        ahead = following(doc, index, OPENING_REACH)
        if not ahead or pillar_question_pillar(doc.lines[ahead[0]]) != pillar:
            return ""
        ahead = ahead[1:]
    elif pillar := pillar_question_pillar(text):
        ahead = following(doc, index, OPENING_REACH)
    else:
        return ""  # most lines: nothing to look ahead for
    return pillar if any(grade_word(doc.lines[i]) for i in ahead) else ""


def pages_split(doc: SourceText) -> list[Page]:
    """The pages of a text, in order; a text of one page is one Page holding it all."""
    starts: list[tuple[int, str, str, bool]] = []  # index, pillar, reason, titled
    pillar = ""
    index = 0
    while index < len(doc.lines):
        text = clean(doc.lines[index])
        if not text:
            index += 1
            continue
        if TITLE.match(text):
            starts.append((index, "", f"a new title {text[:60]!r}", True))
            pillar = ""
        elif opened := opening_at(doc, index):
            if pillar and opened != pillar:
                starts.append((index, opened, f"the {opened} page's opening judgment", False))
            pillar = opened
            if pillar_word(text):
                index += 1  # the pillar question on the next line belongs to the same opening
                while index < len(doc.lines) and not doc.lines[index].strip():
                    index += 1
        elif (questions := QUESTIONS_FOR.match(text)) and (named := pillar_word(questions["pillar"])):
            if pillar and named != pillar:
                starts.append((index, named, f"'Questions for {named}'", False))
            pillar = named
        index += 1
    # The first title opens the first page; text before it (site furniture) stays with it.
    if starts and starts[0][3]:
        starts[0] = (0, starts[0][1], starts[0][2], True)
    if not starts or starts[0][0] != 0:
        starts.insert(0, (0, "", "the start of the text", bool(starts and starts[0][3] and starts[0][0] == 0)))
    pages = []
    for position, (start, opened, reason, titled) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(doc.lines)
        part = SourceText(lines=doc.lines[start:end], first_line=doc.number(start), header=doc.header)
        pages.append(Page(doc=part, pillar=opened, start_line=doc.number(start), reason=reason, titled=titled or position == 0))
    return pages
