"""The composition root: builds the engine, unit-of-work factory and app from Settings."""

from __future__ import annotations

from fastapi import FastAPI

from openlrs.api.app import create_api
from openlrs.config import Settings
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory


def build_uow_factory(settings: Settings) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(
        build_engine(settings.database_url, pool_size=settings.db_pool_size)
    )


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_api(settings, build_uow_factory(settings))


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory openlrs.bootstrap:app_factory`."""
    return build_app()
