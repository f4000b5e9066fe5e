"""A journey's answers between its question pages: a signed cookie scoped to the journey's path,
so answers (names, a ULN) never travel in a URL and Change links are plain links. The cookie is
cleared when the journey ends; every answer is checked again by the use case at the end."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from openlrs.portal.security import cookies_secure


def _signature(key: str, name: str, body: bytes) -> str:
    return hmac.new(key.encode(), f"draft|{name}|".encode() + body, hashlib.sha256).hexdigest()


def read_draft(request: Request, name: str) -> dict[str, Any]:
    """The answers given so far (empty when none, or when the cookie was tampered with)."""
    raw = request.cookies.get(f"openlrs_draft_{name}", "")
    body, _, signature = raw.rpartition(".")
    key: str = request.app.state.settings.signing_key
    if not body or not hmac.compare_digest(signature, _signature(key, name, body.encode())):
        return {}
    try:
        found = json.loads(base64.urlsafe_b64decode(body.encode()))
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def write_draft(
    response: Response, request: Request, name: str, path: str, answers: dict[str, Any]
) -> Response:
    key: str = request.app.state.settings.signing_key
    body = base64.urlsafe_b64encode(json.dumps(answers).encode())
    value = f"{body.decode()}.{_signature(key, name, body)}"
    response.set_cookie(
        f"openlrs_draft_{name}",
        value,
        path=path,
        httponly=True,
        samesite="lax",
        secure=cookies_secure(request),
    )
    return response


def clear_draft(response: Response, name: str, path: str) -> Response:
    response.delete_cookie(f"openlrs_draft_{name}", path=path)
    return response
