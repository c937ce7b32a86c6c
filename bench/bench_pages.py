"""Render-time benchmark of the analyst pages against a trivial view, in the same process and run.

For the force page, the national page and the findings search, prints the median time of one
request through Django's full stack (middleware, view, templates; the test client, no network)
in two states, and its ratio to a trivial view (a template extending base.html, no query):

- cold:   every cache emptied before each request: the page's queries, tables and templates
          (the first request after a change to its data);
- page:   the page served from the per-data-version page cache (reports/caching.py).

Requests are interleaved (one of each per round) so machine noise hits every view alike.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel make db     # once: tables and fixtures
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel .venv/bin/python bench/bench_pages.py --rounds 40
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

PAGES = [
    ("force page", "/forces/bedfordshire/"),
    ("national page", "/?round=2016"),
    ("findings search", "/findings/?q=children"),
]
TRIVIAL = ("trivial view", "/__bench__/trivial/")
HELLO = ("hello world", "/__bench__/hello/")


def bench_urls_install() -> None:
    """A URL conf of the project's URLs plus two baselines, only for this process."""
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import path

    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block title %}Trivial{% endblock %}'
        "{% block content %}<h1>Trivial</h1><p>No data.</p>{% endblock %}"
    )
    baselines = [
        path("__bench__/trivial/", lambda request: HttpResponse(template.render({}, request))),
        path("__bench__/hello/", lambda request: HttpResponse("hello")),
    ]
    urls_with_baselines(name="bench_pages_urls", baselines=baselines)


def timed_get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40, help="timed requests per view and state (default 40)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from forces.models import Force
    from reports.models import CauseOfConcern

    setup_test_environment()  # ALLOWED_HOSTS gets 'testserver'
    bench_urls_install()
    if not Force.objects.exists():
        raise SystemExit("No data: load the fixtures first (make db with the same DATABASE_URL).")
    client = Client()

    def clear(*aliases: str) -> None:
        for alias in aliases:
            caches[alias].clear()

    states = {"cold": lambda: clear("default", "pages"), "page": lambda: None}
    timings: dict[tuple[str, str], list[float]] = {}
    for _ in range(3):  # warm-up: imports (pandas), template loading, connections
        for _, url in [*PAGES, TRIVIAL, HELLO]:
            clear("default", "pages")
            timed_get(client, url)
    for _ in range(args.rounds):
        for name, url in [TRIVIAL, HELLO]:
            timings.setdefault((name, ""), []).append(timed_get(client, url))
        for state, prepare in states.items():
            for name, url in PAGES:
                if state != "cold":
                    timed_get(client, url)  # fill the caches this state keeps
                prepare()
                timings.setdefault((name, state), []).append(timed_get(client, url))

    medians = {key: statistics.median(values) * 1000 for key, values in timings.items()}
    trivial = medians[TRIVIAL[0], ""]
    load = os.getloadavg()
    print(
        f"database: {connection.vendor} ({connection.settings_dict['NAME']}), {Force.objects.count()} forces, "
        f"{CauseOfConcern.objects.count()} causes of concern; {args.rounds} rounds; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"
    )
    print(f"{'view':<18}{'state':<7}{'median ms':>10}{'× trivial':>11}")
    print(f"{HELLO[0]:<18}{'':<7}{medians[HELLO[0], '']:>10.2f}{medians[HELLO[0], ''] / trivial:>11.2f}")
    print(f"{TRIVIAL[0]:<18}{'':<7}{trivial:>10.2f}{1:>11.2f}")
    for state in states:
        for name, _ in PAGES:
            print(f"{name:<18}{state:<7}{medians[name, state]:>10.2f}{medians[name, state] / trivial:>11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
