"""Benchmark: /data/grades.csv against PostgreSQL's own COPY of the same rows (issue 5).

Loads a synthetic dataset (the real rounds and questions, made-up forces, 1,000,000 grades by
default) into a PostgreSQL database of its own, then measures, each in a fresh process so its peak
memory is its own (VmHWM, reset just before the work):

  copy       COPY (the same rows, joins and order, raw columns) TO STDOUT WITH CSV — the physical limit
  copy_safe  COPY of the export's own SELECT (words, yes/no, formula neutralising done in SQL)
  view       GET /data/grades.csv through Django's full middleware stack, reading the streamed body
  view_gzip  the same as a browser asks for it (Accept-Encoding: gzip): GZipMiddleware compresses the stream
  writer     the csv.writer path (what SQLite uses) on the same PostgreSQL data, for scale

Everything is measured first at a tenth of the rows, then at all of them, and the COPY stream's
memory is followed over 8,000,000 generated rows, so memory that grows with the row count shows.
Medians of --runs, variants interleaved; ratios against COPY measured in the same run.

    .venv/bin/python bench/bench_export.py                  # 1,000,000 rows, 3 runs; drops peel_bench at the end
    .venv/bin/python bench/bench_export.py --rows 200000 --runs 5 --keep
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/peel_bench"
VARIANTS = ("copy", "copy_safe", "view", "view_gzip", "writer")


def django_setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("PEEL_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peel.settings")
    os.environ["CONN_MAX_AGE"] = "0"
    import django

    django.setup()


# --- the dataset ------------------------------------------------------------------------------


def postgres_admin_run(database_url: str, sql: str, *params: str) -> list[tuple]:
    """Run `sql` on the server's postgres database (CREATE/DROP DATABASE cannot run inside a transaction)."""
    import psycopg2

    admin = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql, params or None)
            return cursor.fetchall() if cursor.description else []
    finally:
        admin.close()


