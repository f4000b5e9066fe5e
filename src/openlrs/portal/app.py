"""The portal: a FastAPI sub-application mounted at /portal, with GOV.UK assets at /assets."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse, Response

from openlrs.config import Settings
from openlrs.domain.accounts.portal_session import SessionRules
from openlrs.domain.desk.service_hours import service_hours
from openlrs.domain.errors import LearnerNotVerified
from openlrs.portal.about.routes import router as about_router
from openlrs.portal.accounts.audit import router as audit_router
from openlrs.portal.accounts.passwords import router as passwords_router
from openlrs.portal.accounts.routes import router as accounts_router
from openlrs.portal.accounts.sign_in import router as sign_in_router
from openlrs.portal.accounts.users import router as users_router
from openlrs.portal.accounts.web_services import router as web_services_router
from openlrs.portal.batches.check_file import router as check_file_router
from openlrs.portal.batches.routes import router as batches_router
from openlrs.portal.challenges.routes import router as challenges_router
from openlrs.portal.challenges.uln_challenges import router as uln_challenges_router
from openlrs.portal.desk.routes import router as desk_router
from openlrs.portal.diploma.routes import router as diploma_router
from openlrs.portal.error_pages import install_error_pages
from openlrs.portal.learner_accounts.issue import router as activation_router
from openlrs.portal.learner_accounts.site import mount_learner_site
from openlrs.portal.learner_plans.routes import router as learner_plans_router
from openlrs.portal.learners.change_requests import router as change_requests_router
from openlrs.portal.learners.current import router as current_learners_router
from openlrs.portal.learners.exceptions_queue import router as exceptions_router
from openlrs.portal.learners.known import confirm_page, recalled
from openlrs.portal.learners.register import router as register_router
from openlrs.portal.learners.routes import router as learners_router
from openlrs.portal.learners.this_is_the_learner import router as this_is_the_learner_router
from openlrs.portal.learners.verify import router as verify_router
from openlrs.portal.notices.read_only import refuse_writes_when_read_only
from openlrs.portal.notices.routes import desk_router as maintenance_router
from openlrs.portal.notices.routes import router as notices_router
from openlrs.portal.organisation_names import OrganisationNames
from openlrs.portal.plr.awarding import router as awarding_router
from openlrs.portal.plr.change_event import router as change_event_router
from openlrs.portal.plr.participation import router as participation_router
from openlrs.portal.plr.record_achievement import router as record_achievement_router
from openlrs.portal.plr.register_upload import router as register_upload_router
from openlrs.portal.plr.routes import router as plr_router
from openlrs.portal.plr.sharing import router as sharing_router
from openlrs.portal.providers.apply import router as provider_apply_router
from openlrs.portal.providers.own_record import router as own_provider_router
from openlrs.portal.providers.routes import router as providers_router
from openlrs.portal.providers.verification import router as provider_verification_router
from openlrs.portal.rendering import HERE, STATIC, render
from openlrs.portal.security import (
    NewPasswordRequired,
    PortalSecurity,
    SignInRequired,
    check_csrf,
)
from openlrs.portal.uln.merge import router as merge_router
from openlrs.services.notices.maintenance import NoticeBoard
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWorkFactory

ROUTERS: tuple[APIRouter, ...] = (
    sign_in_router,
    about_router,
    register_router,  # before learners: /learners/register is not a ULN
    this_is_the_learner_router,  # nor /learners/this-is-the-learner
    learner_plans_router,  # before learners: /learners/{uln}/plan
    sharing_router,
    participation_router,
    merge_router,
    current_learners_router,  # nor /learners/current
    activation_router,
    learners_router,
    plr_router,
    exceptions_router,
    change_requests_router,
    accounts_router,
    users_router,
    passwords_router,
    web_services_router,
    audit_router,
    batches_router,
    check_file_router,
    verify_router,
    uln_challenges_router,
    challenges_router,
    provider_apply_router,  # before providers: /providers/apply is not a UKPRN
    providers_router,
    provider_verification_router,
    own_provider_router,
    diploma_router,
    desk_router,
    notices_router,
    awarding_router,
    register_upload_router,
    record_achievement_router,
    change_event_router,  # after plr: its /events/{id}/{action} is the catch-all
)
STILL_OPEN_WHEN_READ_ONLY: tuple[APIRouter, ...] = (sign_in_router, maintenance_router)
"""Signing in and out, and the desk's maintenance page (so the desk can end it)."""


