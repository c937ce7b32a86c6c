"""Fault drill: the production server with a database that hangs, then comes back. Loopback only, bounded in time.

Starts `make serve`'s server (bench/production_server.py) with its DATABASE_URL pointed at a TCP proxy this
script owns (bench/tcp_proxy.py) in front of the real PostgreSQL; PostgreSQL itself is never touched. Then:

1. before: every endpoint once, forwarding (this also puts the cached page in the cache);
2. the proxy pauses: connections stay open and new ones are accepted, but no byte goes through (a hang,
   not a refusal);
3. hang, wave 1: every endpoint at once; then a burst of --burst requests for pages not in the cache,
   to fill every database place of every worker; hang, wave 2 (places full): every endpoint again;
4. after --hang seconds the proxy resumes; requests still waiting finish (their time counts from sent);
5. after resume: how long until /healthz answers 200 again, then every endpoint once more.

It prints what each endpoint answered and how long it took in each phase, and exits 1 if /livez or the
static file did not answer 200 within 2 s during the hang, or if anything but 200 came back after resume.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel make db     # once: tables and fixtures
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel .venv/bin/python bench/fault.py --hang 20
"""

import argparse
import http.client
import itertools
import os
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from production_server import database_description, machine_load, production_server
from tcp_proxy import PausableProxy

CACHED_PAGE = "/forces/metropolitan/"
ENDPOINTS = [
    ("liveness", "/livez"),
    ("health", "/healthz"),
    ("page in the cache", CACHED_PAGE),
    ("page not in the cache", "/findings/?q=fault-{n}"),
    ("static file", "/static/css/peel.css"),
    ("CSV download", "/data/grades.csv"),
    ("API", "/api/v1/rounds/"),
]
HEADERS = {"Accept-Encoding": "gzip, br", "User-Agent": "peel-fault/1"}
PROMPT = 2.0  # what /livez and static files must answer within while the database hangs
_unique = itertools.count(1)


@dataclass
class Answer:
    """One request: what came back and when (seconds since the request was sent)."""

    name: str
    path: str
    status: str = "no answer"
    seconds: float = 0.0
    finished_at: float = 0.0

    def cell(self, *, resumed_at: float | None = None) -> str:
        after = " (after resume)" if resumed_at is not None and self.finished_at > resumed_at else ""
        return f"{self.status} in {self.seconds:.2f} s{after}"


def fetch(*, base_url: str, name: str, path: str, timeout: float) -> Answer:
    """GET path on a new connection, reading the whole body; never raises."""
    path = path.format(n=next(_unique))
    netloc = urlsplit(base_url)
    answer = Answer(name=name, path=path)
    began = time.monotonic()
    connection = http.client.HTTPConnection(netloc.hostname, netloc.port, timeout=timeout)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        body = response.read()
        answer.status = str(response.status)
        if response.status == 200 and not body:
            answer.status = "200 (empty)"
    except TimeoutError:
        answer.status = "timed out"
    except (OSError, http.client.HTTPException) as error:
        answer.status = type(error).__name__
    finally:
        connection.close()
    answer.finished_at = time.monotonic()
    answer.seconds = answer.finished_at - began
    return answer


def wave_start(*, base_url: str, requests: list[tuple[str, str]], timeout: float) -> tuple[list[threading.Thread], list[Answer]]:
    """Send every request at once, each from its own thread; the answers fill in as they arrive."""
    answers: list[Answer] = [Answer(name=name, path=path) for name, path in requests]

    def one(index: int, name: str, path: str) -> None:
        answers[index] = fetch(base_url=base_url, name=name, path=path, timeout=timeout)

    threads = [threading.Thread(target=one, args=(i, name, path), daemon=True) for i, (name, path) in enumerate(requests)]
    for thread in threads:
        thread.start()
    return threads, answers


def wave_join(threads: list[threading.Thread], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))


