"""Portal security: CSRF on every form, no session fixation, revocation at once, lockout,
organisations kept apart, and personal data never in a URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from openlrs.config import Settings
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.callers import SECRET_KEY
from tests.functional.portal_support import (
    COLLEGE_ADMIN,
    SCHOOL_USER,
    SERVICE_DESK,
    csrf_of,
    plant_session_cookie,
    portal_app,
    post_form,
    sign_in,
    urls_in,
)

LEARNER = {
    "given_name": "Amelia",
    "family_name": "Hughes",
    "date_of_birth-day": "14",
    "date_of_birth-month": "5",
    "date_of_birth-year": "2008",
    "gender": "2",
    "postcode": "LS1 4AP",
}
TWIN = LEARNER | {"given_name": "Olivia"}
PERSONAL = ("Amelia", "Olivia", "Hughes", "LS1", "4AP", "2008", "14-5", "2008-05-14")


@pytest.fixture
def app_factory(database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory):  # type: ignore[no-untyped-def]
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        var_dir=tmp_path / "var",
        portal_max_failed_sign_ins=3,
    )
    return portal_app(settings, uow_factory)


@pytest.fixture
def browser(app_factory) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app_factory, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def other_browser(app_factory) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app_factory, raise_server_exceptions=False) as client:
        yield client


def search(client: TestClient, details: dict[str, str]) -> str:
    response = post_form(client, "/portal/learners/search", "/portal/learners/search", details)
    assert response.status_code == 200
    return response.text


def register(client: TestClient, details: dict[str, str]) -> object:
    results = search(client, details)
    proof = re.search(r'name="search_proof" value="(\w+)"', results)
    assert proof, "the search offered no registration"
    data = details | {"search_proof": proof.group(1), "csrf_token": csrf_of(results)}
    return client.post("/portal/learners/register/confirm", data=data, follow_redirects=False)


def test_a_form_posted_without_its_csrf_token_is_refused(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)

    response = browser.post("/portal/learners/search", data=LEARNER, follow_redirects=False)

    assert response.status_code == 403
    assert "This form has expired" in response.text


def test_a_csrf_token_from_another_session_is_refused(
    browser: TestClient, other_browser: TestClient
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    sign_in(other_browser, COLLEGE_ADMIN)
    foreign = csrf_of(other_browser.get("/portal/learners/search").text)

    response = browser.post(
        "/portal/learners/search", data=LEARNER | {"csrf_token": foreign}, follow_redirects=False
    )

    assert response.status_code == 403


def test_the_sign_in_form_itself_needs_a_csrf_token(browser: TestClient) -> None:
    response = browser.post(
        "/portal/sign-in", data={"username": COLLEGE_ADMIN, "password": "x"}, follow_redirects=False
    )

    assert response.status_code == 403


def test_signing_in_issues_a_new_session_id(browser: TestClient) -> None:
    plant_session_cookie(browser, "chosen-by-an-attacker")

    issued = sign_in(browser, COLLEGE_ADMIN)

    assert issued != "chosen-by-an-attacker"
    assert sign_in(browser, COLLEGE_ADMIN) != issued  # and again on every sign-in


def test_a_planted_session_id_is_not_a_session(browser: TestClient) -> None:
    plant_session_cookie(browser, "chosen-by-an-attacker")

    response = browser.get("/portal/", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/portal/sign-in"


def test_session_cookie_is_http_only_and_same_site_lax(browser: TestClient) -> None:
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

    cookie = response.headers["set-cookie"].lower()
    assert "openlrs_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_signing_out_ends_the_session(browser: TestClient) -> None:
    token = sign_in(browser, COLLEGE_ADMIN)
    post_form(browser, "/portal/sign-out", "/portal/sign-out", {})
    plant_session_cookie(browser, token)  # replaying the old cookie

    assert browser.get("/portal/", follow_redirects=False).status_code == 303


def test_a_revoked_users_session_ends_at_once(
    browser: TestClient, other_browser: TestClient
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    users_page = "/portal/organisations/10004321/users"
    post_form(
        browser,
        f"{users_page}/new",
        f"{users_page}/new",
        {"username": "leaver@10004321", "password": "a-long-first-password", "roles": "lrb"},
    )
    sign_in(other_browser, "leaver@10004321", "a-long-first-password")
    chosen = {"password": "the-leavers-own-password", "confirm": "the-leavers-own-password"}
    new_password = "/portal/sign-in/new-password"
    assert post_form(other_browser, new_password, new_password, chosen).status_code == 303  # type: ignore[attr-defined]
    assert other_browser.get("/portal/").status_code == 200

    revoked = post_form(
        browser, f"{users_page}/new", f"{users_page}/revoke", {"username": "leaver@10004321"}
    )
    assert revoked.status_code == 303  # type: ignore[attr-defined]

    response = other_browser.get("/portal/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/portal/sign-in"


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    browser: TestClient,
) -> None:
    page = browser.get("/portal/sign-in")
    for _ in range(3):
        wrong = browser.post(
            "/portal/sign-in",
            data={"username": SCHOOL_USER, "password": "wrong", "csrf_token": csrf_of(page.text)},
        )
        assert wrong.status_code in (401, 429)

    right = browser.post(
        "/portal/sign-in",
        data={
            "username": SCHOOL_USER,
            "password": "demo-password-2026",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert right.status_code == 401
    assert "Too many failed sign-in attempts" in right.text


def test_another_organisations_exceptions_cannot_be_seen(
    browser: TestClient, other_browser: TestClient
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    register(browser, LEARNER)
    refused = register(browser, TWIN)
    held_id = re.search(r'href="/portal/exceptions/(\d+)"', refused.text).group(1)  # type: ignore[attr-defined, union-attr]
    sign_in(other_browser, SCHOOL_USER)

    assert other_browser.get(f"/portal/exceptions/{held_id}").status_code == 404
    assert f"/portal/exceptions/{held_id}" not in other_browser.get("/portal/exceptions").text
    resolve = post_form(
        other_browser,
        "/portal/sign-out",
        f"/portal/exceptions/{held_id}/resolve",
        {"decision": "different_person"},
    )
    assert resolve.status_code == 404  # type: ignore[attr-defined]


def test_the_audit_trail_is_for_admins_and_only_their_own_organisation(
    browser: TestClient, other_browser: TestClient
) -> None:
    sign_in(browser, SCHOOL_USER)
    search(browser, LEARNER)
    assert browser.get("/portal/audit").status_code == 403

    sign_in(other_browser, COLLEGE_ADMIN)
    page = other_browser.get("/portal/audit").text
    assert "user:lrb_admin@10004321" in page
    assert "user:lrb@10007777" not in page


def test_the_service_desk_sees_every_organisation_and_can_suspend_one(browser: TestClient) -> None:
    sign_in(browser, SERVICE_DESK)
    assert "Northgate Academy" in browser.get("/portal/organisations").text

    response = post_form(  # the confirmation page holds the form
        browser,
        "/portal/organisations/10007777/suspend",
        "/portal/organisations/10007777/status",
        {"status": "suspended"},
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert "Reactivate Northgate Academy" in browser.get("/portal/organisations").text


def test_personal_data_never_appears_in_a_url(browser: TestClient) -> None:
    """Walk the journeys; check every redirect and every link, form action and asset URL."""
    seen: list[str] = []

    def visit(response: object) -> None:
        location = response.headers.get("location")  # type: ignore[attr-defined]
        if location:
            seen.append(location)
            response = browser.get(location)
        seen.append(str(response.url))  # type: ignore[attr-defined]
        seen.extend(urls_in(response.text))  # type: ignore[attr-defined]

    sign_in(browser, COLLEGE_ADMIN)
    visit(post_form(browser, "/portal/learners/search", "/portal/learners/search", LEARNER))
    visit(register(browser, LEARNER))
    refused = register(browser, TWIN)
    visit(refused)
    held_id = re.search(r'href="/portal/exceptions/(\d+)"', refused.text).group(1)  # type: ignore[attr-defined, union-attr]
    visit(browser.get(f"/portal/exceptions/{held_id}"))
    visit(browser.get("/portal/exceptions"))
    visit(
        post_form(
            browser,
            f"/portal/exceptions/{held_id}",
            f"/portal/exceptions/{held_id}/resolve",
            {"decision": "different_person"},
        )
    )
    visit(browser.get("/portal/audit"))

    assert len(seen) > 50
    for url in seen:
        # A ULN may appear in a URL (and may contain "2008" by chance): look past ten-digit runs.
        without_ulns = re.sub(r"\d{10}", "<uln>", url).lower()
        for value in PERSONAL:
            assert value.lower() not in without_ulns, url
