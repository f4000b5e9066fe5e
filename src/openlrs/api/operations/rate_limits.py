"""Per-client and per-IP token buckets in front of the app: over the limit is a 429 problem.

A request with a valid access token spends from its client's (or user's) bucket; any other
request spends from its IP address's bucket (the token endpoint, the portal before sign-in, bad
tokens). Buckets live in each server process: with N processes a caller may get up to N times
the rate (docs/decisions/0008-operations.md). Probes and /metrics are never limited.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import jwt
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from openlrs.api.deps import bearer_token, verified_claims
from openlrs.api.problems import problem
from openlrs.observability.metrics import RATE_LIMITED

UNLIMITED_PATHS = frozenset({"/healthz", "/livez", "/readyz", "/metrics"})


class TokenBuckets:
    """`rate` tokens a second up to `burst` per key; each request takes one."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.rate = rate
        self.burst = float(max(burst, 1))
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> float:
        """0 if `key` may go ahead now, else the seconds until it may."""
        now = self.clock()
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._remember(key, tokens - 1, now)
            return 0.0
        self._remember(key, tokens, now)
        return (1 - tokens) / self.rate

    def _remember(self, key: str, tokens: float, now: float) -> None:
        if key not in self._buckets and len(self._buckets) >= self.max_keys:
            # Forget the older half: a forgotten key starts again with a full bucket.
            for old in list(self._buckets)[: self.max_keys // 2]:
                del self._buckets[old]
        self._buckets[key] = (tokens, now)


class RateLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        signing_key: Callable[[], str],
        per_client: TokenBuckets | None,
        per_ip: TokenBuckets | None,
    ) -> None:
        self.app = app
        self.signing_key = signing_key
        self.per_client = per_client
        self.per_ip = per_ip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in UNLIMITED_PATHS:
            wait = self._wait(scope)
            if wait > 0:
                await _refusal(wait)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _wait(self, scope: Scope) -> float:
        caller = self._caller(scope)
        if caller is not None:
            limit, buckets, key = "client", self.per_client, caller
        else:
            client = scope.get("client")
            limit, buckets, key = "ip", self.per_ip, client[0] if client else "unknown"
        if buckets is None:
            return 0.0
        wait = buckets.take(key)
        if wait > 0:
            RATE_LIMITED.labels(limit).inc()
        return wait

    def _caller(self, scope: Scope) -> str | None:
        """The verified token subject (client:… or user:…), or None without a valid token."""
        if self.per_client is None:
            return None
        token = bearer_token(scope)
        if token is None:
            return None
        try:
            claims = verified_claims(token, self.signing_key())
        except jwt.InvalidTokenError:
            return None
        return str(claims.get("sub")) or None


def _refusal(wait: float) -> Response:
    seconds = max(1, math.ceil(wait))
    detail = f"Slow down: try again in {seconds} second{'s' if seconds > 1 else ''}."
    return problem(
        429, "RATE_LIMITED", "Too many requests", detail, headers={"Retry-After": str(seconds)}
    )
