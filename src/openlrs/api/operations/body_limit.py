"""Pure ASGI middleware refusing request bodies over the size limit with a 413 problem."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from openlrs.api.problems import problem

TITLE = "The request body is too large"


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; the app's handler turns it into a 413 problem."""

    def __init__(self) -> None:
        super().__init__(413, TITLE)


class BodySizeLimit:
    """`max_bytes` for every request, except paths under a prefix in `larger` (file uploads)."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger or {}

    def _limit(self, path: str) -> int:
        for prefix, limit in self.larger.items():
            if path == prefix or path.startswith(prefix + "/"):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope.get("path", ""))
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > max_bytes:
                # The same problem the app's handler makes of BodyTooLarge.
                await problem(413, "REQUEST_TOO_LARGE", TITLE)(scope, receive, send)
                return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:
                    raise BodyTooLarge()
            return message

        await self.app(scope, limited_receive, send)
