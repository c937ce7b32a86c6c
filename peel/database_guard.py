"""Holding up when the database hangs rather than refusing connections.

A database that stops answering (a frozen server, a network that drops packets, a proxy that stops
forwarding) leaves libpq waiting on its socket for ever: PostgreSQL's statement_timeout cannot help,
since the server's answer never arrives. Three things bound it here:

- `connect_timeout` and `statement_timeout` from the environment (peel/settings.py);
- a client-side deadline on every query (`query_deadline`): a watchdog thread shuts the connection's
  socket down when a query outlives DATABASE_QUERY_DEADLINE, so the blocked thread gets an
  OperationalError and is free again (the connection is then discarded by Django);
- a gate (`DatabaseGateMiddleware`) that lets at most DATABASE_CONCURRENCY requests per process into
  code that may touch the database, so one gunicorn thread always stays free for /livez and static
  files (whitenoise serves those before the gate); when the gate is full and the last wait already
  timed out, requests get 503 at once instead of queueing behind stuck ones.

A DatabaseError meaning "cannot reach the database" (OperationalError, InterfaceError) becomes a 503
with a short message (`DatabaseUnavailableMiddleware`), never a 500 and never a 200 that ends early.
"""

import functools
import logging
import os
import socket
import threading
import time
from itertools import count

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = "The dashboard's database is not answering just now, so this page cannot be shown. Try again in a minute."
RETRY_AFTER_SECONDS = 30


# --- the query deadline ----------------------------------------------------------------------------


class Watchdog:
    """One daemon thread per process that cuts the socket of any query past its deadline."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: dict[int, tuple[float, int]] = {}
        self._tokens = count()
        self._pid: int | None = None

    def _ensure_thread(self) -> None:
        # gunicorn forks workers from a preloaded master: threads do not survive a fork, so start one per process.
        if self._pid != os.getpid():
            self._pid = os.getpid()
            threading.Thread(target=self._run, name="peel-db-watchdog", daemon=True).start()

    def arm(self, *, fd: int, seconds: float) -> int:
        with self._lock:
            self._ensure_thread()
            token = next(self._tokens)
            self._armed[token] = (time.monotonic() + seconds, fd)
        return token

    def disarm(self, token: int) -> None:
        with self._lock:
            self._armed.pop(token, None)

    def _run(self) -> None:
        while True:
            time.sleep(0.1)
            now = time.monotonic()
            with self._lock:
                late = [(token, fd) for token, (deadline, fd) in self._armed.items() if deadline <= now]
                for token, fd in late:
                    del self._armed[token]
                    socket_shutdown(fd)
            for _ in late:
                logger.error("database query past its deadline: connection cut", extra={"deadline_s": query_deadline_seconds()})


def socket_shutdown(fd: int) -> None:
    """Shut a socket down by descriptor, waking any thread blocked reading it (the descriptor stays open)."""
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


WATCHDOG = Watchdog()


def query_deadline_seconds() -> float:
    return float(getattr(settings, "DATABASE_QUERY_DEADLINE", 0) or 0)


def query_deadline(execute, sql, params, many, context):
    """Execute wrapper (Django's connection.execute_wrappers): the query, cut off at the deadline."""
    seconds = query_deadline_seconds()
    raw = context["connection"].connection
    fileno = getattr(raw, "fileno", None)
    if not seconds or fileno is None:
        return execute(sql, params, many, context)
    token = WATCHDOG.arm(fd=fileno(), seconds=seconds)
    try:
        return execute(sql, params, many, context)
    finally:
        WATCHDOG.disarm(token)


def query_deadline_install(sender, connection, **kwargs) -> None:
    """connection_created receiver: every PostgreSQL connection's queries get the deadline."""
    if connection.vendor == "postgresql" and query_deadline not in connection.execute_wrappers:
        connection.execute_wrappers.append(query_deadline)


# --- probes --------------------------------------------------------------------------------------


def database_ping(*, alias: str = DEFAULT_DB_ALIAS) -> None:
    """One round trip to the database (SELECT 1); raises DatabaseError if it does not answer."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


_probe_lock = threading.Lock()


def database_answers_within(*, seconds: float) -> tuple[bool, str]:
    """Whether the database answers SELECT 1 within `seconds` (connecting included), and why not.

    The probe runs in a thread of its own with its own connection, so a hung connect or query never
    holds the caller longer than `seconds`; while an earlier probe is still stuck, the answer is no at once."""
    if not _probe_lock.acquire(blocking=False):
        return False, "an earlier probe is still waiting for the database"
    outcome: dict[str, str] = {}

    def probe() -> None:
        try:
            database_ping()
        except Exception as error:  # reported to the caller, which logs it
            outcome["error"] = f"{type(error).__name__}: {error}".strip()
        finally:
            connections[DEFAULT_DB_ALIAS].close()
            _probe_lock.release()

    thread = threading.Thread(target=probe, name="peel-db-probe", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        return False, f"no answer within {seconds:g} s"
    if "error" in outcome:
        return False, outcome["error"]
    return True, ""


# --- middleware ----------------------------------------------------------------------------------


def unavailable_response() -> HttpResponse:
    response = HttpResponse(UNAVAILABLE_MESSAGE + "\n", content_type="text/plain; charset=utf-8", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """An error reaching the database becomes a 503 with a message (logged), not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error(
                "database unavailable", extra={"request": request, "error": f"{type(exception).__name__}: {exception}".strip()}
            )
            return unavailable_response()
        return None


class DatabaseGate:
    """A per-process bound on requests inside code that may touch the database."""

    def __init__(self, size: int, wait: float) -> None:
        self.size = size
        self.wait = wait
        self._semaphore = threading.BoundedSemaphore(size)
        self._last_timeout = 0.0

    def enter(self) -> bool:
        # Full, and a wait already failed a moment ago: the holders are stuck, so do not queue behind them.
        if time.monotonic() - self._last_timeout < self.wait:
            return self._semaphore.acquire(blocking=False)
        if self._semaphore.acquire(timeout=self.wait):
            return True
        self._last_timeout = time.monotonic()
        return False

    def leave(self) -> None:
        self._semaphore.release()


@functools.cache
def database_gate(size: int, wait: float) -> DatabaseGate:
    """The process's gate (one per setting, so every handler of a process shares it)."""
    return DatabaseGate(size, wait)


class DatabaseGateMiddleware:
    """Lets at most DATABASE_CONCURRENCY requests at a time past this point (GET /livez never waits);
    the others wait up to DATABASE_GATE_WAIT seconds, then get 503. A streamed download leaves the gate
    when its response is returned (its first read of the database is done by then, peel.database_guard.database_ping),
    so a response never closed cannot keep a place for ever."""

    exempt_paths = frozenset({"/livez"})

    def __init__(self, get_response):
        self.get_response = get_response
        size, wait = settings.DATABASE_CONCURRENCY, settings.DATABASE_GATE_WAIT
        self.gate = database_gate(size, wait) if size else None

    def __call__(self, request):
        if self.gate is None or request.path in self.exempt_paths:
            return self.get_response(request)
        if not self.gate.enter():
            logger.warning("database gate full: request refused", extra={"request": request, "concurrency": self.gate.size})
            return unavailable_response()
        try:
            return self.get_response(request)
        finally:
            self.gate.leave()
