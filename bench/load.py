"""Load benchmark: concurrent clients against the production server on PostgreSQL, loopback only.

Drives a trivial view (/livez: no database, no template — the ceiling), the force page, the national
page, a findings search and a CSV export, in interleaved rounds so machine noise hits every view alike,
and prints for each: throughput (median of the rounds), p50 and p99 latency, errors, and throughput as a
share of the trivial view's. Every run is bounded in time and in requests. Exits 1 if any request failed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel make db      # once: tables and fixtures
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel .venv/bin/python bench/load.py

starts `make serve`'s server (bench/production_server.py) on --port, or measures --base-url.
"""

import argparse
import http.client
import itertools
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from production_server import database_description, loopback_base_url, machine_load, production_server

TRIVIAL = "trivial view (ceiling)"
FORCE_PAGE = "force page"
TARGETS = [
    (TRIVIAL, "/livez"),
    (FORCE_PAGE, "/forces/metropolitan/"),
    ("national page", "/"),
    ("findings search", "/findings/?q=domestic+abuse"),
    ("CSV export", "/data/grades.csv"),
]
HEADERS = {"Accept-Encoding": "gzip, br", "User-Agent": "peel-bench/1"}
REQUEST_TIMEOUT = 30.0


@dataclass
class Run:
    """One view driven by the clients for one bounded period."""

    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else float("nan")


def drive(*, base_url: str, path: str, clients: int, seconds: float, max_requests: int) -> Run:
    """`clients` threads, each on its own keep-alive connection, until `seconds` pass or `max_requests` are sent."""
    netloc = urlsplit(base_url)
    budget = itertools.count()
    run = Run()
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(netloc.hostname, netloc.port or 80, timeout=REQUEST_TIMEOUT)
        latencies, errors, first_error = [], 0, ""
        while time.perf_counter() < deadline and next(budget) < max_requests:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=HEADERS)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors += 1
                    first_error = first_error or f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as error:
                errors += 1
                first_error = first_error or f"{type(error).__name__}: {error}"
                connection.close()
            latencies.append(time.perf_counter() - began)
        connection.close()
        with lock:
            run.latencies.extend(latencies)
            run.errors += errors
            run.first_error = run.first_error or first_error

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - start
    run.requests = len(run.latencies)
    return run


def preflight(*, base_url: str) -> None:
    """Each view answers 200 once (and warms the server's caches) before anything is timed."""
    for name, path in TARGETS:
        run = drive(base_url=base_url, path=path, clients=1, seconds=REQUEST_TIMEOUT, max_requests=2)
        if run.errors:
            raise SystemExit(f"{name} {path}: {run.first_error}; is the database loaded (make db)?")


def measure(*, base_url: str, clients: int, seconds: float, max_requests: int, rounds: int) -> dict[str, list[Run]]:
    runs: dict[str, list[Run]] = {name: [] for name, _ in TARGETS}
    for round_number in range(1, rounds + 1):
        for name, path in TARGETS:
            run = drive(base_url=base_url, path=path, clients=clients, seconds=seconds, max_requests=max_requests)
            runs[name].append(run)
            print(f"  round {round_number}: {name:<24} {run.throughput:8.0f} req/s  errors {run.errors}", file=sys.stderr)
    return runs


def report(
    *, runs: dict[str, list[Run]], load_before: str, base_url: str, clients: int, seconds: float, max_requests: int, rounds: int
) -> int:
    """Prints the table; returns the number of failed requests."""
    print(f"PEEL load benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; server and clients share the machine's cores")
    print(f"machine: {load_before} before the run, {machine_load()} after it")
    print(f"server {base_url} (gunicorn gthread, production settings), database {database_description()}")
    print(f"{clients} concurrent clients (threads, keep-alive, Accept-Encoding: gzip, br); {rounds} interleaved rounds")
    print(f"of at most {seconds:g} s and {max_requests} requests per view\n")
    ceiling = statistics.median(run.throughput for run in runs[TRIVIAL])
    print(f"{'view':<24} {'path':<30} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'vs trivial':>10}")
    total_errors = 0
    for name, path in TARGETS:
        latencies = [latency for run in runs[name] for latency in run.latencies]
        throughput = statistics.median(run.throughput for run in runs[name])
        errors = sum(run.errors for run in runs[name])
        total_errors += errors
        print(
            f"{name:<24} {path:<30} {throughput:7.0f} {percentile(latencies, 0.50) * 1000:7.1f} "
            f"{percentile(latencies, 0.99) * 1000:7.1f} {errors:6d} {throughput / ceiling:9.0%}"
        )
        if errors:
            print(f"  first error: {next(run.first_error for run in runs[name] if run.first_error)}")
    force_share = statistics.median(run.throughput for run in runs[FORCE_PAGE]) / ceiling
    print(f"\nforce page at {force_share:.0%} of the trivial view's throughput (target: 50% or more); errors: {total_errors}")
    return total_errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", help="measure this running server (loopback only) instead of starting one")
    parser.add_argument("--port", type=int, default=8114, help="port for the server started here (default 8114)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--seconds", type=float, default=5.0, help="time bound of each run (default 5)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="request bound of each run (default 20000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over all views (default 3)")
    args = parser.parse_args()
    settings = {"clients": args.clients, "seconds": args.seconds, "max_requests": args.max_requests, "rounds": args.rounds}

    def run_against(base_url: str) -> int:
        load_before = machine_load()
        preflight(base_url=base_url)
        runs = measure(base_url=base_url, **settings)
        return report(runs=runs, load_before=load_before, base_url=base_url, **settings)

    if args.base_url:
        errors = run_against(loopback_base_url(args.base_url))
    else:
        with production_server(port=args.port) as base_url:
            errors = run_against(base_url)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
