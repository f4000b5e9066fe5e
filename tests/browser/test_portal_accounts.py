"""Accounts in Chromium: an administrator changes a user's roles, gives them a one-time password
reset link (the user chooses the password), deactivates them after a confirmation and
reactivates them; a new user must choose their own password at first sign-in; and sign-in
returns to the page asked for. Every page reached passes axe-core with no violation at all."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Portal
from tests.browser.demo_portal import NARROW, overflow, visible_codes
from tests.browser.journeys import PASSWORD, axe_violations

ADMIN = "lrb_admin@10004321"
USERS = "/portal/organisations/10004321/users"


def checked(page: Page, screenshot: str | None = None) -> None:
    """No axe-core violation of any impact, no sideways scrolling, and no internal codes or ids
    on screen (the every-page crawl's checks, for the pages only an account's state reaches)."""
    assert axe_violations(page) == [], page.url
    assert overflow(page) == 0, page.url
    if screenshot:
        from tests.browser.conftest import SCREENSHOTS

        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/{screenshot}.png", full_page=True)
    assert visible_codes(page) == [], page.url  # last: it removes the page's details elements


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/portal/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def add_user(page: Page, username: str) -> None:
    page.goto(USERS + "/new")
    page.get_by_label("Username").fill(username)
    page.get_by_label("First password").fill("given in person 1")
    page.get_by_label("Registration user").check()
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text(f"User {username} added.")).to_be_visible()


def test_an_administrator_manages_a_user_who_resets_their_own_password(
    page: Page, browser: Browser, portal: Portal
) -> None:
    page.set_viewport_size(NARROW)
    sign_in(page, ADMIN)
    add_user(page, "sam.okoro@10004321")
    checked(page, "users")
    page.get_by_role("link", name="sam.okoro@10004321").click()
    checked(page, "user")

    page.get_by_role("link", name="Change roles").click()
    checked(page, "user-roles")
    page.get_by_label("Organisation administrator").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_text("Roles of sam.okoro@10004321 changed.")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Organisation administrator")

    page.get_by_role("button", name="Create a password reset link").click()
    link = page.locator("#reset-link").inner_text()
    checked(page, "user-reset-link")
    page.reload()
    expect(page.locator("#reset-link")).to_have_count(0)  # shown once

    visitor = browser.new_context(base_url=portal.base_url, viewport=NARROW, bypass_csp=True)
    tab = visitor.new_page()
    tab.goto(link)
    checked(tab, "password-reset")
    tab.get_by_label("New password", exact=True).fill("short")
    tab.get_by_label("Type the new password again").fill("different")
    tab.get_by_role("button", name="Save new password").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("at least 12 characters")
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Enter the same password twice")
    checked(tab)
    tab.get_by_label("New password", exact=True).fill("sam chose this one")
    tab.get_by_label("Type the new password again").fill("sam chose this one")
    tab.get_by_role("button", name="Save new password").click()
    expect(tab.get_by_text("Sign in with your new password")).to_be_visible()
    tab.goto(link)
    expect(tab.get_by_role("heading", name="This link has expired")).to_be_visible()
    checked(tab)
    sign_in(tab, "sam.okoro@10004321", "sam chose this one")
    expect(tab.get_by_role("heading", name="Learning records")).to_be_visible()

    page.get_by_role("button", name="Deactivate user").click()
    checked(page, "user-deactivate")
    page.get_by_role("button", name="Yes, deactivate").click()
    expect(page.get_by_text("sam.okoro@10004321 deactivated")).to_be_visible()
    tab.reload()
    expect(tab).to_have_url(re.compile("/portal/sign-in"))  # signed out at once
    page.get_by_role("button", name="Reactivate user").click()
    expect(page.get_by_text("sam.okoro@10004321 reactivated")).to_be_visible()
    visitor.close()


def test_a_new_user_chooses_their_own_password_then_returns_to_the_page_asked_for(
    page: Page, browser: Browser, portal: Portal
) -> None:
    sign_in(page, ADMIN)
    add_user(page, "new.starter@10004321")

    newcomer = browser.new_context(base_url=portal.base_url, viewport=NARROW, bypass_csp=True)
    tab = newcomer.new_page()
    tab.goto("/portal/batches")
    expect(tab).to_have_url(re.compile(r"/portal/sign-in\?next=%2Fportal%2Fbatches"))
    checked(tab, "sign-in")
    sign_in_here = tab.url
    tab.goto(sign_in_here)
    tab.get_by_label("Username").fill("new.starter@10004321")
    tab.get_by_label("Password", exact=True).fill("given in person 1")
    tab.get_by_role("button", name="Sign in").click()
    expect(tab.get_by_role("heading", name="Choose a new password")).to_be_visible()
    checked(tab, "new-password")
    tab.goto("/portal/batches")  # nothing else until the password is changed
    expect(tab.get_by_role("heading", name="Choose a new password")).to_be_visible()
    tab.get_by_label("New password", exact=True).fill("given in person 1")
    tab.get_by_label("Type the new password again").fill("given in person 1")
    tab.get_by_role("button", name="Save and continue").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("not the one you were given")
    tab.get_by_label("New password", exact=True).fill("only I know this")
    tab.get_by_label("Type the new password again").fill("only I know this")
    tab.get_by_role("button", name="Save and continue").click()
    expect(tab.get_by_text("Your password has been changed.")).to_be_visible()

    tab.get_by_role("link", name="Sign out").click()
    tab.get_by_role("button", name="Sign out").click()
    tab.goto("/portal/batches")
    tab.get_by_label("Username").fill("new.starter@10004321")
    tab.get_by_label("Password", exact=True).fill("only I know this")
    tab.get_by_role("button", name="Sign in").click()
    expect(tab).to_have_url(re.compile(r"/portal/batches$"))
    current = tab.locator('.govuk-service-navigation__link[href="/portal/batches"]')
    expect(current).to_have_attribute("aria-current", "page")

    tab.goto("/portal/account")
    tab.get_by_role("link", name="Change your password").click()
    checked(tab, "change-password")
    tab.get_by_label("Current password").fill("wrong")
    tab.get_by_label("New password", exact=True).fill("x")
    tab.get_by_label("Type the new password again").fill("y")
    tab.get_by_role("button", name="Change password").click()
    summary = tab.locator(".govuk-error-summary__list li")
    expect(summary).to_have_count(3)  # every problem at once, in form order
    expect(summary.first).to_contain_text("current password")
    newcomer.close()


def test_sign_in_never_returns_to_another_site(page: Page, portal: Portal) -> None:
    page.goto("/portal/sign-in?next=//evil.example/portal/")
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))


def test_a_user_turns_on_two_factor_and_signs_in_with_a_security_code(page: Page) -> None:
    """The two pages only an account's state reaches (two-factor set-up, the security code at
    sign-in), at 320 px with the every-page crawl's checks."""
    page.set_viewport_size(NARROW)
    sign_in(page, ADMIN)
    page.goto("/portal/account")
    checked(page, "account")
    page.get_by_role("button", name="Set up two-factor authentication").click()
    expect(page.get_by_role("button", name="Turn on two-factor authentication")).to_be_visible()
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text())
    checked(page, "account-two-factor")
    page.get_by_label("Security code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("On")

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, ADMIN)
    expect(page).to_have_url(re.compile("/portal/sign-in/security-code"))
    checked(page, "sign-in-security-code")
    later = totp.at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30))
    page.get_by_label("Security code").fill(later)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Learning records")).to_be_visible()
