"""The plotly.js we serve is npm's cartesian bundle, pinned to the plotly.js version the plotly wheel builds
figures for; a missing bundle is an error that says how to install it, never a silent fall-back."""

import inspect
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from peel.staticfiles import PLOTLY_NPM_PACKAGE, PLOTLY_STATIC_PATH, PlotlyFinder
from reports.pages import charts
from tests.reports.chart_inputs import compare_forces, compare_rows, distribution_rows, history_figure, movers_rows

HEADER_VERSION = re.compile(r"plotly\.js (?:\([^)]*\) )?v(\d+\.\d+\.\d+)")


def bundle_version(path: str | Path) -> str:
    with open(path, encoding="utf-8") as bundle:
        match = HEADER_VERSION.search(bundle.read(300))
    assert match, f"no plotly.js version in the header of {path}"
    return match.group(1)


def wheel_plotly_js_version() -> str:
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def chart_figures() -> dict[str, dict]:
    """One figure from every chart function in reports.pages.charts, with realistic rows."""
    return {
        "force_history_figure": history_figure(),
        "grade_distribution_figure": charts.grade_distribution_figure(distribution=distribution_rows(), round_name="2016"),
        "compare_figure": charts.compare_figure(forces=compare_forces(), rows=compare_rows()),
        "movers_figure": charts.movers_figure(rows=movers_rows()),
    }


def chart_trace_types() -> set[str]:
    """Every plotly trace type the chart functions emit (plotly's default type is scatter)."""
    return {trace.get("type", "scatter") for figure in chart_figures().values() for trace in figure["data"]}


def test_every_chart_function_is_covered_by_the_trace_type_check():
    chart_functions = {
        name
        for name, function in inspect.getmembers(charts, inspect.isfunction)
        if name.endswith("_figure") and not name.startswith("_") and function.__module__ == charts.__name__
    }
    assert chart_functions == set(chart_figures())
    assert chart_trace_types() == {"scatter", "bar", "heatmap"}


def test_the_served_plotly_js_is_the_npm_cartesian_bundle_of_the_wheels_plotly_js_version():
    path = finders.find(PLOTLY_STATIC_PATH)
    assert Path(path).parent.name == PLOTLY_NPM_PACKAGE
    assert bundle_version(path) == wheel_plotly_js_version()
    with open(path, encoding="utf-8") as bundle:
        assert "(cartesian - minified)" in bundle.read(300)


def test_package_lock_pins_exactly_the_wheels_plotly_js_version_and_nothing_else():
    lock = json.loads((Path(settings.BASE_DIR) / "package-lock.json").read_text())
    packages = {name: entry["version"] for name, entry in lock["packages"].items() if name}
    assert packages == {f"node_modules/{PLOTLY_NPM_PACKAGE}": wheel_plotly_js_version()}
    manifest = json.loads((Path(settings.BASE_DIR) / "package.json").read_text())
    assert manifest["dependencies"] == {PLOTLY_NPM_PACKAGE: wheel_plotly_js_version()}


def test_collectstatic_copies_the_bundle_to_the_path_the_templates_name(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", "--noinput", verbosity=0)
    copied = tmp_path / "plotly" / "plotly.min.js"
    assert copied.read_bytes() == Path(finders.find(PLOTLY_STATIC_PATH)).read_bytes()
    assert not (tmp_path / "plotly" / "plotly-cartesian.min.js").exists()


def test_a_missing_bundle_fails_the_checks_and_every_lookup_with_how_to_install_it(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    finder = PlotlyFinder()
    (error,) = finder.check()
    assert error.id == "peel.E001"
    assert "make install" in error.msg and "npm ci" in error.msg and PLOTLY_NPM_PACKAGE in error.msg
    with pytest.raises(ImproperlyConfigured, match="make install"):
        finder.find(PLOTLY_STATIC_PATH)
    with pytest.raises(ImproperlyConfigured, match="npm ci"):
        list(finder.list(ignore_patterns=[]))
    # Other static paths are simply not this finder's.
    assert finder.find("css/peel.css") is None
