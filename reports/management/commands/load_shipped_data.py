from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from forces.models import Force
from reports.summaries import movers_summary_rebuild


class Command(BaseCommand):
    help = (
        "Load the shipped fixtures (fixtures/*.json) into an empty database. A database that already "
        "holds forces is left alone, so data editors entered is never overwritten by a restart; "
        "--reload loads them anyway (shipped rows replace rows with the same ids)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reload", action="store_true", help="Load even if the database already holds data.")

    def handle(self, *args, reload: bool, **options):
        if Force.objects.exists() and not reload:
            self.stdout.write("The database already holds data; shipped fixtures not loaded (use --reload to load them).")
            return
        paths = sorted(str(path) for path in Path(settings.FIXTURES_DIR).glob("*.json"))
        call_command("loaddata", *paths, verbosity=options["verbosity"])
        movers_summary_rebuild()  # loaddata leaves summaries behind; the first visitor should not pay for them
