"""Building the shipped fixtures: every source loaded through the write path, then dumped."""

from pathlib import Path

from django.apps import apps
from django.core import serializers

from reports.services import grade_facts_load

FIXTURE_FILES: dict[str, tuple[str, ...]] = {
    "forces.json": ("forces.Force",),
    "rounds.json": ("reports.Round", "reports.Theme", "reports.Question"),
    "grades.json": ("reports.Grade", "reports.GradeAmendment"),
    "reports.json": ("reports.Report", "reports.CauseOfConcern", "reports.Recommendation", "reports.AreaForImprovement"),
    "grade_counts.json": ("reports.GradeCount",),
}


def fixtures_sources_load(*, sources_dir: Path) -> dict[str, int]:
    """Load the grade facts and the report texts under sources_dir; returns rows read per source."""
    return grade_facts_load(sources_dir=sources_dir)


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
