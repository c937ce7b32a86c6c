"""HMICFRS force overview pages, 2015 to 2018/19: one sentence per pillar stating its grade.

<Force> PEEL <year>          (2018/19: "Read more about <Force>"; the title may run into the next sentence)
… The extent to which the force is effective at keeping people safe and reducing crime is good.
… The extent to which the force is efficient at keeping people safe and reducing crime is outstanding.
… The extent to which the force is legitimate in keeping people safe and reducing crime is not yet graded.

A pillar is known by the words of its sentence, never by the sentence's place; a sentence that
repeats another pillar's wording, or names a pillar twice, is refused. A sentence saying the pillar
is not yet graded (interim pages) gives no grade.
"""

import re

from reports.importers.document import Judgment, ParsedReport, ReportImportError
from reports.importers.pages import pillar_question_pillar
from reports.importers.text import SourceText, clean, grade_word

NAME = "web-overview-2015-19"
DESCRIPTION = "HMICFRS force overview page, 2015–2018/19 (one grade sentence per pillar)"

TITLE = re.compile(r"(?P<force>[A-Z][\w&'’ -]*?) PEEL (?P<year>(?:19|20)\d\d(?:/\d\d)?)(?!\d)")
EXTENT = re.compile(
    r"The extent to which (?:the force|[A-Z][\w&'’ -]*?) is (?P<phrase>(?:effective|efficient|legitimate)\b[^.]*?)"
    r" is (?P<grade>[a-z][a-z ]*?)\s*\.",
    re.IGNORECASE,
)
PHRASE_PILLARS = {"effective": "Effectiveness", "efficient": "Efficiency", "legitimate": "Legitimacy"}
NOT_YET = re.compile(r"^(?:not yet (?:been )?graded|to be (?:graded|published)|yet to be graded)$", re.IGNORECASE)


def detect(doc: SourceText) -> bool:
    """A text with a '<Force> PEEL <year>' title and 'The extent to which the force is …' sentences, and no
    pillar page's grade line right after a pillar question."""
    head = " ".join(clean(line) for line in doc.lines[:80])
    if not TITLE.search(head) or not any(EXTENT.search(clean(line)) for line in doc.lines):
        return False
    return not any(pillar_question_pillar(line) for line in doc.lines)


def parse(doc: SourceText, **context) -> ParsedReport:
    title_line, match = 0, None
    for index, line in enumerate(doc.lines):
        if found := TITLE.search(clean(line)):
            title_line, match = doc.number(index), found
            break
    if match is None:
        raise ReportImportError("not an HMICFRS PEEL report: no '<Force> PEEL <year>' title found")
    judgments: list[Judgment] = []
    seen: dict[str, int] = {}
    for index, line in enumerate(doc.lines):
        for sentence in EXTENT.finditer(clean(line)):
            phrase = sentence["phrase"]
            pillar = PHRASE_PILLARS[phrase.split()[0].lower()]
            number = doc.number(index)
            if pillar in seen:
                raise ReportImportError(
                    f"the {pillar.lower()} sentence appears twice (first at line {seen[pillar]}): a pillar is known by its "
                    "wording, so the page cannot say which pillar this line grades",
                    line=number,
                )
            seen[pillar] = number
            said = sentence["grade"].strip()
            grade = grade_word(said) or ""
            if not grade and not NOT_YET.match(said):
                raise ReportImportError(f"the {pillar.lower()} sentence states {said!r}, not a grade", line=number)
            judgments.append(Judgment(name=pillar, grade=grade, line=number, grade_line=number, quote=sentence[0]))
    return ParsedReport(
        layout=NAME,
        force_name=match["force"].removeprefix("Read more about ").strip(),
        force_line=title_line,
        round_name=match["year"],
        judgments=tuple(judgments),
        end_line=doc.number(len(doc.lines) - 1),
    )
