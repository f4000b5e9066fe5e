"""The routes the load falls on, as explicit Starlette routes the app tries before FastAPI's.

FastAPI handles each request the general way: its router tries the routes in order through
several layers, then it reads the body, parses the content type with `email.message`, walks the
dependency tree and validates the decoded body in Python. For the four endpoints of the load mix
that was about a quarter of the process's instructions (docs/decisions/0004-hot-path.md). Each of
them therefore also has an explicit `HotRoute`, declared beside its FastAPI route
(api/learners/routes.py, api/plr/routes.py): a few lines that read the request with the functions
below and call the same endpoint function. The FastAPI declarations stay: they document the
operations (OpenAPI), they are what the tests compare the hot routes with
(tests/functional/test_hot_routes.py), and they serve the requests whenever
`app.dependency_overrides` is set, so that overrides apply as they would on any route.

A hot route answers as FastAPI's handling of the same declaration would, in the same order, and
through the same exception handlers (api/problems.py): the body is read and decoded as FastAPI
decodes it (malformed JSON is a `RequestValidationError`, an unreadable body a 400, a member
named twice a 422: api/json_bodies.py), then the caller is checked (`current_caller`: 401, 403)
and its role (the route's `requires`: 403), then the parameters and the body are validated (a
`RequestValidationError` carrying the error list FastAPI would make: 422).
"""

from __future__ import annotations

import email.message
import json
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from openlrs.api import json_bodies
from openlrs.api.deps import Caller, current_caller
from openlrs.domain.accounts.organisations import Role

Model = TypeVar("Model", bound=BaseModel)
Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]

_MISSING: Any = object()
"""An empty body: FastAPI validates nothing and reports the body missing."""


class HotRoute(Route):
    """One method and path, tried before FastAPI's routes (`create_api` puts these first).

    It claims a request only when it serves it: the method and the path match, and no dependency
    overrides are set on the app. Any other request goes on to the router's other routes as if
    this one were not there (a wrong method, for instance, gets the 405 and `Allow` header of
    FastAPI's route for that path)."""

    def __init__(self, path: str, method: str, endpoint: Endpoint) -> None:
        super().__init__(path, endpoint, methods=[method])
        self.methods = {method}  # Starlette would add HEAD to a GET; FastAPI's route does not

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.FULL or getattr(scope.get("app"), "dependency_overrides", None):
            return Match.NONE, {}
        child_scope["route"] = self  # the route template in the metrics and the access log
        return match, child_scope

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The endpoint's response, without Starlette's per-route wrappers: `matches` has checked
        the method, and an exception goes up to the app's handlers as from any other route."""
        response = await self.endpoint(Request(scope, receive, send))
        await response(scope, receive, send)


async def body_and_caller(
    request: Request, model: type[Model], roles: frozenset[Role]
) -> tuple[Model, Caller]:
    """The JSON body as `model`, and the caller holding one of `roles` (the route's
    `requires(roles)`), each checked where FastAPI checks it."""
    try:
        raw = await request.body()
    except HTTPException:
        raise  # e.g. the body size limit's 413
    except Exception as exc:
        raise HTTPException(400, "There was an error parsing the body") from exc
    content_type = request.headers.get("content-type")
    decoded = _decoded(raw, content_type)
    caller = await current_caller(request)
    caller.principal.require(roles)  # 403 before the body is validated
    if decoded is _MISSING:
        missing = {"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}
        raise RequestValidationError([missing], body=None)
    try:
        return model.model_validate(decoded, from_attributes=True), caller
    except ValidationError as exc:
        raise RequestValidationError(_located(exc, ("body",)), body=decoded) from None


def query_values(request: Request, parameters: Sequence[tuple[str, TypeAdapter[Any]]]) -> list[Any]:
    """The values of optional query parameters (name and type, in their declared order), None
    for each one absent; a `RequestValidationError` listing every refused value otherwise."""
    if not request.scope["query_string"]:
        return [None] * len(parameters)
    query = request.query_params
    values: list[Any] = []
    errors: list[dict[str, Any]] = []
    for name, adapter in parameters:
        value = query.get(name)
        if value is None:
            values.append(None)
            continue
        try:
            values.append(adapter.validate_python(value, from_attributes=True))
        except ValidationError as exc:
            errors.extend(_located(exc, ("query", name)))
    if errors:
        raise RequestValidationError(errors)
    return values


def _decoded(raw: bytes, content_type: str | None) -> Any:
    """The body as FastAPI decodes it: JSON for application/json and application/*+json; the
    bytes themselves for any other content type or none (which no model accepts)."""
    if not raw:
        return _MISSING
    if content_type:
        message = email.message.Message()
        message["content-type"] = content_type
        subtype = message.get_content_subtype()
        if message.get_content_maintype() == "application" and (
            subtype == "json" or subtype.endswith("+json")
        ):
            try:
                return json_bodies.loads(raw)  # a member named twice, or a NUL: 422
            except json_bodies.RefusedMember:
                raise
            except json.JSONDecodeError as exc:
                error = {
                    "type": "json_invalid",
                    "loc": ("body", exc.pos),
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": exc.msg},
                }
                raise RequestValidationError([error], body=exc.doc) from exc
            except Exception as exc:  # e.g. bytes that are not UTF-8
                raise HTTPException(400, "There was an error parsing the body") from exc
    return raw


def _located(exc: ValidationError, prefix: tuple[str, ...]) -> list[dict[str, Any]]:
    """Pydantic's errors with where the value was in the request before their own location."""
    return [{**error, "loc": (*prefix, *error["loc"])} for error in exc.errors(include_url=False)]
