"""The 404 and 500 pages, and errors logged as JSON on stderr."""

import io
import json
import logging

import pytest
from django.test import Client
from django.views.defaults import server_error


def test_an_unknown_address_gets_the_sites_own_404_page(client, db):
    response = client.get('/no-such-page/<b id="x">x</b>/')
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert 'class="site-header"' in page
    assert "<code>/no-such-page/%3Cb%20id%3D%22x%22%3Ex%3C/b%3E/</code>" in page
    assert "<b id" not in page


def test_the_500_page_renders_with_no_database_and_no_context():
    # No `db` fixture: any database access here raises, as it would with the database down.
    from django.test import RequestFactory

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert 'class="site-header"' in page
    assert "Traceback" not in page


@pytest.fixture
def django_log():
    """What the `django` logger's stderr handler writes, captured."""
    from peel.logging import JsonFormatter

    (handler,) = [handler for handler in logging.getLogger("django").handlers if isinstance(handler.formatter, JsonFormatter)]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.urls("tests.peel.urls")
def test_a_failing_page_gets_the_500_page_and_its_error_is_logged_as_json(django_log):
    # The failing view touches the database, which this test blocks: like a database gone away mid-request.
    response = Client(raise_request_exception=False).get("/test-broken/?q=1")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Content-Security-Policy" in response
    entries = [json.loads(line) for line in django_log.getvalue().splitlines()]
    (entry,) = [entry for entry in entries if entry["logger"] == "django.request"]
    assert entry["level"] == "ERROR"
    assert entry["status_code"] == 500
    assert entry["method"] == "GET"
    assert entry["path"] == "/test-broken/?q=1"
    assert entry["message"].startswith("Internal Server Error: /test-broken/")
    assert "Traceback" in entry["exception"]
    assert entry["time"].endswith("+00:00")
