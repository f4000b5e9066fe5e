"""Pure ASGI middleware: a request id for every request, its metrics and one access-log line.

The id comes from a well-formed `X-Request-ID` header or is made here; it is echoed in the
response, kept in `request.state.request_id` (batch jobs store it) and bound to the logging
context so everything logged while handling the request carries it. Metrics and the log name the
route template, never the raw path (paths hold ULNs).
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog.contextvars import bind_contextvars, reset_contextvars

from openlrs.observability import metrics
from openlrs.observability.logs import log_access, request_id_from


def route_template(scope: Scope, root_path: str = "") -> str:
    """The matched route as declared (e.g. /api/v1/learners/{uln}), with the prefix of the mount
    it was found under (/portal/sign-in, not /sign-in); 'unmatched' for a 404."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not (isinstance(path, str) and path):
        return "unmatched"
    mounted = str(scope.get("root_path", ""))
    return mounted.removeprefix(root_path) + path


class RequestContext:
    def __init__(self, app: ASGIApp, *, log_requests: bool = True) -> None:
        self.app = app
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = next((v for k, v in scope["headers"] if k == b"x-request-id"), None)
        request_id = request_id_from(header.decode("latin-1") if header else None)
        scope.setdefault("state", {})["request_id"] = request_id
        echoed = (b"x-request-id", request_id.encode())
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), echoed]}
            await send(message)

        root_path = scope.get("root_path", "")  # mounts lengthen it as the request goes in
        tokens = bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            labels = (scope["method"], route_template(scope, root_path), str(status))
            metrics.REQUESTS.labels(*labels).inc()
            metrics.LATENCY.labels(*labels).observe(elapsed)
            if self.log_requests:
                log_access(
                    method=labels[0],
                    route=labels[1],
                    status=status,
                    duration_ms=round(elapsed * 1000, 2),
                )
            reset_contextvars(**tokens)
