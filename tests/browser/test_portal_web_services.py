"""An organisation admin adds a web-service account for the MIS and revokes it, in Chromium; each
page checked with axe-core, and at 320 px wide."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.journeys import accessible, sign_in

COLLEGE_ADMIN = "lrb_admin@10004321"


def test_an_admin_adds_and_revokes_a_web_service_account(page: Page) -> None:
    sign_in(page, COLLEGE_ADMIN)
    page.get_by_role("link", name="Manage users").click()
    page.get_by_role("link", name=re.compile("Web-service accounts")).click()
    accessible(page, "web-service-accounts")
    page.get_by_label("User name").fill("sims-live")
    page.get_by_label("Registration user").check()
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_text("Account sims-live added")).to_be_visible()
    expect(page.get_by_text("It will not be shown again")).to_be_visible()
    accessible(page, "web-service-account-added")

    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"the page is {width} px wide at 320 px"

    page.get_by_role("button", name="Revoke sims-live").click()
    expect(page.get_by_text("Web-service account sims-live revoked")).to_be_visible()
    accessible(page)
