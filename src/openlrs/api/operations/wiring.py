"""Wires what running it for real needs into the API app: logs, metrics, rate limits, security
headers and readiness through shutdown (docs/operations.md). `create_api` calls `install`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from openlrs.api.operations import metrics as routes_metrics
from openlrs.api.operations.lifecycle import Readiness, drain_on_sigterm
from openlrs.api.operations.rate_limits import RateLimit, TokenBuckets
from openlrs.api.operations.request_context import RequestContext
from openlrs.api.operations.security_headers import SecurityHeaders
from openlrs.api.operations.server_errors import ServerErrors
from openlrs.config import Settings
from openlrs.observability import metrics
from openlrs.observability.logs import configure_logging
from openlrs.services.batches import jobs as batch_jobs


def install(app: FastAPI, settings: Settings) -> None:
    """Add the operational middleware (after the app's own) and `/metrics`.

    Outermost first: request id, metrics and access log see every response, 429s included;
    security headers go on every response; then the rate limit; then unexpected errors become
    a 500 problem (inside these layers, so it carries their headers); then the app."""
    configure_logging(settings.log_level)
    metrics.subscribe_to_services()
    app.state.readiness = Readiness()
    factory = app.state.uow_factory
    app.state.queue_probe = lambda: batch_jobs.queue_depth(uow=factory())
    for name in ("engine", "autocommit_engine"):
        engine = getattr(factory, name, None)
        if engine is not None:
            metrics.watch_pool(engine, "main" if name == "engine" else "autocommit")
    app.include_router(routes_metrics.router)
    app.add_middleware(ServerErrors)
    app.add_middleware(
        RateLimit,
        signing_key=lambda: settings.signing_key,
        per_client=_buckets(settings.rate_limit_per_client, settings.rate_limit_client_burst),
        per_ip=_buckets(settings.rate_limit_per_ip, settings.rate_limit_ip_burst),
    )
    docs = [p for p in (app.docs_url, app.swagger_ui_oauth2_redirect_url) if p]
    app.add_middleware(SecurityHeaders, always_tls=settings.behind_tls, docs_paths=docs)
    app.add_middleware(RequestContext, log_requests=settings.access_log)


def _buckets(rate: float, burst: int) -> TokenBuckets | None:
    return TokenBuckets(rate, burst) if rate > 0 else None


@asynccontextmanager
async def lifespan(app: FastAPI, settings: Settings) -> AsyncIterator[None]:
    """Drain on SIGTERM while running; unready and out of the live metrics once stopping."""
    readiness: Readiness = app.state.readiness
    drain_on_sigterm(readiness, settings.shutdown_drain_seconds)
    try:
        yield
    finally:
        readiness.begin_draining()
        metrics.process_exited()
