"""Rendered public pages, kept per data scope, rendered once per key, warmed again after a save.

- Scopes. Every change to published data bumps the global data version (whole-dataset exports and the
  API's ETag use it) and the scopes it touches (`DataScope`): a grade, report, finding, amendment or
  grade count bumps its force's and its round's scope; forces, rounds, questions and themes bump
  'shared'. A page is keyed on the versions of the scopes it shows ('shared' always): a force's pages
  on its force, a round's national page on that round, pages over every round on every round scope.
  So an edit to one force's grade leaves other forces' pages cached. Reading the versions is one query.
- Single flight. One render per key at a time: the first request takes a lock in the pages cache
  (`cache.add`, atomic in Redis, so across servers when the pages cache is shared; per process with the
  local-memory cache); the others wait for its page instead of rendering it too.
- Warm after a save. The scopes a transaction bumped are handed, after commit, to a background thread
  that renders the core pages showing them (`pages_invalidated_by`), so the next visitor gets a kept page.
  `manage.py warm_pages` renders every core page (after a deploy).
- Only pages that are the same for everyone are kept: a page whose rendering used the CSP nonce, a CSRF
  token or the session is served but never kept, and the Content-Security-Policy header is added per
  response by the middleware, never cached with the body. A kept page is compressed once (brotli and
  gzip) rather than on every request: it holds no secret, so the per-response padding GZipMiddleware
  adds against BREACH has nothing to protect there.
"""

import gzip
import hashlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from io import BytesIO

import brotli
from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty

from forces.models import Force
from reports.models import DataScope, DataVersion, Grade, Report, Round

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
SHARED = "shared"
ALL_ROUNDS = "round:*"
# Per page-cache miss: brotli 6 and gzip 6 cost ~4 ms for six core pages against ~120 ms at 9 and 9, for 0.8% and
# 1.3% more bytes (bench/bench_compression.py, docs/performance.md). Static files stay at whitenoise's maximum.
BROTLI_QUALITY = 6
GZIP_LEVEL = 6
# A render holds its key's lock at most this long (a killed worker's lock expires); others wait at most RENDER_WAIT.
RENDER_LOCK_SECONDS = 30
RENDER_WAIT_SECONDS = 20.0
_ACCEPTS = {encoding: re.compile(rf"\b{encoding}\b") for encoding in ("br", "gzip")}
_SLUG = re.compile(r"^[-a-z0-9]{1,60}$")


def data_version_get() -> int:
    """The global data version, bumped by every change: whole-dataset exports and ETags use it."""
    # Plain SQL costs a third of the ORM query here (bench/load.py).
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


def force_scope(slug: str) -> str:
    """The scope of one force's data (its grades, reports, findings, counts), or every round's for an odd slug."""
    return f"force:{slug}" if _SLUG.match(slug or "") else ALL_ROUNDS


def round_scope(slug: str) -> str:
    """The scope of one round's data, or every round's for an odd slug."""
    return f"round:{slug}" if _SLUG.match(slug or "") else ALL_ROUNDS


def scope_versions_get(scopes: Iterable[str]) -> str:
    """The versions of the scopes (and 'shared') as one string, read in one query; ALL_ROUNDS reads every round scope."""
    names = {SHARED, *scopes}
    every_round = ALL_ROUNDS in names
    names.discard(ALL_ROUNDS)
    table = DataScope._meta.db_table
    where = "scope IN (" + ", ".join(["%s"] * len(names)) + ")" + (" OR scope LIKE 'round:%%'" if every_round else "")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT scope, version FROM {table} WHERE {where}", sorted(names))
        versions = dict(cursor.fetchall())
    listed = sorted(names | {key for key in versions if every_round and key.startswith("round:")})
    return ",".join(f"{name}={versions.get(name, 0)}" for name in listed)


def scopes_bump(scopes: Iterable[str], *, warm: bool = True) -> None:
    """Bump the scopes in the current transaction and (warm) queue re-rendering their pages after commit."""
    names = sorted(set(scopes))
    if not names:
        return
    table = DataScope._meta.db_table
    values = ", ".join(["(%s, 1)"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, version) VALUES {values} "
            f"ON CONFLICT (scope) DO UPDATE SET version = {table}.version + 1",
            names,
        )
    if warm and getattr(settings, "PAGE_WARM_AFTER_SAVE", True):
        _pending_scopes().update(names)
        transaction.on_commit(_pending_warm)


