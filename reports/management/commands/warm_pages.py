import time
import urllib.error
import urllib.request

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management.base import BaseCommand, CommandError

from reports.caching import CACHE_ALIAS, pages_invalidated_by, pages_warm


class Command(BaseCommand):
    help = (
        "Render every core page (national per round, forces, each force and report page, compare, movers, findings) "
        "into the page cache, after a deploy. In this process when the page cache is shared (Redis); with "
        "--base-url, by requesting each page from a running server, so its workers keep them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", help="a running server, e.g. http://127.0.0.1:8000 (waits for its /healthz)")
        parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the server's /healthz")

    def handle(self, *args, base_url: str | None, wait: float, **options):
        paths = pages_invalidated_by(shared=True)
        start = time.perf_counter()
        if base_url:
            base_url = base_url.rstrip("/")
            self.healthy_wait(base_url, wait)
            failed = [path for path in paths if not self.fetched(base_url + path)]
            rendered = len(paths) - len(failed)
            for path in failed[:10]:
                self.stderr.write(f"could not warm {path}")
        else:
            if isinstance(caches[CACHE_ALIAS], LocMemCache):
                self.stdout.write(
                    "The page cache is this process's memory (LocMemCache): warming it here helps no server. "
                    "Use --base-url of the running server, or a shared cache (REDIS_URL)."
                )
                return
            rendered = pages_warm(paths=paths)
        self.stdout.write(f"{rendered} of {len(paths)} core pages rendered in {time.perf_counter() - start:.1f} s")

    def healthy_wait(self, base_url: str, wait: float) -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.fetched(f"{base_url}/healthz"):
                return
            time.sleep(0.5)
        raise CommandError(f"{base_url}/healthz did not answer within {wait:.0f} s")

    def fetched(self, url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (an address the operator gave)
                response.read()
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False
