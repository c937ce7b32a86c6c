"""HMICFRS pillar pages (2014 to 2018/19): one page per force, round and pillar.

<Force> PEEL <year>
[<Pillar>]
<pillar question>?
[Last updated dd/mm/yyyy]
<pillar grade>
narrative…
[Questions for <Pillar>]
then per question (2014–2017):        or (2018/19):
  <number>                              <question>?
  <question>?                           [<grade>]
  <grade>                               section…  ("carried over" notes mark the judgment)
  section… (see sections.py)
"""

import re
from dataclasses import dataclass

from reports.importers.document import Judgment, ParsedReport, ReportImportError
from reports.importers.sections import section_read
from reports.importers.text import (
    SourceText,
    clean,
    date_parse,
    grade_word,
    pillar_of_question,
    pillar_word,
    title_find,
    web_blocks,
)

TITLE = re.compile(r"^(?P<force>\S.*?) PEEL (?P<year>(?:19|20)\d\d(?:/\d\d)?)$")
LAST_UPDATED = re.compile(r"^Last updated:? (?P<date>.+)$", re.IGNORECASE)
QUESTIONS_FOR = re.compile(r"^Questions for (?P<pillar>\w+)$", re.IGNORECASE)
NUMBER = re.compile(r"^\d{1,2}$")
QUESTION = re.compile(r"^(?:How|To what extent|What|Does|Do|Is|Are|Has|Have)\b.{5,300}\?$")
FIRST_UNNUMBERED_YEAR = 2018


def next_text(doc: SourceText, index: int) -> int | None:
    """Index of the first non-blank line at or after index."""
    while index < len(doc.lines):
        if doc.lines[index].strip():
            return index
        index += 1
    return None


