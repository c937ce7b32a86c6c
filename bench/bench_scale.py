"""Cold paths at scale: each core page truly cold (every cache empty) against a trivial view, with the
shipped data copied 1×, 10× and 100× (every force copied with its grades, reports, findings and grade
counts: 43 → 4,300 forces, 1,190 → 119,000 grades), then a herd (16 concurrent cold requests for one URL:
CPU and wait against one request) and the time until pages a save invalidated are cached again.

Each scale has its own PostgreSQL database (<prefix>_1x, _10x, _100x), built once and kept (--rebuild
builds again); each is measured in its own process, so Django's settings and connections are its own.
Requests go through Django's full stack in-process (the test client), interleaved so machine noise
hits every page alike; medians.

    .venv/bin/python bench/bench_scale.py --server postgres://postgres@127.0.0.1:5432 --prefix peel_perf_scale
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peel.settings")
os.environ.setdefault("PEEL_ENV", "development")

FACTORS = (1, 10, 100)
PAGES = [
    ("force page", "/forces/bedfordshire/", "force"),
    ("report page", "/forces/bedfordshire/2016/", "force"),
    ("national", "/?round=2016", "wide"),
    ("national, default", "/", "wide"),
    ("/forces/", "/forces/", "wide"),
    ("movers", "/movers/", "wide"),
    ("findings", "/findings/?q=children", "wide"),
]
TRIVIAL = "/__bench__/trivial/"
HERD_URL = "/movers/"
HERD_SIZE = 16
# Goals of issue 16, as ratios in one run.
GOALS = {"force": (10, 1.5), "wide": (30, 3)}


# --- building the databases ------------------------------------------------------------------


def admin_run(server: str, sql: str, *params) -> list[tuple]:
    import psycopg2

    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        admin.close()


COPY_SQL = """
CREATE TEMP TABLE force_map AS
    SELECT o.id AS old_id, n.id AS new_id FROM forces_force o
    JOIN forces_force n ON n.slug LIKE o.slug || '-copy-%' AND n.slug ~ ('^' || o.slug || '-copy-[0-9]+$');
