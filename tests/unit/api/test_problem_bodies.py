"""Every problem+json body comes from `problems.problem_body`, the pure-ASGI middleware's too: the
same failure gets the same bytes whichever layer answers it."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from openlrs.api import problems
from openlrs.api.operations.body_limit import BodySizeLimit
from openlrs.api.operations.rate_limits import RateLimit, TokenBuckets


def _echo_app() -> FastAPI:
    app = FastAPI()
    problems.install(app)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    return app


def test_a_body_too_large_is_the_same_problem_before_and_while_it_streams() -> None:
    """Refused from its Content-Length by the middleware, or raised while it streams in and
    answered by the app's handler: one body, byte for byte (the middleware once wrote its own
    JSON, with other spacing)."""
    api = TestClient(BodySizeLimit(_echo_app(), max_bytes=10))

    def chunks() -> Iterator[bytes]:
        yield b"0123456789"
        yield b"0123456789"

    up_front = api.post("/echo", content=b"x" * 20)
    streamed = api.post("/echo", content=chunks())
    assert up_front.status_code == streamed.status_code == 413
    assert up_front.content == streamed.content
    assert up_front.headers["content-type"] == streamed.headers["content-type"] == problems.PROBLEM
    assert up_front.json() == problems.problem_body(
        413, "REQUEST_TOO_LARGE", "The request body is too large"
    )
    assert api.post("/echo", content=b"x" * 10).json() == {"bytes": 10}


def test_a_rate_limited_request_gets_the_problem_with_when_to_retry() -> None:
    limited = RateLimit(
        _echo_app(), signing_key=lambda: "k" * 32, per_client=None, per_ip=TokenBuckets(0.001, 1)
    )
    api = TestClient(limited)
    assert api.post("/echo", content=b"").status_code == 200
    refused = api.post("/echo", content=b"")
    assert refused.status_code == 429
    seconds = int(refused.headers["retry-after"])
    detail = f"Slow down: try again in {seconds} seconds."
    expected = problems.problem(429, "RATE_LIMITED", "Too many requests", detail)
    assert refused.content == expected.body
    assert refused.headers["content-type"] == problems.PROBLEM
