"""Everything the app writes on stderr is JSON, even tracebacks Python prints as a last resort."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def test_a_librarys_unraisable_and_thread_tracebacks_are_logged_as_json():
    # openpyxl's write-only sheet, failing mid-row, leaves a generator whose finaliser raises ("Exception ignored in").
    code = """
import django, gc, io, threading
django.setup()
from openpyxl import Workbook
workbook = Workbook(write_only=True)
sheet = workbook.create_sheet("x")
sheet.append(["ok"])
about = workbook.create_sheet("About")
try:
    about.append(["a\\x01b"])
except Exception:
    pass
del workbook, sheet, about
gc.collect()
thread = threading.Thread(target=lambda: 1 / 0, name="doomed")
thread.start()
thread.join()
"""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "peel.settings", "PEEL_ENV": "development"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]  # fails on any line that is not JSON
    messages = [(line["logger"], line["message"].split(":")[0]) for line in lines]
    assert ("peel.unhandled", "Exception ignored in") in messages
    assert ("peel.unhandled", "exception in thread doomed") in messages
    assert all("exception" in line for line in lines)
