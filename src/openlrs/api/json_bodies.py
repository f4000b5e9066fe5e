"""JSON request bodies with each member named once: `{"family_name": "A", "family_name": "B"}` is
refused (422, field code FIELD_DUPLICATE) rather than read as its last value, which a proxy, a
logger or another parser might read as the first.

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

DUPLICATE_CODE = "FIELD_DUPLICATE"


class DuplicateKey(HTTPException):
    """A JSON object names a member twice. An HTTPException so that FastAPI's body reading lets it
    through to its handler (api/problems.py) rather than making it a 400."""

    def __init__(self, key: str) -> None:
        super().__init__(422, "A member of a JSON object appears more than once")
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return members


def loads(raw: bytes | str) -> Any:
    """`json.loads`, refusing an object that names a member twice (DuplicateKey)."""
    return json.loads(raw, object_pairs_hook=_unique)


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
