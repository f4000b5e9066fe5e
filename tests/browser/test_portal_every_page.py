"""Every portal page, as each kind of user, on a phone 320 px wide: it fits without sideways
scrolling, axe-core finds nothing at all (any impact, `region` included), and no id or internal
code shows outside a details component.

The pages are found by tests/browser/crawl.py: each user's walks, then links followed from their
home page and the demo's start pages (one load per page, at most one page per route), so new
pages are checked as soon as something links to them; a GET route nothing reaches must say in
NOT_LINKED why (a file, a download, a redirect) and which test visits it instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.crawl import ROUTES, USERS, crawl, new_page, template_of
from tests.browser.demo_portal import (
    DemoPortal,
    demo_portal,
    overflow,
    visible_codes,
)
from tests.browser.journeys import axe_violations

NOT_LINKED = {
    # an account's state reaches these: test_portal_accounts checks each at 320 px (axe, codes)
    "/sign-in/security-code": "test_portal_accounts (two-factor sign-in)",
    "/sign-in/new-password": "test_portal_accounts (forced change)",
    "/password-reset/{token}": "test_portal_accounts (reset link)",
    "/account/two-factor": "reached by a POST: test_portal_accounts (two-factor set-up)",
    "/learners/{uln}/learning-record/report": "a PDF/print view: test_portal_plr",
    "/learners/register": "redirects to the search (registering starts with one): the form is"
    " a POST's answer, checked by the college's walk (tests/browser/every_page_walks.py)",
    "/learners/this-is-the-learner": "redirects to the search: test_portal_this_is_the_learner",
    "/diploma/accounts/{account_id}/certificate": "a document: test_portal_diploma",
    "/diploma/accounts/{account_id}/transcript": "a document: test_portal_diploma",
    "/batches/{job_id}/output": "a download",
    "/batches/{job_id}/errors": "a download",
    "/privacy": "redirects to the one notice at /privacy: test_portal_layout",
    "/providers/apply/new": "redirects to the first question (a fresh application)",
}
"""GET routes no demo page links to (or that are files, not pages), and where they are tested."""


@pytest.fixture(scope="module")
def demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoPortal]:
    yield from demo_portal(sqlite_template, tmp_path_factory.mktemp("every-page"))


def _check_pages(
    browser: Browser, demo: DemoPortal, who: str, visited: dict[str, set[str]]
) -> list[str]:
    """One user's crawl; the problems found on the way."""
    problems: list[str] = []

    def check(page: Page, asked: str | None = None) -> None:
        """The page as it stands: its route (and the one asked for, if it redirected) visited."""
        template = template_of(urlsplit(page.url).path)
        routes = {t for t in (template, asked) if t is not None}
        first_visit = bool(routes - set(visited))
        for route in routes:
            visited.setdefault(route, set()).add(who)
        wider = overflow(page)
        if wider > 0:
            problems.append(f"{who} {page.url}: {wider} px wider than a 320 px screen")
        if first_visit or template == "/":
            problems.extend(
                f"{who} {page.url}: axe {v['id']} {v['nodes']}" for v in axe_violations(page)
            )
        problems.extend(f"{who} {page.url}: shows {code}" for code in visible_codes(page))

    page = new_page(browser, demo, who)
    problems = crawl(page, demo, who, check) + problems
    page.context.close()
    return problems


def test_every_page_fits_a_phone_passes_axe_and_shows_no_codes(
    browser: Browser, demo: DemoPortal
) -> None:
    visited: dict[str, set[str]] = {}
    problems = [p for who in USERS for p in _check_pages(browser, demo, who, visited)]
    missing = set(ROUTES) - set(visited) - set(NOT_LINKED)
    problems += [f"{t}: no crawl reached it and NOT_LINKED does not list it" for t in missing]
    assert problems == [], "\n".join(problems)
