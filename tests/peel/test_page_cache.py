"""Public pages are kept per data version: reused while the data is unchanged, never when personal or nonced."""

import gzip

import brotli
import pytest

from tests.peel.test_security_headers import csp_directives

pytestmark = pytest.mark.usefixtures("peel_data")


def test_a_kept_page_is_served_with_one_query_for_the_data_version(client, django_assert_num_queries):
    first = client.get("/forces/metropolitan/")
    with django_assert_num_queries(1):
        second = client.get("/forces/metropolitan/")
    assert second.status_code == 200
    assert second.content == first.content
    assert "Content-Security-Policy" in second


def test_a_data_change_shows_at_once(client):
    from forces.models import Force

    assert "Kent Police" in client.get("/forces/kent/").content.decode()
    force = Force.objects.get(slug="kent")
    force.name = "Kent Constabulary (renamed)"
    force.save()
    assert "Kent Constabulary (renamed)" in client.get("/forces/kent/").content.decode()
    assert "Kent Constabulary (renamed)" in client.get("/forces/").content.decode()


def test_each_query_string_is_its_own_page(client, settings):
    settings.ROOT_URLCONF = "tests.peel.urls"
    assert client.get("/test-cached/plain/?n=1").content != client.get("/test-cached/plain/?n=2").content
    assert b"<p>1</p>" in client.get("/test-cached/plain/?n=1").content


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_kept_page_is_sent_compressed_in_the_encoding_the_client_accepts(client, encoding):
    plain = client.get("/forces/metropolitan/").content
    response = client.get("/forces/metropolitan/", headers={"Accept-Encoding": f"{encoding}, deflate"})
    assert response["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response["Vary"]
    decompress = brotli.decompress if encoding == "br" else gzip.decompress
    assert decompress(response.content) == plain
    assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.parametrize("path", ["/test-cached/nonce/", "/test-cached/csrf/", "/test-cached/user/"])
def test_a_page_that_used_the_nonce_a_csrf_token_or_the_user_is_never_kept(client, settings, path):
    settings.ROOT_URLCONF = "tests.peel.urls"
    from django.core.cache import caches

    assert client.get(path).status_code == client.get(path).status_code == 200
    assert not caches["pages"]._cache  # LocMemCache's store: nothing was kept


def test_a_kept_nonce_never_meets_a_fresh_header(client, settings):
    settings.ROOT_URLCONF = "tests.peel.urls"
    for _ in range(2):
        response = client.get("/test-cached/nonce/")
        (nonce,) = [source for source in csp_directives(response)["script-src"] if source.startswith("'nonce-")]
        assert f'nonce="{nonce[7:-1]}"' in response.content.decode()
