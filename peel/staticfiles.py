"""plotly.js served as a static file from the npm package `plotly.js-cartesian-dist-min`, not a CDN or a copy.

The cartesian bundle (scatter, bar, heatmap and a few more; 1.5 MB against the wheel's 4.8 MB full bundle)
is evaluated in about half the time, which is what lets the force page draw its chart within issue 7's 1 s.
`package-lock.json` pins the same plotly.js version as the plotly wheel that builds the figures, and
`make install` runs `npm ci`. A missing bundle is an error, never a silent fall-back to the wheel's.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "plotly/plotly.min.js"
PLOTLY_NPM_PACKAGE = "plotly.js-cartesian-dist-min"
PLOTLY_NPM_FILE = "plotly-cartesian.min.js"


def plotly_bundle_path() -> Path:
    """Where `npm ci` puts the cartesian bundle: node_modules/ beside manage.py."""
    return Path(settings.BASE_DIR) / "node_modules" / PLOTLY_NPM_PACKAGE / PLOTLY_NPM_FILE


def plotly_bundle_missing_message(*, path: Path) -> str:
    """What to do when the bundle is not installed."""
    return (
        f"plotly.js not found at {path}: the npm package {PLOTLY_NPM_PACKAGE} is not installed. "
        "Run `make install` (or `npm ci --omit=dev` in the repository root)."
    )


class _BundleStorage(FileSystemStorage):
    """The package's directory, in which the bundle answers to plotly.min.js (the name templates use)."""

    def __init__(self, *, bundle: Path) -> None:
        super().__init__(location=str(bundle.parent))
        self.bundle = bundle
        self.prefix = "plotly"

    def path(self, name: str) -> str:
        if name == "plotly.min.js":
            return str(self.bundle)
        return super().path(name)


class PlotlyFinder(BaseFinder):
    """Finds only the npm cartesian bundle, as static/plotly/plotly.min.js (the package's other files stay out)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bundle = plotly_bundle_path()
        self.storage = _BundleStorage(bundle=self.bundle)

    def _bundle_or_fail(self) -> Path:
        if not self.bundle.is_file():
            raise ImproperlyConfigured(plotly_bundle_missing_message(path=self.bundle))
        return self.bundle

    def check(self, **kwargs) -> list:
        if not self.bundle.is_file():
            return [Error(plotly_bundle_missing_message(path=self.bundle), id="peel.E001")]
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_STATIC_PATH:
            return [] if find_all else None
        found = str(self._bundle_or_fail())
        return [found] if find_all else found

    def list(self, ignore_patterns):
        self._bundle_or_fail()
        yield "plotly.min.js", self.storage
