"""manage.py warm_pages: every core page rendered into a shared page cache after a deploy."""

import pytest
from django.core.cache import caches
from django.core.management import call_command

from reports.caching import page_cached
from tests.factories import GradeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_page_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tmp_path},
    }
    yield caches["pages"]
    caches["pages"].clear()


def test_warm_pages_renders_every_core_page_into_a_shared_cache(shared_page_cache, capsys):
    grade = GradeFactory()
    force, round_ = grade.force.slug, grade.question.round.slug
    call_command("warm_pages")
    paths = ["/", f"/?round={round_}", "/forces/", "/movers/", "/findings/", f"/forces/{force}/", f"/forces/{force}/{round_}/"]
    assert all(page_cached(path=path) for path in paths)
    assert "core pages rendered" in capsys.readouterr().out


def test_warm_pages_says_a_per_process_cache_cannot_be_warmed_from_outside(settings, capsys):
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}
    call_command("warm_pages")
    assert "LocMemCache" in capsys.readouterr().out
