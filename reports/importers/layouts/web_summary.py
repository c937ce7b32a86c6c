"""HMICFRS pillar pages, 2014 to 2017, whose grades sit only in the summary's sentences.

<Force> PEEL <year>
[<Pillar>]
[<pillar question>?]
[Last updated dd/mm/yyyy]
[<pillar grade>]
[HMI summary]
<Force> is good at keeping people safe and reducing crime. The force is good at preventing crime,
tackling anti-social behaviour and keeping people safe. It requires improvement at investigating crime…
(2014: "It is good at reducing crime and preventing offending, good at investigating offending and
requires improvement in the way it tackles anti-social behaviour."; 2017 efficiency: "Its understanding
of demand is good; its use of resources to manage demand is good; and its planning for future demand
requires improvement.")

This layout only finds the grade clauses; it knows no questions. A clause is '<grade> at|in <phrase>'
("good at investigating offending") or '<phrase> is <grade>' / '<phrase> requires improvement'. The
service takes a clause's grade only when its phrase names exactly one question of the round and pillar.
A sentence is read only if every grade word in it opens or closes such a clause; a sentence that
speaks of another year or of last time ("In 2015 we judged…", "last year") is never read, nor one
with a grade word in any other use ("a good understanding"), negated or hoped for ("not yet good at").
"""

import re
from dataclasses import dataclass

from reports.importers.document import Judgment, ParsedReport, ReportImportError, Statement
from reports.importers.layouts.web_pillar import LAST_UPDATED, NUMBER, QUESTION, TITLE, next_text
from reports.importers.text import (
    AFI_HEADING,
    CAUSE_HEADING,
    SourceText,
    clean,
    date_parse,
    grade_word,
    pillar_of_question,
    pillar_word,
    title_find,
    web_blocks,
)
from reports.vocabulary import SCALE_TIERS, Scale

NAME = "web-summary-2014-17"
DESCRIPTION = "HMICFRS pillar page, 2014–2017, grades in the summary's sentences"
FIRST_YEAR, LAST_YEAR = 2014, 2017

# The four-tier scale's words, each possibly in quotes (‘good’).
SCALE_WORDS = "|".join(re.escape(tier.label.lower()).replace("requires", "requires?") for tier in SCALE_TIERS[Scale.FOUR_TIER])
GRADE = re.compile(rf"[‘'\"“]?\b(?P<word>{SCALE_WORDS})\b[’'\"”]?", re.IGNORECASE)
# What may follow a grade that opens a clause: "good at …", "requires improvement in …".
OPENS = re.compile(r"^\s+(?:at|in|for)\s+", re.IGNORECASE)
OPENS_IMPROVEMENT = re.compile(r"^\s+(?:at|in|for|to)\s+", re.IGNORECASE)
# What may come before a grade word (other than 'requires improvement') that opens a clause.
LEAD = re.compile(
    r"(?:^|[,;:]|\b(?:is|are|remains|and|but|both|judged to be|assessed as|assessed to be|found to be|graded as|rated as))"
    r"\s*(?:\b(?:also|generally|currently|now|still|consistently|overall)\s+)?$",
    re.IGNORECASE,
)
# What a grade that closes a clause ("… is good") follows and is followed by.
CLOSES_AFTER = re.compile(
    r"\b(?:is|are|remains)\s+(?:(?:judged|assessed|found|graded|rated)\s+(?:to be|as)\s+)?(?:\b(?:also|now|still)\s+)?$",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r"^\s*(?:overall\s*)?(?:[.;,:!]|$|\s+(?:and|but|while|whereas|although)\b)", re.IGNORECASE)
