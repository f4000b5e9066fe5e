"""The composition root: builds the engine, unit-of-work factory and app from Settings."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI

from openlrs.api.app import create_api
from openlrs.batch.reader import BatchLimits
from openlrs.batch.worker import BatchWorker
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import SYSTEM
from openlrs.domain.retention.policy import RetentionPolicy
from openlrs.mail.notify import NotifyTransport
from openlrs.mail.smtp import SmtpTransport
from openlrs.observability.logs import get_logger
from openlrs.portal.app import mount_portal
from openlrs.services.matching.name_frequencies import refresh_name_frequencies
from openlrs.services.notifications.deliver import Deliverer
from openlrs.services.notifications.ports import Transport
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWorkFactory
from openlrs.services.retention.apply import RetentionSchedule, apply_retention
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory

log = get_logger("openlrs.housekeeping")


def build_uow_factory(settings: Settings) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(
        build_engine(
            settings.database_url,
            pool_size=settings.db_pool_size,
            statement_timeout_ms=settings.db_statement_timeout_ms,
            prepared_statements=settings.database_prepared_statements,
        ),
        read_audit_sync_commit=settings.read_audit_sync_commit,
        listen_url=settings.database_listen_url,
    )


def build_transport(settings: Settings) -> Transport | None:
    """The notifications transport the settings name; None: notifications wait in the outbox."""
    if settings.notifications_transport == "smtp":
        return SmtpTransport(
            settings.smtp_host,
            settings.smtp_port,
            sender=settings.mail_from,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=settings.smtp_password,
        )
    if settings.notifications_transport == "notify":
        if not settings.notify_api_key or not settings.notify_template_id:
            raise ValueError("GOV.UK Notify needs OPENLRS_NOTIFY_API_KEY and _TEMPLATE_ID")
        return NotifyTransport(
            settings.notify_api_key, settings.notify_template_id, settings.notify_base_url
        )
    return None


def build_worker(settings: Settings, uow_factory: UnitOfWorkFactory) -> BatchWorker:
    """A batch worker as the settings describe it; now and then it also recounts name frequencies
    and applies the retention policy (daily by default)."""

    retention = RetentionPolicy.with_overrides(settings.retention_days)  # refuses bad settings
    every = settings.retention_every_hours
    schedule = RetentionSchedule(dt.timedelta(hours=every) if every > 0 else None)

    def housekeeping() -> None:
        refresh_name_frequencies(principal=SYSTEM, uow=uow_factory())
        now = dt.datetime.now(dt.UTC)
        if schedule.due(now):
            report = apply_retention(retention, now=now, principal=SYSTEM, uow=uow_factory())
            log.info("retention applied: %s", report.summary())

    transport = build_transport(settings)
    deliverers = [] if transport is None else [Deliverer(uow_factory, transport).run_once]
    return BatchWorker(
        uow_factory,
        also=deliverers,
        limits=BatchLimits(max_rows=settings.batch_max_rows, max_bytes=settings.batch_max_bytes),
        policy=RegisterPolicy(min_age=settings.min_age, max_age=settings.max_age),
        lease=dt.timedelta(seconds=settings.batch_lease_seconds),
        housekeeping=housekeeping,
        housekeeping_every=dt.timedelta(minutes=settings.name_frequency_refresh_minutes),
    )


def build_app(settings: Settings | None = None, *, embedded_worker: bool = False) -> FastAPI:
    """The REST API with the portal mounted beside it (/api/... and /portal/...), and, when
    asked, a batch worker thread that runs while the app does."""
    settings = settings or Settings()
    uow_factory = build_uow_factory(settings)
    app = mount_portal(create_api(settings, uow_factory), settings, uow_factory)
    if embedded_worker:
        app.state.background.append(build_worker(settings, uow_factory))
    return app


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory openlrs.bootstrap:app_factory` (`openlrs serve`)."""
    settings = Settings()
    return build_app(settings, embedded_worker=settings.embedded_worker)
