"""The report layouts the importer reads. Each is a small unit: `detect(doc)` says whether a text
looks like it, `parse(doc, **context)` reads it into a ParsedReport (no database involved)."""

from collections.abc import Callable
from dataclasses import dataclass

from reports.importers.document import ParsedReport, ReportImportError
from reports.importers.layouts import pdf_pillar, web_overview, web_report_2021, web_summary
from reports.importers.layouts.web_pillar import WEB_PILLAR_2014_17, WEB_PILLAR_2018_19
from reports.importers.text import SourceText


@dataclass(frozen=True)
class Layout:
    """A way HMICFRS has laid out a report's text."""

    name: str
    description: str
    detect: Callable[[SourceText], bool]
    parse: Callable[..., ParsedReport]


LAYOUTS: tuple[Layout, ...] = (
    Layout(web_report_2021.NAME, web_report_2021.DESCRIPTION, web_report_2021.detect, web_report_2021.parse),
    Layout(web_overview.NAME, web_overview.DESCRIPTION, web_overview.detect, web_overview.parse),
    Layout(web_summary.NAME, web_summary.DESCRIPTION, web_summary.detect, web_summary.parse),
    Layout(WEB_PILLAR_2014_17.name, WEB_PILLAR_2014_17.description, WEB_PILLAR_2014_17.detect, WEB_PILLAR_2014_17.parse),
    Layout(WEB_PILLAR_2018_19.name, WEB_PILLAR_2018_19.description, WEB_PILLAR_2018_19.detect, WEB_PILLAR_2018_19.parse),
    Layout(pdf_pillar.NAME, pdf_pillar.DESCRIPTION, pdf_pillar.detect, pdf_pillar.parse),
)
NOT_A_REPORT = "not an HMICFRS PEEL report: no '<Force> PEEL <year>' title found"


def layout_for(doc: SourceText, *, name: str = "") -> Layout:
    """The layout named by the caller or in the text's header, or else the first whose detect()
    accepts the text."""
    named = name or doc.header_value("layout")
    if named:
        layout = next((layout for layout in LAYOUTS if layout.name == named), None)
        if layout is None:
            known = ", ".join(layout.name for layout in LAYOUTS)
            raise ReportImportError(f"unknown layout {named!r} (known: {known})")
        return layout
    for layout in LAYOUTS:
        if layout.detect(doc):
            return layout
    raise ReportImportError(
        f"{NOT_A_REPORT} (nor a PDF report's 'Overall judgment' and 'Summary of findings', "
        "nor a 'PEEL 2021/22' report's 'Our judgments')"
    )


def report_parse(doc: SourceText, *, layout: str = "", **context) -> ParsedReport:
    """Read a report's text with its layout (detected unless named); raises ReportImportError
    naming the problem and the line."""
    return layout_for(doc, name=layout).parse(doc, **context)