@dataclass(frozen=True)
class WebPillarLayout:
    """A pillar page; `numbered` pages put each question's number on a line above it."""

    name: str
    description: str
    numbered: bool

    def detect(self, doc: SourceText) -> bool:
        """A '<Force> PEEL <year>' title: up to 2017 numbered pages, from 2018 the others."""
        title = title_find(doc, TITLE)
        if title is None:
            return False
        match = TITLE.match(clean(doc.lines[title]))
        assert match is not None
        return self.numbered == (int(match["year"][:4]) < FIRST_UNNUMBERED_YEAR)

    def question_starts(self, doc: SourceText, start: int, *, numbered: bool) -> list[tuple[int, int, int | None]]:
        """(first line, question line, number) of every question from `start` on."""
        starts: list[tuple[int, int, int | None]] = []
        for index in range(start, len(doc.lines)):
            text = clean(doc.lines[index])
            if numbered and NUMBER.match(text):
                question = next_text(doc, index + 1)
                if question is not None and QUESTION.match(clean(doc.lines[question])):
                    starts.append((index, question, int(text)))
            elif not numbered and QUESTION.match(text):
                starts.append((index, index, None))
        return starts

    def parse(self, doc: SourceText, *, title_of_text: tuple[str, str, int] | None = None, **context) -> ParsedReport:
        """Read the page; a later page of a several-page text that has no title of its own is read
        under `title_of_text` (force, year, line) of the text's first page."""
        title = title_find(doc, TITLE)
        if title is not None:
            match = TITLE.match(clean(doc.lines[title]))
            assert match is not None
            force_name, year, force_line = match["force"], match["year"], doc.number(title)
            index = next_text(doc, title + 1)
        elif title_of_text is not None:
            force_name, year, force_line = title_of_text
            title, index = 0, next_text(doc, 0)
        else:
            raise ReportImportError("not an HMICFRS PEEL report: no '<Force> PEEL <year>' title found")
        pillars: dict[str, int] = {}
        if index is not None and pillar_word(doc.lines[index]):
            pillars[pillar_word(doc.lines[index]) or ""] = doc.number(index)
            index = next_text(doc, index + 1)
        if index is None or not QUESTION.match(clean(doc.lines[index])):
            raise ReportImportError("no pillar question ('How effective is the force…?') after the title", line=doc.number(title))
        pillar_question = clean(doc.lines[index])
        if pillar_of_question(pillar_question):
            pillars.setdefault(pillar_of_question(pillar_question) or "", doc.number(index))
        last_updated = None
        index = next_text(doc, index + 1)
        if index is not None and (updated := LAST_UPDATED.match(clean(doc.lines[index]))):
            last_updated = date_parse(updated["date"])
            if last_updated is None:
                problem = f"'Last updated' date {updated['date']!r} is not a date (dd/mm/yyyy)"
                raise ReportImportError(problem, line=doc.number(index))
            index = next_text(doc, index + 1)
        overall = None
        if index is not None and grade_word(doc.lines[index]):
            grade = grade_word(doc.lines[index]) or ""
            overall = Judgment(name=pillar_question, grade=grade, line=doc.number(index), grade_line=doc.number(index))
            index += 1
        body_start = index if index is not None else len(doc.lines)

        starts = self.question_starts(doc, body_start, numbered=self.numbered)
        narrative_end = starts[0][0] if starts else len(doc.lines)
        narrative = []
        for block in web_blocks(doc, body_start, narrative_end):
            if questions_for := QUESTIONS_FOR.match(block.text):
                if pillar_word(questions_for["pillar"]):
                    pillars.setdefault(pillar_word(questions_for["pillar"]) or "", block.line)
                break
            narrative.append(block.text)
        if len(pillars) > 1:
            (first, first_line), (second, second_line) = list(pillars.items())[:2]
            raise ReportImportError(f"the page says {second} here but {first} at line {first_line}", line=second_line)

        judgments = self.judgments_read(doc, starts)
        return ParsedReport(
            layout=self.name,
            force_name=force_name,
            force_line=force_line,
            round_name=year,
            pillar=next(iter(pillars), ""),
            last_updated=last_updated,
            overall=overall,
            summary="\n\n".join(narrative),
            judgments=tuple(judgments),
            end_line=doc.number(len(doc.lines) - 1),
        )

    def judgments_read(self, doc: SourceText, starts: list[tuple[int, int, int | None]]) -> list[Judgment]:
        judgments: list[Judgment] = []
        seen: dict[int, int] = {}
        for position, (first, question_index, number) in enumerate(starts):
            end = starts[position + 1][0] if position + 1 < len(starts) else len(doc.lines)
            if number is not None:
                if number in seen:
                    problem = f"question {number} appears twice (first at line {seen[number]})"
                    raise ReportImportError(problem, line=doc.number(first))
                if number != len(seen) + 1:
                    problem = f"question {number} comes where question {len(seen) + 1} should"
                    raise ReportImportError(problem, line=doc.number(first))
                seen[number] = doc.number(first)
            grade_index = next_text(doc, question_index + 1)
            grade = grade_word(doc.lines[grade_index]) if grade_index is not None and grade_index < end else None
            if grade is None and self.numbered:
                found = clean(doc.lines[grade_index]) if grade_index is not None and grade_index < end else "nothing"
                raise ReportImportError(
                    f"expected the grade of question {number} after its wording, found {found[:60]!r}",
                    line=doc.number(grade_index if grade_index is not None else question_index),
                )
            section_start = grade_index + 1 if grade and grade_index is not None else question_index + 1
            content = section_read(web_blocks(doc, section_start, end), end_line=doc.number(end - 1))
            judgments.append(
                content.judgment(
                    name=clean(doc.lines[question_index]),
                    number=number,
                    grade=grade or "",
                    line=doc.number(question_index),
                    grade_line=doc.number(grade_index) if grade and grade_index is not None else 0,
                )
            )
        return judgments


WEB_PILLAR_2014_17 = WebPillarLayout(
    name="web-pillar-2014-17",
    description="HMICFRS pillar page, 2014–2017 (numbered questions)",
    numbered=True,
)
WEB_PILLAR_2018_19 = WebPillarLayout(
    name="web-pillar-2018-19",
    description="HMICFRS pillar page, 2018/19 (question then grade, judgments carried over)",
    numbered=False,
)