# Scopes bumped by this thread's transaction and not yet warmed: on_commit runs in the committing thread, so
# one save's commit never warms another thread's uncommitted scopes.
_pending = threading.local()


def _pending_scopes() -> set[str]:
    if not hasattr(_pending, "scopes"):
        _pending.scopes = set()
    return _pending.scopes


def _pending_warm() -> None:
    """After commit: warm the pages of every scope this thread bumped, in a background thread (one per commit)."""
    scopes = set(_pending_scopes())
    _pending_scopes().clear()
    if not scopes:
        return
    forces = {name.split(":", 1)[1] for name in scopes if name.startswith("force:")}
    rounds = {name.split(":", 1)[1] for name in scopes if name.startswith("round:")}
    paths = pages_invalidated_by(force_slugs=forces, round_slugs=rounds, shared=SHARED in scopes)
    threading.Thread(target=_pages_warm_thread, args=(paths,), name="peel-pages-warm", daemon=True).start()


def _pages_warm_thread(paths: list[str]) -> None:
    try:
        pages_warm(paths=paths)
    finally:
        connection.close()  # this thread's own connection


def query_canonical(*, query: QueryDict, params: Iterable[str]) -> QueryDict:
    """The query string as the page's canonical URL has it: only the view's known parameters, in a fixed
    (alphabetical) order, each with its values in the order they came; anything else dropped."""
    canonical = QueryDict(mutable=True)
    for name in sorted(set(params)):
        if name in query:
            canonical.setlist(name, query.getlist(name))
    canonical._mutable = False
    return canonical


def page_cache_key(*, request: HttpRequest, view_name: str, data_version: int | str, params: Iterable[str] = ()) -> str:
    """The cache key of a page: the versions of the data it shows, the view and its canonical URL (path and
    known parameters in a fixed order), so `?x=<anything>` or a reordered query string cannot make a page
    render afresh."""
    url = f"{request.path}?{query_canonical(query=request.GET, params=params).urlencode()}"
    path_hash = hashlib.sha256(url.encode()).hexdigest()[:32]
    version_hash = hashlib.sha256(str(data_version).encode()).hexdigest()[:16]
    return f"page:{version_hash}:{view_name}:{request.method}:{path_hash}"


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


def page_compress(*, content: bytes, content_type: str) -> dict:
    """What the cache keeps of a page: its bytes plain, brotli and gzip."""
    return {
        "content_type": content_type,
        "identity": content,
        "br": brotli.compress(content, quality=BROTLI_QUALITY),
        "gzip": gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0),
    }


def page_wait(*, cache, key: str, lock: str) -> dict | None:
    """The page another request is rendering, once it is kept; None if that render ended without keeping
    one or took longer than RENDER_WAIT_SECONDS."""
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    pause = 0.005
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
        cached = cache.get(key)
        if cached is not None:
            return cached
        if cache.get(lock) is None:
            return cache.get(key)
    return None


def cache_page_per_data_version(scopes: Callable[..., list[str]], *, params: Iterable[str] = ()):
    """Decorator for a public GET view: its page is kept until a scope it shows changes.

    `scopes(request, *args, **kwargs)` names those scopes from the URL alone (no query), e.g.
    [force_scope(slug)]. params names the query parameters the view reads (its filter form's fields, its
    tables' sort, page and per_page, _export, _table); the page is rendered from, and kept under, its
    canonical URL (see page_cache_key), so an unknown parameter is dropped rather than reaching the view. A
    value outside a form's choices still reaches the form, which answers 400 (never kept: only 200s are)."""
    known = tuple(sorted(set(params)))

    def decorator(view):
        view_name = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in {"GET", "HEAD"}:
                return view(request, *args, **kwargs)
            # Rendered from the canonical query, so the kept bytes (links keeping the filters, export notes) never
            # carry a parameter that is not part of the key.
            canonical = query_canonical(query=request.GET, params=known)
            request.GET = canonical  # type: ignore[assignment]  # immutable, like the QueryDict Django builds
            request.META["QUERY_STRING"] = canonical.urlencode()
            cache = caches[CACHE_ALIAS]
            versions = scope_versions_get(scopes(request, *args, **kwargs))
            key = page_cache_key(request=request, view_name=view_name, data_version=versions, params=known)
            cached = cache.get(key)
            if cached is not None:
                return cached_page_response(request=request, cached=cached)
            lock = f"{key}:render"
            holder = cache.add(lock, 1, timeout=RENDER_LOCK_SECONDS)
            if not holder and (cached := page_wait(cache=cache, key=key, lock=lock)) is not None:
                return cached_page_response(request=request, cached=cached)
            # With the request, the JSON log line carries the canonical path: bench/two_servers.py counts renders per URL.
            logger.debug("page rendered afresh", extra={"view": view_name, "data_versions": versions, "request": request})
            try:
                response = view(request, *args, **kwargs)
                if page_is_shareable(request=request, response=response):
                    cache.set(key, page_compress(content=response.content, content_type=response["Content-Type"]))
            finally:
                if holder:
                    cache.delete(lock)
            return response

        wrapper.page_scopes = scopes  # type: ignore[attr-defined]
        wrapper.cache_params = known  # type: ignore[attr-defined]  # read by tests and tools: what the key keeps
        return wrapper

    return decorator


