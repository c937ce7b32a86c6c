"""What the in-process benchmarks share: the project's URLs plus baseline views, for this process only."""

import sys
import types


def urls_with_baselines(*, name: str, baselines: list) -> None:
    """Serve `baselines` (path() entries, e.g. a trivial view) beside every URL of the project, in this process
    only: a throw-away URL module named `name` becomes the ROOT_URLCONF."""
    from django.conf import settings
    from django.urls import include, path

    module = types.ModuleType(name)
    module.urlpatterns = [*baselines, path("", include("peel.urls"))]  # type: ignore[attr-defined]
    sys.modules[name] = module
    settings.ROOT_URLCONF = name
