"""Portal pages through the real app: editing with a version conflict, TOTP sign-in, bad paths."""

from __future__ import annotations

import re
import time

import pyotp
from fastapi.testclient import TestClient

from tests.functional.portal_support import COLLEGE_ADMIN, csrf_of, post_form, sign_in

LEARNER = {
    "given_name": "Noah",
    "family_name": "Okafor",
    "date_of_birth-day": "2",
    "date_of_birth-month": "11",
    "date_of_birth-year": "2007",
    "gender": "1",
    "postcode": "B1 1AA",
}


def registered(client: TestClient) -> str:
    results = post_form(client, "/portal/learners/search", "/portal/learners/search", LEARNER)
    proof = re.search(r'name="search_proof" value="(\w+)"', results.text).group(1)  # type: ignore[attr-defined, union-attr]
    data = LEARNER | {"search_proof": proof, "csrf_token": csrf_of(results.text)}  # type: ignore[attr-defined]
    done = client.post("/portal/learners/register/confirm", data=data, follow_redirects=False)
    return done.headers["location"].rsplit("/", 1)[1]


def test_an_edit_from_a_stale_version_explains_the_conflict(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    uln = registered(browser)
    stale = browser.get(f"/portal/learners/{uln}/edit").text
    first = browser.post(
        f"/portal/learners/{uln}/edit",
        data=LEARNER | {"version": "1", "postcode": "B2 4QA", "csrf_token": csrf_of(stale)},
        follow_redirects=False,
    )
    assert first.status_code == 303

    second = browser.post(
        f"/portal/learners/{uln}/edit",
        data=LEARNER | {"version": "1", "given_name": "Noel", "csrf_token": csrf_of(stale)},
    )

    assert second.status_code == 409
    assert "Someone else changed this learner" in second.text
    assert 'name="version" value="2"' in second.text


def test_an_edit_with_a_bad_date_shows_the_field_error(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    uln = registered(browser)
    page = browser.get(f"/portal/learners/{uln}/edit").text

    response = browser.post(
        f"/portal/learners/{uln}/edit",
        data=LEARNER
        | {
            "version": "1",
            "date_of_birth-day": "31",
            "date_of_birth-month": "2",
            "csrf_token": csrf_of(page),
        },
    )

    assert response.status_code == 422
    assert 'href="#date_of_birth-day"' in response.text
    assert "must be a real date" in response.text


def test_two_factor_enrolment_then_sign_in_needs_the_code(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    begun = post_form(browser, "/portal/account", "/portal/account/two-factor", {})
    assert begun.headers["location"] == "/portal/account/two-factor"  # type: ignore[attr-defined]
    started = browser.get("/portal/account/two-factor")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', started.text).group(1)  # type: ignore[attr-defined, union-attr]
    totp = pyotp.TOTP(secret)
    confirmed = browser.post(
        "/portal/account/two-factor/confirm",
        # the previous time step's code, so the current one is still unused for signing in
        data={"code": totp.at(time.time() - totp.interval), "csrf_token": csrf_of(started.text)},  # type: ignore[attr-defined]
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    post_form(browser, "/portal/sign-out", "/portal/sign-out", {})

    page = browser.get("/portal/sign-in")
    response = browser.post(
        "/portal/sign-in",
        data={
            "username": COLLEGE_ADMIN,
            "password": "demo-password-2026",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/portal/sign-in/security-code"
    assert browser.get("/portal/", follow_redirects=False).status_code == 303  # not yet

    code_page = browser.get("/portal/sign-in/security-code")
    done = browser.post(
        "/portal/sign-in/security-code",
        data={"code": totp.now(), "csrf_token": csrf_of(code_page.text)},
        follow_redirects=False,
    )
    assert done.headers["location"] == "/portal/"
    assert browser.get("/portal/").status_code == 200


def test_malformed_ids_are_a_not_found_page(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)

    for path in ("/portal/exceptions/abc", "/portal/organisations/12/users", "/portal/nope"):
        response = browser.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")


def test_opening_the_register_page_directly_starts_with_a_search(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)

    response = browser.get("/portal/learners/register", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/portal/learners/search"
