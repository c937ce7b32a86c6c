"""Rendered public pages cached per data version: a save in the admin or editor bumps the version,
so the next request renders afresh everywhere (every gunicorn worker reads the version per request).

Only pages that are the same for everyone are kept: a page whose rendering used the CSP nonce, a
CSRF token or the session (and so the user) is served but never cached, and the
Content-Security-Policy header is added per response by the middleware, never cached with the body.
A kept page is compressed once (brotli and gzip) rather than on every request: it holds no secret,
so the per-response padding GZipMiddleware adds against BREACH has nothing to protect there.
"""

import gzip
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

import brotli
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import empty

from reports.models import DataVersion

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
_ACCEPTS = {encoding: re.compile(rf"\b{encoding}\b") for encoding in ("br", "gzip")}


def data_version_get() -> int:
    """The current data version; cache keys include it so a save shows at once everywhere."""
    # Read on every cached page view: plain SQL costs a third of the ORM query here (bench/load.py).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {DataVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


@dataclass(frozen=True)
class DataStamp:
    """The data version and when it last changed (None before the first change): what API responses'
    ETag and Last-Modified are made from."""

    version: int
    changed_at: datetime | None


def data_stamp_get() -> DataStamp:
    """The current data version with its time of change, in one query (plain SQL, as data_version_get)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {DataVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    if not row:
        return DataStamp(version=0, changed_at=None)
    changed_at = row[1]
    if isinstance(changed_at, str):  # SQLite without a declared-type converter
        changed_at = datetime.fromisoformat(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):  # SQLite stores UTC without an offset
        changed_at = changed_at.replace(tzinfo=UTC)
    return DataStamp(version=row[0], changed_at=changed_at)


def query_canonical(*, query: QueryDict, params: Iterable[str]) -> QueryDict:
    """The query string as the page's canonical URL has it: only the view's known parameters, in a fixed
    (alphabetical) order, each with its values in the order they came; anything else dropped."""
    canonical = QueryDict(mutable=True)
    for name in sorted(set(params)):
        if name in query:
            canonical.setlist(name, query.getlist(name))
    canonical._mutable = False
    return canonical


def page_cache_key(*, request: HttpRequest, view_name: str, data_version: int, params: Iterable[str] = ()) -> str:
    """The cache key of a page: the data version, the view and its canonical URL (path and known parameters
    in a fixed order), so `?x=<anything>` or a reordered query string cannot make a page render afresh."""
    url = f"{request.path}?{query_canonical(query=request.GET, params=params).urlencode()}"
    path_hash = hashlib.sha256(url.encode()).hexdigest()[:32]
    return f"page:{data_version}:{view_name}:{request.method}:{path_hash}"


def page_is_shareable(*, request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the same bytes may be sent to anyone: a complete 200 HTML page with nothing personal or per-request."""
    nonce = getattr(request, "csp_nonce", None)
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not response.has_header("Vary")
        and (nonce is None or nonce._wrapped is empty)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.accessed)
    )


def cache_page_per_data_version(view=None, *, params: Iterable[str] = ()):
    """Decorator for a public GET view: its rendered page is reused until the data version changes.

    params names the query parameters the view reads (its filter form's fields, its tables' sort, page and
    per_page, _export, _table); the page is rendered from, and kept under, its canonical URL (see
    page_cache_key), so an unknown parameter is dropped rather than reaching the view. A value outside a
    form's choices still reaches the form, which answers 400 (never kept: only 200s are)."""
    if view is None:
        return lambda view: cache_page_per_data_version(view, params=params)
    view_name = f"{view.__module__}.{view.__qualname__}"
    known = tuple(sorted(set(params)))

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        # Rendered from the canonical query, so the kept bytes (links keeping the filters, export notes) never carry
        # a parameter that is not part of the key.
        canonical = query_canonical(query=request.GET, params=known)
        request.GET = canonical  # type: ignore[assignment]  # immutable, like the QueryDict Django builds
        request.META["QUERY_STRING"] = canonical.urlencode()
        cache = caches[CACHE_ALIAS]
        key = page_cache_key(request=request, view_name=view_name, data_version=data_version_get(), params=known)
        cached = cache.get(key)
        if cached is not None:
            return cached_page_response(request=request, cached=cached)
        logger.debug("page rendered afresh", extra={"view": view_name, "data_version": key.split(":")[1]})
        response = view(request, *args, **kwargs)
        if page_is_shareable(request=request, response=response):
            content = response.content
            bodies = {"br": brotli.compress(content, quality=9), "gzip": gzip.compress(content, compresslevel=9, mtime=0)}
            cache.set(key, {"content_type": response["Content-Type"], "identity": content, **bodies})
        return response

    wrapper.cache_params = known  # type: ignore[attr-defined]  # read by tests and tools: what the key keeps
    return wrapper


def cached_page_response(*, request: HttpRequest, cached: dict) -> HttpResponse:
    """A kept page, in the best encoding the client accepts."""
    accept_encoding = request.headers.get("Accept-Encoding", "")
    encoding = next((name for name, pattern in _ACCEPTS.items() if pattern.search(accept_encoding)), None)
    response = HttpResponse(cached[encoding or "identity"], content_type=cached["content_type"])
    if encoding:
        response["Content-Encoding"] = encoding
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
