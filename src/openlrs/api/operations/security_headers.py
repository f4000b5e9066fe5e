"""Security headers on every response of the app: the API, its docs and the portal alike.

The content security policy allows no inline script anywhere. FastAPI's interactive docs page is
the one page with inline script; it gets a policy naming that exact script by hash (and the CDN
its assets come from) rather than 'unsafe-inline'. HSTS is sent only over TLS: when the request
came in over https (directly or, with proxy headers trusted, through a proxy) or when settings
say the service is always behind TLS.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)
DOCS_ASSETS = "https://cdn.jsdelivr.net"
HSTS = b"max-age=31536000; includeSubDomains"
_STATIC = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # our URLs carry ULNs: never send them on
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def docs_policy(html: bytes) -> str:
    """A policy for a docs page: its own inline scripts by hash, its assets from the CDN."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {DOCS_ASSETS} {hashes}; "
        f"style-src 'self' {DOCS_ASSETS}; img-src 'self' data: https://fastapi.tiangolo.com; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, always_tls: bool, docs_paths: Iterable[str]) -> None:
        self.app = app
        self.always_tls = always_tls
        self.docs_paths = frozenset(docs_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(_STATIC)
        if self.always_tls or scope.get("scheme") == "https":
            extra.append((b"strict-transport-security", HSTS))
        if scope["path"] in self.docs_paths:
            await self.app(scope, receive, _DocsPage(send, extra))
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = _with(message, [*extra, (b"content-security-policy", CSP.encode())])
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with(message: Message, extra: list[tuple[bytes, bytes]]) -> Message:
    """The start message with `extra` headers, keeping any the app set itself."""
    headers = list(message.get("headers", ()))
    present = {name.lower() for name, _ in headers}
    headers += [(name, value) for name, value in extra if name not in present]
    return {**message, "headers": headers}


class _DocsPage:
    """Holds a docs page's start message until its body is known, to hash its inline scripts."""

    def __init__(self, send: Send, extra: list[tuple[bytes, bytes]]) -> None:
        self.send = send
        self.extra = extra
        self.start: Message | None = None
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.body += message.get("body", b"")
        if message.get("more_body", False):
            return
        policy = docs_policy(self.body).encode()
        await self.send(_with(self.start, [*self.extra, (b"content-security-policy", policy)]))
        await self.send({"type": "http.response.body", "body": self.body})
