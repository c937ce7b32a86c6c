"""Two servers, one database, one Redis: the shared page cache under load, with a grade edited mid-run. Loopback only.

Creates a PostgreSQL database of its own (<DATABASE_URL's name>_two_servers, dropped at the end unless --keep),
loads the shipped data into it, clears this script's keys from the Redis database REDIS_URL names, and starts
two `make serve` servers (bench/production_server.py: gunicorn, production settings, 2 workers x 8 threads
each) on it with REDIS_URL set. Clients (threads of this process, keep-alive, half on each server) request
a set of pages and an API list for --seconds; halfway through, a grade shown on all of them is changed
through the editor's write path (reports/editor/services.py grades_write, in a `manage.py shell` process of
its own). It reports:

- throughput per server (and per URL);
- cold renders per edit: the page cache's "page rendered afresh" log lines (reports/caching.py, at
  LOG_LEVEL=DEBUG) per URL after the edit, from both servers' logs and the editing process's (a save warms
  its pages after commit; the script waits for that, as a server process would): one per URL means the
  render was shared by every worker of both servers;
- whether any response to a request sent after the edit had committed still showed the old grade (the
  API's grade word, and a force page byte for byte equal to the page from before the edit).

Exits 1 if a request failed, a URL was rendered more than once for the edited data version, or an old grade
was served after the edit.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel REDIS_URL=redis://127.0.0.1:6379/1 \
        .venv/bin/python bench/two_servers.py --seconds 20
"""

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from production_server import BASE_DIR, BIN, machine_load, production_environment, production_server

FORCE, ROUND, QUESTION, QUESTION_NAME = "metropolitan", "2023-25", "investigating-crime", "Investigating crime"
API_GRADES = f"/api/v1/grades/?force={FORCE}&round={ROUND}"
URLS = [
    ("force page", f"/forces/{FORCE}/"),
    ("national page", "/"),
    ("findings search", "/findings/?q=domestic+abuse"),
    ("forces list", "/forces/"),
    ("grades API", API_GRADES),
]
HEADERS = {"User-Agent": "peel-two-servers/1"}
REQUEST_TIMEOUT = 30.0

# Run by `manage.py shell -c` in a process of its own: the editor's write path, as the grade sheet calls it.
EDIT_SCRIPT = """
from forces.models import Force
from reports.editor.services import GradeEntry, grades_write
from reports.models import Grade
grade = Grade.objects.select_related("force", "question").get(
    force__slug={force!r}, question__round__slug={round!r}, question__slug={question!r}
)
old = grade.tier
new = old + 1 if old < 5 else old - 1
entry = GradeEntry(
    force=grade.force, question=grade.question, status=grade.status, tier=new, carried_over=grade.carried_over,
    source_url=grade.source_url, source_type=grade.source_type, evidence=grade.evidence,
    expected_version=grade.version,
)
grades_write(entries=[entry], change_reason="bench/two_servers.py: an edit under load")
grade.refresh_from_db()
print("EDIT", old, grade.tier, grade.get_tier_display(), flush=True)
# The save warms its pages after commit in a daemon thread; a long-lived server process lets it finish, so this one waits.
import threading
for thread in threading.enumerate():
    if thread.name == "peel-pages-warm":
        thread.join(60)
"""


@dataclass
class Hit:
    """One request: which server and URL, when it was sent and answered, what came back."""

    server: int
    url: int
    sent: float
    done: float
    status: int
    digest: str = ""
    grade_word: str = ""


def database_create(*, url: str) -> str:
    """A fresh database beside DATABASE_URL's, with the tables and the shipped data; returns its URL."""
    import psycopg2

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_two_servers"
    admin = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    new_url = urlunsplit(parts._replace(path=f"/{name}"))
    environment = {**production_environment(), "DATABASE_URL": new_url}
    for command in (["migrate", "--verbosity", "0"], ["load_shipped_data", "--verbosity", "0"]):
        subprocess.run([str(BIN / "python"), "manage.py", *command], cwd=BASE_DIR, env=environment, check=True)
    return new_url


