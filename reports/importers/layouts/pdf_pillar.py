"""HMICFRS pillar reports as PDF text (2014–2017), after pdf.py has cleaned the page furniture:

Introduction … the numbered list of questions ("1. How effective is the force at …?")
Overview – <pillar question>?   Overall judgment   <grade>   narrative…
Overall summary: each question with its grade (checked against the sections below)
per question: <question>?  findings…  Summary of findings  <grade>  summary  findings lists
Next steps, annexes and figures: skipped
"""

import re

from reports.importers.document import Judgment, ParsedReport, ReportImportError
from reports.importers.pdf import SUMMARY_OF_FINDINGS, TERMINATOR, PdfLine, pdf_blocks, pdf_lines, width_of
from reports.importers.sections import section_read
from reports.importers.text import SourceText, clean, fold, grade_word, pillar_of_question

NAME = "pdf-pillar-2014-17"
DESCRIPTION = "HMICFRS pillar report, PDF text, 2014–2017"

OVERALL_JUDGMENT = re.compile(r"^Overall judge?ment\s*\d*$", re.IGNORECASE)
OVERVIEW = re.compile(r"^Overview\s*[–—-]\s*(?P<question>.*)$")
LISTED_QUESTION = re.compile(r"^(?P<number>\d{1,2})\.\s+(?P<text>(?:How|To what extent|What|Does|Is|Are)\b.*)$")
FORCE_SENTENCE = re.compile(
    r"(?:findings for|An inspection of|assessment of) (?P<force>(?:[A-Z][\w’'&-]*\s)+?(?:Police Service|Police|Constabulary))\b"
)
ADDRESS = re.compile(r"peel-?assessments/peel-?(?P<year>(?:19|20)\d\d)/(?P<force>[a-z][a-z-]+)/")
ROUND_WORDS = re.compile(r"PEEL:? [Pp]olice (?:effectiveness|efficiency|legitimacy|leadership) (?P<year>20\d\d)\b")


def detect(doc: SourceText) -> bool:
    texts = [clean(line) for line in doc.lines]
    return any(SUMMARY_OF_FINDINGS.match(text) for text in texts) and any(OVERALL_JUDGMENT.match(text) for text in texts)


def question_list(lines: list[PdfLine]) -> list[tuple[int, str, int]]:
    """The introduction's numbered list of questions: (number, wording, line)."""
    found: list[tuple[int, str, int]] = []
    index = 0
    while index < len(lines):
        match = LISTED_QUESTION.match(lines[index].text)
        if match and int(match["number"]) == len(found) + 1:
            texts, start = [match["text"]], lines[index].number
            while not texts[-1].endswith("?") and index + 1 < len(lines) and lines[index + 1].text and len(texts) < 4:
                index += 1
                texts.append(lines[index].text)
            found.append((int(match["number"]), clean(" ".join(texts)), start))
        elif found and lines[index].text:
            break
        index += 1
    return found


def heading_at(folded: list[str], index: int, wanted: str) -> bool:
    """Whether the line at index starts a heading reading `wanted` (folded; wrapped over up to 4
    lines); `folded` holds every line's folded text."""
    joined = ""
    for offset in range(4):
        if index + offset >= len(folded) or not folded[index + offset]:
            return False
        joined = f"{joined} {folded[index + offset]}".strip()
        if joined == wanted:
            return True
        if not wanted.startswith(joined):
            return False
    return False


def grade_at(lines: list[PdfLine], index: int) -> tuple[str | None, int]:
    """The grade written from the first non-blank line at index on (a grade can wrap onto two lines),
    and the index after it; (None, index of the text found) when there is none."""
    while index < len(lines) and not lines[index].text:
        index += 1
    if index >= len(lines):
        return None, index
    grade = grade_word(lines[index].text)
    if grade:
        return grade, index + 1
    if index + 1 < len(lines) and (grade := grade_word(f"{lines[index].text} {lines[index + 1].text}")):
        return grade, index + 2
    return None, index


def meta_read(doc: SourceText) -> tuple[str, int, str]:
    """(force name or slug, its line, round year) from the report's own sentences and addresses."""
    force, force_line, year = "", 0, ""
    for index, raw in enumerate(doc.lines):
        text = clean(raw)
        if not force and (match := FORCE_SENTENCE.search(text)):
            force, force_line = match["force"], doc.number(index)
        if match := ADDRESS.search(text):
            year = year or match["year"]
            if not force:
                force, force_line = match["force"], doc.number(index)
        if not year and (match := ROUND_WORDS.search(text)):
            year = match["year"]
    return force, force_line, year


