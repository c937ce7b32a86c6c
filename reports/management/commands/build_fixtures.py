import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from peel.sources import SourceError
from reports.facts.fixtures import FIXTURE_FILES, fixtures_dump, fixtures_sources_load


class Command(BaseCommand):
    help = (
        "Build fixtures/*.json from fixtures/sources/ (grade facts and report texts) in a fresh, "
        "throw-away SQLite database, so the output is byte-identical for the same sources."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sources", type=Path, default=settings.FIXTURE_SOURCES_DIR)
        parser.add_argument("--out", type=Path, default=settings.FIXTURES_DIR)
        parser.add_argument("--check", action="store_true", help="Fail if the committed fixtures differ from a fresh build.")
        parser.add_argument("--inner", action="store_true", help="(internal) build into --out using the current database.")

    def handle(self, *args, sources: Path, out: Path, check: bool, inner: bool, **options):
        if inner:
            return self.build_here(sources=sources, out=out)
        with tempfile.TemporaryDirectory(prefix="peel-fixtures-") as tmp:
            build_dir = Path(tmp) / "out"
            build_dir.mkdir()
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'build.sqlite3'}",
                "SIMPLE_HISTORY_ENABLED": "0",
                # Nothing serves this database: no page warming in a thread beside the build's writes, and
                # no shared cache of a running site's pages.
                "PAGE_WARM_AFTER_SAVE": "0",
                "REDIS_URL": "",
            }
            result = subprocess.run(
                [
                    sys.executable,
                    str(settings.BASE_DIR / "manage.py"),
                    "build_fixtures",
                    "--inner",
                    "--sources",
                    str(sources.resolve()),
                    "--out",
                    str(build_dir),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                last_line = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "fixture build failed"
                raise CommandError(last_line.removeprefix("CommandError: "))
            self.stdout.write(result.stdout, ending="")
            if check:
                built = {path.name for path in build_dir.glob("*.json")}
                committed = {path.name for path in out.glob("*.json")}
                stale = sorted(
                    name
                    for name in built | committed
                    if name not in built & committed or not filecmp.cmp(build_dir / name, out / name, shallow=False)
                )
                if stale:
                    raise CommandError(
                        f"fixtures differ from a fresh build of the sources: {', '.join(stale)}; "
                        "run `python manage.py build_fixtures`"
                    )
                self.stdout.write("fixtures are up to date")
                return
            out.mkdir(parents=True, exist_ok=True)
            for name in FIXTURE_FILES:
                if (build_dir / name).exists():
                    shutil.copyfile(build_dir / name, out / name)
                else:
                    (out / name).unlink(missing_ok=True)
            self.stdout.write(f"wrote {len(list(build_dir.glob('*.json')))} fixture files to {out}")

    def build_here(self, *, sources: Path, out: Path) -> None:
        call_command("migrate", verbosity=0)
        try:
            counts = fixtures_sources_load(sources_dir=sources)
        except SourceError as error:
            raise CommandError(str(error)) from None
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} rows")
        fixtures_dump(out_dir=out)
