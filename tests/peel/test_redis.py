"""Scale-out: with REDIS_URL, every worker and server shares one page cache and one login throttle through Redis.

These tests need Redis. CI (.ci/run) starts it and exports REDIS_URL, and there a missing Redis FAILS them
rather than skipping them; elsewhere they are skipped without REDIS_URL (use your own database number,
redis://127.0.0.1:6379/N, never CI's 0).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from peel.settings import redis_location

BASE_DIR = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() == "true"


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if IN_CI:
            pytest.fail("CI must run with REDIS_URL set (.ci/run exports it): the Redis tests may not be skipped there")
        pytest.skip("REDIS_URL is not set (CI sets it)")
    assert redis_answers(url), f"Redis at {url} does not answer"
    return url


def test_ci_runs_with_redis_set_and_answering():
    if not IN_CI:
        pytest.skip("only CI must have Redis")
    url = os.environ.get("REDIS_URL", "")
    assert url, "CI=true but REDIS_URL is not set"
    assert redis_answers(url), f"CI=true but Redis at {url} does not answer"


def test_with_redis_url_the_page_cache_and_the_throttle_live_in_redis(redis_url):
    configured = settings.REDIS_URL
    assert configured == redis_url
    for alias in ("default", "pages"):
        assert settings.CACHES[alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert settings.CACHES[alias]["LOCATION"] == settings.REDIS_LOCATION
    assert settings.AXES_HANDLER == "axes.handlers.cache.AxesCacheHandler"


def test_each_test_worker_has_its_own_redis_database_and_a_server_has_redis_url_itself():
    assert redis_location("redis://127.0.0.1:6379/0", worker="gw1") == "redis://127.0.0.1:6379/1"
    assert redis_location("redis://127.0.0.1:6379/3", worker="gw2") == "redis://127.0.0.1:6379/5"
    assert redis_location("redis://127.0.0.1:6379", worker="gw1") == "redis://127.0.0.1:6379/1"
    assert redis_location("redis://127.0.0.1:6379/0", worker="") == "redis://127.0.0.1:6379/0"


def test_without_redis_url_each_process_keeps_its_own_cache():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['pages']['BACKEND'], s.AXES_HANDLER)"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "peel.settings", "PEEL_ENV": "development", "REDIS_URL": ""}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "axes.handlers.database.AxesDatabaseHandler",
    ]


def test_a_page_rendered_by_one_process_is_served_by_another_without_rendering(redis_url, peel_data_live, client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the other process needs to read the same database: PostgreSQL (CI runs it)")
    first = client.get("/forces/kent/")
    assert first.status_code == 200
    # Another process (another gunicorn worker or server): same database (committed rows), same Redis, its own memory.
    code = (
        "import django, json; django.setup(); from django.test import Client; from django.db import connection; "
        "from django.test.utils import CaptureQueriesContext\n"
        "with CaptureQueriesContext(connection) as queries:\n"
        "    response = Client().get('/forces/kent/')\n"
        "print(json.dumps([response.status_code, len(queries), response.content.decode()]))"
    )
    database = connection.settings_dict
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peel.settings",
        "PEEL_ENV": "development",
        "REDIS_URL": redis_url,
        "DATABASE_URL": f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    status, queries, content = json.loads(result.stdout.strip().splitlines()[-1])
    assert (status, queries) == (200, 1)  # the data version only: the page came from Redis
    assert content == first.content.decode()
