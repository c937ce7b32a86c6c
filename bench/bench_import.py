"""Benchmark: parsing and importing the Bedfordshire 2016 report texts (issue 3; target: the 168 KB
PDF text parsed and imported in under 0.5 s).

Runs in a throw-away SQLite database (or --database-url) loaded with the shipped fixtures, and
measures, as medians of --runs (each import in a transaction that is rolled back afterwards):

  scan       reading the text into lines and one regular-expression pass over it: the baseline
  parse      the layout's parse of the text (no database)
  import     parse and import into the grade facts alone (the report created, grades attached)
  reimport   parse and import over the same report already loaded (nothing changes)

Ratios are against the scan of the same text measured in the same run (the machine is shared).

    .venv/bin/python bench/bench_import.py
    .venv/bin/python bench/bench_import.py --runs 15 --database-url postgres://postgres@127.0.0.1:5432/peel_importer
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "fixtures" / "sources" / "reports"
TEXTS = {
    "PDF text (168 KB)": REPORTS / "bedfordshire-2016-effectiveness.pdf.txt",
    "web page (21 KB)": REPORTS / "bedfordshire-2016-effectiveness.txt",
}
TARGET_SECONDS = 0.5


def django_setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("PEEL_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peel.settings")
    import django

    django.setup()


def database_prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", *sorted(str(path) for path in (ROOT / "fixtures").glob("*.json")), verbosity=0)


def timed(work, *, runs: int) -> float:
    """Median seconds of work() over runs (after one warm-up run)."""
    work()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def in_rolled_back_transaction(work, *, before=None):
    """work() timed inside a transaction that is then rolled back; `before` runs untimed first."""
    from django.db import transaction

    def run():
        with transaction.atomic():
            if before:
                before()
            start = time.perf_counter()
            work()
            elapsed = time.perf_counter() - start
            transaction.set_rollback(True)
        return elapsed

    return run


def timed_rolled_back(work, *, runs: int, before=None) -> float:
    run = in_rolled_back_transaction(work, before=before)
    run()
    return statistics.median(run() for _ in range(runs))


def grade_facts_only() -> None:
    """Back to the state before the report was imported (inside the benchmark's transaction)."""
    from reports.importers.service import IMPORTED
    from reports.models import Grade, Report

    Report.objects.filter(force__slug="bedfordshire", round__slug="2016").delete()
    Grade.objects.filter(force__slug="bedfordshire", source_type__contains=IMPORTED).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--database-url", help="default: a throw-away SQLite database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="peel-bench-import-") as tmp:
        django_setup(args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        database_prepare()
        from django.db import connection

        from reports.importers.layouts import report_parse
        from reports.importers.service import report_import
        from reports.importers.text import source_text_read

        print(f"database: {connection.vendor}; medians of {args.runs} runs; ratio = time / scan of the same text")
        print(f"{'text':<20} {'step':<9} {'median':>10} {'ratio':>8}")
        verdict = []
        for name, path in TEXTS.items():
            text = path.read_text(encoding="utf-8")
            scan = timed(lambda text=text: (text.split("\n"), re.findall(r"\w+", text)), runs=args.runs)
            steps = {
                "scan": scan,
                "parse": timed(lambda text=text: report_parse(source_text_read(text)), runs=args.runs),
                "import": timed_rolled_back(
                    lambda text=text, path=path: report_import(text=text, source_document=path.name),
                    runs=args.runs,
                    before=grade_facts_only,
                ),
                "reimport": timed_rolled_back(
                    lambda text=text, path=path: report_import(text=text, source_document=path.name), runs=args.runs
                ),
            }
            for step, seconds in steps.items():
                print(f"{name:<20} {step:<9} {seconds * 1000:>8.1f} ms {seconds / scan:>7.1f}x")
            verdict.append((name, steps["import"]))
        for name, seconds in verdict:
            met = "met" if seconds < TARGET_SECONDS else "NOT MET"
            print(f"target: {name} parsed and imported in under {TARGET_SECONDS} s: {seconds:.3f} s, {met}")


if __name__ == "__main__":
    main()
