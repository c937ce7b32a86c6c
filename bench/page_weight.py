"""Page weight and speed of the force page in headless Chromium, against the production server, loopback only.

Prints what the first load (empty cache) transfers, compressed, resource by resource; what a second
load transfers (static files come from the browser cache: hashed names, long max-age); and how long
after navigation the charts are drawn; and, as baselines measured in the same run, the same chart alone on an
empty page and the same page with the plotly wheel's full plotly.min.js (4.8 MB, what we served before
npm's cartesian bundle) in place of ours. Budgets from issue 7: first load at most 1.2 MB, second load
under 100 KB; the first chart drawn within 1.5× the chart alone measured in the same run (issue 16: an
absolute budget failed on a loaded machine whose chart alone took longer; the milliseconds are printed
as information). Exits 1 if a budget is missed or the console shows an error.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peel .venv/bin/python bench/page_weight.py

starts `make serve`'s server (bench/production_server.py) on --port, or measures --base-url.
"""

import argparse
import importlib.util
import re
import statistics
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from production_server import BASE_DIR, database_description, loopback_base_url, machine_load, production_server

sys.path.insert(0, str(BASE_DIR))
from peel.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

FORCE_PAGE = "/forces/metropolitan/"
FIRST_LOAD_BUDGET = 1_200_000
SECOND_LOAD_BUDGET = 100_000
CHART_BUDGET_RATIO = 1.5  # first chart on the force page against the same chart alone, same run

# Runs before the page's own scripts: notes (in ms since navigation start) when the first and the last
# chart container is marked drawn by static/js/charts.js (after Plotly.newPlot resolved).
CHART_TIMER = """
window.__peelCharts = {first: null, all: null, count: 0};
new MutationObserver(() => {
  const charts = document.querySelectorAll(".chart[data-figure]");
  const drawn = document.querySelectorAll(".chart[data-figure][data-drawn]").length;
  const now = performance.now();
  window.__peelCharts.count = charts.length;
  if (drawn > 0 && window.__peelCharts.first === null) window.__peelCharts.first = now;
  if (charts.length > 0 && drawn === charts.length && window.__peelCharts.all === null) window.__peelCharts.all = now;
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-drawn"]});
"""


BASELINE_PATH = "/__bench_chart_alone__"
# The page's plotly.js, under whitenoise's hashed name in production.
PLOTLY_URL = re.compile(r"/static/plotly/plotly\.min(\.[0-9a-f]+)?\.js$")


def wheel_plotly_js() -> bytes:
    """The plotly wheel's full bundle (every trace type), found without importing plotly."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the plotly package is not installed: no full-bundle baseline")
    return (Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js").read_bytes()


def brotli_size(data: bytes) -> str:
    try:
        import brotli
    except ImportError:
        return "brotli not installed"
    return f"{len(brotli.compress(data)):,} bytes brotli"


def chart_alone_html(page_html: str) -> str:
    """The baseline: the page's chart containers, figure JSON and scripts on an otherwise empty page."""
    charts = re.findall(r'<div class="chart"[^>]*></div>', page_html)
    figures = re.findall(r'<script id="[^"]+" type="application/json">.*?</script>', page_html, flags=re.S)
    scripts = re.findall(r'<script src="[^"]+"[^>]*></script>', page_html)
    if not (charts and figures and scripts):
        raise SystemExit("the page has no chart container, figure JSON or script to build the baseline from")
    return "<!doctype html><html lang=en><title>chart alone</title><body>" + "".join(charts + figures + scripts)


class TransferLog:
    """Bytes on the wire per request (DevTools' "transferred": headers plus compressed body), from CDP events."""

    def __init__(self, cdp) -> None:
        self.entries: dict[str, dict] = {}
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.requestServedFromCache", self._from_memory_cache)

    def _response(self, event) -> None:
        response = event["response"]
        headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
        entry = self.entries.setdefault(event["requestId"], {"bytes": 0})
        entry.update(
            url=response["url"],
            status=response["status"],
            encoding=headers.get("content-encoding", "-"),
            cache="disk" if response.get("fromDiskCache") else entry.get("cache", "network"),
        )

    def _finished(self, event) -> None:
        self.entries.setdefault(event["requestId"], {"bytes": 0})["bytes"] = event["encodedDataLength"]

    def _from_memory_cache(self, event) -> None:
        self.entries.setdefault(event["requestId"], {"bytes": 0})["cache"] = "memory"

    def take(self) -> list[dict]:
        entries, self.entries = [entry for entry in self.entries.values() if "url" in entry], {}
        return entries


def page_load(*, page, transfers: TransferLog, url: str) -> dict:
    page.goto(url, wait_until="load")
    page.wait_for_function("window.__peelCharts.count > 0 && window.__peelCharts.all !== null", timeout=15_000)
    page.wait_for_load_state("networkidle")
    charts = page.evaluate("window.__peelCharts")
    entries = transfers.take()
    return {"entries": entries, "bytes": sum(entry["bytes"] for entry in entries), **charts}


def print_load(title: str, load: dict, *, base_url: str) -> None:
    print(
        f"\n{title}: {load['bytes']:,} bytes transferred; {load['count']} charts, first drawn at "
        f"{load['first']:.0f} ms, all at {load['all']:.0f} ms after navigation"
    )
    for entry in sorted(load["entries"], key=lambda entry: -entry["bytes"]):
        path = entry["url"].removeprefix(base_url)
        print(f"  {entry['bytes']:>10,}  {entry['status']}  {entry['encoding']:<5} {entry['cache']:<8} {path}")


