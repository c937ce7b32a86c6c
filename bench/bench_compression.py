"""What compressing a kept page costs per page-cache miss: brotli and gzip at each quality, time against bytes.

Renders the core pages once (in-process, Django's test client, the database DATABASE_URL names), then
compresses each body at every level, median of --runs; prints per level the total milliseconds and bytes
over the pages and both against the level used before (brotli 9 + gzip 9).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel_perf_scale_1x .venv/bin/python bench/bench_compression.py
"""

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peel.settings")
os.environ.setdefault("PEEL_ENV", "development")

PAGES = ["/forces/metropolitan/", "/forces/bedfordshire/2016/", "/?round=2016", "/forces/", "/movers/", "/findings/?q=children"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    import brotli
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    bodies = [client.get(url).content for url in PAGES]
    print(f"{len(bodies)} pages, {sum(map(len, bodies)):,} bytes: {', '.join(f'{len(b):,}' for b in bodies)}")
    codecs = [(f"brotli {q}", lambda body, q=q: brotli.compress(body, quality=q)) for q in (1, 3, 4, 5, 6, 7, 9, 11)]
    codecs += [
        (f"gzip {level}", lambda body, level=level: gzip.compress(body, compresslevel=level, mtime=0)) for level in (1, 6, 9)
    ]
    results = {}
    for name, compress in codecs:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            sizes = [len(compress(body)) for body in bodies]
            times.append(time.perf_counter() - start)
        results[name] = (statistics.median(times) * 1000, sum(sizes))
    base_ms, base_bytes = results["brotli 9"]
    print(f"{'codec':<10}{'ms, all pages':>15}{'bytes':>10}{'vs brotli 9 ms':>16}{'bytes':>8}")
    for name, (ms, size) in results.items():
        print(f"{name:<10}{ms:>15.2f}{size:>10,}{ms / base_ms:>16.2f}{size / base_bytes:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
