"""Every portal page, as each kind of user, on a phone 320 px wide: it fits without sideways
scrolling, axe-core finds nothing at all (any impact, `region` included), and no id or internal
code shows outside a details component.

The pages are found by following links from each user's home page (one load per page, at most
one page per route), so new pages are checked as soon as something links to them; a GET route
nothing links to must say in NOT_LINKED which test visits it instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.routing import APIRoute
from playwright.sync_api import Browser, Page

from openlrs.config import Settings
from openlrs.portal.app import create_portal
from tests.browser.demo_portal import (
    NARROW,
    DemoPortal,
    demo_portal,
    overflow,
    visible_codes,
)
from tests.browser.every_page_walks import WALKS
from tests.browser.journeys import PASSWORD, axe_violations

USERS = {
    "service desk": "admin@10000001",
    "college administrator": "lrb_admin@10004321",
    "school user": "lrb@10007777",
    "awarding organisation": "ao@10009999",
    "signed out": None,
}
NOT_LINKED = {
    "/sign-in/security-code": "test_portal_pages (two-factor sign-in)",
    "/sign-in/new-password": "test_portal_accounts (forced change)",
    "/password-reset/{token}": "test_portal_accounts (reset link)",
    "/account/two-factor": "reached by a POST: test_portal_pages",
    "/learners/{uln}/learning-record/report": "a PDF/print view: test_portal_plr",
    "/learners/register": "reached from a search: test_portal_journeys",
    "/learners/this-is-the-learner": "redirects to the search: test_portal_this_is_the_learner",
    "/diploma/accounts/{account_id}/certificate": "a document: test_portal_diploma",
    "/diploma/accounts/{account_id}/transcript": "a document: test_portal_diploma",
    "/batches/{job_id}/output": "a download",
    "/batches/{job_id}/errors": "a download",
    "/organisations/{ukprn}/users/{username}/deactivate": "test_portal_accounts",
    "/privacy": "redirects to the one notice at /privacy: test_portal_layout",
    "/providers/apply": "no page links to it (sent by email): test_portal_providers_and_colleges",
    "/providers/apply/new": "after the start page: test_portal_providers_and_colleges",
    "/providers/apply/check": "reached by a POST: test_portal_providers_and_colleges",
    "/providers/apply/sent": "reached by a POST: test_portal_providers_and_colleges",
    "/providers/apply/{slug}": "one question of the application: test_portal_providers_and_colleges",
    "/check-a-file/result": "reached by uploading a file: test_portal_providers_and_colleges",
    "/qualification-register/loaded": "reached by uploading a file: test_portal_awarding",
}
"""GET routes no demo page links to (or that are files, not pages), and where they are tested."""
SKIPPED_LINKS = re.compile(r"^/portal/(static|brand)/|/(output|errors|certificate|transcript)$")
MAX_PAGES = 90  # per user: the crawl stops rather than wander


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


@pytest.fixture(scope="module")
def demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoPortal]:
    yield from demo_portal(sqlite_template, tmp_path_factory.mktemp("every-page"))


def _sign_in(page: Page, username: str) -> None:
    page.goto("/portal/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portal/")


def _links(page: Page) -> list[str]:
    hrefs: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('a[href]:not([download])')]"
        ".map(a => a.getAttribute('href'))"
    )
    return [h.split("#")[0] for h in hrefs if h.startswith("/portal/")]


def _crawl(browser: Browser, demo: DemoPortal, who: str, visited: dict[str, set[str]]) -> list[str]:
    """One user's walks, then their crawl from their home page; the problems found on the way."""
    context = browser.new_context(base_url=demo.base_url, bypass_csp=True, viewport=NARROW)
    page = context.new_page()
    username = USERS[who]
    seen: set[str] = set()
    problems: list[str] = []

    def check(page: Page, asked: str | None = None) -> None:
        """The page as it stands: its route (and the one asked for, if it redirected) visited."""
        path = urlsplit(page.url).path
        template = template_of(path)
        routes = {t for t in (template, asked) if t is not None}
        first_visit = bool(routes - set(visited))
        for route in routes:
            visited.setdefault(route, set()).add(who)
        seen.update(routes)
        wider = overflow(page)
        if wider > 0:
            problems.append(f"{who} {page.url}: {wider} px wider than a 320 px screen")
        if first_visit or template == "/":
            problems.extend(
                f"{who} {page.url}: axe {v['id']} {v['nodes']}" for v in axe_violations(page)
            )
        problems.extend(f"{who} {page.url}: shows {code}" for code in visible_codes(page))

    if username:
        _sign_in(page, username)
        for walk in WALKS.get(who, ()):
            walk(page, demo, check)
    queue = ["/portal/" if username else "/portal/sign-in", *demo.pages]
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
        check(page, template)
    context.close()
    return problems


def test_every_page_fits_a_phone_passes_axe_and_shows_no_codes(
    browser: Browser, demo: DemoPortal
) -> None:
    visited: dict[str, set[str]] = {}
    problems = [p for who in USERS for p in _crawl(browser, demo, who, visited)]
    missing = set(ROUTES) - set(visited) - set(NOT_LINKED)
    problems += [f"{t}: no crawl reached it and NOT_LINKED does not list it" for t in missing]
    assert problems == [], "\n".join(problems)