def measure(*, base_url: str, path: str, repeats: int) -> int:
    from playwright.sync_api import sync_playwright

    url = base_url + path
    # Not the first visitor since a restart: every worker has rendered and kept the page once.
    for _ in range(8):
        with urllib.request.urlopen(url, timeout=30) as response:
            page_html = response.read().decode()
    baseline_html = chart_alone_html(page_html)
    wheel_bundle = wheel_plotly_js()
    load_before = machine_load()
    first_loads, second_loads, baseline_loads, wheel_loads = [], [], [], []
    replaced: list[str] = []

    def serve_wheel_bundle(route) -> None:
        replaced.append(route.request.url)
        route.fulfill(body=wheel_bundle, content_type="text/javascript")

    console_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeats):
            # A fresh context is an empty cache: each repeat is a true first visit.
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
            page.on("pageerror", lambda error: console_errors.append(str(error)))
            page.add_init_script(CHART_TIMER)
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            transfers = TransferLog(cdp)
            first_loads.append(page_load(page=page, transfers=transfers, url=url))
            second_loads.append(page_load(page=page, transfers=transfers, url=url))
            context.close()
            # The same chart alone, also from an empty cache: what plotly.js itself costs on this machine now.
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.add_init_script(CHART_TIMER)
            page.route(base_url + BASELINE_PATH, lambda route: route.fulfill(body=baseline_html, content_type="text/html"))
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            baseline_loads.append(page_load(page=page, transfers=TransferLog(cdp), url=base_url + BASELINE_PATH))
            context.close()
            # The same page with the wheel's full bundle instead of ours (answered from memory, so it skips the
            # network, which on loopback costs little next to evaluating the script).
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.add_init_script(CHART_TIMER)
            page.route(PLOTLY_URL, serve_wheel_bundle)
            page.on("pageerror", lambda error: console_errors.append(f"(full bundle) {error}"))
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            wheel_loads.append(page_load(page=page, transfers=TransferLog(cdp), url=url))
            context.close()
        browser.close()
    if len(replaced) != repeats:
        raise SystemExit(f"the full-bundle baseline replaced {len(replaced)} plotly.js requests, not {repeats}: {replaced[:3]}")

    print(f"PEEL page weight: {url} in headless Chromium ({CHROMIUM}), production settings, database {database_description()}")
    print(f"{repeats} fresh browser contexts, each loading the page twice; the median of each figure is reported")
    print(f"machine: {load_before} before the run, {machine_load()} after it")
    print_load("First load (empty cache), one run", first_loads[0], base_url=base_url)
    print_load("Second load (same browser), one run", second_loads[0], base_url=base_url)
    first_bytes = statistics.median(load["bytes"] for load in first_loads)
    second_bytes = statistics.median(load["bytes"] for load in second_loads)
    first_chart = statistics.median(load["first"] for load in first_loads)
    all_charts = statistics.median(load["all"] for load in first_loads)
    chart_alone = statistics.median(load["first"] for load in baseline_loads)
    chart_wheel = statistics.median(load["first"] for load in wheel_loads)
    checks = [
        (f"first load transfers {first_bytes:,.0f} bytes", first_bytes <= FIRST_LOAD_BUDGET, f"at most {FIRST_LOAD_BUDGET:,}"),
        (f"second load transfers {second_bytes:,.0f} bytes", second_bytes < SECOND_LOAD_BUDGET, f"under {SECOND_LOAD_BUDGET:,}"),
        (
            f"first chart drawn {first_chart / chart_alone:.2f}× the same chart alone on an empty page "
            f"({first_chart:.0f} ms against {chart_alone:.0f} ms after navigation)",
            first_chart <= CHART_BUDGET_RATIO * chart_alone,
            f"at most {CHART_BUDGET_RATIO}× the chart alone",
        ),
        (f"all charts drawn {all_charts:.0f} ms after navigation (first load)", True, "reported"),
        (
            f"baseline, the same page with the wheel's full plotly.min.js ({len(wheel_bundle):,} bytes, "
            f"{brotli_size(wheel_bundle)}): drawn {chart_wheel:.0f} ms after navigation; ours takes "
            f"{first_chart / chart_wheel:.2f}× that",
            True,
            "reported",
        ),
        (f"console errors: {len(console_errors)}", not console_errors, "none"),
    ]
    print("\nMedians:")
    for figure, passed, budget in checks:
        print(f"  {'ok  ' if passed else 'OVER'} {figure} (budget: {budget})")
    for error in console_errors[:5]:
        print(f"  console: {error}")
    return 0 if all(passed for _, passed, _ in checks) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", help="measure this running server (loopback only) instead of starting one")
    parser.add_argument("--port", type=int, default=8114, help="port for the server started here (default 8114)")
    parser.add_argument("--path", default=FORCE_PAGE, help=f"page to load (default {FORCE_PAGE})")
    parser.add_argument("--repeats", type=int, default=5, help="fresh browser contexts (default 5)")
    args = parser.parse_args()
    if not urlsplit(args.path).path.startswith("/"):
        raise SystemExit("--path must start with /")
    if args.base_url:
        return measure(base_url=loopback_base_url(args.base_url), path=args.path, repeats=args.repeats)
    with production_server(port=args.port) as base_url:
        return measure(base_url=base_url, path=args.path, repeats=args.repeats)


if __name__ == "__main__":
    sys.exit(main())