def database_drop(*, url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def redis_clear(*, url: str) -> int:
    """Delete the page cache's and the default cache's keys (prefixes peel-pages and peel) from REDIS_URL's database."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match="peel*", count=1000))
    if keys:
        client.delete(*keys)
    return len(keys)


def grade_word_of(body: bytes) -> str:
    """The edited question's grade word in a page of the grades API."""
    records = json.loads(body)["results"]
    return next((str(record["grade"]) for record in records if record["question_or_area"] == QUESTION_NAME), "?")


def load(*, base_urls: list[str], clients: int, seconds: float, on_half: threading.Event) -> list[Hit]:
    """`clients` threads, half on each server, each cycling through URLS on one keep-alive connection."""
    hits: list[Hit] = []
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds

    def client(number: int) -> None:
        server = number % len(base_urls)
        netloc = urlsplit(base_urls[server])
        connection = http.client.HTTPConnection(netloc.hostname, netloc.port, timeout=REQUEST_TIMEOUT)
        mine: list[Hit] = []
        turn = number
        while (now := time.monotonic()) < deadline:
            if now >= start + seconds / 2:
                on_half.set()
            url = turn % len(URLS)
            turn += 1
            sent = time.monotonic()
            try:
                connection.request("GET", URLS[url][1], headers=HEADERS)
                response = connection.getresponse()
                body = response.read()
                hit = Hit(server=server, url=url, sent=sent, done=time.monotonic(), status=response.status)
                if response.status == 200:
                    hit.digest = hashlib.sha256(body).hexdigest()[:16]
                    if URLS[url][1] == API_GRADES:
                        hit.grade_word = grade_word_of(body)
            except (OSError, http.client.HTTPException):
                connection.close()
                hit = Hit(server=server, url=url, sent=sent, done=time.monotonic(), status=0)
            mine.append(hit)
        connection.close()
        with lock:
            hits.extend(mine)

    threads = [threading.Thread(target=client, args=(number,), daemon=True) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT)
    return hits


def fresh_renders(*, logs: list[str], since: float) -> dict[tuple[bool, str], list[int]]:
    """(after `since`?, path) -> fresh renders per log (each server's, then the editing process's), from JSON log lines."""
    renders: dict[tuple[bool, str], list[int]] = defaultdict(lambda: [0] * len(logs))
    for index, text in enumerate(logs):
        for line in text.splitlines():
            if "page rendered afresh" not in line:
                continue
            with contextlib.suppress(ValueError, KeyError):
                entry = json.loads(line)
                after = datetime.fromisoformat(entry["time"]).timestamp() >= since
                renders[after, entry.get("path", entry.get("view", "?"))][index] += 1
    return renders


def data_version(*, environment: dict[str, str]) -> int:
    script = "from reports.caching import data_version_get; print('VERSION', data_version_get())"
    out = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", script], cwd=BASE_DIR, env=environment, capture_output=True, text=True
    )
    return int(next(line.split()[1] for line in out.stdout.splitlines() if line.startswith("VERSION")))


def run(*, ports: list[int], clients: int, seconds: float, environment: dict[str, str]) -> int:
    """Start the servers, warm them, load them with an edit halfway, and print the report; returns failures."""
    logs = [BASE_DIR / "bench" / f"gunicorn-{port}.log" for port in ports]
    with contextlib.ExitStack() as stack:
        base_urls = [stack.enter_context(production_server(port=port)) for port in ports]
        for base_url in base_urls:  # every URL answers 200 once on each server before anything is timed
            netloc = urlsplit(base_url)
            for _, path in URLS:
                connection = http.client.HTTPConnection(netloc.hostname, netloc.port, timeout=REQUEST_TIMEOUT)
                connection.request("GET", path, headers=HEADERS)
                if (status := connection.getresponse().status) != 200:
                    raise SystemExit(f"{base_url}{path} answered {status} before the run")
                connection.close()
        version_before = data_version(environment=environment)
        half = threading.Event()
        edit: dict[str, object] = {}

        def editor() -> None:
            half.wait(seconds)
            edit["launched"], edit["launched_wall"] = time.monotonic(), time.time()
            script = EDIT_SCRIPT.format(force=FORCE, round=ROUND, question=QUESTION)
            out = subprocess.run(
                [str(BIN / "python"), "manage.py", "shell", "-c", script],
                cwd=BASE_DIR,
                env=environment,
                capture_output=True,
                text=True,
            )
            edit["committed"] = time.monotonic()  # the shell process has exited: its transaction committed before
            edit["output"] = next((line for line in out.stdout.splitlines() if line.startswith("EDIT")), out.stderr[-500:])
            edit["log"] = out.stderr

        editor_thread = threading.Thread(target=editor, daemon=True)
        editor_thread.start()
        began = time.monotonic()
        hits = load(base_urls=base_urls, clients=clients, seconds=seconds, on_half=half)
        elapsed = time.monotonic() - began
        editor_thread.join(60)
        version_after = data_version(environment=environment)
    return report(
        hits=hits,
        base_urls=base_urls,
        elapsed=elapsed,
        clients=clients,
        edit=edit,
        versions=(version_before, version_after),
        renders=fresh_renders(
            logs=[log.read_text(encoding="utf-8", errors="replace") for log in logs] + [edit.get("log", "")],
            since=edit.get("launched_wall", time.time()),
        ),
    )


def median_ms(hits: list[Hit]) -> float:
    return statistics.median(hit.done - hit.sent for hit in hits) * 1000 if hits else float("nan")


