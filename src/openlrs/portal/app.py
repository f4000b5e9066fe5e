"""The portal: a FastAPI sub-application mounted at /portal, with GOV.UK assets at /assets."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from openlrs.config import Settings
from openlrs.domain.accounts.portal_session import SessionRules
from openlrs.domain.errors import DomainError, ServiceUnavailable
from openlrs.portal.accounts.audit import router as audit_router
from openlrs.portal.accounts.routes import router as accounts_router
from openlrs.portal.accounts.sign_in import router as sign_in_router
from openlrs.portal.batches.routes import router as batches_router
from openlrs.portal.challenges.routes import router as challenges_router
from openlrs.portal.challenges.uln_challenges import router as uln_challenges_router
from openlrs.portal.diploma.routes import router as diploma_router
from openlrs.portal.learner_accounts.issue import router as activation_router
from openlrs.portal.learner_accounts.site import mount_learner_site
from openlrs.portal.learners.change_requests import router as change_requests_router
from openlrs.portal.learners.exceptions_queue import router as exceptions_router
from openlrs.portal.learners.register import router as register_router
from openlrs.portal.learners.routes import router as learners_router
from openlrs.portal.learners.verify import router as verify_router
from openlrs.portal.plr.routes import router as plr_router
from openlrs.portal.providers.routes import router as providers_router
from openlrs.portal.rendering import STATIC, render
from openlrs.portal.security import CsrfRejected, PortalSecurity, SignInRequired, check_csrf
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWorkFactory

log = logging.getLogger("openlrs.portal")

ROUTERS: tuple[APIRouter, ...] = (
    sign_in_router,
    register_router,  # before learners: /learners/register is not a ULN
    activation_router,
    learners_router,
    plr_router,
    exceptions_router,
    change_requests_router,
    accounts_router,
    audit_router,
    batches_router,
    verify_router,
    uln_challenges_router,
    challenges_router,
    providers_router,
    diploma_router,
)


async def _sign_in_required(_: Request, __: Exception) -> Response:
    return RedirectResponse("/portal/sign-in", status_code=303)


async def _csrf_rejected(request: Request, _: Exception) -> Response:
    return render(
        request,
        "error.html",
        403,
        title="This form has expired",
        body=(
            "The page you submitted has expired or did not come from this service. Go back, "
            "reload the page and try again."
        ),
    )


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return render(request, "error.html", exc.status, title=exc.title, body=exc.detail)


async def _unavailable(request: Request, exc: Exception) -> Response:
    """The database cannot be reached: say so, and when to come back (not a 'problem' page)."""
    assert isinstance(exc, ServiceUnavailable)
    log.warning("portal: database unavailable")
    response = render(
        request,
        "error.html",
        exc.status,
        title="Sorry, the service is unavailable",
        body=("You will be able to use the service again shortly. Try again in a few minutes."),
    )
    response.headers["Retry-After"] = str(exc.retry_after_seconds)
    return response


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return render(
            request,
            "error.html",
            404,
            title="Page not found",
            body=("If you typed the web address, check it is correct."),
        )
    return render(
        request, "error.html", exc.status_code, title="Sorry, there is a problem", body=""
    )


async def _bad_path(request: Request, _: Exception) -> Response:
    """A malformed id or UKPRN in a path or query: the page does not exist."""
    return render(request, "error.html", 404, title="Page not found", body="")


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("portal error: %s", type(exc).__name__)
    return render(
        request,
        "error.html",
        500,
        title="Sorry, there is a problem with the service",
        body="Nothing was changed. Try again later.",
    )


def create_portal(settings: Settings, uow_factory: UnitOfWorkFactory) -> FastAPI:
    portal = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    portal.state.settings = settings
    portal.state.uow_factory = uow_factory
    portal.state.policy = RegisterPolicy(min_age=settings.min_age, max_age=settings.max_age)
    portal.state.rules = SessionRules(
        idle_minutes=settings.portal_session_idle_minutes,
        absolute_hours=settings.portal_session_hours,
        max_failed_attempts=settings.portal_max_failed_sign_ins,
        lockout_minutes=settings.portal_lockout_minutes,
    )
    portal.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    for router in ROUTERS:
        portal.include_router(router, dependencies=[Depends(check_csrf)])
    portal.add_exception_handler(SignInRequired, _sign_in_required)
    portal.add_exception_handler(CsrfRejected, _csrf_rejected)
    portal.add_exception_handler(DomainError, _domain_error)
    portal.add_exception_handler(ServiceUnavailable, _unavailable)
    portal.add_exception_handler(StarletteHTTPException, _http_error)
    portal.add_exception_handler(RequestValidationError, _bad_path)
    portal.add_exception_handler(Exception, _unexpected)
    portal.add_middleware(PortalSecurity)
    return portal


def mount_portal(app: FastAPI, settings: Settings, uow_factory: UnitOfWorkFactory) -> FastAPI:
    """Add the portal and its assets to the API app; `/api/...` is untouched."""
    app.mount("/assets", StaticFiles(directory=STATIC / "assets", check_dir=False), name="assets")
    app.mount("/portal", create_portal(settings, uow_factory), name="portal")
    mount_learner_site(app, settings, uow_factory)  # /learner/, /check-a-record, /privacy
    app.add_api_route(
        "/", lambda: RedirectResponse("/portal/", status_code=307), include_in_schema=False
    )
    return app
