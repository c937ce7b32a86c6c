"""Shared test set-up. The test database starts empty: a test states its own rows with tests/factories.py.
A few tests check the shipped data (fixtures/*.json): `peel_data` loads it once per test module, inside a
transaction rolled back when the module ends; importer tests take only its forces, rounds and questions
(`peel_reference`). Tests that visit every page share `site` (page_helpers.site_rows), made the same way
once per module."""

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import transaction

FIXTURE_PATHS = sorted(str(path) for path in (Path(__file__).resolve().parent.parent / "fixtures").glob("*.json"))


def load_peel_fixtures() -> None:
    from reports.facts.fixtures import shipped_data_load

    shipped_data_load(paths=FIXTURE_PATHS)


# What report texts are matched against: the forces, rounds, themes and questions, without the grades.
REFERENCE_FIXTURE_PATHS = [path for path in FIXTURE_PATHS if Path(path).name in {"forces.json", "rounds.json"}]


@contextmanager
def rows_for_module(django_db_blocker, make: Callable[[], object]) -> Iterator[object]:
    """What make() writes, made once for a module's (or class's) tests in a transaction of its own: each
    test still runs in its own nested transaction, and the rows are rolled back after the last test.
    Saves warm no pages: a scope queued for warming would be warmed by a later test's commit."""
    from django.test import override_settings

    with django_db_blocker.unblock():
        module_atomic = transaction.atomic()
        module_atomic.__enter__()
    try:
        with django_db_blocker.unblock(), override_settings(PAGE_WARM_AFTER_SAVE=False):
            rows = make()
        yield rows
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_atomic.__exit__(None, None, None)


def data_for_module(django_db_blocker, paths: list[str]):
    """Fixtures loaded once for a module's tests (rows_for_module)."""
    from reports.facts.fixtures import shipped_data_load

    with rows_for_module(django_db_blocker, lambda: shipped_data_load(paths=paths)):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, whose sessions other threads left open (the live server's request
    threads, a test's stuck request; CONN_MAX_AGE keeps them) are ended on PostgreSQL before it is dropped:
    DROP DATABASE refuses while any remain, and pg_terminate_backend only asks them to go."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for _ in range(50):
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if not cursor.fetchall():
                break
            time.sleep(0.1)


@pytest.fixture(scope="module")
def shipped_data_for_module(django_db_setup, django_db_blocker):
    yield from data_for_module(django_db_blocker, FIXTURE_PATHS)


@pytest.fixture(scope="module")
def reference_data_for_module(django_db_setup, django_db_blocker):
    yield from data_for_module(django_db_blocker, REFERENCE_FIXTURE_PATHS)


@pytest.fixture(scope="module")
def site_for_module(django_db_setup, django_db_blocker):
    from tests.reports.page_helpers import site_rows

    with rows_for_module(django_db_blocker, site_rows) as rows:
        yield rows


@pytest.fixture(scope="session", autouse=True)
def passwords_hashed_quickly():
    """Test users' passwords hashed with MD5: the production hasher's deliberate slowness (~0.3 s a
    login or user) is not under test here, and tests/peel/ checks production settings separately."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def caches_emptied(settings):
    """Cache keys carry the data versions, and a test's rolled-back transaction takes its version bumps
    back: without this, the next test could be served pages cached for another test's changes. No
    background warming after a commit either (a test of it calls pages_warm itself)."""
    from django.core.cache import caches

    settings.PAGE_WARM_AFTER_SAVE = False
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def peel_data(shipped_data_for_module, db):
    """The shipped dataset (fixtures/*.json), for the few tests that check it."""


@pytest.fixture
def peel_reference(reference_data_for_module, db):
    """The shipped forces, rounds, themes and questions, no grades or reports: for importer tests, which
    match real report wording against real questions. A module uses this or peel_data, not both."""


@pytest.fixture
def site(site_for_module, db):
    """A small site made with the factories (page_helpers.site_rows), for tests that visit every page."""
    return site_for_module


@pytest.fixture
def peel_data_live(transactional_db):
    """The shipped dataset for tests that run a live server in another thread."""
    from forces.models import Force

    if not Force.objects.exists():
        load_peel_fixtures()


def pytest_collection_modifyitems(config, items):
    # Browser tests flush the database when they end, so they run after everything else.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


_browser_outcomes = {"passed": 0, "skipped": 0}


def pytest_runtest_logreport(report):
    if "browser" in report.keywords and (report.when == "call" or report.skipped):
        if report.passed:
            _browser_outcomes["passed"] += 1
        elif report.skipped:
            _browser_outcomes["skipped"] += 1


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput"):
        return  # a pytest-xdist worker: the controller sees every worker's reports and judges the whole run
    required = os.environ.get("PEEL_REQUIRE_BROWSER_TESTS") == "1"
    browser_missing = _browser_outcomes["skipped"] or not _browser_outcomes["passed"]
    if required and session.testscollected and exitstatus == 0 and browser_missing:
        print(
            f"\nPEEL_REQUIRE_BROWSER_TESTS: browser tests passed={_browser_outcomes['passed']} "
            f"skipped={_browser_outcomes['skipped']}; they must run and pass."
        )
        session.exitstatus = 1


def role_user(username: str, role: str | None, *, is_staff: bool = True):
    """A user with a password of 'pw-<username>-2024', in the given role's group (None: no role)."""
    from tests.factories import UserFactory

    return UserFactory(username=username, role=role, is_staff=is_staff)


@pytest.fixture
def editor(db):
    return role_user("eddie", "Editor")


@pytest.fixture
def administrator(db):
    return role_user("ada", "Administrator")


@pytest.fixture
def staff_without_role(db):
    return role_user("stan", None)