async def _sign_in_required(request: Request, _: Exception) -> Response:
    """To the sign-in page, which returns to the page asked for (a GET's own path only)."""
    target = "/portal/sign-in"
    if request.method == "GET" and request.url.path not in ("/portal/", "/portal/sign-out"):
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target += "?" + urlencode({"next": wanted})
    return RedirectResponse(target, status_code=303)


async def _new_password_required(_: Request, __: Exception) -> Response:
    return RedirectResponse("/portal/sign-in/new-password", status_code=303)


async def _names_needed(request: Request, exc: Exception) -> Response:
    """A page of a learner's record opened before this session named the learner (issue 22): the
    form asking for their names, which then opens the record (not a refusal page)."""
    uln = str(request.path_params.get("uln", ""))
    if not uln or request.method != "GET":  # a form sent without the names: refused, unchanged
        assert isinstance(exc, LearnerNotVerified)
        return render(request, "error.html", exc.status, title=exc.title, body=exc.detail)
    return confirm_page(request, uln, "record", wrong=recalled(request, uln) is not None)


def create_portal(
    settings: Settings, uow_factory: UnitOfWorkFactory, notice_board: NoticeBoard | None = None
) -> FastAPI:
    portal = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    portal.state.settings = settings
    portal.state.uow_factory = uow_factory
    portal.state.organisation_names = OrganisationNames(uow_factory)
    portal.state.policy = RegisterPolicy(min_age=settings.min_age, max_age=settings.max_age)
    portal.state.rules = SessionRules(
        idle_minutes=settings.portal_session_idle_minutes,
        absolute_hours=settings.portal_session_hours,
        max_failed_attempts=settings.portal_max_failed_sign_ins,
        lockout_minutes=settings.portal_lockout_minutes,
    )
    portal.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    portal.mount("/brand", StaticFiles(directory=HERE / "brand"), name="brand")
    portal.state.service_hours = service_hours(
        days=settings.service_days,
        opens=settings.service_opens,
        closes=settings.service_closes,
        holidays=settings.bank_holidays,
    )
    portal.state.notice_board = notice_board or NoticeBoard(
        uow_factory, read_only_setting=settings.read_only
    )
    for router in ROUTERS:
        checks = [Depends(check_csrf)]
        if router not in STILL_OPEN_WHEN_READ_ONLY:
            checks.append(Depends(refuse_writes_when_read_only))
        portal.include_router(router, dependencies=checks)
    portal.include_router(maintenance_router, dependencies=[Depends(check_csrf)])
    install_error_pages(
        portal,
        "error.html",
        {
            SignInRequired: _sign_in_required,
            NewPasswordRequired: _new_password_required,
            LearnerNotVerified: _names_needed,
        },
    )
    portal.add_middleware(PortalSecurity)
    return portal


def mount_portal(app: FastAPI, settings: Settings, uow_factory: UnitOfWorkFactory) -> FastAPI:
    """Add the portal and its assets to the API app; `/api/...` is untouched."""
    app.mount("/assets", StaticFiles(directory=STATIC / "assets", check_dir=False), name="assets")
    board = getattr(app.state, "notice_board", None)  # one per app: the API's
    app.mount("/portal", create_portal(settings, uow_factory, board), name="portal")
    mount_learner_site(app, settings, uow_factory)  # /learner/, /check-a-record, /privacy
    app.add_api_route(
        "/", lambda: RedirectResponse("/portal/", status_code=307), include_in_schema=False
    )
    return app