# A grade word after one of these is not a grade the page gives ("not yet good at", "aims to be outstanding").
HEDGES = frozenset(
    [
        "not",
        "no",
        "never",
        "nor",
        "longer",
        "yet",
        "would",
        "could",
        "should",
        "might",
        "may",
        "must",
        "aim",
        "aims",
        "aspire",
        "aspires",
        "want",
        "wants",
        "hope",
        "hopes",
        "need",
        "needs",
        "needed",
        "become",
        "becoming",
        "if",
        "unless",
        "whether",
        "plan",
        "plans",
        "intend",
        "intends",
        "expect",
        "expects",
        "likely",
    ]
)
HEDGE_REACH = 4
# Sentences about another round or time are carried over, never a grade of this page's round.
CARRIED = re.compile(
    r"\b(?:19|20)\d\d\b|\blast (?:year|time|inspection|report)\b|\bprevious(?:ly)?\b|\bearlier\b|\bpreceding\b"
    r"|\b(?:was|were|had been) (?:judged|graded|assessed|found)\b|\bsince (?:we|our)\b|\bremain(?:s)? in place\b",
    re.IGNORECASE,
)
# Where a clause that closes with its grade ("its planning … requires improvement") starts after an opening one.
CLAUSE_BREAK = re.compile(r"[;:,]|\s(?:and|but|while|whereas|although)\s", re.IGNORECASE)
TRAILING_LEAD = frozenset(
    [
        "and",
        "but",
        "while",
        "whereas",
        "although",
        "it",
        "is",
        "are",
        "remains",
        "also",
        "generally",
        "currently",
        "now",
        "still",
        "the",
        "force",
        "this",
        "judged",
        "assessed",
        "found",
        "graded",
        "rated",
        "to",
        "be",
        "as",
        "both",
        "consistently",
        "overall",
    ]
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘'\"“(])")
SHORT_QUOTE = 200


def year_of(doc: SourceText) -> int | None:
    title = title_find(doc, TITLE)
    if title is None:
        return None
    match = TITLE.match(clean(doc.lines[title]))
    return int(match["year"][:4]) if match else None


def detect(doc: SourceText) -> bool:
    """A '<Force> PEEL <year>' title of 2014–2017 and no numbered questions (those pages have grade lines)."""
    year = year_of(doc)
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        return False
    for index, line in enumerate(doc.lines):
        if NUMBER.match(clean(line)):
            following = next_text(doc, index + 1)
            if following is not None and QUESTION.match(clean(doc.lines[following])):
                return False
    return True


def parse(doc: SourceText, **context) -> ParsedReport:
    title = title_find(doc, TITLE)
    if title is None:
        raise ReportImportError("not an HMICFRS PEEL report: no '<Force> PEEL <year>' title found")
    match = TITLE.match(clean(doc.lines[title]))
    assert match is not None
    pillars: dict[str, int] = {}
    index = next_text(doc, title + 1)
    if index is not None and pillar_word(doc.lines[index]):
        pillars[pillar_word(doc.lines[index]) or ""] = doc.number(index)
        index = next_text(doc, index + 1)
    pillar_question = ""
    if index is not None and QUESTION.match(clean(doc.lines[index])):
        pillar_question = clean(doc.lines[index])
        if asked := pillar_of_question(pillar_question):
            pillars.setdefault(asked, doc.number(index))
        index = next_text(doc, index + 1)
    if len(pillars) > 1:
        (first, first_line), (second, second_line) = list(pillars.items())[:2]
        raise ReportImportError(f"the page says {second} here but {first} at line {first_line}", line=second_line)
    last_updated = None
    if index is not None and (updated := LAST_UPDATED.match(clean(doc.lines[index]))):
        last_updated = date_parse(updated["date"])
        if last_updated is None:
            raise ReportImportError(f"'Last updated' date {updated['date']!r} is not a date (dd/mm/yyyy)", line=doc.number(index))
        index = next_text(doc, index + 1)
    overall = None
    if index is not None and pillar_question and (grade := grade_word(doc.lines[index])):
        overall = Judgment(name=pillar_question, grade=grade, line=doc.number(index), grade_line=doc.number(index))
        index += 1
    summary: list[str] = []
    statements: list[Statement] = []
    for block in web_blocks(doc, index if index is not None else len(doc.lines), len(doc.lines)):
        if AFI_HEADING.match(block.text) or CAUSE_HEADING.match(block.text):
            break
        summary.append(block.text)
        if block.text.endswith("?"):
            continue
        for sentence in SENTENCE_END.split(block.text):
            statements.extend(sentence_read(sentence, line=block.line, number=len(statements) + 1))
    return ParsedReport(
        layout=NAME,
        force_name=match["force"],
        force_line=doc.number(title),
        round_name=match["year"],
        pillar=next(iter(pillars), ""),
        last_updated=last_updated,
        overall=overall,
        summary="\n\n".join(summary),
        statements=tuple(statements),
        end_line=doc.number(len(doc.lines) - 1),
    )


@dataclass(frozen=True)
class _Clause:
    """One grade word of a sentence and how it stands: opening a clause ('good at'), closing one ('is good'), or neither."""

    start: int
    end: int
    grade: str
    opens: int | None  # where the opened phrase starts
    closes: int | None  # where the verb before the closing grade starts


def clause_find(sentence: str, found: re.Match[str]) -> _Clause:
    before, after = sentence[: found.start()], sentence[found.end() :]
    grade = grade_word(found["word"].replace("require ", "requires ")) or ""
    improvement = grade.casefold().startswith("requires")
    if any(word in HEDGES for word in re.findall(r"[a-z']+", before.lower())[-HEDGE_REACH:]):
        return _Clause(found.start(), found.end(), grade, None, None)
    opening = (OPENS_IMPROVEMENT if improvement else OPENS).match(after)
    if opening and (improvement or LEAD.search(before)):
        return _Clause(found.start(), found.end(), grade, found.end() + opening.end(), None)
    if CLAUSE_END.match(after):
        if improvement and before.strip():
            return _Clause(found.start(), found.end(), grade, None, found.start())
        if verb := CLOSES_AFTER.search(before):
            return _Clause(found.start(), found.end(), grade, None, verb.start())
    return _Clause(found.start(), found.end(), grade, None, None)


def lead_trim(text: str) -> str:
    """A phrase without the words that lead into the next clause ('…, and it is')."""
    words = text.split()
    while words and (words[-1].strip(",;:").lower() in TRAILING_LEAD or not words[-1].strip(",;:")):
        words.pop()
    return " ".join(words).strip(" ,;:")


def sentence_read(sentence: str, *, line: int, number: int = 0) -> list[Statement]:
    """The grade clauses of one sentence, or none if any grade word in it is not a clean clause's."""
    sentence = clean(sentence)
    if CARRIED.search(sentence):
        return []
    clauses = [clause_find(sentence, found) for found in GRADE.finditer(sentence)]
    if not clauses or any(clause.opens is None and clause.closes is None for clause in clauses):
        return []
    phrases: list[tuple[str, int]] = []  # phrase, clause start
    boundary = 0
    for position, clause in enumerate(clauses):
        if clause.closes is not None:
            shared = sentence[boundary : clause.closes]
            if position and clauses[position - 1].opens is not None:
                # The text since the previous grade holds its phrase, then this clause's subject.
                breaks = list(CLAUSE_BREAK.finditer(shared))
                if not breaks:
                    return []
                cut = breaks[-1]
                phrases[-1] = (lead_trim(shared[: cut.start()]), phrases[-1][1])
                subject_start = boundary + cut.end()
            else:
                subject_start = boundary
            subject = sentence[subject_start : clause.closes].strip(" ,;:")
            subject = re.sub(r"^(?:and|but|while|whereas|although)\s+", "", subject, flags=re.IGNORECASE)
            phrases.append((subject, subject_start))
            boundary = clause.end
        else:
            assert clause.opens is not None
            if position and clauses[position - 1].opens is not None:
                between = sentence[boundary : clause.start]
                if clause.grade.casefold().startswith("requires") and (breaks := list(CLAUSE_BREAK.finditer(between))):
                    between = between[
                        : breaks[-1].start()
                    ]  # 'requires improvement' brings its own subject ('…, although this work')
                phrases[-1] = (lead_trim(between), phrases[-1][1])
            phrases.append(("", clause.start))
            boundary = clause.opens
    if clauses[-1].opens is not None:
        phrases[-1] = (lead_trim(sentence[boundary:].rstrip(".!")), phrases[-1][1])
    statements = []
    for clause, (phrase, start) in zip(clauses, phrases, strict=True):
        if not phrase:
            return []
        quote = sentence if len(sentence) <= SHORT_QUOTE else sentence[start : max(clause.end, start + len(phrase) + 40)]
        statements.append(Statement(phrase=phrase, grade=clause.grade, line=line, quote=quote, sentence=number))
    return statements
