"""OAuth2 client credentials: exchange a client id and secret for a bearer token."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Form, Header

from openlrs.api.deps import SettingsDep, UowFactoryDep, issue_token
from openlrs.api.learners.schemas import TokenOut
from openlrs.domain.errors import AuthenticationFailed, DomainError
from openlrs.services.accounts.authenticate import authenticate

router = APIRouter(prefix="/api/v1/oauth", tags=["authentication"])


class UnsupportedGrant(DomainError):
    code = "UNSUPPORTED_GRANT_TYPE"
    title = "Only grant_type=client_credentials is supported"
    status = 400


@router.post("/token", response_model=TokenOut, operation_id="issueToken")
def token(
    settings: SettingsDep,
    uow_factory: UowFactoryDep,
    grant_type: Annotated[str, Form()],
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Any:
    """Client credentials in the form body or in HTTP Basic authentication."""
    if grant_type != "client_credentials":
        raise UnsupportedGrant()
    if authorization and authorization.lower().startswith("basic "):
        client_id, client_secret = _basic(authorization)
    if not client_id or not client_secret or len(client_id) > 64 or len(client_secret) > 200:
        raise AuthenticationFailed()
    if not client_id.isprintable():  # a NUL byte would reach PostgreSQL and fail there
        raise AuthenticationFailed()
    principal = authenticate("client", client_id, client_secret, uow=uow_factory())
    return TokenOut(
        access_token=issue_token(principal, settings), expires_in=settings.token_ttl_seconds
    )


def _basic(header: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(header.split(" ", 1)[1], validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, IndexError) as exc:
        raise AuthenticationFailed() from exc
    client_id, _, secret = decoded.partition(":")
    return client_id, secret
