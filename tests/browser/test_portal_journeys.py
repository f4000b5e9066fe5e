"""The main portal journeys in Chromium, each page checked with axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.journeys import accessible, register_after_search, search, sign_in

COLLEGE_ADMIN = "lrb_admin@10004321"
SERVICE_DESK = "admin@10000001"
AMELIA = {
    "given_name": "Amelia",
    "family_name": "Hughes",
    "date_of_birth": "14 5 2008",
    "gender": "Female",
    "postcode": "LS1 4AP",
}
OLIVIA = AMELIA | {"given_name": "Olivia"}  # a twin: the register cannot tell them apart alone


def test_sign_in_search_and_register_with_check_your_answers(page: Page) -> None:
    sign_in(page, COLLEGE_ADMIN)

    search(page, AMELIA, "search-no-match")
    expect(page.get_by_role("heading", name="No learner found")).to_be_visible()
    register_after_search(page, email="amelia.hughes@example.org")

    expect(page.get_by_text(re.compile(r"Learner registered with ULN \d{10}"))).to_be_visible()
    assert re.search(r"/portal/learners/\d{10}$", page.url)
    accessible(page, "learner")
    expect(page.get_by_text("amelia.hughes@example.org")).to_be_visible()


def test_a_possible_match_is_held_and_resolved_as_a_different_person(page: Page) -> None:
    sign_in(page, COLLEGE_ADMIN)
    search(page, AMELIA)
    register_after_search(page)

    search(page, OLIVIA, "search-possible-match")
    expect(page.get_by_role("heading", name="Possible matches")).to_be_visible()
    expect(page.get_by_text("What you entered and what the register holds").first).to_be_visible()
    register_after_search(page)
    expect(page.get_by_role("heading", name="This learner may already have a ULN")).to_be_visible()
    accessible(page, "registration-held")

    page.get_by_role("button", name="Decide now").click()
    expect(page.get_by_role("heading", name="Is this learner already registered?")).to_be_visible()
    accessible(page, "exception")
    page.get_by_role("button", name="Save decision").click()  # nothing chosen yet
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    accessible(page, "exception-error")
    page.get_by_label(re.compile("No, this is a different person")).check()
    page.get_by_role("button", name="Save decision").click()

    expect(page.get_by_text(re.compile(r"learner registered with new ULN \d{10}"))).to_be_visible()
    accessible(page)
    page.goto("/portal/exceptions")
    expect(page.get_by_text("There are no open exceptions.")).to_be_visible()
    accessible(page, "exceptions-queue")


def test_a_search_with_missing_details_shows_the_error_summary(page: Page) -> None:
    sign_in(page, COLLEGE_ADMIN)
    page.goto("/portal/learners/search")
    page.get_by_role("button", name="Search").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name="Enter the given name")).to_be_visible()
    expect(page.locator("#given_name-error")).to_be_visible()
    accessible(page, "search-errors")


def test_revoking_a_user_ends_their_session(page: Page, second_page: Page) -> None:
    sign_in(page, COLLEGE_ADMIN)
    page.get_by_role("link", name="Manage users").click()
    accessible(page, "users")
    page.get_by_role("button", name="Add a user").click()
    accessible(page, "add-user")
    page.get_by_label("Username").fill("temp.registrar@10004321")
    page.get_by_label("First password").fill("a-long-first-password")
    page.get_by_label("Registration user").check()
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("User temp.registrar@10004321 added.")).to_be_visible()

    second_page.goto("/portal/sign-in")
    second_page.get_by_label("Username").fill("temp.registrar@10004321")
    second_page.get_by_label("Password", exact=True).fill("a-long-first-password")
    second_page.get_by_role("button", name="Sign in").click()
    second_page.get_by_label("New password", exact=True).fill("my-own-password")
    second_page.get_by_label("Type the new password again").fill("my-own-password")
    second_page.get_by_role("button", name="Save and continue").click()
    second_page.wait_for_url("**/portal/")
    page.get_by_role("link", name="temp.registrar@10004321").click()
    page.get_by_role("button", name="Deactivate user").click()
    accessible(page, "deactivate-user")
    page.get_by_role("button", name="Yes, deactivate").click()
    expect(page.get_by_text("they have been signed out")).to_be_visible()
    accessible(page)

    second_page.goto("/portal/learners/search")
    expect(second_page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert "/portal/sign-in?next=" in second_page.url


def test_the_service_desk_manages_organisations_and_reads_the_audit_trail(page: Page) -> None:
    sign_in(page, SERVICE_DESK)
    page.get_by_role("link", name="Organisations", exact=True).first.click()
    accessible(page, "organisations")
    page.get_by_role("link", name="Suspend Northgate Academy").click()
    accessible(page, "suspend-organisation")
    page.get_by_role("button", name="Yes, suspend").click()
    expect(page.get_by_text("Organisation Northgate Academy suspended.")).to_be_visible()
    page.get_by_role("button", name="Reactivate Northgate Academy").click()
    expect(page.get_by_text("Organisation Northgate Academy reactivated.")).to_be_visible()

    page.goto("/portal/audit")
    expect(page.get_by_text("Changed an organisation").first).to_be_visible()
    accessible(page, "audit")


def test_the_portal_works_without_javascript(page_without_javascript: Page) -> None:
    page = page_without_javascript
    page.goto("/portal/sign-in")
    page.get_by_label("Username").fill(COLLEGE_ADMIN)
    page.get_by_label("Password", exact=True).fill("demo-password-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portal/")

    page.goto("/portal/learners/search")
    page.get_by_label("Given name").fill("Noah")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2007")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Postcode").fill("B1 1AA")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No learner found")).to_be_visible()
    assert page.url.endswith("/portal/learners/search")  # the details went in the body
