"""Structured logs: one JSON object per line, for log collectors that parse stderr."""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """Formats a record as JSON: time, level, logger, message, the request's method and path, and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = request.get_full_path()
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and name not in entry and name != "request":
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


_hook_logger = logging.getLogger("peel.unhandled")


def unraisable_log(unraisable) -> None:
    """sys.unraisablehook: an exception Python could not raise (one in a finaliser, such as a library's
    generator closed after an error) is logged as JSON rather than printed raw on stderr."""
    exc_info = (unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback)
    message = unraisable.err_msg or "Exception ignored in"
    _hook_logger.error("%s: %r", message, unraisable.object, exc_info=exc_info if unraisable.exc_type else None)


def thread_exception_log(args) -> None:
    """threading.excepthook: an exception that ends a thread is logged as JSON rather than printed raw."""
    if args.exc_type is SystemExit:
        return
    thread_name = args.thread.name if args.thread else "?"
    _hook_logger.error("exception in thread %s", thread_name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


def stderr_hooks_install() -> None:
    """Route Python's own last-resort tracebacks (unraisable exceptions, thread deaths) through logging."""
    import sys
    import threading

    sys.unraisablehook = unraisable_log
    threading.excepthook = thread_exception_log
