"""An organisation's admin (or the desk) sets where its notifications go, in the portal: the
address is checked, saved with post/redirect/get and shown on the organisation's users page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from openlrs.services.notifications.outbox import contact_address
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.portal_support import (
    COLLEGE_ADMIN,
    DESK,
    SCHOOL_USER,
    SERVICE_DESK,
    post_form,
    sign_in,
)

COLLEGE = "10004321"
PAGE = f"/portal/organisations/{COLLEGE}/contact-address"
USERS = f"/portal/organisations/{COLLEGE}/users"


def test_an_organisation_admin_sets_checks_and_removes_its_contact_address(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    users = browser.get(USERS).text
    assert "no address (none are sent)" in users and f'href="{PAGE}"' in users

    wrong = post_form(browser, PAGE, PAGE, {"contact_email": "not an address"})
    assert wrong.status_code == 400  # type: ignore[attr-defined]
    assert "Enter an email address in the correct format" in wrong.text  # type: ignore[attr-defined]
    assert 'value="not an address"' in wrong.text  # type: ignore[attr-defined]

    saved = post_form(browser, PAGE, PAGE, {"contact_email": " mis-team@example.ac.uk "})
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert saved.headers["location"] == USERS  # type: ignore[attr-defined]
    shown = browser.get(USERS).text
    assert "mis-team@example.ac.uk" in shown and "Contact address saved" in shown
    assert contact_address(COLLEGE, principal=DESK, uow=uow_factory()) == "mis-team@example.ac.uk"
    assert 'value="mis-team@example.ac.uk"' in browser.get(PAGE).text

    removed = post_form(browser, PAGE, PAGE, {"contact_email": ""})
    assert removed.status_code == 303  # type: ignore[attr-defined]
    assert "no address (none are sent)" in browser.get(USERS).text
    assert contact_address(COLLEGE, principal=DESK, uow=uow_factory()) is None


def test_the_desk_may_set_it_and_another_organisations_user_may_not(browser: TestClient) -> None:
    sign_in(browser, SCHOOL_USER)
    assert browser.get(PAGE).status_code == 403
    browser.cookies.clear()
    sign_in(browser, SERVICE_DESK)
    done = post_form(browser, PAGE, PAGE, {"contact_email": "desk-set@example.ac.uk"})
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert "desk-set@example.ac.uk" in browser.get(USERS).text
