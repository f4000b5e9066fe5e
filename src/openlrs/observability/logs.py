"""Structured JSON logs with the request id carried in a context variable.

Everything logged while a request (or a batch job started by one) is being handled carries its
`request_id`, whether logged through structlog or the standard library. Learner personal data is
never logged: log ULNs, codes and counts, never names, dates of birth or postcodes. SQLAlchemy's
statement logging (which would print parameters) is held at WARNING whatever the level.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import orjson
import structlog
from structlog.contextvars import bind_contextvars, reset_contextvars

REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
_QUIET = ("sqlalchemy", "alembic", "psycopg", "multipart", "httpx", "httpcore")

_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def _dumps(event: Any, **_: Any) -> str:
    return orjson.dumps(event, default=str).decode()


def json_formatter() -> logging.Formatter:
    """Renders structlog events and plain `logging` records alike as one JSON object a line."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(serializer=_dumps),
        ],
    )


class _OurHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler we install, so configuring again replaces it instead of adding one."""


_installed: list[_OurHandler] = []  # the handler `configure_logging` installed last, if any


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """JSON lines on stderr at `level` for the whole process; safe to call more than once."""
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(handler)
    handler = _OurHandler(stream or sys.stderr)
    handler.setFormatter(json_formatter())
    root.addHandler(handler)
    _installed[:] = [handler]
    root.setLevel(level.upper())
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))


def request_id_from(header: str | None) -> str:
    """The caller's request id if well formed (8–64 of A-Z a-z 0-9 . _ : -), else a new one."""
    if header and _WELL_FORMED.fullmatch(header):
        return header
    return uuid.uuid4().hex


@contextmanager
def bound_request_id(request_id: str | None) -> Iterator[str | None]:
    """Bind `request_id` to everything logged inside the block (a request, or a batch job that
    stored the id of the request that submitted it); None binds nothing."""
    if request_id is None:
        yield None
        return
    tokens = bind_contextvars(request_id=request_id)
    try:
        yield request_id
    finally:
        reset_contextvars(**tokens)


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)


def log_access(**fields: Any) -> None:
    """One access line: the JSON structlog would write for `openlrs.access`, rendered straight to
    our handler. The stdlib route builds and copies a LogRecord for it, a tenth of a millisecond
    on every request; other handlers (and an unconfigured process) still go that way."""
    logger = logging.getLogger("openlrs.access")
    if not logger.isEnabledFor(logging.INFO):
        return
    handlers = logging.getLogger().handlers
    if len(handlers) != 1 or not _installed or handlers[0] is not _installed[0] or logger.handlers:
        get_logger("openlrs.access").info("request", **fields)
        return
    handler = _installed[0]
    line = {
        **fields,
        "event": "request",
        **structlog.contextvars.get_contextvars(),
        "level": "info",
        "logger": "openlrs.access",
        "timestamp": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
    }
    text = orjson.dumps(line, default=str).decode() + "\n"
    with handler.lock or contextlib.nullcontext():
        try:
            handler.stream.write(text)
            handler.flush()
        except (OSError, ValueError):  # a closed or broken stream: as `logging` does, carry on
            pass
