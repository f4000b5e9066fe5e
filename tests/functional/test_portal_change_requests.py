"""Change requests in the portal (issue 21, item 11): an edit by an organisation without a
relationship is sent for approval; the registering organisation accepts it after confirming."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.functional.portal_support import (
    COLLEGE_ADMIN,
    SCHOOL_USER,
    SERVICE_DESK,
    csrf_of,
    post_form,
    sign_in,
)
from tests.functional.test_portal_pages import LEARNER, registered

REFERENCE = re.compile(r"/portal/change-requests/([0-9a-f-]{36})")


def _as(client: TestClient, username: str) -> None:
    client.cookies.clear()
    sign_in(client, username)


def _visible_text(html: str) -> str:
    """The page without its tags and attribute values (what a person reads)."""
    return re.sub(r"<[^>]*>", " ", html)


def test_an_edit_without_a_relationship_is_sent_for_approval_then_accepted(
    browser: TestClient,
) -> None:
    _as(browser, COLLEGE_ADMIN)
    uln = registered(browser)

    _as(browser, SCHOOL_USER)
    names = {"given_name": LEARNER["given_name"], "family_name": LEARNER["family_name"]}
    shown = post_form(  # the school knows the learner (issue 22): it gives their names once
        browser, f"/portal/learners/{uln}", f"/portal/learners/{uln}/confirm", names
    )
    assert shown.status_code == 303  # type: ignore[attr-defined]
    edit = post_form(
        browser,
        f"/portal/learners/{uln}/edit",
        f"/portal/learners/{uln}/edit",
        LEARNER | {"version": "1", "postcode": "B2 4QA"},
    )
    assert edit.status_code == 303  # type: ignore[attr-defined]
    page = browser.get(f"/portal/learners/{uln}").text
    assert "sent for approval" in page and "B1 1AA" in page

    _as(browser, COLLEGE_ADMIN)
    queue = browser.get("/portal/change-requests").text
    reference = REFERENCE.search(queue).group(1)  # type: ignore[union-attr]
    assert "Noah Okafor" in queue
    detail = browser.get(f"/portal/change-requests/{reference}").text
    assert "B2 4QA" in detail and reference not in _visible_text(detail)
    assert "CHANGE_REQUEST" not in detail

    unanswered = browser.post(
        f"/portal/change-requests/{reference}/check", data={"csrf_token": csrf_of(detail)}
    )
    assert unanswered.status_code == 422 and "Select whether to accept" in unanswered.text
    confirm = browser.post(
        f"/portal/change-requests/{reference}/check",
        data={"decision": "accept", "csrf_token": csrf_of(detail)},
    )
    assert "Are you sure you want to accept this change?" in confirm.text
    assert browser.get(f"/portal/learners/{uln}").text.count("B2 4QA") == 0  # not yet
    done = browser.post(
        f"/portal/change-requests/{reference}/decision",
        data={"decision": "accept", "version": "1", "csrf_token": csrf_of(confirm.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "Change accepted" in browser.get(done.headers["location"]).text
    assert "B2 4QA" in browser.get(f"/portal/learners/{uln}").text


def test_the_service_desk_rejects_a_change_after_confirming(browser: TestClient) -> None:
    _as(browser, COLLEGE_ADMIN)
    uln = registered(browser)
    _as(browser, SCHOOL_USER)
    post_form(
        browser,
        f"/portal/learners/{uln}/edit",
        f"/portal/learners/{uln}/edit",
        LEARNER | {"version": "1", "given_name": "Noel"},
    )
    _as(browser, SERVICE_DESK)
    queue = browser.get("/portal/change-requests").text
    reference = REFERENCE.search(queue).group(1)  # type: ignore[union-attr]
    detail = browser.get(f"/portal/change-requests/{reference}").text
    confirm = browser.post(
        f"/portal/change-requests/{reference}/check",
        data={"decision": "reject", "csrf_token": csrf_of(detail)},
    )
    assert "Are you sure you want to reject this change?" in confirm.text
    done = browser.post(
        f"/portal/change-requests/{reference}/decision",
        data={"decision": "reject", "csrf_token": csrf_of(confirm.text)},
        follow_redirects=False,
    )
    assert "Change rejected" in browser.get(done.headers["location"]).text
    assert "Noel" not in browser.get(f"/portal/learners/{uln}").text
