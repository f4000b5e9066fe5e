"""Read-only mode: while maintenance runs read-only (or the setting is on), every API write is
answered 503 with Retry-After, from the problem table; reads carry on. Signing in (the token
endpoint) still works, and so do the desk's maintenance endpoints, so the desk can end it."""

from __future__ import annotations

import datetime as dt

from starlette.types import ASGIApp, Receive, Scope, Send

from openlrs.api.problems import problem
from openlrs.domain.notices.maintenance import ServiceReadOnly
from openlrs.services.notices.maintenance import NoticeBoard

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
STILL_OPEN = ("/api/v1/oauth/token", "/api/v1/notices/maintenance")


def refused_write(method: str, path: str) -> bool:
    """Whether an API request is a write read-only mode refuses."""
    if method not in WRITES or not path.startswith("/api/"):
        return False
    return not any(path == p or path.startswith(p + "/") for p in STILL_OPEN)


class ReadOnlyGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not refused_write(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        board: NoticeBoard = scope["app"].state.notice_board
        notices = board.current()
        if not notices.read_only:
            await self.app(scope, receive, send)
            return
        retry_after = notices.retry_after(board.now())
        until = notices.read_only_until
        detail = (
            f"The service is read-only for maintenance until {until:%H:%M} UTC on {until:%d %B %Y}."
            if until is not None
            else "The service is read-only for maintenance."
        ) + " Reads and lookups work as usual; send this again after it ends."
        response = problem(
            ServiceReadOnly.status,
            ServiceReadOnly.code,
            ServiceReadOnly.title,
            detail,
            headers={"Retry-After": str(retry_after)},
            read_only_until=until.astimezone(dt.UTC).isoformat() if until else None,
        )
        await response(scope, receive, send)
