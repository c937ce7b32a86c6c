"""A herd on the production server: 16 concurrent cold requests for one URL against one cold request, as the
server's CPU (every gunicorn worker's user + system time from /proc) and the clients' wait, with the page
cache in Redis (REDIS_URL), shared by the workers: one render for the herd, the others wait for it. (With each
worker's own memory cache, expect one render per worker that the herd reaches.)

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel_perf_scale_1x .venv/bin/python bench/bench_herd.py \
        --redis-url redis://127.0.0.1:6379/6 --port 8161

Starts `make serve`'s server (bench/production_server.py) on --port, loopback only. Flushes the Redis
database it is given before each cold request: give it one nothing else uses.
"""

import argparse
import os
import statistics
import subprocess
import threading
import time
import urllib.request

from production_server import machine_load, production_server

HERD = 16


def workers_cpu(master: int) -> float:
    """User + system CPU seconds of the gunicorn master's children (its workers)."""
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    ticks = 0
    for pid in children:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (loopback)
        response.read()
    return time.perf_counter() - start


def cold(*, flush) -> None:
    flush()
    time.sleep(0.3)


def measure(base_url: str, *, url: str, rounds: int, flush, master: int) -> dict:
    singles, herds, single_waits, herd_waits = [], [], [], []
    for _ in range(rounds):
        cold(flush=flush)
        before = workers_cpu(master)
        single_waits.append(get(base_url + url))
        time.sleep(0.3)
        singles.append(workers_cpu(master) - before)
        cold(flush=flush)
        barrier, waits = threading.Barrier(HERD), []

        def one(barrier=barrier, waits=waits) -> None:
            barrier.wait()
            waits.append(get(base_url + url))

        threads = [threading.Thread(target=one) for _ in range(HERD)]
        before = workers_cpu(master)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(0.3)
        herds.append(workers_cpu(master) - before)
        herd_waits.append(max(waits))
    return {
        "single_cpu": statistics.median(singles),
        "herd_cpu": statistics.median(herds),
        "single_wait": statistics.median(single_waits),
        "herd_wait": statistics.median(herd_waits),
    }


def gunicorn_master(port: int) -> int:
    pids = subprocess.run(
        ["pgrep", "-f", f"gunicorn -c peel/gunicorn.conf.py --bind 127.0.0.1:{port}"], capture_output=True, text=True
    )
    candidates = [int(pid) for pid in pids.stdout.split()]
    # The master is the one whose parent is not another candidate.
    for pid in candidates:
        with open(f"/proc/{pid}/stat") as stat:
            parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        if parent not in candidates:
            return pid
    raise SystemExit("gunicorn master not found")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis-url", required=True, help="a Redis database this benchmark may flush")
    parser.add_argument("--port", type=int, default=8161)
    parser.add_argument("--url", default="/movers/")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    import redis

    results = {}
    os.environ["REDIS_URL"] = args.redis_url
    client = redis.Redis.from_url(args.redis_url)
    with production_server(port=args.port) as base_url:
        master = gunicorn_master(args.port)
        for _ in range(4):  # imports, templates, connections in every worker
            get(base_url + args.url)
        results["Redis (shared)"] = measure(base_url, url=args.url, rounds=args.rounds, flush=client.flushdb, master=master)
    print(f"{machine_load()}; {HERD} concurrent cold requests for {args.url} against one, medians of {args.rounds}")
    for name, r in results.items():
        print(
            f"page cache in {name}: CPU {r['herd_cpu'] * 1000:.0f} ms against {r['single_cpu'] * 1000:.0f} "
            f"({r['herd_cpu'] / r['single_cpu']:.2f}×, goal ≤1.5×); slowest wait {r['herd_wait'] * 1000:.0f} ms "
            f"against {r['single_wait'] * 1000:.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
