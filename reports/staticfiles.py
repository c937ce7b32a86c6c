"""plotly.js served as a static file from the installed plotly package, not a CDN or a copy."""

import importlib.util
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "plotly/plotly.min.js"


def plotly_package_data_dir() -> Path:
    """The wheel's package_data directory, found without importing plotly (which is slow)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return Path("/nonexistent/plotly")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data"


class PlotlyFinder(BaseFinder):
    """Finds only plotly.min.js, as static/plotly/plotly.min.js (the wheel's other 5 MB stay out)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.directory = plotly_package_data_dir()
        self.storage = FileSystemStorage(location=str(self.directory))
        self.storage.prefix = "plotly"

    def check(self, **kwargs) -> list:
        if not (self.directory / "plotly.min.js").is_file():
            return [Error(f"plotly.min.js not found in {self.directory}: is plotly installed?", id="reports.E001")]
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_STATIC_PATH or not (self.directory / "plotly.min.js").is_file():
            return [] if find_all else None
        found = str(self.directory / "plotly.min.js")
        return [found] if find_all else found

    def list(self, ignore_patterns):
        if (self.directory / "plotly.min.js").is_file():
            yield "plotly.min.js", self.storage
