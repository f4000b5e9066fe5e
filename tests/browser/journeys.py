"""Steps the journeys share: every page reached is checked with axe-core before going on."""

from __future__ import annotations

import contextlib
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import AXE, SCREENSHOTS

PASSWORD = "demo-password-2026"


def axe_violations(page: Page) -> list[dict[str, object]]:
    """Every axe-core violation on the page as it stands (any impact, best practice included:
    `region` too). A click that navigates returns before the new page is parsed, so this waits
    for the page to load and show its main heading first (a condition, not a sleep)."""
    page.wait_for_load_state()
    with contextlib.suppress(PlaywrightTimeout):  # without a main heading, axe says what is missing
        page.wait_for_function("() => document.querySelector('main h1') !== null", timeout=5000)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, object]] = page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',
        'wcag21aa', 'wcag22aa', 'best-practice'], resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    return found


def accessible(page: Page, screenshot: str | None = None) -> None:
    """No axe-core violation of any impact on the page as it stands."""
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"
    if SCREENSHOTS and screenshot:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{screenshot}.png"), full_page=True)


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/portal/sign-in")
    accessible(page, "sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portal/")
    accessible(page, "home")


def fill_learner(page: Page, details: dict[str, str]) -> None:
    page.get_by_label("Given name").fill(details["given_name"])
    page.get_by_label("Family name").fill(details["family_name"])
    day, month, year = details["date_of_birth"].split()
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill(month)
    page.get_by_label("Year").fill(year)
    page.get_by_label(details["gender"], exact=True).check()
    page.get_by_label("Postcode").fill(details["postcode"])


def search(page: Page, details: dict[str, str], screenshot: str | None = None) -> None:
    page.goto("/portal/learners/search")
    accessible(page, "search")
    fill_learner(page, details)
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    accessible(page, screenshot)


def register_after_search(page: Page, email: str | None = None) -> None:
    page.get_by_role("button", name="Register a new learner with these details").click()
    page.get_by_role("heading", name="Register a new learner").wait_for()
    accessible(page, "register")
    if email:
        page.get_by_label("Email address (optional)").fill(email)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers").wait_for()
    accessible(page, "check-your-answers")
    page.get_by_role("button", name="Confirm and register").click()
    page.wait_for_load_state()
