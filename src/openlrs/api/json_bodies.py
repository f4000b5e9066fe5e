"""JSON request bodies with each member named once: `{"family_name": "A", "family_name": "B"}` is
refused (422, field code FIELD_DUPLICATE) rather than read as its last value, which a proxy, a
logger or another parser might read as the first. A NUL character in a member's text is refused
too (422, TEXT_INVALID_CHARACTERS): no field accepts one and PostgreSQL text cannot hold one.

Both ways into a route decode bodies here: FastAPI's routes through `UniqueKeysRoute` (each router's
`route_class`), the hot routes through `loads` (api/hot_route.py). Like malformed JSON, a duplicate
is found while the body is decoded, before the caller is checked."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

_NUL_ESCAPE = "\\u0000"  # the only way JSON text can carry a NUL


class RefusedMember(HTTPException):
    """A member of a JSON object the body may not have: named twice, or with a NUL in its text.
    An HTTPException so that FastAPI's body reading lets it through to its handler
    (api/problems.py) rather than making it a 400."""

    def __init__(self, key: str, code: str, message: str) -> None:
        super().__init__(422, message)
        self.key = key
        self.code = code
        self.message = message


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise RefusedMember(key, "FIELD_DUPLICATE", "This field appears more than once")
            seen.add(key)
    return members


def _unique_without_nul(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    for key, value in pairs:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            message = "This field must not contain a NUL character"
            raise RefusedMember(key, "TEXT_INVALID_CHARACTERS", message)
    return _unique(pairs)


def loads(raw: bytes | str) -> Any:
    """`json.loads`, refusing (RefusedMember) an object that names a member twice or has a NUL
    in a member's text; the second is looked for only if the text has an escaped NUL at all."""
    has_nul = (_NUL_ESCAPE.encode() in raw) if isinstance(raw, bytes) else (_NUL_ESCAPE in raw)
    return json.loads(raw, object_pairs_hook=_unique_without_nul if has_nul else _unique)


class UniqueKeysRequest(Request):
    async def json(self) -> Any:
        return loads(await self.body())


class UniqueKeysRoute(APIRoute):
    """A FastAPI route whose JSON body is decoded by `loads`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def unique_keys(request: Request) -> Response:
            return await handler(UniqueKeysRequest(request.scope, request.receive))

        return unique_keys
