"""The editor's letter import: preview first, nothing written until confirmed, a bad letter refused."""

import pytest

from reports.models import PccResponse
from tests.factories import ForceFactory
from tests.reports.accountability.letters import VARIANT

pytestmark = pytest.mark.django_db
URL = "/editor/letters/import/"


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_a_letter_is_previewed_then_imported_on_confirmation(client, editor):
    ForceFactory(name="Kent Police", slug="kent")  # the letter is signed by Kent's commissioner
    client.force_login(editor)
    preview = client.post(URL, {"text": VARIANT})
    content = preview.content.decode()
    assert preview.status_code == 200
    assert "Vetting surgeries" in content and "By 31 March 2024" in content
    assert not PccResponse.objects.filter(force__slug="kent").exists()
    token = preview.context["token"]
    confirmed = client.post(URL, {"confirm": "1", "token": token})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/forces/kent/"
    assert PccResponse.objects.filter(force__slug="kent").exists()


def test_a_text_that_is_not_a_letter_is_refused_with_nothing_written(client, editor):
    client.force_login(editor)
    before = PccResponse.objects.count()
    response = client.post(URL, {"text": "Dear HMICFRS, thank you."})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode() and "no date line" in response.content.decode()
    assert PccResponse.objects.count() == before