"""


def database_build(*, server: str, name: str, factor: int) -> None:
    """Create the database, migrate, load the shipped fixtures, then copy every force factor - 1 times in SQL."""
    import psycopg2

    if admin_run(server, "SELECT 1 FROM pg_database WHERE datname = %s", name):
        admin_run(server, f'DROP DATABASE "{name}"')
    admin_run(server, f'CREATE DATABASE "{name}"')
    environment = {**os.environ, "DATABASE_URL": f"{server}/{name}", "PEEL_ENV": "development"}
    for command in (["migrate", "--noinput", "-v0"], ["load_shipped_data", "-v0"]):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], env=environment, check=True)
    connection = psycopg2.connect(f"{server}/{name}")
    connection.autocommit = False
    copies = factor - 1
    with connection, connection.cursor() as cursor:
        if copies:
            cursor.execute(
                """INSERT INTO forces_force (name, slug, country, region, region_other, region_other_source_url,
                                             most_similar_group, name_source_url, notes)
                   SELECT name || ' (copy ' || c || ')', slug || '-copy-' || c, country, region, region_other,
                          region_other_source_url, most_similar_group, name_source_url, notes
                   FROM forces_force CROSS JOIN generate_series(1, %s) c""",
                [copies],
            )
            cursor.execute(COPY_SQL)
            cursor.execute(
                """INSERT INTO reports_report (force_id, round_id, pillar, title, published, last_updated, source_url,
                                               summary, source_document, version)
                   SELECT m.new_id, r.round_id, r.pillar, r.title, r.published, r.last_updated, r.source_url, r.summary,
                          r.source_document, 1
                   FROM reports_report r JOIN force_map m ON m.old_id = r.force_id"""
            )
            cursor.execute(
                """CREATE TEMP TABLE report_map AS
                   SELECT o.id AS old_id, n.id AS new_id, n.force_id AS new_force_id FROM reports_report o
                   JOIN force_map m ON m.old_id = o.force_id
                   JOIN reports_report n ON n.force_id = m.new_id AND n.round_id = o.round_id AND n.pillar = o.pillar"""
            )
            cursor.execute(
                """INSERT INTO reports_grade (force_id, question_id, report_id, status, tier, carried_over, summary,
                                              source_url, source_type, evidence, version)
                   SELECT m.new_id, g.question_id, rm.new_id, g.status, g.tier, g.carried_over, g.summary, g.source_url,
                          g.source_type, g.evidence, 1
                   FROM reports_grade g JOIN force_map m ON m.old_id = g.force_id
                   LEFT JOIN report_map rm ON rm.old_id = g.report_id AND rm.new_force_id = m.new_id"""
            )
            cursor.execute(
                """INSERT INTO reports_gradecount (round_id, force_id, n_areas_graded, outstanding, good, adequate,
                                                   requires_improvement, inadequate, published, source_url, notes)
                   SELECT c.round_id, m.new_id, c.n_areas_graded, c.outstanding, c.good, c.adequate,
                          c.requires_improvement, c.inadequate, c.published, c.source_url, c.notes
                   FROM reports_gradecount c JOIN force_map m ON m.old_id = c.force_id"""
            )
            cursor.execute(
                """INSERT INTO reports_causeofconcern (report_id, question_id, position, text, recommendations_intro)
                   SELECT rm.new_id, c.question_id, c.position, c.text, c.recommendations_intro
                   FROM reports_causeofconcern c JOIN report_map rm ON rm.old_id = c.report_id"""
            )
            cursor.execute(
                """INSERT INTO reports_recommendation (cause_id, position, text)
                   SELECT n.id, r.position, r.text FROM reports_recommendation r
                   JOIN reports_causeofconcern o ON o.id = r.cause_id
                   JOIN report_map rm ON rm.old_id = o.report_id
                   JOIN reports_causeofconcern n ON n.report_id = rm.new_id AND n.position = o.position"""
            )
            cursor.execute(
                """INSERT INTO reports_areaforimprovement (report_id, question_id, position, text)
                   SELECT rm.new_id, a.question_id, a.position, a.text
                   FROM reports_areaforimprovement a JOIN report_map rm ON rm.old_id = a.report_id"""
            )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT (SELECT count(*) FROM forces_force), (SELECT count(*) FROM reports_grade)")
        forces, grades = cursor.fetchone()
    connection.close()
    print(f"built {name}: {forces:,} forces, {grades:,} grades", file=sys.stderr)


# --- measuring one scale, in its own process -----------------------------------------------------


def caches_clear() -> None:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def timed_get(client, url: str, cpu: list | None = None) -> float:
    """Wall seconds of one request; its CPU seconds in this process (not the database's) appended to cpu."""
    start, start_cpu = time.perf_counter(), time.thread_time()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if cpu is not None:
        cpu.append(time.thread_time() - start_cpu)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def herd_measure(url: str) -> dict:
    """CPU (this process, all threads) and wall time of one cold request, then of HERD_SIZE at once. The
    clients are HERD_SIZE long-lived threads, each with its own client and open database connection, as a
    threaded worker's are: what is measured is the herd, not opening connections."""
    from concurrent.futures import ThreadPoolExecutor

    from django.test import Client

    local = threading.local()

    def request(target: str, barrier: threading.Barrier | None = None) -> float:
        if not hasattr(local, "client"):
            local.client = Client()
        if barrier:
            barrier.wait()
        return timed_get(local.client, target)

    with ThreadPoolExecutor(max_workers=HERD_SIZE) as pool:
        warm = threading.Barrier(HERD_SIZE)  # every thread gets its client and connection
        list(pool.map(lambda _: request(TRIVIAL, warm), range(HERD_SIZE)))
        caches_clear()
        cpu = time.process_time()
        single = {"wait": pool.submit(request, url).result()}
        single["cpu"] = time.process_time() - cpu
        caches_clear()
        barrier = threading.Barrier(HERD_SIZE)
        cpu = time.process_time()
        waits = list(pool.map(lambda _: request(url, barrier), range(HERD_SIZE)))
        herd = {"cpu": time.process_time() - cpu, "wait_max": max(waits), "wait_median": statistics.median(waits)}
    return {"single": single, "herd": herd}


def rewarm_measure() -> dict | None:
    """Save one grade (as the editor would), then seconds until every page it invalidated is cached again."""
    from django.db import transaction

    from reports.caching import page_cached, pages_invalidated_by
    from reports.models import Grade

    grade = Grade.objects.filter(force__slug="bedfordshire", question__round__slug="2016").select_related("question").first()
    if grade is None:
        return None
    with transaction.atomic():
        grade.summary = grade.summary + " "
        grade.save()
    start = time.perf_counter()
    paths = pages_invalidated_by(force_slugs={"bedfordshire"}, round_slugs={"2016"})
    while time.perf_counter() - start < 30:
        if all(page_cached(path=path) for path in paths):
            return {"pages": len(paths), "seconds": time.perf_counter() - start}
        time.sleep(0.05)
    return {"pages": len(paths), "seconds": None}


def measure(*, rounds: int) -> dict:
    import django

    django.setup()
    from bench_pages import bench_urls_install
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from forces.models import Force
    from reports.models import Grade
    from reports.summaries import movers_summary_ensure

    call_command("migrate", verbosity=0)  # a kept database built before the latest migrations
    movers_summary_ensure()  # as load_shipped_data does after loading (the copies were made in SQL)
    setup_test_environment()
    bench_urls_install()
    client = Client()
    for _ in range(2):  # warm-up: imports, templates, connections
        for _, url, _ in PAGES:
            caches_clear()
            timed_get(client, url)
    queries = {}
    for name, url, _ in PAGES:
        caches_clear()
        with CaptureQueriesContext(connection) as context:
            timed_get(client, url)
        queries[name] = len(context)
    timings: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for _ in range(rounds):
        timings.setdefault("trivial", []).append(timed_get(client, TRIVIAL, cpu.setdefault("trivial", [])))
        for name, url, _ in PAGES:
            caches_clear()
            timings.setdefault(name, []).append(timed_get(client, url, cpu.setdefault(name, [])))
    result = {
        "forces": Force.objects.count(),
        "grades": Grade.objects.count(),
        "ms": {name: statistics.median(values) * 1000 for name, values in timings.items()},
        "cpu_ms": {name: statistics.median(values) * 1000 for name, values in cpu.items()},
        "queries": queries,
        "herd": herd_measure(HERD_URL),
    }
    result["rewarm"] = rewarm_measure()
    return result


# --- the run ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL, no database")
    parser.add_argument("--prefix", default="peel_perf_scale", help="database names: <prefix>_1x, _10x, _100x")
    parser.add_argument("--factors", default=",".join(map(str, FACTORS)))
    parser.add_argument("--rounds", type=int, default=9, help="timed cold requests per page (default 9)")
    parser.add_argument("--rebuild", action="store_true", help="build the databases again even if they exist")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(rounds=args.rounds)))
        return 0

    factors = [int(f) for f in args.factors.split(",")]
    results = {}
    for factor in factors:
        name = f"{args.prefix}_{factor}x"
        if args.rebuild or not admin_run(args.server, "SELECT 1 FROM pg_database WHERE datname = %s", name):
            database_build(server=args.server, name=name, factor=factor)
        environment = {**os.environ, "DATABASE_URL": f"{args.server}/{name}", "PEEL_ENV": "development"}
        output = subprocess.run(
            [sys.executable, __file__, "--child", "1", "--rounds", str(args.rounds)],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[factor] = json.loads(output.strip().splitlines()[-1])
    report(results, factors=factors)
    return 0


def report(results: dict[int, dict], *, factors: list[int]) -> None:
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; medians of cold requests")
    base = factors[0]
    print("scale: " + ", ".join(f"{f}× = {results[f]['forces']:,} forces, {results[f]['grades']:,} grades" for f in factors))
    head = "".join(f"{f'{f}× ms':>11}{'× trivial':>10}" for f in factors)
    print(f"{'page':<20}{head}{f'{factors[-1]}×/{base}×':>9}{'queries':>9}  goal")
    trivial = results[base]["ms"]["trivial"]
    print(f"{'trivial view':<20}" + "".join(f"{results[f]['ms']['trivial']:>11.1f}{'':>10}" for f in factors))
    for name, _, kind in PAGES:
        cells = "".join(f"{results[f]['ms'][name]:>11.1f}{results[f]['ms'][name] / trivial:>10.1f}" for f in factors)
        growth = results[factors[-1]]["ms"][name] / results[base]["ms"][name]
        cold_goal, growth_goal = GOALS[kind]
        met = results[base]["ms"][name] / trivial <= cold_goal and growth <= growth_goal
        queries = "/".join(str(results[f]["queries"][name]) for f in factors)
        print(f"{name:<20}{cells}{growth:>9.2f}{queries:>9}  {'met' if met else 'MISSED'} (≤{cold_goal}×, ≤{growth_goal}×)")
    print("\nCPU time of the same requests in the Django process (the database's own not counted; steadier when shared):")
    trivial_cpu = results[base]["cpu_ms"]["trivial"]
    print(f"{'trivial view':<20}" + "".join(f"{results[f]['cpu_ms']['trivial']:>11.1f}{'':>10}" for f in factors))
    for name, _, kind in PAGES:
        cells = "".join(f"{results[f]['cpu_ms'][name]:>11.1f}{results[f]['cpu_ms'][name] / trivial_cpu:>10.1f}" for f in factors)
        growth = results[factors[-1]]["cpu_ms"][name] / results[base]["cpu_ms"][name]
        cold_goal, growth_goal = GOALS[kind]
        met = results[base]["cpu_ms"][name] / trivial_cpu <= cold_goal and growth <= growth_goal
        print(f"{name:<20}{cells}{growth:>9.2f}{'':>9}  {'met' if met else 'MISSED'} (≤{cold_goal}×, ≤{growth_goal}×)")
    print()
    for f in factors:
        herd = results[f]["herd"]
        single, many = herd["single"], herd["herd"]
        print(
            f"herd {f}×, {HERD_SIZE} cold {HERD_URL} at once: CPU {many['cpu'] * 1000:.0f} ms against {single['cpu'] * 1000:.0f} "
            f"for one ({many['cpu'] / single['cpu']:.2f}×, goal ≤1.5×); wait max {many['wait_max'] * 1000:.0f} ms, "
            f"median {many['wait_median'] * 1000:.0f}, one alone {single['wait'] * 1000:.0f}"
        )
        rewarm = results[f]["rewarm"]
        if rewarm:
            seconds = f"{rewarm['seconds']:.2f} s" if rewarm["seconds"] is not None else "not within 30 s"
            print(f"after a save at {f}×: the {rewarm['pages']} pages it invalidated cached again in {seconds} (goal ≤10 s)")


if __name__ == "__main__":
    sys.exit(main())
