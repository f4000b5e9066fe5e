"""Session cookies, CSRF tokens and security headers for the portal."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import (
    AuthenticationFailed,
    OrganisationNotActive,
    PasswordChangeRequired,
)
from openlrs.services.accounts.portal_sign_in import session_principal

SESSION_COOKIE = "openlrs_session"
VISITOR_COOKIE = "openlrs_visitor"  # binds the sign-in form's CSRF token before any session


class SignInRequired(Exception):
    """No live session: the visitor is sent to the sign-in page."""


class NewPasswordRequired(Exception):
    """Signed in with a password an administrator chose: the user must choose their own first."""


class CsrfRejected(Exception):
    """A POST without the form's CSRF token for this session: answered 403."""


def csrf_token_for(key: str, binding: str) -> str:
    return hmac.new(key.encode(), f"csrf|{binding}".encode(), hashlib.sha256).hexdigest()


def cookies_secure(request: Request) -> bool:
    """Secure whenever the service is configured as behind TLS (`OPENLRS_BEHIND_TLS`), or the
    request came over https (directly, or through a proxy whose headers are trusted)."""
    behind_tls: bool = request.app.state.settings.behind_tls
    return behind_tls or request.url.scheme == "https"


def client_address(request: Request) -> str:
    """Where a request came from (behind a proxy: as the trusted proxy headers say)."""
    return request.client.host if request.client else ""


def set_cookie(response: Response, request: Request, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        path="/",
        httponly=True,
        samesite="lax",
        secure=cookies_secure(request),
    )


def secure_every_cookie(response: Response) -> None:
    """Mark every cookie the response sets (sessions, CSRF, flash, deletions) Secure."""
    cookies = response.headers.getlist("set-cookie")
    if not cookies:
        return
    del response.headers["set-cookie"]
    for cookie in cookies:
        if "; secure" not in cookie.lower():
            cookie += "; Secure"
        response.headers.append("set-cookie", cookie)


class PortalSecurity(BaseHTTPMiddleware):
    """Per request: a CSP nonce, the CSRF token for this browser, and protective headers."""

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        key: str = request.app.state.settings.signing_key
        visitor = request.cookies.get(VISITOR_COOKIE)
        new_visitor = visitor is None
        visitor = visitor or secrets.token_urlsafe(24)
        binding = request.cookies.get(SESSION_COOKIE) or visitor
        request.state.nonce = secrets.token_urlsafe(16)
        request.state.visitor = visitor
        request.state.csrf_token = csrf_token_for(key, binding)
        response = await call_next(request)
        if new_visitor:
            set_cookie(response, request, VISITOR_COOKIE, visitor)
        if cookies_secure(request):
            secure_every_cookie(response)
        nonce = request.state.nonce
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
            "img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'"
        )
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response


async def check_csrf(request: Request) -> None:
    """Every POST carries the CSRF token of this session (or, before sign-in, of this browser)."""
    if request.method != "POST":
        return
    form = await request.form()
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, request.state.csrf_token):
        raise CsrfRejected()


async def signed_in(request: Request) -> Principal:
    """The signed-in user, checked against the register on every request."""
    state = request.app.state
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired()
    try:
        principal = await run_in_threadpool(
            session_principal, token, rules=state.rules, uow=state.uow_factory()
        )
    except PasswordChangeRequired as exc:
        raise NewPasswordRequired() from exc
    except (AuthenticationFailed, OrganisationNotActive) as exc:
        raise SignInRequired() from exc
    request.state.principal = principal
    return principal


UserDep = Annotated[Principal, Depends(signed_in)]


async def maybe_signed_in(request: Request) -> Principal | None:
    """The signed-in user on a public page (for the navigation), or None."""
    try:
        return await signed_in(request)
    except (SignInRequired, NewPasswordRequired):
        return None


MaybeUserDep = Annotated[Principal | None, Depends(maybe_signed_in)]


def safe_next(value: object) -> str:
    """A page to return to after sign-in: a path inside the portal, never another site."""
    if not isinstance(value, str) or not value.startswith("/portal/"):
        return "/portal/"
    if "//" in value or "\\" in value or any(ord(c) < 33 for c in value):
        return "/portal/"
    if value.startswith(("/portal/sign-in", "/portal/sign-out")):
        return "/portal/"
    return value
