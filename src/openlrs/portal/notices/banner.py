"""The maintenance banner every portal page shows from 14 days before a window until it ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request

from openlrs.domain.desk.service_hours import UK


def when(moment: dt.datetime) -> str:
    """A moment as people in the UK read it: 'Monday 7 December 2026 at 9:00pm'."""
    local = moment.astimezone(UK)
    return f"{local:%A %-d %B %Y} at {local:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")


def maintenance_banner(request: Request) -> dict[str, Any] | None:
    """What the banner says now, or None (no window announced, or no notice board)."""
    board = getattr(request.app.state, "notice_board", None)
    if board is None:
        return None
    notices = board.current()
    window = notices.announced
    if window is None:
        return None
    running = window.is_running(board.now())
    return {
        "running": running,
        "read_only": window.read_only,
        "starts": when(window.starts_at),
        "ends": when(window.ends_at),
        "message": window.message,
    }
