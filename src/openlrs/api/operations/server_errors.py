"""Unexpected errors answered inside the operational middleware, not outside it.

Starlette answers an exception that nothing handled in its outermost layer, outside every
middleware we add, so that 500 would leave without the security headers and the request id. This
layer, just inside them, sends the same problem first; the exception then carries on up as before,
so the app's handler logs it (by type only) and the server still sees it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from openlrs.api.problems import internal_error


class ServerErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            if not started:
                await internal_error()(scope, receive, send)
            raise
