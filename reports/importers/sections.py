"""The grammar every layout shares for one question's (or area's) section, once its text is blocks:

summary paragraphs
[Cause(s) of concern  paragraph(s)  Recommendation(s)  [intro ending ':']  bullets or paragraphs]…
[Area(s) for improvement  bullets (sub-points nested under them) | paragraph(s)]
notes (anything after the lists: links, revisit notices), which are kept out of the findings.
"""

import re
from dataclasses import dataclass

from reports.importers.document import Cause, Judgment, ReportImportError
from reports.importers.text import AFI_HEADING, CAUSE_HEADING, RECOMMENDATIONS_HEADING, Block

CARRIED_OVER = re.compile(
    r"carried (?:over|forward)|not (?:been )?(?:subject to|part of) (?:a )?detailed inspection|^In 20\d\d(?:/\d\d)?,? we judged",
    re.IGNORECASE,
)
CARRIED_FROM = re.compile(r"\b(?:in|from|since) (?P<year>20\d\d(?:/\d\d)?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SectionContent:
    """What one question's section says besides its grade."""

    summary: str
    causes: tuple[Cause, ...]
    areas_for_improvement: tuple[str, ...]
    carried_over: bool
    carried_from: str = ""

    def judgment(self, *, name: str, grade: str, line: int, grade_line: int, number: int | None = None) -> Judgment:
        """The Judgment of the question or area `name`, with what this section says."""
        return Judgment(
            name=name,
            number=number,
            grade=grade,
            carried_over=self.carried_over,
            carried_from=self.carried_from,
            summary=self.summary,
            causes=self.causes,
            areas_for_improvement=self.areas_for_improvement,
            line=line,
            grade_line=grade_line,
            quote=grade,
        )


@dataclass
class _CauseDraft:
    line: int
    plural: bool
    text: list[str]
    intro: list[str]
    recommendations: list[str]
    bulleted: bool = False


class _SectionReader:
    def __init__(self) -> None:
        self.state = "summary"
        self.summary: list[str] = []
        self.causes: list[_CauseDraft] = []
        self.afis: list[str] = []
        self.afi_heading: tuple[int, bool, int] | None = None  # line, singular, AFIs before it
        self.afi_bulleted = False
        self.carried_over = False
        self.carried_from = ""

    def read(self, block: Block) -> None:
        if not block.bullet and CAUSE_HEADING.match(block.text):
            self.heading_done(block.line)
            plural = block.text.lower().startswith("causes")
            self.causes.append(_CauseDraft(block.line, plural, [], [], []))
            self.state = "cause"
        elif not block.bullet and RECOMMENDATIONS_HEADING.match(block.text):
            if not self.causes or self.state not in {"cause", "notes"}:
                raise ReportImportError(f"'{block.text}' with no cause of concern before it", line=block.line)
            self.require_cause_text(self.causes[-1])
            self.state = "recommendations"
        elif not block.bullet and AFI_HEADING.match(block.text):
            self.heading_done(block.line)
            self.afi_heading = (block.line, not block.text.lower().startswith("areas"), len(self.afis))
            self.afi_bulleted = False
            self.state = "afi"
        else:
            getattr(self, f"read_{self.state}")(block)

    def read_summary(self, block: Block) -> None:
        self.note_carried_over(block)
        if block.bullet and self.summary:
            self.summary[-1] += "\n" + "  " * block.level + "• " + block.text
        else:
            self.summary.append(("• " if block.bullet else "") + block.text)

    def read_cause(self, block: Block) -> None:
        self.causes[-1].text.append(("• " if block.bullet else "") + block.text)

    def read_recommendations(self, block: Block) -> None:
        cause = self.causes[-1]
        if block.bullet:
            if block.level and cause.recommendations:
                cause.recommendations[-1] += "\n" + block.text
            else:
                cause.recommendations.append(block.text)
            cause.bulleted = True
        elif cause.bulleted:
            if cause.plural:
                self.heading_done(block.line)
                self.causes.append(_CauseDraft(block.line, True, [block.text], [], []))
                self.state = "cause"
            else:
                self.state = "notes"
                self.read_notes(block)
        elif not cause.recommendations and block.text.endswith(":"):
            cause.intro.append(block.text)
        else:
            cause.recommendations.append(block.text)

    def read_afi(self, block: Block) -> None:
        assert self.afi_heading is not None
        _, singular, before = self.afi_heading
        if block.bullet:
            if block.level and len(self.afis) > before:
                self.afis[-1] += "\n" + block.text
            else:
                self.afis.append(block.text)
            self.afi_bulleted = True
        elif self.afi_bulleted or (singular and len(self.afis) > before):
            self.state = "notes"
            self.read_notes(block)
        else:
            self.afis.append(block.text)

    def read_notes(self, block: Block) -> None:
        self.note_carried_over(block)

    def note_carried_over(self, block: Block) -> None:
        if CARRIED_OVER.search(block.text):
            self.carried_over = True
            # The earliest year named is the round the judgment was made in ('not inspected in 2018/19. In 2017, …').
            years = sorted(
                [match["year"] for match in CARRIED_FROM.finditer(block.text)] + [self.carried_from] * bool(self.carried_from)
            )
            self.carried_from = years[0] if years else ""

    def require_cause_text(self, cause: _CauseDraft) -> None:
        if not cause.text:
            raise ReportImportError("'Cause of concern' with no text after it", line=cause.line)

    def heading_done(self, line: int) -> None:
        """Check the list that the heading at `line` (or the end) closes is not empty."""
        if self.state == "cause":
            self.require_cause_text(self.causes[-1])
        elif self.state == "recommendations" and not self.causes[-1].recommendations:
            raise ReportImportError("'Recommendations' with no recommendation after it", line=self.causes[-1].line)
        elif self.state == "afi" and self.afi_heading and len(self.afis) == self.afi_heading[2]:
            raise ReportImportError("'Areas for improvement' with no item after it", line=self.afi_heading[0])

    def content(self, end_line: int) -> SectionContent:
        self.heading_done(end_line)
        causes = tuple(
            Cause(
                text="\n\n".join(cause.text),
                recommendations_intro="\n\n".join(cause.intro),
                recommendations=tuple(cause.recommendations),
                line=cause.line,
            )
            for cause in self.causes
        )
        return SectionContent(
            summary="\n\n".join(self.summary),
            causes=causes,
            areas_for_improvement=tuple(self.afis),
            carried_over=self.carried_over,
            carried_from=self.carried_from,
        )


def section_read(blocks: list[Block], *, end_line: int) -> SectionContent:
    """Read one question's blocks (after its grade) into summary, causes of concern and areas for
    improvement; `end_line` is where the section ends, for the message if a list is cut off."""
    reader = _SectionReader()
    for block in blocks:
        reader.read(block)
    return reader.content(end_line)
