"""Shared dependencies, declared once as Annotated aliases and reused by every route."""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import Scope

from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import AuthenticationFailed
from openlrs.services.accounts.authenticate import current_standing
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWorkFactory

ISSUER = "openlrs"
AUDIENCE = "openlrs-api"


# The trivial dependencies are async on purpose: FastAPI runs a sync dependency in a worker thread,
# and a thread hop per dependency was most of the per-request CPU (docs/decisions/0004-hot-path.md).
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_uow_factory(request: Request) -> UnitOfWorkFactory:
    factory: UnitOfWorkFactory = request.app.state.uow_factory
    return factory


async def get_register_policy(request: Request) -> RegisterPolicy:
    policy: RegisterPolicy = request.app.state.policy
    return policy


NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]+$"
"""A pattern for ids and text sent in a path or query: no NUL (PostgreSQL text cannot hold one) nor
other control character reaches a query; a 422 says so instead."""
PublicId = Annotated[str, Path(max_length=64, pattern=NO_CONTROL_CHARACTERS)]
"""An id from an earlier answer (a batch job's, an event's, a challenge's)."""

SettingsDep = Annotated[Settings, Depends(get_settings)]
UowFactoryDep = Annotated[UnitOfWorkFactory, Depends(get_uow_factory)]
"""A factory: call it for a fresh unit of work (`uow=uow_factory()`)."""
RegisterPolicyDep = Annotated[RegisterPolicy, Depends(get_register_policy)]

_bearer = HTTPBearer(auto_error=False, description="An access token from /api/v1/oauth/token")


def issue_token(principal: Principal, settings: Settings) -> str:
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": principal.actor,
        "org": principal.ukprn,
        "iat": now,
        "exp": now + dt.timedelta(seconds=settings.token_ttl_seconds),
    }
    return jwt.encode(claims, settings.signing_key, algorithm="HS256")


@functools.lru_cache(maxsize=8192)
def verified_claims(token: str, key: str) -> dict[str, Any]:
    """Signature and claims checked once per token; expiry is checked again on every use."""
    claims: dict[str, Any] = jwt.decode(
        token,
        key,
        algorithms=["HS256"],
        audience=AUDIENCE,
        issuer=ISSUER,
        options={"require": ["exp", "sub", "iat"]},
    )
    return claims


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller behind the bearer token, checked against the register on every request.

    Async: the standing check is a cache hit (kept true by LISTEN/NOTIFY on PostgreSQL) or one
    indexed read, cheaper in the event loop than a thread hop (docs/decisions/0004-hot-path.md)."""
    return principal_for(request, credentials.credentials if credentials is not None else None)


def principal_for(request: Request, token: str | None) -> Principal:
    """The principal behind `token` (a bearer token, None if none was sent), in good standing;
    AuthenticationFailed (401) otherwise."""
    if token is None:
        raise AuthenticationFailed("Send an access token in the Authorization header")
    state = request.app.state  # read directly: each extra dependency node costs on every request
    try:
        claims = verified_claims(token, state.settings.signing_key)
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationFailed("The access token has expired") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthenticationFailed("The access token is not valid") from exc
    if claims["exp"] <= time.time():
        raise AuthenticationFailed("The access token has expired")
    kind, _, login = str(claims["sub"]).partition(":")
    if kind != "client" or not login:  # the API serves API clients; users sign in to the portal
        raise AuthenticationFailed("The access token is not valid")
    return current_standing(kind, login, uow=state.uow_factory())


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


@dataclass(frozen=True, slots=True)
class Caller:
    """The caller with what a use case needs beside them: one dependency for the routes the load
    falls on (each dependency FastAPI resolves costs on every request; docs/decisions/0004)."""

    principal: Principal
    uow_factory: UnitOfWorkFactory
    policy: RegisterPolicy


def bearer_token(scope: Scope) -> str | None:
    """The token of an `Authorization: Bearer ...` header, or None (no header, another scheme,
    an empty token). Read straight from the ASGI scope: the hot routes and the rate limit use it
    on every request."""
    header = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
    scheme, _, token = header.decode("latin-1").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


async def current_caller(request: Request) -> Caller:
    """`current_principal`, with the unit-of-work factory and the register policy. Reads the
    bearer token itself rather than through `HTTPBearer`: one dependency node fewer on every
    request; the routes declare the scheme with `BEARER` (docs/decisions/0004-hot-path.md). The
    hot routes (api/hot_route.py) call it directly."""
    state = request.app.state
    principal = principal_for(request, bearer_token(request.scope))
    return Caller(principal, state.uow_factory, state.policy)


CallerDep = Annotated[Caller, Depends(current_caller)]
BEARER: dict[str, Any] = {"security": [{"HTTPBearer": []}]}
"""`openapi_extra` for a route taking `CallerDep`: the scheme `HTTPBearer` declares for the rest."""


def requires(roles: frozenset[Role]) -> Any:
    """For a route's `dependencies=[...]`: a caller holding none of `roles` is refused (403) before
    its body is validated, so that a 422 never tells it what a route it may not use expects. The
    use case still checks (and more: which organisation, which learner). Through `CallerDep`,
    which the hot routes' FastAPI shadows resolve anyway (each dependency is resolved once)."""

    async def role_check(caller: CallerDep) -> None:
        caller.principal.require(roles)

    return Depends(role_check)
