"""A route class for the routes the load falls on: the common request skips FastAPI's general
request machinery; every other request is handed to FastAPI unchanged.

FastAPI handles each request the general way: it reads the body with `json.loads`, parses the
content type with `email.message`, walks the dependency tree (path, query, header and cookie
parameters of every node) and validates the decoded body in Python. For a lookup by ULN that was
about a sixth of the process's instructions (docs/decisions/0004-hot-path.md).

A `HotRoute` whose endpoint is `async`, returns a `Response` and takes only `str` path
parameters, at most one JSON body model, optional query and header parameters and `CallerDep`
is *hot*: a request with an `application/json` body the model accepts, no query string and none
of the declared headers is served directly (the body validated once, from its bytes, by
pydantic-core; the caller from `current_caller` as before). Any other request (another or no
content type, a body the model refuses, a query string, one of the headers, dependency overrides
set) goes to FastAPI's own handler, so every refusal keeps FastAPI's exact shape and order, and
tests/functional/test_hot_routes.py checks each kind against a plain `APIRoute`. An endpoint
of any other shape is not hot and is served by FastAPI's handler alone. The OpenAPI description
is FastAPI's, from the same signature.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from openlrs.api.deps import current_caller

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class HotRoute(APIRoute):
    hot: bool = False  # whether this route's endpoint has the direct path (tests check the mix's)

    def get_route_handler(self) -> Handler:
        general = super().get_route_handler()
        dependant = self.dependant
        endpoint = dependant.call
        callers = [d.name for d in dependant.dependencies if d.call is current_caller]
        unsupported = (
            dependant.cookie_params
            or len(dependant.dependencies) != len(callers)
            or len(callers) != 1
            or len(dependant.body_params) > 1
            or any(p.field_info.annotation is not str for p in dependant.path_params)
            or any(
                p.field_info.is_required()
                for p in (*dependant.query_params, *dependant.header_params)
            )
            or dependant.request_param_name
            or dependant.response_param_name
            or dependant.background_tasks_param_name
            or self._embed_body_fields
            or not inspect.iscoroutinefunction(endpoint)
        )
        body: tuple[str, type[BaseModel]] | None = None
        if dependant.body_params:
            model = dependant.body_params[0].field_info.annotation
            if isinstance(model, type) and issubclass(model, BaseModel):
                body = (dependant.body_params[0].name, model)
            else:
                unsupported = True
        self.hot = not unsupported
        if unsupported:
            return general
        assert endpoint is not None and callers[0] is not None
        caller_name = callers[0]
        path_names = tuple(p.name for p in dependant.path_params)
        headers = frozenset(_header_name(p) for p in dependant.header_params)
        defaults = {p.name: p.default for p in (*dependant.query_params, *dependant.header_params)}
        overrides = getattr(self.dependency_overrides_provider, "dependency_overrides", None)

        async def handler(request: Request) -> Response:
            scope = request.scope
            if (
                overrides
                or scope["query_string"]
                or (headers and any(name in headers for name, _ in scope["headers"]))
            ):
                return await general(request)
            values: dict[str, Any] = dict(defaults)
            path_params = scope["path_params"]
            for name in path_names:
                values[name] = path_params[name]
            if body is not None:
                if not _is_json(scope["headers"]):
                    return await general(request)
                raw = await request.body()  # kept on the request: the general handler rereads it
                try:
                    values[body[0]] = body[1].model_validate_json(raw)
                except ValidationError:
                    return await general(request)
            values[caller_name] = await current_caller(request)
            response = await endpoint(**values)
            if not isinstance(response, Response):
                raise TypeError(f"{self.path}: a HotRoute endpoint returns a Response")
            return response

        return handler


def _header_name(field: Any) -> bytes:
    alias = field.field_info.alias
    return str(alias if alias else field.name.replace("_", "-")).lower().encode("latin-1")


def _is_json(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the content type is exactly what FastAPI would decode as JSON, in the common form:
    application/json, optionally with parameters (e.g. a charset)."""
    for name, value in headers:
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json"
    return False
