"""The learners' site: /learner/ (their own pages), /check-a-record and /privacy (public).

A sub-application like the portal, with the portal's security middleware (CSP nonce, CSRF token,
protective headers) and templates, but its own session cookie and sign-in. It is mounted on the
API app by `PathsMount`, which hands it requests for its paths whole (no prefix stripped), so
its routes are declared with the paths the browser sees.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from openlrs.config import Settings
from openlrs.domain.accounts.portal_session import SessionRules
from openlrs.portal.error_pages import install_error_pages
from openlrs.portal.learner_accounts.pages import router as pages_router
from openlrs.portal.learner_accounts.public import router as public_router
from openlrs.portal.learner_accounts.record_pages import router as record_router
from openlrs.portal.learner_accounts.security import LearnerSignInRequired
from openlrs.portal.notices.read_only import refuse_writes_except
from openlrs.portal.security import PortalSecurity, check_csrf
from openlrs.services.notices.maintenance import NoticeBoard
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWorkFactory

PREFIXES = ("/learner", "/check-a-record", "/privacy")
STILL_OPEN_WHEN_READ_ONLY = (
    "/learner/sign-in",
    "/learner/security-code",
    "/check-a-record",  # checking a share code reads a record (the view is recorded, as a read)
)
"""While the service is read-only, learners still sign in and share codes still work; changes
(activating an account, two-factor set-up, sharing choice, share codes, reporting a mistake) are
refused with a 503 page."""


class PathsMount(BaseRoute):
    """Hands every request whose path is one of `prefixes` (or below it) to `app`, path whole."""

    def __init__(self, prefixes: tuple[str, ...], app: ASGIApp) -> None:
        self.prefixes = prefixes
        self.app = app

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http":
            path: str = scope["path"]
            if any(path == p or path.startswith(p + "/") for p in self.prefixes):
                return Match.FULL, {}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


async def _sign_in(_: Request, __: Exception) -> Response:
    return RedirectResponse("/learner/sign-in", status_code=303)


def create_learner_site(
    settings: Settings, uow_factory: UnitOfWorkFactory, notice_board: NoticeBoard | None = None
) -> FastAPI:
    site = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    site.state.notice_board = notice_board or NoticeBoard(
        uow_factory, read_only_setting=settings.read_only
    )
    site.state.settings = settings
    site.state.uow_factory = uow_factory
    site.state.policy = RegisterPolicy(min_age=settings.min_age, max_age=settings.max_age)
    site.state.rules = SessionRules(
        idle_minutes=settings.portal_session_idle_minutes,
        absolute_hours=settings.portal_session_hours,
        max_failed_attempts=settings.portal_max_failed_sign_ins,
        lockout_minutes=settings.portal_lockout_minutes,
    )
    for router in (pages_router, record_router, public_router):
        site.include_router(
            router,
            dependencies=[
                Depends(check_csrf),
                Depends(refuse_writes_except(*STILL_OPEN_WHEN_READ_ONLY)),
            ],
        )
    install_error_pages(site, "learner_accounts/message.html", {LearnerSignInRequired: _sign_in})
    site.add_middleware(PortalSecurity)
    return site


def mount_learner_site(app: FastAPI, settings: Settings, uow_factory: UnitOfWorkFactory) -> None:
    board = getattr(app.state, "notice_board", None)  # one per app: the API's
    site = create_learner_site(settings, uow_factory, board)
    app.router.routes.append(PathsMount(PREFIXES, site))
