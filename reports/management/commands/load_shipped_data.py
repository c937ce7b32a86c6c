from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forces.models import Force
from reports.facts.fixtures import shipped_data_load
from reports.facts.reload import RELOAD_REASON, ShippedDataConflict, shipped_data_reload


class Command(BaseCommand):
    help = (
        "Load the shipped fixtures (fixtures/*.json) into an empty database. A database that already "
        "holds forces is left alone, so data editors entered is never overwritten by a restart; "
        f"--reload writes the shipped rows over it anyway, each changed row with a history row ('{RELOAD_REASON}') "
        "and a higher version, or writes nothing and lists the conflicts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reload", action="store_true", help="Load even if the database already holds data.")

    def handle(self, *args, reload: bool, **options):
        paths = sorted(str(path) for path in Path(settings.FIXTURES_DIR).glob("*.json"))
        if not Force.objects.exists():
            shipped_data_load(paths=paths, verbosity=options["verbosity"])
            return
        if not reload:
            self.stdout.write("The database already holds data; shipped fixtures not loaded (use --reload to load them).")
            return
        try:
            counts = shipped_data_reload(paths=paths)
        except ShippedDataConflict as conflict:
            lines = "\n".join(f"  - {line}" for line in conflict.conflicts)
            count = len(conflict.conflicts)
            raise CommandError(f"Shipped data not reloaded (nothing written); {count} conflict(s):\n{lines}") from None
        changed = ", ".join(f"{label} {n}" for label, n in sorted(counts.changed.items())) or "none"
        added = ", ".join(f"{label} {n}" for label, n in sorted(counts.added.items())) or "none"
        self.stdout.write(
            f"Shipped data reloaded: changed {changed}; added {added}; {counts.unchanged} rows unchanged. "
            f"Each changed or added row has a history row '{RELOAD_REASON}'."
        )
