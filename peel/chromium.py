"""The headless Chromium that the browser tests and bench/page_weight.py drive: Debian's, no browser download."""

import os
import shutil

CHROMIUM = os.environ.get("PEEL_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
