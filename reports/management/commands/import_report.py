from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.importers.document import ReportImportError
from reports.importers.layouts import LAYOUTS
from reports.importers.service import ImportResult, report_pages_import


class Command(BaseCommand):
    help = (
        "Import an HMICFRS PEEL report's text (web page or PDF text): the report, its grades and summaries, "
        "causes of concern with recommendations, and areas for improvement. Layouts: "
        + "; ".join(f"{layout.name} ({layout.description})" for layout in LAYOUTS)
        + ". A text holding several pages (an effectiveness page then an efficiency page) is imported page by page. "
        "Re-importing the same text changes nothing; any error changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The report's text, UTF-8.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change, write nothing.")
        parser.add_argument("--force", help="The force's slug, if the text does not name it (or names it otherwise).")
        parser.add_argument("--round", help="The round's slug (2016, 2018-19, 2021-22…), if the text does not say.")
        parser.add_argument("--pillar", help="Effectiveness, Efficiency, Legitimacy or Leadership, if the text does not say.")
        parser.add_argument("--source-url", default="", help="The address the text was taken from (else the header's 'source:').")
        parser.add_argument(
            "--overwrite-conflicts",
            action="store_true",
            help="Take the report's grade where it disagrees with a grade already loaded from the grade facts.",
        )

    def handle(self, *args, path: Path, **options):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{path.name}: not UTF-8 text (byte {error.start})") from None
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            results = report_pages_import(
                text=text,
                force=options["force"],
                round=options["round"],
                pillar=options["pillar"],
                source_url=options["source_url"],
                source_document=path.name,
                dry_run=options["dry_run"],
                overwrite_conflicts=options["overwrite_conflicts"],
            )
        except ReportImportError as error:
            where = f"{path.name} line {error.line}" if error.line else path.name
            raise CommandError(f"{where}: {error.problem}") from None
        for result in results:
            self.result_print(result, verbosity=options["verbosity"])

    def result_print(self, result: ImportResult, *, verbosity: int) -> None:
        pillar = f" · {result.pillar}" if result.pillar else ""
        updated = f", last updated {result.last_updated:%d/%m/%Y}" if result.last_updated else ""
        self.stdout.write(f"{result.force.name} · PEEL {result.round.name}{pillar} ({result.layout}{updated})")
        for found in result.found:
            self.stdout.write(
                f"  {found.label[:60]:<60} {found.grade:<21} causes of concern {found.causes} "
                f"(recommendations {found.recommendations}), areas for improvement {found.areas_for_improvement}"
            )
            if found.evidence:
                self.stdout.write(f"    evidence: {found.evidence}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        if not result.changes:
            self.stdout.write("No changes: the database already holds this report as it is.")
            return
        self.stdout.write("Would change (dry run, nothing written):" if result.dry_run else "Changed:")
        # Findings are listed one by one at --verbosity 2; by default, counted per kind and action.
        counted: Counter = Counter()
        for change in result.changes:
            if change.kind in {"report", "grade"} or verbosity >= 2:
                self.stdout.write(f"  {change}")
            else:
                counted[change.kind, change.action] += 1
        for (kind, action), count in counted.items():
            self.stdout.write(f"  {count} × {kind}: {action}")
