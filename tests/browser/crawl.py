"""The portal crawl the every-page and every-form checks share: each kind of user signs in,
takes their walks (tests/browser/every_page_walks.py), then follows links from their home page
and the demo's start pages, one load per route; `check` sees each page as it stands."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from fastapi.routing import APIRoute
from playwright.sync_api import Browser, Page

from openlrs.config import Settings
from openlrs.portal.app import create_portal
from tests.browser.demo_portal import NARROW, DemoPortal
from tests.browser.every_page_walks import WALKS
from tests.browser.new_journeys import sign_in_as

USERS = {
    "service desk": "admin@10000001",
    "college administrator": "lrb_admin@10004321",
    "school user": "lrb@10007777",
    "awarding organisation": "ao@10009999",
    "signed out": None,
}
SKIPPED_LINKS = re.compile(r"^/portal/(static|brand)/|/(output|errors|certificate|transcript)$")
MAX_PAGES = 90  # per user: the crawl stops rather than wander
Check = Callable[[Page, "str | None"], None]
"""Sees the page as it stands; the route asked for, when the crawl asked for one."""


def route_patterns() -> dict[str, re.Pattern[str]]:
    """Every GET page of the portal: its path template, and a pattern matching its URLs."""
    portal = create_portal(Settings(database_url="sqlite://"), None)  # type: ignore[arg-type]
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - older FastAPI keeps one flat list
        routes: list[object] = list(portal.routes)
    else:
        routes = list(iter_route_contexts(portal.routes))
    found = {}
    for route in routes:
        path = getattr(route, "path_format", None) or getattr(route, "path", "")
        methods = getattr(route, "methods", None) or set()
        if "GET" in methods and (isinstance(route, APIRoute) or hasattr(route, "endpoint")):
            pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path))
            found[path] = re.compile(f"^/portal{pattern}$")
    return found


ROUTES = route_patterns()


def template_of(path: str) -> str | None:
    for template, pattern in ROUTES.items():
        if pattern.match(path):
            return template
    return None


def _links(page: Page) -> list[str]:
    hrefs: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('a[href]:not([download])')]"
        ".map(a => a.getAttribute('href'))"
    )
    return [h.split("#")[0] for h in hrefs if h.startswith("/portal/")]


def new_page(browser: Browser, demo: DemoPortal, who: str) -> Page:
    """A browser of its own at a 320 px width, signed in as `who`."""
    context = browser.new_context(base_url=demo.base_url, bypass_csp=True, viewport=NARROW)
    page = context.new_page()
    username = USERS[who]
    if username:
        sign_in_as(page, username)
    return page


def crawl(page: Page, demo: DemoPortal, who: str, check: Check) -> list[str]:
    """One user's walks, then their crawl, in `page` (from new_page); what went wrong on the
    way (a 5xx answer)."""
    seen: set[str] = set()

    def seen_check(page: Page, asked: str | None = None) -> None:
        seen.update(t for t in (template_of(urlsplit(page.url).path), asked) if t)
        check(page, asked)

    for walk in WALKS.get(who, ()):
        walk(page, demo, seen_check)
    queue = ["/portal/" if USERS[who] else "/portal/sign-in", *demo.pages]
    problems: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        template = template_of(path)
        if template is None or template in seen or SKIPPED_LINKS.search(path):
            continue
        seen.add(template)
        response = page.goto(url)
        assert response is not None
        if response.status >= 500:
            problems.append(f"{who} {url}: answered {response.status}")
        if response.status >= 400 or urlsplit(page.url).path == "/portal/sign-in" != path:
            continue  # not this user's page (refused, or sent to sign in): nothing to check
        queue += _links(page)
        seen_check(page, template)
    return problems
