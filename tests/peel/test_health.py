"""The probes: /healthz asks the database, /livez does not."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def test_healthz_is_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_livez_answers_without_touching_the_database(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.parametrize(
    "database_url",
    [
        "sqlite:////nonexistent-directory/peel.sqlite3",
        # Nothing listens on port 9 (discard) of the loopback: the connection is refused at once.
        "postgres://postgres@127.0.0.1:9/peel",
    ],
)
def test_healthz_is_503_with_an_error_logged_when_the_database_is_unreachable(database_url):
    # A fresh process whose DATABASE_URL points at a database that cannot be reached.
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "response = Client().get('/healthz'); print(json.dumps([response.status_code, response.json()]))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "peel.settings", "PEEL_ENV": "development"}
    environment["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [503, {"status": "error", "database": "unavailable"}]
    (log_line,) = [json.loads(line) for line in result.stderr.splitlines() if '"peel.views"' in line]
    assert log_line["level"] == "ERROR"
    assert log_line["message"] == "health check: database unavailable"
    assert "OperationalError" in log_line["error"]
