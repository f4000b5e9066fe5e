"""The desk's portal pages are the desk's alone; the changes page is public."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.functional.portal_support import COLLEGE_ADMIN, SERVICE_DESK, post_form, sign_in

DESK_PAGES = (
    "/portal/desk/incidents",
    "/portal/desk/deadlines",
    "/portal/desk/maintenance",
    "/portal/desk",
)


def test_only_the_desk_sees_its_pages_and_anyone_the_changes(browser: TestClient) -> None:
    assert browser.get("/portal/changes").status_code == 200  # signed out
    sign_in(browser, COLLEGE_ADMIN)
    for url in DESK_PAGES:
        assert browser.get(url).status_code == 403, url


def test_a_bad_maintenance_window_and_incident_show_their_errors(browser: TestClient) -> None:
    sign_in(browser, SERVICE_DESK)
    for url in DESK_PAGES:
        assert browser.get(url).status_code == 200, url
    backwards = {
        "starts_at-day": "2",
        "starts_at-month": "1",
        "starts_at-year": "2099",
        "starts_at-time": "22:00",
        "ends_at-day": "1",
        "ends_at-month": "1",
        "ends_at-year": "2099",
        "ends_at-time": "9pm",
    }
    refused = post_form(browser, DESK_PAGES[2], DESK_PAGES[2], backwards)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "Enter the end time, like 21:00" in refused.text  # type: ignore[attr-defined]
    backwards["ends_at-time"] = "21:00"
    refused = post_form(browser, DESK_PAGES[2], DESK_PAGES[2], backwards)
    assert "The end must be after the start" in refused.text  # type: ignore[attr-defined]

    empty = post_form(browser, "/portal/desk/incidents/new", "/portal/desk/incidents/new", {})
    assert empty.status_code == 400  # type: ignore[attr-defined]
    assert "Choose the incident" in empty.text  # type: ignore[attr-defined]
    missing = browser.get("/portal/desk/incidents/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404


def test_the_desk_reaches_its_pages_from_the_navigation_and_anyone_the_changes_from_the_footer(
    browser: TestClient,
) -> None:
    signed_out = browser.get("/portal/sign-in").text
    assert 'href="/portal/changes"' in signed_out[signed_out.index("<footer") :]
    sign_in(browser, SERVICE_DESK)
    home = browser.get("/portal/").text
    header = home[home.index("<header") : home.index("</header>")]
    assert 'href="/portal/desk"' in header and "Service desk" in header
    hub = browser.get("/portal/desk").text
    for url in (*DESK_PAGES[:3], "/portal/organisations", "/portal/changes"):
        assert f'href="{url}"' in hub, url
    organisations = browser.get("/portal/organisations").text
    header = organisations[organisations.index("<header") : organisations.index("</header>")]
    assert re.search(r'href="/portal/desk"[^>]*aria-current="page"', header)
