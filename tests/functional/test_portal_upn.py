"""The UPN in the portal: checked with its check letter when a learner is changed, and shown on
the learner's record."""

from __future__ import annotations

from fastapi.testclient import TestClient

from openlrs.domain.identifiers import make_upn
from tests.functional.portal_support import COLLEGE_ADMIN, csrf_of, sign_in
from tests.functional.test_portal_pages import LEARNER, registered

UPN = make_upn("380400112345")


def test_a_upn_with_a_wrong_check_letter_is_refused_and_a_right_one_shown(
    browser: TestClient,
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    uln = registered(browser)
    page = browser.get(f"/portal/learners/{uln}/edit").text
    wrong = ("A" if UPN[0] != "A" else "B") + UPN[1:]

    refused = browser.post(
        f"/portal/learners/{uln}/edit",
        data=LEARNER | {"version": "1", "upn": wrong, "csrf_token": csrf_of(page)},
    )
    changed = browser.post(
        f"/portal/learners/{uln}/edit",
        data=LEARNER | {"version": "1", "upn": UPN.lower(), "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    record = browser.get(f"/portal/learners/{uln}").text

    assert refused.status_code == 422
    assert "UPN must be a check letter" in refused.text
    assert changed.status_code == 303
    assert "Unique pupil number (UPN)" in record and UPN in record
