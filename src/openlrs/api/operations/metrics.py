"""`GET /metrics` in Prometheus text format, for the scraper only.

Without `metrics_token` only loopback callers may read it; with one, every caller must send
`Authorization: Bearer <metrics_token>` (a proxy on the same host would otherwise make everyone
look local). Refusals are 403 problems.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool

from openlrs.api.deps import SettingsDep
from openlrs.api.problems import problem
from openlrs.observability.metrics import exposition

router = APIRouter(tags=["operations"])


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def may_scrape(request: Request, token: str | None) -> bool:
    if token:
        sent = request.headers.get("authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    return _loopback(request.client.host if request.client else None)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, settings: SettingsDep) -> Response:
    if not may_scrape(request, settings.metrics_token):
        return problem(403, "NOT_AUTHORISED", "Metrics are for the monitoring system only")
    probe = getattr(request.app.state, "queue_probe", None)
    body = await run_in_threadpool(exposition, probe)  # the queue probe reads the database
    return Response(body, media_type=CONTENT_TYPE_LATEST)
