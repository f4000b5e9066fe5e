"""The routes the load falls on, served without FastAPI's general request machinery when the
request is the common kind; every other request is handed to FastAPI unchanged.

FastAPI handles each request the general way: its router tries the routes in order through
several layers of wrappers, then it reads the body with `json.loads`, parses the content type
with `email.message`, walks the dependency tree (path, query, header and cookie parameters of
every node) and validates the decoded body in Python. For a lookup by ULN that was about a
quarter of the process's instructions (docs/decisions/0004-hot-path.md). Two pieces cut it:

- `HotRoute`, a route class. An endpoint that is `async`, returns a `Response` and takes only
  `str` path parameters, at most one JSON body model, optional query and header parameters and
  `CallerDep` is *hot*: its `direct` path serves a request with an `application/json` body the
  model accepts, no query string and none of the declared headers (the body validated once,
  from its bytes, by pydantic-core; the caller from `current_caller` as before), and declines
  (None) any other request (another or no content type, a body the model refuses, a query
  string, one of the headers, dependency overrides set), which FastAPI's own handler then
  serves. Every refusal therefore keeps FastAPI's exact shape and order. An endpoint of any
  other shape is not hot. The OpenAPI description is FastAPI's, from the same signature.
- `FastLane`, the innermost middleware (inside the operational ones: request id, metrics, logs,
  security headers, rate limits, body size). A request whose method and path match a hot route
  goes straight to that route's `direct` path, inside the app's own exception handlers, without
  FastAPI's router or route wrappers; when `direct` declines, the request (its body replayed)
  goes on through the app as any other does. It claims only what FastAPI's router would have
  sent to that route: tests/functional/test_hot_routes.py checks that no other documented
  operation's path is claimed, and sends each kind of request both ways and compares.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, NamedTuple

from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from openlrs.api.deps import current_caller

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
Direct = Callable[[Request], Coroutine[Any, Any, Response | None]]


class HotRoute(APIRoute):
    hot: bool = False
    """Whether the endpoint has the direct path (tests check that the load mix's routes do)."""

    def get_route_handler(self) -> Handler:
        general = super().get_route_handler()
        direct = self._direct()
        if direct is None:
            return general

        async def handler(request: Request) -> Response:
            response = await direct(request)
            return response if response is not None else await general(request)

        return handler

    async def direct(self, request: Request) -> Response | None:
        """The response, served directly; None when FastAPI's handler is to serve the request."""
        return None

    def _direct(self) -> Direct | None:
        """The direct path for this endpoint (kept as `self.direct`), or None if it is not hot."""
        dependant = self.dependant
        endpoint = dependant.call
        callers = [d.name for d in dependant.dependencies if d.call is current_caller]
        optional = (*dependant.query_params, *dependant.header_params)
        param = dependant.body_params[0] if dependant.body_params else None
        model = param.field_info.annotation if param is not None else None
        body: tuple[str, type[BaseModel]] | None = (
            (param.name, model)
            if param is not None and isinstance(model, type) and issubclass(model, BaseModel)
            else None
        )
        self.hot = not (
            dependant.cookie_params
            or len(dependant.dependencies) != 1
            or len(callers) != 1
            or len(dependant.body_params) > 1
            or (param is not None and body is None)  # a body that is not a pydantic model
            or any(p.field_info.annotation is not str for p in dependant.path_params)
            or any(p.field_info.is_required() for p in optional)
            or dependant.request_param_name
            or dependant.response_param_name
            or dependant.background_tasks_param_name
            or self._embed_body_fields
            or not inspect.iscoroutinefunction(endpoint)
        )
        if not self.hot or endpoint is None or callers[0] is None:
            return None
        caller_name = callers[0]
        path_names = tuple(p.name for p in dependant.path_params)
        headers = frozenset(_header_name(p) for p in dependant.header_params)
        defaults = {p.name: p.default for p in optional}
        overrides = getattr(self.dependency_overrides_provider, "dependency_overrides", None)

        async def direct(request: Request) -> Response | None:
            scope = request.scope
            if (
                overrides
                or scope["query_string"]
                or (headers and any(name in headers for name, _ in scope["headers"]))
            ):
                return None
            values: dict[str, Any] = dict(defaults)
            path_params = scope["path_params"]
            for name in path_names:
                values[name] = path_params[name]
            if body is not None:
                if not _is_json(scope["headers"]):
                    return None
                raw = await request.body()  # kept on the request: FastAPI's handler rereads it
                try:
                    values[body[0]] = body[1].model_validate_json(raw)
                except ValidationError:
                    return None
            values[caller_name] = await current_caller(request)
            response = await endpoint(**values)
            if not isinstance(response, Response):
                raise TypeError(f"{self.path}: a hot endpoint returns a Response")
            return response

        self.direct = direct  # type: ignore[method-assign]
        return direct


class _Lane(NamedTuple):
    methods: frozenset[str]
    route: HotRoute
    app: ASGIApp  # the route's direct path inside the app's exception handlers


class FastLane:
    """See the module's docstring. `routes` in the order the app's router tries them; only the
    hot ones are served here."""

    def __init__(self, app: ASGIApp, *, api: Starlette, routes: Iterable[Any]) -> None:
        self.app = app
        self.api = api
        self.routes = [route for route in routes if isinstance(route, HotRoute) and route.hot]
        self._lanes: list[_Lane] | None = None

    def _build(self) -> list[_Lane]:
        """Built on the first request, once the app's exception handlers are all installed."""
        handlers = {
            key: handler
            for key, handler in self.api.exception_handlers.items()
            if key not in (500, Exception)  # the outermost layer's, as in Starlette's own stack
        }
        return [
            _Lane(
                frozenset(route.methods or ()),
                route,
                ExceptionMiddleware(self._serve(route), handlers=handlers, debug=self.api.debug),
            )
            for route in self.routes
        ]

    def _serve(self, route: HotRoute) -> ASGIApp:
        async def serve(scope: Scope, receive: Receive, send: Send) -> None:
            request = Request(scope, receive, send)
            response = await route.direct(request)
            if response is None:
                body = await request.body()
                await self.app(scope, _replay(body, receive), send)
                return
            await response(scope, receive, send)

        return serve

    def claim(self, method: str, path: str) -> tuple[_Lane, dict[str, Any]] | None:
        """The lane for a request and its path parameters, or None if it is not for one."""
        lanes = self._lanes
        if lanes is None:
            lanes = self._lanes = self._build()
        for lane in lanes:
            if method in lane.methods:
                found = lane.route.path_regex.match(path)
                if found is not None:
                    convertors = lane.route.param_convertors
                    params = {k: convertors[k].convert(v) for k, v in found.groupdict().items()}
                    return lane, params
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Under a root path (a proxy prefix) the router matches less than scope["path"]: leave
        # those requests to it.
        if scope["type"] == "http" and not scope.get("root_path"):
            claimed = self.claim(scope["method"], scope["path"])
            if claimed is not None:
                lane, scope["path_params"] = claimed
                scope["route"] = lane.route
                scope["endpoint"] = lane.route.endpoint
                await lane.app(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """`receive` with the body already read given back first."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _header_name(field: Any) -> bytes:
    alias = field.field_info.alias
    return str(alias if alias else field.name.replace("_", "-")).lower().encode("latin-1")


def _is_json(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the content type is one FastAPI decodes as JSON, in its common form:
    application/json, optionally with parameters (e.g. a charset)."""
    for name, value in headers:
        if name == b"content-type":
            return value.split(b";", 1)[0].strip().lower() == b"application/json"
    return False