def database_create(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    if not postgres_admin_run(database_url, "SELECT 1 FROM pg_database WHERE datname = %s", name):
        postgres_admin_run(database_url, f'CREATE DATABASE "{name}"')


def database_drop(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    postgres_admin_run(database_url, f'DROP DATABASE IF EXISTS "{name}"')


def dataset_load(*, rows: int) -> None:
    """Grow the synthetic dataset to `rows` grades: the shipped rounds and questions, as many made-up
    forces as needed, every force graded on every question (evidence with commas, quotes, line
    breaks, "£", "–" and a formula-like cell in every hundred)."""
    from django.core.management import call_command
    from django.db import connection

    from forces.models import Force
    from reports.models import Grade, Question, Round

    call_command("migrate", verbosity=0)
    if not Question.objects.exists():
        call_command("loaddata", str(ROOT / "fixtures" / "rounds.json"), verbosity=0)
    questions = Question.objects.count()
    forces_needed = -(-rows // questions)
    existing = Force.objects.count()
    Force.objects.bulk_create(
        Force(name=f"Bench Force {n:06d}", slug=f"bench-force-{n:06d}", country="England")
        for n in range(existing + 1, forces_needed + 1)
    )
    have = Grade.objects.count()
    grade, force, question, round_ = (model._meta.db_table for model in (Grade, Force, Question, Round))
    with connection.cursor() as cursor:
        if have > rows:  # a kept database from a bigger run: back to the first `rows` grades (no history, no signals)
            last = Grade.objects.order_by("pk").values_list("pk", flat=True)[rows - 1]
            cursor.execute(f"DELETE FROM {grade} WHERE id > %s", [last])
            cursor.execute(f"VACUUM ANALYZE {grade}")
            return
        if have == rows:
            return
        cursor.execute(
            f"""
            INSERT INTO {grade} (force_id, question_id, report_id, status, tier, carried_over, summary,
                                 source_url, source_type, evidence, version)
            SELECT f.id, q.id, NULL,
                   CASE WHEN n %% 50 = 0 THEN 'ungraded' ELSE 'graded' END,
                   CASE WHEN n %% 50 = 0 THEN NULL
                        WHEN r.scale = 'five-tier' THEN 1 + n %% 5
                        ELSE (ARRAY[1, 2, 4, 5])[1 + n %% 4] END,
                   n %% 17 = 0, '',
                   'https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/' || r.slug || '/' || f.slug || '/',
                   (ARRAY['HMICFRS', 'PCC/force/news', 'HMICFRS press release (mirror)'])[1 + n %% 3],
                   CASE WHEN n %% 100 = 0 THEN '=HYPERLINK("http://evil.example/' || n || '","click")'
                        WHEN n %% 7 = 0 THEN 'Quoted: "the force is good at reducing crime, and at preventing offending"'
                                            || E'\\n' || 'second line of row ' || n
                        ELSE 'The force is ' || (ARRAY['good', 'adequate', 'outstanding'])[1 + n %% 3]
                             || ' at protecting vulnerable people and supporting victims; it spent £' || n
                             || ' on it – “a marked improvement” (HMI, row ' || n || ')' END,
                   1
            FROM (
                SELECT f.id AS force_id, q.id AS question_id, row_number() OVER (ORDER BY f.id, q.id) AS n
                FROM {force} f CROSS JOIN {question} q
                WHERE NOT EXISTS (SELECT 1 FROM {grade} g WHERE g.force_id = f.id AND g.question_id = q.id)
            ) pairs
            JOIN {force} f ON f.id = pairs.force_id
            JOIN {question} q ON q.id = pairs.question_id
            JOIN {round_} r ON r.id = q.round_id
            WHERE n <= %s
            """,
            [rows - have],
        )
        cursor.execute(f"ANALYZE {grade}")
        cursor.execute(f"ANALYZE {force}")


# --- one measurement, in its own process -----------------------------------------------------


class CountingSink:
    """Where a measured stream goes: bytes counted, nothing kept."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data) -> None:
        self.size += len(data)


def memory_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def raw_copy_sql() -> bytes:
    """COPY of the export's rows (same joins, same order) with the raw columns, nothing computed."""
    from django.db import connection

    from reports.exports.services import grade_export_queryset

    values = grade_export_queryset().values_list(
        "question__round__name",
        "question__round__scale",
        "force__slug",
        "force__name",
        "question__pillar",
        "question__code",
        "question__short_name",
        "question__text",
        "status",
        "tier",
        "carried_over",
        "question__theme__slug",
        "question__theme__name",
        "question__theme_partial",
        "source_type",
        "source_url",
        "evidence",
    )
    sql, params = values.query.get_compiler(using="default").as_sql()
    with connection.connection.cursor() as cursor:
        return b"COPY (" + cursor.mogrify(sql, params) + b") TO STDOUT WITH (FORMAT csv)"


def export_copy_sql() -> bytes:
    from django.db import connection

    from reports.exports import services as exports

    values = exports._export_values(exports.grade_export_queryset(), exports.GRADE_EXPORT_COLUMNS, in_sql=True)
    sql, params = values.query.get_compiler(using="default").as_sql()
    with connection.connection.cursor() as cursor:
        return b"COPY (" + cursor.mogrify(sql, params) + b") TO STDOUT WITH (FORMAT csv)"


def measure(variant: str) -> dict:
    """Run one variant once: wall seconds, bytes written and peak memory above the start."""
    from django.db import connection
    from django.test import Client

    from reports.exports import services as exports

    connection.ensure_connection()
    client = Client()
    sql = raw_copy_sql() if variant == "copy" else export_copy_sql()
    # COPY's output goes to a C-level buffered writer (no Python per row): the fastest Python can take it.
    devnull = open(os.devnull, "wb", buffering=64 * 1024)  # noqa: SIM115
    sink = CountingSink()
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM (peak RSS) to the current RSS
    start_kib = memory_kib("VmRSS")
    started = time.perf_counter()
    if variant in ("copy", "copy_safe"):
        with connection.connection.cursor() as cursor:
            cursor.copy_expert(sql, devnull)
        devnull.flush()
    elif variant in ("view", "view_gzip"):
        headers = {"Accept-Encoding": "gzip"} if variant == "view_gzip" else {}
        response = client.get("/data/grades.csv", headers=headers)
        assert response.has_header("Content-Encoding") == (variant == "view_gzip")
        assert response.status_code == 200 and response.streaming
        for chunk in response.streaming_content:
            sink.write(chunk)
    elif variant == "writer":
        chunks = exports.queryset_csv_chunks(
            queryset=exports.grade_export_queryset(), columns=exports.GRADE_EXPORT_COLUMNS, engine="writer"
        )
        for chunk in chunks:
            sink.write(chunk)
    seconds = time.perf_counter() - started
    devnull.close()
    return {
        "seconds": seconds,
        "bytes": sink.size or None,
        "peak_extra_mib": (memory_kib("VmHWM") - start_kib) / 1024,
    }


PLATEAU_MARKS = (500_000, 1_000_000, 2_000_000, 4_000_000, 8_000_000)


def plateau() -> dict:
    """Memory of the COPY stream over a long generated result (8,000,000 rows, ~3.5 GB of CSV):
    the resident size at each mark, to show it levels off instead of growing with the rows."""
    from reports.exports import services as exports

    sql = (
        "SELECT a, b, repeat('x', (a * 7 + b * 13) %% 900) "
        f"FROM generate_series(1, {PLATEAU_MARKS[-1] // 1000}) a, generate_series(1, 1000) b"
    )
    start_kib = memory_kib("VmRSS")
    rows, marks, started = 0, {}, time.perf_counter()
    for chunk in exports._copy_chunks(alias="default", select_sql=sql, params=(), header=["a", "b", "text"]):
        before, rows = rows, rows + chunk.count(b"\n")
        for mark in PLATEAU_MARKS:
            if before < mark <= rows:
                marks[mark] = (memory_kib("VmHWM") - start_kib) / 1024
    return {"peaks_mib": marks, "seconds": time.perf_counter() - started}


def measure_in_process(*, variant: str, database_url: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", variant, "--database-url", database_url],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode:
        raise SystemExit(f"{variant} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the run ----------------------------------------------------------------------------------


def bench(*, rows: int, runs: int, database_url: str, variants: list[str]) -> dict[int, dict[str, list[dict]]]:
    results: dict[int, dict[str, list[dict]]] = {}
    for size in sorted({max(rows // 10, 1), rows}):
        loading = time.perf_counter()
        dataset_load(rows=size)
        print(f"{size:,} grade rows loaded ({time.perf_counter() - loading:.1f} s)", flush=True)
        results[size] = {variant: [] for variant in variants}
        for _ in range(runs):
            for variant in variants:  # interleaved, so drift on a shared machine hits every variant alike
                results[size][variant].append(measure_in_process(variant=variant, database_url=database_url))
    return results


def report(results: dict[int, dict[str, list[dict]]], *, runs: int) -> None:
    print(f"\nmedians of {runs} runs, variants interleaved; x = against COPY's median in the same run")
    print(f"{'rows':>10} {'variant':<10} {'wall s':>7} {'x':>6} {'min s':>7} {'max s':>7} {'MiB out':>8} {'peak +MiB':>10}")
    ratios: dict[int, float] = {}
    for size, by_variant in results.items():
        base = statistics.median(m["seconds"] for m in by_variant["copy"])
        for variant, measured in by_variant.items():
            times = [m["seconds"] for m in measured]
            wall = statistics.median(times)
            peak = statistics.median(m["peak_extra_mib"] for m in measured)
            out = f"{measured[0]['bytes'] / 2**20:8.1f}" if measured[0]["bytes"] else f"{'-':>8}"
            spread = f"{min(times):7.2f} {max(times):7.2f}"
            print(f"{size:>10,} {variant:<10} {wall:7.2f} {wall / base:5.2f}x {spread} {out} {peak:10.1f}")
            if variant == "view":
                ratios[size] = wall / base
    if ratios:
        largest = max(ratios)
        print(f"\n/data/grades.csv at {largest:,} rows: {ratios[largest]:.2f}x COPY's time (target: within 1.5x)")
        peaks = [(size, statistics.median(m["peak_extra_mib"] for m in results[size]["view"])) for size in sorted(ratios)]
        print("its peak memory: " + ", ".join(f"+{peak:.1f} MiB at {size:,} rows" for size, peak in peaks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=DEFAULT_URL, help="a PostgreSQL database of its own; created if missing")
    parser.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, from {', '.join(VARIANTS)}")
    parser.add_argument("--keep", action="store_true", help="keep the database (default: drop it at the end)")
    parser.add_argument("--measure", choices=(*VARIANTS, "plateau"), help=argparse.SUPPRESS)
    parser.add_argument("--no-plateau", action="store_true", help="skip the 8,000,000-row memory plateau probe")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("the benchmark needs PostgreSQL: --database-url postgres://...")
    if args.measure:
        django_setup(args.database_url)
        print(json.dumps(plateau() if args.measure == "plateau" else measure(args.measure)))
        return
    if args.rows > 5_000_000:
        raise SystemExit("--rows is capped at 5,000,000 to keep the run bounded")
    variants = [v for v in args.variants.split(",") if v]
    if "copy" not in variants:
        variants.insert(0, "copy")
    database_create(args.database_url)
    started = time.perf_counter()
    try:
        django_setup(args.database_url)
        results = bench(rows=args.rows, runs=args.runs, database_url=args.database_url, variants=variants)
        report(results, runs=args.runs)
        if not args.no_plateau:
            probe = measure_in_process(variant="plateau", database_url=args.database_url)
            marks = ", ".join(f"+{peak:.1f} MiB at {int(mark):,}" for mark, peak in probe["peaks_mib"].items())
            print(f"COPY stream over generated rows, peak memory by rows streamed: {marks} ({probe['seconds']:.0f} s)")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            database_drop(args.database_url)
            print(f"dropped {args.database_url.rsplit('/', 1)[1]}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
