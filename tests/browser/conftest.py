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


@pytest.fixture
def page(chromium, live_server, peel_data_live):
    """A fresh browser page; console errors are collected in page.console_errors."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
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
