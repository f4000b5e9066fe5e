"""The pages the portal and the learners' site answer with when something is refused or fails:
one installer for both sites, each page rendered in the site's own layout (`template`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from openlrs.domain.errors import DomainError, ServiceUnavailable
from openlrs.domain.notices.maintenance import ServiceReadOnly
from openlrs.portal.notices.read_only import read_only_page
from openlrs.portal.rendering import render
from openlrs.portal.security import CsrfRejected

log = logging.getLogger("openlrs.portal")
Handler = Callable[[Request, Exception], Awaitable[Response]]


def install_error_pages(
    app: FastAPI, template: str, sign_in: dict[type[Exception], Handler] | None = None
) -> None:
    """Every refusal and failure of `app` as a page in `template` (which shows `title` and
    `body`); `sign_in` adds the site's own 'sign in first' redirects, checked before the rest."""

    def page(request: Request, status: int, title: str, body: str = "") -> Response:
        return render(request, template, status, title=title, body=body)

    async def csrf_rejected(request: Request, _: Exception) -> Response:
        body = (
            "The page you submitted has expired or did not come from this service. Go back, "
            "reload the page and try again."
        )
        return page(request, 403, "This form has expired", body)

    async def read_only(request: Request, _: Exception) -> Response:
        return read_only_page(request, template)

    async def domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DomainError)
        return page(request, exc.status, exc.title, exc.detail)

    async def unavailable(request: Request, exc: Exception) -> Response:
        """The database cannot be reached: say so, and when to come back (not a 'problem' page)."""
        assert isinstance(exc, ServiceUnavailable)
        log.warning("portal: database unavailable")
        body = "You will be able to use the service again shortly. Try again in a few minutes."
        response = page(request, exc.status, "Sorry, the service is unavailable", body)
        response.headers["Retry-After"] = str(exc.retry_after_seconds)
        return response

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return page(
                request, 404, "Page not found", "If you typed the web address, check it is correct."
            )
        return page(request, exc.status_code, "Sorry, there is a problem")

    async def bad_path(request: Request, _: Exception) -> Response:
        """A malformed id or UKPRN in a path or query: the page does not exist."""
        return page(request, 404, "Page not found")

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("portal error: %s", type(exc).__name__)
        title = "Sorry, there is a problem with the service"
        return page(request, 500, title, "Nothing was changed. Try again later.")

    handlers: dict[type[Exception], Handler] = {
        **(sign_in or {}),
        CsrfRejected: csrf_rejected,
        ServiceReadOnly: read_only,
        DomainError: domain_error,
        ServiceUnavailable: unavailable,
        StarletteHTTPException: http_error,
        RequestValidationError: bad_path,
        Exception: unexpected,
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)
