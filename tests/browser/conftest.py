"""Playwright driving Debian's Chromium (no browser download) against pytest-django's live server."""

import os

import pytest

from peel.chromium import CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told the test process knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def shipped_data_server(django_db_setup, django_db_blocker):
    """A live server over the shipped dataset, loaded (committed) once for all the browser tests, which
    run last; the database is emptied again when they end. A test that changes data asks for
    `shipped_data_restored` too."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connection
    from django.test.utils import modify_settings, setup_databases, teardown_databases
    from pytest_django.live_server_helper import LiveServer

    from tests.conftest import load_peel_fixtures

    with django_db_blocker.unblock():
        # pytest-django sets up the test database only if some test asks for `db`; when only browser tests
        # run, none does, and the data must not go into the development database.
        created = None
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            created = setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})
        load_peel_fixtures()
    server = LiveServer("localhost")
    with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        yield server
    server.stop()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        if created is not None:
            teardown_databases(created, verbosity=0)


@pytest.fixture
def shipped_data_live_db(shipped_data_server, django_db_blocker):
    """The test itself may read the database the live server serves (outside any transaction)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def shipped_data_restored(shipped_data_live_db):
    """For a browser test that changes data: the shipped dataset is put back when it ends."""
    from django.core.management import call_command

    from tests.conftest import load_peel_fixtures

    yield
    call_command("flush", interactive=False, verbosity=0)
    load_peel_fixtures()


@pytest.fixture
def page(chromium, shipped_data_server, shipped_data_live_db):
    """A fresh browser page; console errors are collected in page.console_errors."""
    context = chromium.new_context(
        base_url=shipped_data_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    browser_page = context.new_page()
    browser_page.console_errors = []
    browser_page.on("console", lambda message: message.type == "error" and browser_page.console_errors.append(message.text))
    browser_page.on("pageerror", lambda error: browser_page.console_errors.append(str(error)))
    yield browser_page
    context.close()


def axe_serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the current page, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
