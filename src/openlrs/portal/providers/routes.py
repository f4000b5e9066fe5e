"""The provider register's public pages: find a learning provider (by name, UKPRN, postcode or
town) and a provider's public details. No sign-in needed; only public fields are ever shown."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import ValidationFailed
from openlrs.portal.providers.views import standing, summary_rows
from openlrs.portal.rendering import error_list, field_errors, render
from openlrs.portal.security import SESSION_COOKIE, SignInRequired, signed_in
from openlrs.services.providers.search import SearchPage, get_public_provider, search_providers

router = APIRouter(prefix="/providers")
PAGE_SIZE = 20
TITLE = "Find a learning provider"
Ukprn = Annotated[str, Path(pattern=r"^[0-9]{8}$")]


async def _navigation(request: Request) -> Principal | None:
    """The signed-in user when there is one (for the header's links); these pages need none."""
    if not request.cookies.get(SESSION_COOKIE):
        return None
    try:
        return await signed_in(request)
    except SignInRequired:
        return None


def _pagination(query: str, found: SearchPage) -> dict[str, dict[str, str]]:
    def link(page: int) -> dict[str, str]:
        return {"href": "/portal/providers?" + urlencode({"query": query, "page": page})}

    pagination = {}
    if found.page > 1:
        pagination["previous"] = link(found.page - 1)
    if found.next_page is not None:
        pagination["next"] = link(found.next_page)
    return pagination


@router.get("")
async def find_providers(request: Request, query: str = "", page: int = 1) -> Response:
    """The search form; with a query, the providers it finds, best first, a page at a time."""
    await _navigation(request)
    context: dict[str, Any] = {"title": TITLE, "query": query, "found": None, "pagination": {}}
    if not query.strip():
        return render(request, "providers/providers.html", **context)
    try:
        found = await run_in_threadpool(
            search_providers,
            query,
            page=max(1, min(page, 100)),
            page_size=PAGE_SIZE,
            uow=request.app.state.uow_factory(),
        )
    except ValidationFailed as exc:
        context |= {"errors": error_list(exc.errors), "field_errors": field_errors(exc.errors)}
        return render(request, "providers/providers.html", 422, **context)
    context |= {
        "found": [(p, standing(p)) for p in found.items],
        "pagination": _pagination(query, found),
        "page": found.page,
    }
    return render(request, "providers/providers.html", **context)


@router.get("/{ukprn}")
async def provider_page(request: Request, ukprn: Ukprn) -> Response:
    """One provider's public details (an unknown UKPRN is a 404 page)."""
    await _navigation(request)
    provider = await run_in_threadpool(
        get_public_provider, ukprn, uow=request.app.state.uow_factory()
    )
    return render(
        request,
        "providers/provider.html",
        title=provider.legal_name,
        provider=provider,
        tag=standing(provider),
        rows=summary_rows(provider),
        back="/portal/providers",
    )