def cached_page_response(*, request: HttpRequest, cached: dict) -> HttpResponse:
    """A kept page, in the best encoding the client accepts."""
    accept_encoding = request.headers.get("Accept-Encoding", "")
    encoding = next((name for name, pattern in _ACCEPTS.items() if pattern.search(accept_encoding)), None)
    response = HttpResponse(cached[encoding or "identity"], content_type=cached["content_type"])
    if encoding:
        response["Content-Encoding"] = encoding
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


# ---------------------------------------------------------------------------------------------
# Warming: rendering pages into the cache without a visitor
# ---------------------------------------------------------------------------------------------


def _request_for(path: str) -> WSGIRequest:
    """A plain anonymous GET of path, as the middleware would hand it to a view (a lazy CSP nonce, no session)."""
    path_info, _, query = path.partition("?")
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": BytesIO(b""),
            "wsgi.url_scheme": "http",
        }
    )
    request.csp_nonce = SimpleLazyObject(lambda: secrets.token_urlsafe(16))  # type: ignore[attr-defined]
    return request


def page_cached(*, path: str) -> bool:
    """Whether the page at path is kept for the data it shows now."""
    match = resolve(path.partition("?")[0])
    view = match.func
    request = _request_for(path)
    versions = scope_versions_get(view.page_scopes(request, *match.args, **match.kwargs))  # type: ignore[attr-defined]
    name = f"{view.__module__}.{view.__qualname__}"
    key = page_cache_key(request=request, view_name=name, data_version=versions, params=view.cache_params)  # type: ignore[attr-defined]
    return caches[CACHE_ALIAS].get(key) is not None


def pages_warm(*, paths: Iterable[str]) -> int:
    """Render each page (through its view and the page cache) unless it is kept already; returns how many rendered."""
    rendered = 0
    for path in paths:
        try:
            match = resolve(path.partition("?")[0])
        except Resolver404:
            continue
        if not hasattr(match.func, "page_scopes") or page_cached(path=path):
            continue
        try:
            match.func(_request_for(path), *match.args, **match.kwargs)
            rendered += 1
        except Exception:  # a page that fails renders for its visitor, who sees the error; warming goes on
            logger.exception("warming %s failed", path)
    return rendered


def pages_invalidated_by(*, force_slugs: Iterable[str] = (), round_slugs: Iterable[str] = (), shared: bool = False) -> list[str]:
    """The core pages showing the given forces and rounds (every core page if 'shared' changed), most visited first."""
    force_slugs, round_slugs = set(force_slugs), set(round_slugs)
    if shared:
        force_slugs = set(Force.objects.values_list("slug", flat=True))
        round_slugs = set(Round.objects.values_list("slug", flat=True))
    paths = [reverse("pages:national"), reverse("pages:force_list"), reverse("pages:movers"), reverse("pages:findings")]
    if shared:
        paths.append(reverse("pages:compare"))
    for slug in sorted(round_slugs):
        paths.append(f"{reverse('pages:national')}?round={slug}")
    graded = Grade.objects.filter(force__slug__in=force_slugs).values_list("force__slug", "question__round__slug")
    reported = Report.objects.filter(force__slug__in=force_slugs).values_list("force__slug", "round__slug")
    rounds_of: dict[str, set[str]] = {}
    for force_slug, round_slug in {*graded.order_by().distinct(), *reported.order_by().distinct()}:
        rounds_of.setdefault(force_slug, set()).add(round_slug)
    for slug in sorted(force_slugs):
        paths.append(reverse("pages:force_detail", kwargs={"slug": slug}))
        paths += [reverse("pages:report", kwargs={"force_slug": slug, "round_slug": r}) for r in sorted(rounds_of.get(slug, ()))]
    return paths
