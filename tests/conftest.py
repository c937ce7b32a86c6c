"""Shared test set-up: the shipped fixtures are loaded once per session into the test database."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURE_PATHS = sorted(str(path) for path in (Path(__file__).resolve().parent.parent / "fixtures").glob("*.json"))


def load_peel_fixtures() -> None:
    call_command("loaddata", *FIXTURE_PATHS, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_peel_fixtures()


@pytest.fixture(autouse=True)
def caches_emptied():
    """Cache keys carry the data version, and a test's rolled-back transaction takes its version bumps
    back: without this, the next test could be served pages and data cached for another test's changes."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def peel_data(db):
    """The shipped dataset (reloaded if a transactional test flushed it)."""
    from forces.models import Force

    if not Force.objects.exists():
        load_peel_fixtures()


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
    from django.contrib.auth.models import Group, User

    from peel.roles import roles_sync

    roles_sync()  # the groups come from a migration; a transactional test's flush removes them
    user = User.objects.create_user(username, password=f"pw-{username}-2024", is_staff=is_staff)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(peel_data):
    return role_user("eddie", "Editor")


@pytest.fixture
def administrator(peel_data):
    return role_user("ada", "Administrator")


@pytest.fixture
def staff_without_role(peel_data):
    return role_user("stan", None)
