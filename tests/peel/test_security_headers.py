"""Security headers and the Content-Security-Policy on every page, and the HTTPS behaviour of production."""

import pytest

from peel.middleware import CSP, csp_header_value
from tests.peel.html_checks import inline_code_problems

# Every public page, with the status it answers (on the `site` rows); each must carry the headers and no code a
# strict CSP blocks.
PAGES = [
    ("/", 200),
    ("/?round=nonsense", 400),
    ("/forces/", 200),
    ("/forces/metropolitan/", 200),
    ("/forces/metropolitan/2023-25/", 200),
    ("/forces/gotham/", 404),
    ("/compare/?forces=kent,essex,surrey", 200),
    ("/movers/", 200),
    ("/findings/?q=custody", 200),
    ("/data/", 200),
    ("/data/grades.csv", 200),
    ("/forces/kent/summary.csv", 200),
    ("/no-such-page/", 404),
    ("/admin/login/", 200),
    ("/healthz", 200),
    ("/livez", 200),
]
HTML_PAGES = [(url, status) for url, status in PAGES if url not in {"/healthz", "/livez"} and ".csv" not in url]


def csp_directives(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize(("url", "status"), PAGES)
def test_every_page_carries_the_security_headers(client, site, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert not any(source.startswith(("http:", "https:", "*")) for source in directives["script-src"])


@pytest.mark.parametrize(("url", "status"), HTML_PAGES)
def test_no_page_has_code_the_content_security_policy_would_block(client, site, url, status):
    response = client.get(url)
    assert response["Content-Type"].startswith("text/html")
    assert inline_code_problems(response.content.decode()) == []


def test_static_files_carry_the_security_headers_too(client):
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_the_nonce_is_in_the_header_only_when_a_page_used_it_and_differs_per_request(client, settings):
    settings.ROOT_URLCONF = "tests.peel.urls"
    first, second = client.get("/test-nonce/"), client.get("/test-nonce/")
    nonces = []
    for response in (first, second):
        (nonce_source,) = [source for source in csp_directives(response)["script-src"] if source.startswith("'nonce-")]
        nonce = nonce_source.removeprefix("'nonce-").removesuffix("'")
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert len(nonces[0]) >= 16
    assert "'nonce-" not in client.get("/livez")["Content-Security-Policy"]


def test_the_header_is_built_from_the_policy_with_the_nonce_placeholder_filled_or_dropped():
    policy = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE], "object-src": [CSP.NONE]}
    assert csp_header_value(policy=policy, nonce="abc") == "default-src 'self'; script-src 'self' 'nonce-abc'; object-src 'none'"
    assert csp_header_value(policy=policy, nonce=None) == "default-src 'self'; script-src 'self'; object-src 'none'"


def test_production_redirects_plain_http_to_https_but_not_the_probes(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/livez")
    assert response.status_code == 200
    response = client.get("/forces/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/forces/"


def test_behind_a_tls_proxy_a_forwarded_https_request_is_served_with_hsts(client, site, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_pages_are_gzip_compressed_for_clients_that_accept_it(client, site):
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
