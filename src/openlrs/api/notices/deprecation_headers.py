"""`Deprecation` (RFC 9745) and `Sunset` (RFC 8594) headers on the answers of deprecated
operations, from the registry in domain/notices/deprecations.py, with a link to the changes page."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from email.utils import formatdate

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from openlrs.domain.notices.deprecations import DEPRECATIONS, Deprecation

CHANGES_PAGE = "/portal/changes"


def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def _midnight(day: dt.date) -> int:
    return calendar.timegm(day.timetuple())


def deprecation_headers(deprecation: Deprecation) -> list[tuple[bytes, bytes]]:
    return [
        (b"deprecation", f"@{_midnight(deprecation.deprecated_on)}".encode()),
        (b"sunset", formatdate(_midnight(deprecation.sunset_on), usegmt=True).encode()),
        (b"link", f'<{CHANGES_PAGE}>; rel="deprecation"; type="text/html"'.encode()),
    ]


class DeprecationHeaders:
    def __init__(self, app: ASGIApp, deprecations: Iterable[Deprecation] = DEPRECATIONS) -> None:
        self.app = app
        self.known = [(d.method, _pattern(d.path), deprecation_headers(d)) for d in deprecations]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = next(
            (
                h
                for method, pattern, h in self.known
                if method == scope["method"] and pattern.fullmatch(scope["path"])
            ),
            None,
        )
        if headers is None:
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
