"""What every error response must look like: RFC 9457 problem+json with a stable code."""

from __future__ import annotations

from typing import Any

import httpx

PROBLEM_JSON = "application/problem+json"


def assert_problem(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """The response is a problem with `status` and a `code` (the given one, when given)."""
    assert response.status_code == status, f"{response.status_code}: {response.text[:500]}"
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status, body
    assert isinstance(body.get("code"), str) and body["code"], body
    if code is not None:
        assert body["code"] == code, body
    return body


def field_codes(response: httpx.Response) -> dict[str, set[str]]:
    """Field name -> the error codes a 422 problem lists for it."""
    codes: dict[str, set[str]] = {}
    for error in response.json().get("errors", []):
        codes.setdefault(error["field"], set()).add(error["code"])
    return codes
