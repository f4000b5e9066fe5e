"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from openlrs.api.deps import UowFactoryDep

router = APIRouter(tags=["health"])


@router.get("/healthz", operation_id="getHealth")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    operation_id="getReadiness",
    responses={
        503: {
            "description": "Draining, or the database does not answer",
            "content": {"application/json": {"example": {"status": "unavailable"}}},
        }
    },
)
def readyz(request: Request, uow_factory: UowFactoryDep) -> Any:
    """The database answers and the process is not shutting down."""
    readiness = getattr(request.app.state, "readiness", None)
    if readiness is not None and readiness.draining:
        return JSONResponse({"status": "draining"}, status_code=503)
    engine = getattr(uow_factory, "engine", None)
    try:
        if engine is not None:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return {"status": "ready"}
