"""Benchmark of the API's grades endpoint at 100 and 1,000 records per page against a trivial view, in one run.

Prints the median time of one request through Django's full stack (middleware, DRF, JSON; the test
client, no network) and its ratio to a trivial JSON view (a DRF APIView answering a small dict, no
query), in three states:

- cold:   every cache emptied before each request (filter choices, queries, serialising, JSON);
- fresh:  the filter choices cached, the response made afresh (the first request per address
          after a change of data);
- kept:   the response kept for this data version and address (reports/api/views.py);
- 304:    a conditional request whose ETag matches (one query: the data version).

Requests are interleaved (one of each per round) so machine noise hits every view alike; the
throttle is off for the run. Also prints the queries each request made and the body size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel make db     # once: tables and fixtures
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel .venv/bin/python bench/bench_api.py --rounds 40
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peel.settings")
os.environ.setdefault("PEEL_ENV", "development")

from benchlib import urls_with_baselines  # noqa: E402  (after the path and settings are set)

ENDPOINTS = [
    ("grades, 100 per page", "/api/v1/grades/?page_size=100"),
    ("grades, 1,000 per page", "/api/v1/grades/?page_size=1000"),
]
TRIVIAL = ("trivial view", "/__bench__/trivial/")


def bench_urls_install() -> None:
    """A URL conf of the project's URLs plus a trivial DRF view, only for this process."""
    from django.urls import path
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class Trivial(APIView):
        def get(self, request):
            return Response({"trivial": True})

    urls_with_baselines(name="bench_api_urls", baselines=[path("__bench__/trivial/", Trivial.as_view())])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40, help="timed requests per view and state (default 40)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from reports.models import Grade

    setup_test_environment()  # ALLOWED_HOSTS gets 'testserver'
    bench_urls_install()
    settings.API_THROTTLE_RATE = None
    if Grade.objects.count() < 1000:
        raise SystemExit("Fewer than 1,000 grades: load the fixtures first (make db with the same DATABASE_URL).")
    client = Client()

    def clear(*aliases: str) -> None:
        for alias in aliases or list(settings.CACHES):
            caches[alias].clear()

    def timed_get(url: str, *, expect: int = 200, **headers) -> float:
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        elapsed = time.perf_counter() - start
        if response.status_code != expect:
            raise SystemExit(f"{url} answered {response.status_code}, not {expect}")
        return elapsed

    etags, sizes, queries = {}, {}, {}
    for name, url in ENDPOINTS:
        clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        etags[name], sizes[name], queries[name] = response["ETag"], len(response.content), len(captured)
    for _ in range(3):  # warm-up: imports, connections
        for _, url in [*ENDPOINTS, TRIVIAL]:
            clear()
            timed_get(url)

    states = ("cold", "fresh", "kept", "304")
    timings: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        timings.setdefault((TRIVIAL[0], ""), []).append(timed_get(TRIVIAL[1]))
        for name, url in ENDPOINTS:
            clear()
            timings.setdefault((name, "cold"), []).append(timed_get(url))
            clear("pages")
            timings.setdefault((name, "fresh"), []).append(timed_get(url))
            timings.setdefault((name, "kept"), []).append(timed_get(url))
            timings.setdefault((name, "304"), []).append(timed_get(url, expect=304, **{"If-None-Match": etags[name]}))

    medians = {key: statistics.median(values) * 1000 for key, values in timings.items()}
    trivial = medians[TRIVIAL[0], ""]
    load = os.getloadavg()
    print(
        f"database: {connection.vendor} ({connection.settings_dict['NAME']}), {Grade.objects.count()} grades; "
        f"{args.rounds} rounds; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"
    )
    for name, _ in ENDPOINTS:
        print(f"{name}: {queries[name]} queries when cold, {sizes[name]:,} bytes of JSON")
    print(f"{'view':<24}{'state':<7}{'median ms':>10}{'× trivial':>11}")
    print(f"{TRIVIAL[0]:<24}{'':<7}{trivial:>10.2f}{1:>11.2f}")
    for state in states:
        for name, _ in ENDPOINTS:
            print(f"{name:<24}{state:<7}{medians[name, state]:>10.2f}{medians[name, state] / trivial:>11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
