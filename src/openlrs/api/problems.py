"""RFC 9457 problem+json for every failure: domain errors mapped in one table, never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from openlrs.api.json_bodies import RefusedMember
from openlrs.domain.errors import (
    DomainError,
    RegistrationRefused,
    ServiceUnavailable,
    ValidationFailed,
)
from openlrs.domain.learners.learner import Learner

log = logging.getLogger("openlrs.api")

PROBLEM = "application/problem+json"

_PYDANTIC_CODES = {
    "missing": ("FIELD_REQUIRED", "This field is required"),
    "extra_forbidden": ("FIELD_UNKNOWN", "This field is not recognised"),
    **{
        kind: ("FIELD_OUT_OF_RANGE", "This number is outside the range allowed")
        for kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal")
    },
}

_HTTP_CODES = {
    400: "MALFORMED_REQUEST",
    401: "AUTHENTICATION_REQUIRED",
    403: "NOT_AUTHORISED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "REQUEST_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def problem_body(
    status: int, code: str, title: str, detail: str | None = None, **extra: Any
) -> dict[str, Any]:
    """The problem+json document of every failure the API answers (RFC 9457, with our `code`);
    `extra` members that are None are left out."""
    body: dict[str, Any] = {
        "type": f"urn:openlrs:problem:{code.lower().replace('_', '-')}",
        "title": title,
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def problem(
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """The response for `problem_body`. It is also an ASGI app: the pure-ASGI middleware answer
    with `await problem(...)(scope, receive, send)`."""
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer"} | (headers or {})
    body = problem_body(status, code, title, detail, **extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _validation_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        kind = err.get("type", "")
        if kind in ("json_invalid", "json_type") or (
            kind == "model_attributes_type" and tuple(err.get("loc", ())) == ("body",)
        ):
            return problem(400, "MALFORMED_JSON", "The request body is not a valid JSON object")
        code, message = _PYDANTIC_CODES.get(kind, ("FIELD_WRONG_TYPE", _safe_message(err)))
        errors.append(
            {"field": _field_name(tuple(err.get("loc", ()))), "code": code, "message": message}
        )
    return problem(
        422,
        ValidationFailed.code,
        ValidationFailed.title,
        lrs_code=ValidationFailed.lrs_code,
        errors=errors,
    )


def _safe_message(err: Any) -> str:
    """Pydantic's message, which names the expected type and never the value supplied."""
    return str(err.get("msg", "The value has the wrong type or format"))


def _domain_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    extra: dict[str, Any] = {"lrs_code": exc.lrs_code}
    if isinstance(exc, ValidationFailed):
        extra["errors"] = [
            {"field": e.field, "code": e.code, "message": e.message} for e in exc.errors
        ]
    if isinstance(exc, RegistrationRefused):
        from openlrs.api.learners.views import learner_json

        extra["outcome"] = exc.outcome
        extra["exception_id"] = exc.held_id
        extra["learners"] = jsonable_encoder(
            [learner_json(c) for c in exc.candidates if isinstance(c, Learner)]
        )
    return problem(exc.status, exc.code, exc.title, exc.detail, **extra)


def outage_problem() -> JSONResponse:
    """The answer while the database cannot serve: 503 with Retry-After, so that a client can
    tell an outage (try again later) from a bug (500)."""
    return problem(
        ServiceUnavailable.status,
        ServiceUnavailable.code,
        ServiceUnavailable.title,
        ServiceUnavailable().detail,
        headers={"Retry-After": str(ServiceUnavailable.retry_after_seconds)},
    )


def _outage_problem(_: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", type(exc.__cause__).__name__)
    return outage_problem()


def _member_problem(_: Request, exc: Exception) -> JSONResponse:
    """A JSON member refused while the body was decoded (api/json_bodies.py)."""
    assert isinstance(exc, RefusedMember)
    error = {"field": exc.key, "code": exc.code, "message": exc.message}
    return problem(
        422,
        ValidationFailed.code,
        ValidationFailed.title,
        lrs_code=ValidationFailed.lrs_code,
        errors=[error],
    )


def _http_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "HTTP_ERROR")
    return problem(exc.status_code, code, str(exc.detail))


def internal_error() -> JSONResponse:
    """The answer to an exception nothing handled: no detail of it leaves the service."""
    return problem(500, "INTERNAL_ERROR", "Something went wrong on our side; nothing was changed")


def _unexpected_problem(_: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error: %s", type(exc).__name__)
    return internal_error()


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_problem)
    app.add_exception_handler(DomainError, _domain_problem)
    app.add_exception_handler(ServiceUnavailable, _outage_problem)
    app.add_exception_handler(StarletteHTTPException, _http_problem)
    app.add_exception_handler(RefusedMember, _member_problem)
    app.add_exception_handler(Exception, _unexpected_problem)