def healthy_again(*, base_url: str, limit: float) -> float | None:
    """Seconds until /healthz answers 200 (polled every 0.1 s), or None within limit."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        if fetch(base_url=base_url, name="health", path="/healthz", timeout=limit).status == "200":
            return time.monotonic() - began
        time.sleep(0.1)
    return None


def drill(*, base_url: str, proxy: PausableProxy, hang: float, burst: int, timeout: float) -> int:
    """Runs the phases and prints the report; returns the number of failed expectations."""
    before = [fetch(base_url=base_url, name=name, path=path, timeout=timeout) for name, path in ENDPOINTS]
    paused_at = time.monotonic()
    proxy.pause()
    time.sleep(0.5)
    wave1_threads, wave1 = wave_start(base_url=base_url, requests=ENDPOINTS, timeout=timeout)
    time.sleep(0.5)
    burst_threads, burst_answers = wave_start(
        base_url=base_url, requests=[("burst", "/findings/?q=burst-{n}")] * burst, timeout=timeout
    )
    time.sleep(3.0)
    wave2_threads, wave2 = wave_start(base_url=base_url, requests=ENDPOINTS, timeout=timeout)
    time.sleep(max(0.0, paused_at + hang - time.monotonic()))
    resumed_at = time.monotonic()
    proxy.resume()
    wave_join(wave1_threads + burst_threads + wave2_threads, timeout=timeout)
    recovered = healthy_again(base_url=base_url, limit=timeout)
    after = [fetch(base_url=base_url, name=name, path=path, timeout=timeout) for name, path in ENDPOINTS]

    print(f"PEEL fault drill, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {machine_load()}")
    print(f"server {base_url} (gunicorn gthread, production settings)", end=" ")
    print(f"-> proxy 127.0.0.1:{proxy.port} -> {database_description()}")
    print(f"database hung (proxy paused) for {hang:g} s; client timeout {timeout:g} s; burst of {burst} uncached pages\n")
    columns = ("before", "hang, wave 1", "hang, wave 2 (places full)", "after resume")
    print(f"{'endpoint':<22} {'path':<24} " + " ".join(f"{column:<30}" for column in columns))
    for index, (name, path) in enumerate(ENDPOINTS):
        cells = [before[index].cell(), wave1[index].cell(resumed_at=resumed_at), wave2[index].cell(resumed_at=resumed_at)]
        cells.append(after[index].cell())
        print(f"{name:<22} {path.format(n='…'):<24} " + " ".join(f"{cell:<30}" for cell in cells))
    statuses: dict[str, int] = {}
    for answer in burst_answers:
        key = answer.status + (" after resume" if answer.finished_at > resumed_at else " during the hang")
        statuses[key] = statuses.get(key, 0) + 1
    slowest = max((answer.seconds for answer in burst_answers), default=0.0)
    print(f"\nburst: {', '.join(f'{n} x {key}' for key, n in sorted(statuses.items()))}; slowest {slowest:.2f} s")
    print(f"/healthz 200 again {recovered:.2f} s after resume" if recovered is not None else "/healthz never answered 200 again")

    failures = []
    for answer in wave1 + wave2:
        if answer.path in {"/livez", "/static/css/peel.css"} and not (answer.status == "200" and answer.seconds < PROMPT):
            failures.append(f"{answer.path} answered {answer.status} in {answer.seconds:.2f} s during the hang")
    failures += [f"{a.path} answered {a.status} after resume" for a in after if a.status != "200"]
    failures += ["/healthz did not recover"] if recovered is None else []
    print("\n" + ("\n".join(f"FAILED: {failure}" for failure in failures) if failures else "held: every expectation met"))
    return len(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8190, help="port for the server started here (default 8190)")
    parser.add_argument("--hang", type=float, default=20.0, help="seconds the database hangs (default 20)")
    parser.add_argument("--burst", type=int, default=20, help="uncached page requests sent during the hang (default 20)")
    parser.add_argument("--timeout", type=float, default=60.0, help="client timeout per request (default 60 s)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"} or parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database on loopback with the fixtures loaded (make db).")
    with PausableProxy(target_port=parts.port or 5432) as proxy:
        userinfo = parts.netloc.rpartition("@")[0]
        proxied = urlunsplit(parts._replace(netloc=f"{userinfo + '@' if userinfo else ''}127.0.0.1:{proxy.port}"))
        os.environ["DATABASE_URL"] = proxied  # production_server hands the environment to gunicorn
        try:
            with production_server(port=args.port) as base_url:
                failures = drill(base_url=base_url, proxy=proxy, hang=args.hang, burst=args.burst, timeout=args.timeout)
        finally:
            proxy.resume()
            os.environ["DATABASE_URL"] = url
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
