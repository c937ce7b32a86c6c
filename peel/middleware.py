"""Content-Security-Policy header, shaped like Django 6.0's built-in one (SECURE_CSP, CSP.NONCE, csp_nonce).

Django 5.2 has no CSP support. When the project moves to Django 6, replace this module with
`django.middleware.csp.ContentSecurityPolicyMiddleware`, `django.utils.csp.CSP` and the
`django.template.context_processors.csp` context processor: the settings keep their shape.

Also the CORS headers of public read-only paths (the API and the feed).
"""

import secrets

from django.conf import settings
from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject, empty

HEADER = "Content-Security-Policy"


class CSP:
    """Source keywords for SECURE_CSP; NONCE stands for this request's nonce (left out when no template used it)."""

    SELF = "'self'"
    NONE = "'none'"
    UNSAFE_INLINE = "'unsafe-inline'"
    STRICT_DYNAMIC = "'strict-dynamic'"
    NONCE = "<CSP_NONCE_SENTINEL>"


def csp_header_value(*, policy: dict[str, list[str]], nonce: str | None) -> str:
    """The header value for a policy: directives joined by '; ', the nonce placeholder filled or dropped."""
    directives = []
    for directive, sources in policy.items():
        values = []
        for source in sources:
            if source == CSP.NONCE:
                if nonce:
                    values.append(f"'nonce-{nonce}'")
            else:
                values.append(source)
        directives.append(" ".join([directive, *values]))
    return "; ".join(directives)


class ContentSecurityPolicyMiddleware:
    """Adds SECURE_CSP as the Content-Security-Policy header to every response that has none yet.

    Each request gets a lazy nonce (`request.csp_nonce`); it is generated, and put in the header,
    only if something (a template through `{{ csp_nonce }}`) read it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = SimpleLazyObject(lambda: secrets.token_urlsafe(16))
        response = self.get_response(request)
        policy = getattr(settings, "SECURE_CSP", None)
        if policy and HEADER not in response:
            nonce = request.csp_nonce._wrapped
            response[HEADER] = csp_header_value(policy=policy, nonce=None if nonce is empty else str(nonce))
        return response


def csp(request) -> dict:
    """Context processor: `{{ csp_nonce }}` for a <script nonce="..."> a page cannot avoid."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


CORS_READ_METHODS = ("GET", "HEAD", "OPTIONS")
# What a cross-origin script may send (conditional requests) and read (the validators, the throttle's wait).
CORS_ALLOW_HEADERS = "Accept, If-None-Match, If-Modified-Since"
CORS_EXPOSE_HEADERS = "ETag, Last-Modified, Retry-After"
CORS_MAX_AGE = str(24 * 3600)


class PublicReadCorsMiddleware:
    """Cross-origin reads of public data: on settings.CORS_PUBLIC_READ_PATHS, any origin may GET,
    HEAD and OPTIONS (no credentials: nothing there depends on a cookie); a preflight is answered
    here. Writes get no CORS headers, so browsers keep refusing them cross-origin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefixes = tuple(getattr(settings, "CORS_PUBLIC_READ_PATHS", ()))
        if not prefixes or not request.path.startswith(prefixes) or request.method not in CORS_READ_METHODS:
            return self.get_response(request)
        preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
        if preflight:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ", ".join(CORS_READ_METHODS)
            response["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
            response["Access-Control-Max-Age"] = CORS_MAX_AGE
        else:
            response = self.get_response(request)
            response["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
        response["Access-Control-Allow-Origin"] = "*"
        return response
