"""What a layout reads out of a report's text: plain values, no database, so layouts test alone.

Line numbers are kept for error messages but left out of equality, so the same report read from
two layouts (web page and PDF) compares equal when the findings are the same.
"""

from dataclasses import dataclass, field
from datetime import date


class ReportImportError(Exception):
    """A report that cannot be imported: the problem in words and, where known, the line of the file."""

    def __init__(self, problem: str, *, line: int | None = None) -> None:
        self.problem = problem
        self.line = line
        super().__init__(f"line {line}: {problem}" if line else problem)


@dataclass(frozen=True)
class Cause:
    """A cause of concern with the recommendations made to address it."""

    text: str
    recommendations_intro: str = ""
    recommendations: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Judgment:
    """One question (to 2018/19) or area (from 2021/22) as the report states it."""

    name: str
    number: int | None = None
    grade: str = ""
    carried_over: bool = False
    summary: str = ""
    causes: tuple[Cause, ...] = ()
    areas_for_improvement: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)
    grade_line: int = field(default=0, compare=False)
    # The words the grade rests on, as the text states them (a grade line, or a sentence).
    quote: str = field(default="", compare=False)
    # The earlier round a carried-over judgment was made in ('2017'), where the text names it.
    carried_from: str = ""


@dataclass(frozen=True)
class Statement:
    """A grade a summary sentence states, before it is matched to a question: the words naming what is
    graded ('investigating crime and reducing re-offending'), the grade word, and where it stands."""

    phrase: str
    grade: str
    line: int = field(default=0, compare=False)
    # The sentence (or, when long, the clause) the grade rests on.
    quote: str = field(default="", compare=False)
    # Which sentence of the text it comes from: a sentence's grades are taken all together or not at all.
    sentence: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ParsedReport:
    """A whole report as read from its text, before it is matched to forces, rounds and questions."""

    layout: str = field(compare=False)
    force_name: str = ""
    force_line: int = field(default=0, compare=False)
    round_name: str = ""
    pillar: str = ""
    last_updated: date | None = None
    published: date | None = None
    overall: Judgment | None = None
    summary: str = ""
    judgments: tuple[Judgment, ...] = ()
    stated_area_count: int | None = None
    # Grades stated only in summary sentences (2014–2017 pages); the service matches them to questions.
    statements: tuple[Statement, ...] = ()
    end_line: int = field(default=0, compare=False)

    @property
    def has_grade(self) -> bool:
        return (
            bool(self.overall and self.overall.grade)
            or any(judgment.grade for judgment in self.judgments)
            or bool(self.statements)
        )