def report(
    *,
    hits: list[Hit],
    base_urls: list[str],
    elapsed: float,
    clients: int,
    edit: dict,
    versions: tuple[int, int],
    renders: dict[tuple[bool, str], list[int]],
) -> int:
    failures = []
    print(f"PEEL two servers, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {machine_load()} after the run")
    print(f"servers {', '.join(base_urls)} (gunicorn gthread 2 x 8 each, production settings), one PostgreSQL, one Redis")
    print(f"{clients} clients (threads of this process, keep-alive, half on each server) for {elapsed:.1f} s, cycling")
    print(f"through {len(URLS)} URLs; the edit: {edit.get('output', 'not made')} (data version {versions[0]} -> {versions[1]})\n")

    print(f"{'server':<24} {'requests':>8} {'req/s':>7} {'errors':>6}   p50: " + "  ".join(f"{name:>15}" for name, _ in URLS))
    for server, base_url in enumerate(base_urls):
        mine = [hit for hit in hits if hit.server == server]
        errors = sum(hit.status != 200 for hit in mine)
        cells = "  ".join(f"{median_ms([hit for hit in mine if hit.url == i]):>12.1f} ms" for i in range(len(URLS)))
        print(f"{base_url:<24} {len(mine):>8} {len(mine) / elapsed:>7.0f} {errors:>6}        {cells}")
        if errors:
            failures.append(f"{base_url}: {errors} requests failed")
    print(f"{'both':<24} {len(hits):>8} {len(hits) / elapsed:>7.0f}")

    print('\ncold renders ("page rendered afresh" log lines) per URL: server 1 + server 2 + the editing process\'s warming')
    for (after, path), counts in sorted(renders.items()):
        label = "after the edit" if after else "before (start-up warming, first requests)"
        print(f"  {label:<42} {path:<30} " + " + ".join(str(n) for n in counts) + f" = {sum(counts)}")
        if after and sum(counts) > 1:
            failures.append(f"{path} rendered {sum(counts)} times after the edit")
    rendered_after = {path for (after, path) in renders if after}
    missing = [path for _, path in URLS if not path.startswith("/api/") and path not in rendered_after]
    if missing and "committed" in edit:
        print(f"  (no render after the edit: {', '.join(missing)}: its page does not show the edited scopes)")

    committed = edit.get("committed")
    if committed is None:
        failures.append("the edit did not happen")
    else:
        before = [hit for hit in hits if hit.done < edit["launched"] and hit.status == 200]
        after = [hit for hit in hits if hit.sent > committed and hit.status == 200]
        force_url = 0
        old_pages = {hit.digest for hit in before if hit.url == force_url}
        stale_pages = [hit for hit in after if hit.url == force_url and hit.digest in old_pages]
        api_url = next(i for i, (_, path) in enumerate(URLS) if path == API_GRADES)
        old_words = {hit.grade_word for hit in before if hit.url == api_url}
        new_words = Counter(hit.grade_word for hit in after if hit.url == api_url)
        stale_api = sum(n for word, n in new_words.items() if word in old_words)
        per_server = ", ".join(f"{n} from server {s + 1}" for s, n in sorted(Counter(hit.server for hit in after).items()))
        print(
            f"\nafter the edit committed: {len(after)} answers ({per_server});"
            f" force page equal to the old one: {len(stale_pages)}; API grade word {sorted(old_words)} before,"
            f" {dict(new_words)} after (old: {stale_api})"
        )
        if stale_pages or stale_api:
            failures.append(f"the old grade was served after the edit ({len(stale_pages)} pages, {stale_api} API answers)")
        if not after:
            failures.append("no request was sent after the edit committed (run longer)")
    print("\n" + ("\n".join(f"FAILED: {failure}" for failure in failures) if failures else "held: every expectation met"))
    return len(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ports", type=int, nargs=2, default=[8191, 8192], help="the two servers' ports (default 8191 8192)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients over both servers (default 16)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the run; the edit is made halfway (default 20)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"} or parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server on loopback (the script creates a database beside it).")
    if urlsplit(redis_url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("Set REDIS_URL to a Redis database on loopback, e.g. redis://127.0.0.1:6379/1 (its peel* keys go).")
    database_url = database_create(url=url)
    try:
        cleared = redis_clear(url=redis_url)
        name = urlsplit(database_url).path.lstrip("/")
        print(f"database {name} created and loaded; {cleared} old cache keys cleared", file=sys.stderr)
        # production_server hands the environment on; every client shares one address, so the API's throttle is off.
        os.environ.update(DATABASE_URL=database_url, LOG_LEVEL="DEBUG", API_THROTTLE_RATE="")
        environment = {**production_environment(), "DATABASE_URL": database_url}
        failures = run(ports=args.ports, clients=args.clients, seconds=args.seconds, environment=environment)
    finally:
        os.environ["DATABASE_URL"] = url
        if not args.keep:
            database_drop(url=database_url)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
