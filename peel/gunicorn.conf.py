"""gunicorn settings for production: `gunicorn -c peel/gunicorn.conf.py` (README "Production").

Threaded workers, so a long CSV export streams to the end instead of being cut by the worker
timeout (STACK-NOTES); gunicorn's own log lines are JSON on stderr like Django's.
"""

import os
import subprocess
import sys
from pathlib import Path

from gunicorn.glogging import Logger

from peel.logging import JsonFormatter

wsgi_app = "peel.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Eight threads per worker: peel/database_guard.py lets seven into database code at a time (DATABASE_CONCURRENCY),
# so one is always free for /livez and static files, even when every database call hangs.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# With gthread, `timeout` is how long the worker's main loop may go silent before the master kills it; it
# does not limit a request, so a CSV export streams to its end however long it takes (a sync worker's
# timeout would cut it, with status 200). Requests are bounded by the database timeouts (settings.py) instead.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Load Django once in the master; workers fork with it (pandas and plotly stay lazy, imported on first use).
preload_app = True
# Access lines only when asked for (`--access-logfile -`): a reverse proxy usually logs requests already.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# No runtime control socket: several servers on one machine would fight over its fixed path.
control_socket_disable = True


class JsonLogger(Logger):
    """gunicorn's logger with every handler writing one JSON object per line."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())


logger_class = JsonLogger


def when_ready(server):
    """Before the workers fork: import pandas once in the master, so no worker pays ~0.3 s for it on its first page;
    with WARM_PAGES=1 (`make serve` sets it), request every core page once the workers answer (manage.py warm_pages)."""
    import pandas  # noqa: F401

    address = server.cfg.bind[0] if server.cfg.bind else bind
    if os.environ.get("WARM_PAGES") == "1" and not address.startswith(("unix:", "fd:")):
        manage = Path(__file__).resolve().parent.parent / "manage.py"
        subprocess.Popen([sys.executable, str(manage), "warm_pages", "--base-url", f"http://{address}"])
