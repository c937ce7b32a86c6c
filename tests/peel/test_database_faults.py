"""A database that hangs (rather than refuses) never hangs the site: probes, deadlines, the gate, 503s."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection, connections
from django.http import HttpResponse
from django.urls import path

from bench.tcp_proxy import PausableProxy
from peel.database_guard import DatabaseGate, database_answers_within
from peel.urls import urlpatterns as project_urlpatterns

BASE_DIR = Path(__file__).resolve().parents[2]

postgresql_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql"},
    reason="a hung PostgreSQL connection needs PostgreSQL (CI runs it)",
)


@pytest.fixture
def black_hole_port():
    """A loopback port that completes TCP handshakes (the kernel's backlog) but never answers a byte: a hung server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield listener.getsockname()[1]
    listener.close()


def test_healthz_answers_503_within_two_seconds_when_the_database_hangs(black_hole_port):
    code = (
        "import django, json, time; django.setup(); from django.test import Client; client = Client(); "
        "client.get('/livez'); started = time.monotonic(); "  # a running server: URLs and middleware already loaded
        "response = client.get('/healthz'); print(json.dumps([response.status_code, time.monotonic() - started]))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "peel.settings", "PEEL_ENV": "development"}
    environment["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{black_hole_port}/peel"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    status, seconds = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert seconds < 2.0
    (log_line,) = [json.loads(line) for line in result.stderr.splitlines() if '"peel.views"' in line]
    assert log_line["error"] == "no answer within 1.5 s"


def test_a_second_probe_while_the_first_is_stuck_answers_at_once(monkeypatch):
    release = threading.Event()
    monkeypatch.setattr("peel.database_guard.database_ping", lambda **kwargs: release.wait(10))
    try:
        assert database_answers_within(seconds=0.2) == (False, "no answer within 0.2 s")
        started = time.monotonic()
        assert database_answers_within(seconds=5) == (False, "an earlier probe is still waiting for the database")
        assert time.monotonic() - started < 0.1
    finally:
        release.set()


@postgresql_only
@pytest.mark.django_db
def test_a_query_whose_answer_never_arrives_is_cut_off_at_the_deadline(settings):
    settings.DATABASE_QUERY_DEADLINE = 1.0
    with PausableProxy(target_port=int(connection.settings_dict["PORT"] or 5432)) as proxy:
        proxied = connections["default"].__class__(
            {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": str(proxy.port)}, alias="default"
        )
        try:
            with proxied.cursor() as cursor:
                cursor.execute("SELECT 1")
            proxy.pause()
            started = time.monotonic()
            with pytest.raises(OperationalError), proxied.cursor() as cursor:
                cursor.execute("SELECT 2")
            assert 0.9 < time.monotonic() - started < 3
        finally:
            proxy.resume()
            proxied.close()


def test_statement_and_connect_timeouts_come_from_the_environment():
    code = "import django; django.setup(); from django.db import connection; print(connection.settings_dict['OPTIONS'])"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peel.settings",
        "PEEL_ENV": "development",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/peel",
        "DATABASE_CONNECT_TIMEOUT": "3",
        "DATABASE_STATEMENT_TIMEOUT": "12.5",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'connect_timeout': 3, 'options': '-c statement_timeout=12500'}"


# --- the gate: one thread always free for /livez and static files -------------------------------------

STUCK = threading.Event()
ENTERED = threading.Event()


def stuck_view(request):
    """Stands for a request whose database call hangs."""
    ENTERED.set()
    STUCK.wait(10)
    return HttpResponse("late")


urlpatterns = [path("test-stuck/", stuck_view), *project_urlpatterns]


def test_when_every_database_place_is_stuck_livez_and_static_files_answer_and_pages_get_503_quickly(settings, db):
    settings.ROOT_URLCONF = __name__
    settings.DATABASE_CONCURRENCY = 1
    settings.DATABASE_GATE_WAIT = 0.3
    from django.test import Client

    STUCK.clear()
    ENTERED.clear()
    stuck = threading.Thread(target=lambda: Client().get("/test-stuck/"))
    stuck.start()
    try:
        assert ENTERED.wait(5)
        client = Client()
        started = time.monotonic()
        assert client.get("/livez").status_code == 200
        assert client.get("/static/css/peel.css").status_code == 200
        assert time.monotonic() - started < 0.3
        page = client.get("/forces/")
        assert page.status_code == 503
        assert "not answering" in page.content.decode()
        assert page["Retry-After"] == "30"
        started = time.monotonic()
        assert client.get("/forces/").status_code == 503  # the last wait failed: no queueing behind stuck requests
        assert time.monotonic() - started < 0.1
    finally:
        STUCK.set()
        stuck.join(10)


def test_the_gate_lets_requests_wait_their_turn_while_it_is_healthy():
    gate = DatabaseGate(1, 2.0)
    assert gate.enter()
    threading.Timer(0.1, gate.leave).start()
    started = time.monotonic()
    assert gate.enter()
    assert 0.05 < time.monotonic() - started < 1
    gate.leave()


def test_a_database_that_refuses_connections_makes_a_page_503_not_500(settings, monkeypatch, db):
    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr("reports.caching.scope_versions_get", refused)  # the first read a kept page makes
    from django.test import Client

    response = Client().get("/forces/")
    assert response.status_code == 503
    assert "not answering" in response.content.decode()
