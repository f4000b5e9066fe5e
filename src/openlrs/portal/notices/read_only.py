"""Read-only mode in the portal: a form sent during read-only maintenance gets a page saying so
(503 with Retry-After); pages keep working. Signing in and out, and the desk's maintenance page
(so the desk can end it), are left open."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.responses import Response

from openlrs.domain.notices.maintenance import ServiceReadOnly
from openlrs.portal.rendering import render
from openlrs.services.notices.maintenance import NoticeBoard


async def refuse_writes_when_read_only(request: Request) -> None:
    """For the routers' dependencies: every POST while the service is read-only is refused."""
    if request.method != "POST":
        return
    board: NoticeBoard = request.app.state.notice_board
    if board.current().read_only:
        raise ServiceReadOnly()


def refuse_writes_except(*still_open: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency for a site whose routers mix doors that must stay open (signing in) with writes:
    every POST to a path not in `still_open` is refused while the service is read-only."""

    async def refuse(request: Request) -> None:
        if request.url.path not in still_open:
            await refuse_writes_when_read_only(request)

    return refuse


def read_only_page(request: Request, template: str) -> Response:
    """The 503 page (in the site's layout, `template`) for a form sent while read-only."""
    board: NoticeBoard = request.app.state.notice_board
    notices = board.current()
    until = notices.read_only_until
    body = "The service is read-only while we carry out maintenance. You can still look things up"
    body += (
        f", and make changes again after {until:%H:%M} UTC on {until:%-d %B %Y}."
        if until is not None
        else ", and make changes again once it is over."
    )
    response = render(
        request, template, 503, title="Sorry, you cannot make changes right now", body=body
    )
    response.headers["Retry-After"] = str(notices.retry_after(board.now()))
    return response
