"""Benchmark: the test suite's wall time on this tree against an earlier commit, side by side in one run
(issue 10; goal: at most half the time of the tree the issue started from).

The baseline commit is checked out into a temporary git worktree with a virtualenv of its own (its
requirements differ), then the same pytest command (SQLite, browser tests included) runs on the
baseline and on this tree, one after the other, each --runs times, alternating:

    .venv/bin/python bench/bench_tests.py                      # against 75d4a7c, the tree issue 10 started from
    .venv/bin/python bench/bench_tests.py --baseline HEAD~5 --runs 2 --fast   # without the browser tests

Ratios are this tree's median over the baseline's median, for one process and for two (pytest-xdist).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]


def run(cmd: list[str], *, cwd: Path, quiet: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PEEL_ENV": "development"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=quiet, text=True)


def baseline_tree(rev: str, into: Path) -> Path:
    """A worktree of rev with its own virtualenv and this tree's node_modules (plotly.js is pinned alike)."""
    tree = into / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev], check=True, capture_output=True)
    (tree / "node_modules").symlink_to(ROOT / "node_modules")
    subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True)
    pip = run([str(tree / ".venv/bin/pip"), "install", "-q", "-r", "requirements-dev.txt"], cwd=tree)
    if pip.returncode:
        raise SystemExit(f"installing the baseline's requirements failed:\n{pip.stderr[-2000:]}")
    return tree


def timed(tree: Path, extra: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = run([str(tree / ".venv/bin/python"), *PYTEST, *extra], cwd=tree)
    elapsed = time.perf_counter() - started
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    if result.returncode:
        raise SystemExit(f"{tree}: pytest failed ({result.returncode}): {summary}")
    return elapsed, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default="75d4a7c", help="the commit to compare with")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--fast", action="store_true", help="leave out the browser tests (make test-fast)")
    args = parser.parse_args()
    selection = ["-m", "not browser"] if args.fast else []
    with tempfile.TemporaryDirectory(prefix="peel-bench-tests-") as tmp:
        baseline = baseline_tree(args.baseline, Path(tmp))
        try:
            times: dict[str, list[float]] = {"baseline, one process": [], "this tree, one process": [], "this tree, two": []}
            summaries: dict[str, str] = {}
            for _ in range(args.runs):
                for label, tree, extra in (
                    ("baseline, one process", baseline, selection),
                    ("this tree, one process", ROOT, selection),
                    ("this tree, two", ROOT, [*selection, "-n", "2"]),
                ):
                    elapsed, summaries[label] = timed(tree, extra)
                    times[label].append(elapsed)
                    print(f"{label:24} {elapsed:7.1f} s  {summaries[label]}", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)], capture_output=True)
    base = statistics.median(times["baseline, one process"])
    print(f"\nmedians of {args.runs} run(s); ratio = time / the baseline's ({args.baseline}) in one process")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"{label:24} {median:7.1f} s  {median / base:5.2f}x")


if __name__ == "__main__":
    main()
