"""`python -m peel.database` creates the PostgreSQL database DATABASE_URL names, so `make run` works on a fresh server."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from peel.database import database_ensure

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="creating a database is PostgreSQL's")


def server_url(name: str) -> str:
    settings = connection.settings_dict
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


def test_a_missing_database_is_created_once_and_then_left_alone():
    name = f"peel_create_{uuid.uuid4().hex[:8]}"
    try:
        assert database_ensure(server_url(name)) == f"created database {name!r}"
        assert database_ensure(server_url(name)) == f"database {name!r} exists"
    finally:
        server = psycopg2.connect(server_url("postgres"))
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.close()


def test_an_unreachable_server_is_one_line_naming_the_problem():
    environment = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/peel"}
    result = subprocess.run([sys.executable, "-m", "peel.database"], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("peel.database: cannot reach or create the database") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_sqlite_needs_nothing_created():
    assert database_ensure("sqlite:///db.sqlite3") == "not PostgreSQL: nothing to create"
