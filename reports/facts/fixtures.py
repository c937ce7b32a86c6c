"""Building the shipped fixtures: every source loaded through the write path, then dumped."""

from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from peel.sources import SourceError
from reports.accountability.letters import LetterImportError
from reports.accountability.services import letter_import
from reports.facts.services import grade_facts_load
from reports.importers.document import ReportImportError
from reports.importers.service import report_import
from reports.importers.text import ATTRIBUTION, source_text_read
from reports.signals import data_changes_batched

FIXTURE_FILES: dict[str, tuple[str, ...]] = {
    "forces.json": ("forces.Force",),
    "rounds.json": ("reports.Round", "reports.Theme", "reports.Question"),
    "grades.json": ("reports.Grade", "reports.GradeAmendment"),
    "reports.json": ("reports.Report", "reports.CauseOfConcern", "reports.Recommendation", "reports.AreaForImprovement"),
    "grade_counts.json": ("reports.GradeCount",),
    "accountability.json": (
        "reports.MonitoringPeriod",
        "reports.Inspection",
        "reports.InspectionRecommendation",
        "reports.PccResponse",
        "reports.RecommendationResponse",
        "reports.PromisingPractice",
    ),
}


def fixtures_sources_load(*, sources_dir: Path) -> dict[str, int]:
    """Load the grade facts and the report texts under sources_dir; returns rows read per source."""
    counts = grade_facts_load(sources_dir=sources_dir)
    counts.update(reports_load(reports_dir=sources_dir / "reports"))
    counts.update(letters_load(letters_dir=sources_dir / "letters"))
    return counts


def letters_load(*, letters_dir: Path) -> dict[str, int]:
    """Import every PCC response letter in letters_dir, in name order, through the letter importer;
    returns the rows each wrote. Each needs a header naming its source."""
    counts = {}
    for path in sorted(letters_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            raise SourceError(path, 1, "a letter needs a header with its 'source:' address (or 'SEED: <file>')")
        try:
            result = letter_import(text=text, source_document=path.name)
        except LetterImportError as error:
            raise SourceError(path, error.line, error.problem) from None
        counts[f"letters/{path.name}"] = len(result.changes)
    return counts


def reports_load(*, reports_dir: Path) -> dict[str, int]:
    """Import every report text in reports_dir, in name order, through the report importer; returns
    the rows each wrote. A text whose header says 'same-report-as' is another layout of a report
    imported from another file, kept for the tests, and is not imported twice."""
    counts = {}
    for path in sorted(reports_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        try:
            header = source_text_read(text)
        except ReportImportError as error:
            raise SourceError(path, error.line, error.problem) from None
        if not header.header_value("source") or header.header_value("attribution") != ATTRIBUTION:
            problem = f"a report text needs a header with its 'source:' address and 'attribution: {ATTRIBUTION}'"
            raise SourceError(path, 1, problem)
        if header.header_value("same-report-as"):
            continue
        try:
            result = report_import(text=text, source_document=path.name)
        except ReportImportError as error:
            raise SourceError(path, error.line, error.problem) from None
        counts[f"reports/{path.name}"] = len(result.changes)
    return counts


def fixtures_dump(*, out_dir: Path) -> list[str]:
    """Write each non-empty fixture file, rows in primary-key order, so equal data gives equal
    bytes; returns the names written (loaddata warns on an empty fixture)."""
    written = []
    for name, labels in FIXTURE_FILES.items():
        objects = []
        for label in labels:
            objects.extend(apps.get_model(label).objects.order_by("pk"))
        if not objects:
            continue
        written.append(name)
        text = serializers.serialize("json", objects, indent=1)
        (out_dir / name).write_text(text + "\n", encoding="utf-8")
    return written


def shipped_data_load(*, paths: list[str], verbosity: int = 0) -> None:
    """loaddata of the shipped fixtures at paths, in one transaction with one data-version bump, and the
    movers summary built, so the first visitor does not pay for it."""
    with transaction.atomic(), data_changes_batched():
        call_command("loaddata", *paths, verbosity=verbosity)