def parse(doc: SourceText, **context) -> ParsedReport:
    lines = pdf_lines(doc)
    width = width_of(lines)
    questions = question_list(lines)
    if not questions:
        raise ReportImportError("no numbered list of questions ('1. How effective is the force at …?') in the introduction")
    overall_index = next((i for i, line in enumerate(lines) if OVERALL_JUDGMENT.match(line.text)), None)
    if overall_index is None:
        raise ReportImportError("no 'Overall judgment' in the text")
    overall_grade, after_grade = grade_at(lines, overall_index + 1)
    if overall_grade is None:
        seen = lines[after_grade].text if after_grade < len(lines) else "the end of the text"
        raise ReportImportError(f"expected the overall judgment's grade, found {seen[:60]!r}", line=lines[overall_index].number)
    pillar_question = pillar_question_read(lines, overall_index)

    summaries = [i for i, line in enumerate(lines) if SUMMARY_OF_FINDINGS.match(line.text) and i > overall_index]
    if len(summaries) != len(questions):
        where = lines[summaries[-1]].number if summaries else lines[overall_index].number
        raise ReportImportError(
            f"found {len(summaries)} 'Summary of findings' for the {len(questions)} questions listed in the introduction",
            line=where,
        )
    headings = []
    folded = [fold(line.text) for line in lines]
    for position, (number, wording, listed_line) in enumerate(questions):
        low = summaries[position - 1] if position else after_grade
        wanted = fold(wording)
        found = [i for i in range(low, summaries[position]) if heading_at(folded, i, wanted)]
        if not found:
            raise ReportImportError(
                f"question {number} ('{wording[:60]}…', listed at line {listed_line}) has no heading before its "
                "'Summary of findings'",
                line=lines[summaries[position]].number,
            )
        headings.append(found[-1])

    table, narrative = overview_read(lines[after_grade : headings[0]], questions, width=width)
    judgments = []
    for position, (number, wording, _) in enumerate(questions):
        start = summaries[position]
        end = headings[position + 1] if position + 1 < len(questions) else len(lines)
        end = next((i for i in range(start, end) if TERMINATOR.match(lines[i].text)), end)
        grade, section_start = grade_at(lines, start + 1)
        if grade is None:
            seen = lines[section_start].text if section_start < len(lines) else "the end of the text"
            raise ReportImportError(
                f"expected the grade of question {number} after 'Summary of findings', found {seen[:60]!r}",
                line=lines[start].number,
            )
        if number in table and table[number][0] != grade:
            raise ReportImportError(
                f"question {number} is graded {grade!r} here but {table[number][0]!r} in the overall summary "
                f"(line {table[number][1]})",
                line=lines[section_start - 1].number,
            )
        end_line = lines[end - 1].number if end > start else lines[start].number
        content = section_read(pdf_blocks(lines[section_start:end], width=width), end_line=end_line)
        judgments.append(
            content.judgment(
                name=wording,
                number=number,
                grade=grade,
                line=lines[headings[position]].number,
                grade_line=lines[section_start - 1].number,
            )
        )
    force, force_line, year = meta_read(doc)
    return ParsedReport(
        layout=NAME,
        force_name=force,
        force_line=force_line,
        round_name=year,
        pillar=pillar_of_question(pillar_question) or "",
        last_updated=None,
        overall=Judgment(
            name=pillar_question, grade=overall_grade, line=lines[overall_index].number, grade_line=lines[after_grade - 1].number
        ),
        summary="\n\n".join(narrative),
        judgments=tuple(judgments),
        end_line=doc.number(len(doc.lines) - 1),
    )


def pillar_question_read(lines: list[PdfLine], overall_index: int) -> str:
    """The pillar question from the 'Overview – …?' heading above the overall judgment."""
    for index in range(overall_index - 1, max(-1, overall_index - 6), -1):
        if match := OVERVIEW.match(lines[index].text):
            texts = [match["question"]]
            for following in lines[index + 1 : overall_index]:
                if texts[-1].endswith("?"):
                    break
                texts.append(following.text)
            return clean(" ".join(texts))
    problem = "no 'Overview – <pillar question>' heading above the overall judgment"
    raise ReportImportError(problem, line=lines[overall_index].number)


def overview_read(lines: list[PdfLine], questions: list[tuple[int, str, int]], *, width: int) -> tuple[dict, list[str]]:
    """Split the overview into the 'Overall summary' table ({number: (grade, line)}) and the
    narrative paragraphs around it."""
    wordings = {fold(wording): number for number, wording, _ in questions}
    blocks = pdf_blocks(lines, width=width)
    table: dict[int, tuple[str, int]] = {}
    narrative: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        number = wordings.get(fold(block.text))
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if number and following and grade_word(following.text):
            table[number] = (grade_word(following.text) or "", following.line)
            index += 2
            continue
        if fold(block.text) != "overall summary":
            narrative.append(("• " if block.bullet else "") + block.text)
        index += 1
    return table, narrative
