"""The FastAPI application for the REST API."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI

from openlrs.api import openapi_document, problems
from openlrs.api.accounts import routes as routes_admin
from openlrs.api.accounts import token as routes_auth
from openlrs.api.batches import routes as routes_batches
from openlrs.api.desk import routes as routes_desk
from openlrs.api.diploma import routes as routes_diploma
from openlrs.api.learner_plans import routes as routes_learner_plans
from openlrs.api.learners import change_requests as routes_change_requests
from openlrs.api.learners import current as routes_current_learners
from openlrs.api.learners import exceptions_queue as routes_exceptions
from openlrs.api.learners import routes as routes_learners
from openlrs.api.matching import routes as routes_duplicates
from openlrs.api.notices import routes as routes_notices
from openlrs.api.notices.deprecation_headers import DeprecationHeaders
from openlrs.api.notices.read_only import ReadOnlyGuard
from openlrs.api.notifications import routes as routes_notifications
from openlrs.api.operations import health as routes_health
from openlrs.api.operations import wiring as operations
from openlrs.api.operations.body_limit import BodySizeLimit
from openlrs.api.plr import challenges as routes_challenges
from openlrs.api.plr import qualifications as routes_qualifications
from openlrs.api.plr import routes as routes_plr
from openlrs.api.providers import routes as routes_providers
from openlrs.api.uln import routes as routes_uln
from openlrs.config import Settings
from openlrs.domain.desk.service_hours import ServiceHours, service_hours
from openlrs.services.notices.maintenance import NoticeBoard
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWorkFactory
from openlrs.soap import endpoint as soap

DESCRIPTION = """The openlrs Learning Records Service API: Unique Learner Numbers and learner details.

Authenticate with OAuth2 client credentials at `POST /api/v1/oauth/token`, then send
`Authorization: Bearer <token>`. Errors are RFC 9457 problem+json with a stable `code`."""


def _lifespan_for(settings: Settings) -> Any:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Few threads contend less for the GIL than anyio's default 40; each still overlaps
        # database round trips (docs/decisions/0004-hot-path.md).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        threads = [threading.Thread(target=job.run, daemon=True) for job in app.state.background]
        for thread in threads:
            thread.start()
        # What is alive now (modules, routes, the app) lives as long as the process: move it out
        # of the collector's sight, so full collections walk only what requests leave behind
        # and stay short (a long pause lands on whichever requests are in flight).
        gc.collect()
        gc.freeze()
        # A young collection every 700 allocations walks a request's live objects again and
        # again (a search makes ~10,000); at 20,000 most are gone before it runs. About 2%
        # fewer instructions a request (decision 0004).
        threshold = gc.get_threshold()
        gc.set_threshold(20_000)
        try:
            async with operations.lifespan(app, settings):
                yield
        finally:
            gc.set_threshold(*threshold)
            for job in app.state.background:
                job.stop()  # hands claimed work back to the queue
            for thread in threads:
                await anyio.to_thread.run_sync(thread.join, 30)

    return lifespan


def service_clock(settings: Settings) -> ServiceHours:
    """The service desk's clock as the settings describe it."""
    return service_hours(
        days=settings.service_days,
        opens=settings.service_opens,
        closes=settings.service_closes,
        holidays=settings.bank_holidays,
    )


def create_api(settings: Settings, uow_factory: UnitOfWorkFactory) -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan_for(settings),
        title="openlrs",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.uow_factory = uow_factory
    app.state.background = []  # jobs run beside the app, e.g. the embedded batch worker
    app.state.policy = RegisterPolicy(min_age=settings.min_age, max_age=settings.max_age)
    app.state.service_hours = service_clock(settings)
    app.state.notice_board = NoticeBoard(uow_factory, read_only_setting=settings.read_only)
    problems.install(app)
    openapi_document.install(app)
    # Tried before every other route: the load mix's endpoints, served without FastAPI's
    # request handling (api/hot_route.py). Their FastAPI routes below document them.
    app.router.routes[:0] = [*routes_learners.hot_routes, *routes_plr.hot_routes]
    for router in (
        # First: the routes the load falls on are matched soonest, should a request for them
        # come here (each router before them costs a match attempt per route on every request).
        routes_learners.router,
        routes_plr.router,
        routes_health.router,
        routes_auth.router,
        routes_exceptions.router,
        routes_change_requests.router,
        routes_current_learners.router,
        routes_admin.router,
        routes_batches.router,
        routes_batches.settings_router,
        routes_duplicates.router,
        routes_providers.router,
        routes_diploma.router,
        routes_qualifications.router,
        routes_challenges.router,
        routes_uln.router,
        routes_desk.router,
        routes_notices.router,
        routes_notifications.router,
        routes_learner_plans.router,
    ):
        app.include_router(router)
    app.add_middleware(DeprecationHeaders)
    app.add_middleware(ReadOnlyGuard)  # before the body is read: a refused upload is not read
    # The LRS-compatible SOAP services (docs/web-services.md): after every REST route.
    app.router.routes.extend(soap.routes(settings))
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        larger={
            "/api/v1/batches": settings.batch_max_bytes + 64 * 1024,
            "/portal/batches/new": settings.batch_max_bytes + 64 * 1024,
            "/portal/check-a-file": settings.batch_max_bytes + 64 * 1024,
            "/portal/qualification-register": 5 * 1024 * 1024 + 64 * 1024,
            # Up to 5,000 results at once, each naming its account by a 22-character reference.
            "/api/v1/diploma/results": max(settings.max_body_bytes, 4 * 1024 * 1024),
            # A SOAP batch of learners as one message.
            "/LearnerService.svc": settings.batch_max_bytes + 64 * 1024,
        },
    )
    operations.install(app, settings)  # logs, metrics, rate limits, security headers, readiness
    return app
