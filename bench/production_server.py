"""The production server for the benchmarks: `make serve`'s steps (collectstatic, gunicorn) on a loopback port.

Used by bench/load.py and bench/page_weight.py unless they are given --base-url of a server already running.
"""

import contextlib
import ipaddress
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def loopback_base_url(url: str) -> str:
    """The URL without a trailing slash, if its host resolves only to loopback addresses; SystemExit otherwise."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        raise SystemExit(f"{url}: cannot resolve {host!r}: {error}") from error
    if not addresses or not all(ipaddress.ip_address(address.split("%")[0]).is_loopback for address in addresses):
        raise SystemExit(f"{url}: the benchmarks only send traffic to loopback addresses, and {host} is {sorted(addresses)}")
    return url.rstrip("/")


def production_environment() -> dict[str, str]:
    """`make serve`'s environment: production settings over plain HTTP on loopback, a fresh random SECRET_KEY."""
    environment = dict(os.environ)
    environment.pop("DEBUG", None)
    environment.update(PEEL_ENV="production", SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0")
    environment.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    return environment


def machine_load() -> str:
    """The 1-minute load average against the core count: other work on the machine skews every figure."""
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def database_description() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return urlsplit(url).scheme + ":" + urlsplit(url).path.lstrip("/") if url else "sqlite (DATABASE_URL unset)"


def wait_until_healthy(base_url: str, *, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {process.returncode} before answering /healthz")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise SystemExit(f"{base_url}/healthz did not answer 200 within {timeout:.0f} s")


@contextlib.contextmanager
def production_server(*, port: int, require_postgresql: bool = True) -> Iterator[str]:
    """Runs collectstatic and gunicorn (peel/gunicorn.conf.py) with production settings; yields the base URL."""
    if require_postgresql and not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database with the fixtures loaded (make db), or pass --base-url.")
    environment = production_environment()
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    log = open(BASE_DIR / "bench" / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (closed below, after the server)
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "peel/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_healthy(base_url, process=process)
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
