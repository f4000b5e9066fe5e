"""Portal sign-in as an attacker would probe it: lockout that names nobody and that nobody can
turn on a user from elsewhere; sessions that end with the account; cookies Secure behind TLS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openlrs.config import Settings
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.callers import SECRET_KEY
from tests.functional.portal_support import (
    SCHOOL_USER,
    SERVICE_DESK,
    csrf_of,
    portal_app,
    post_form,
    sign_in,
)

ATTACKER = ("203.0.113.9", 50000)
USERS_DESK = ("198.51.100.7", 50000)


def _settings(database_url: str, tmp_path: Path, **more: object) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        var_dir=tmp_path / "var",
        portal_max_failed_sign_ins=3,
        **more,  # type: ignore[arg-type]
    )


@pytest.fixture
def app(database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory) -> FastAPI:
    return portal_app(_settings(database_url, tmp_path), uow_factory)


@pytest.fixture
def attacker(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False, client=ATTACKER) as client:
        yield client


def _attempt(client: TestClient, username: str, password: str) -> tuple[int, list[str]]:
    page = client.get("/portal/sign-in")
    response = client.post(
        "/portal/sign-in",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    return response.status_code, re.findall(r'href="#username">([^<]+)<', response.text)


def test_an_unknown_username_is_answered_exactly_as_a_known_one(attacker: TestClient) -> None:
    """Before: unknown names were never locked, so the fourth answer told who exists."""
    known = [_attempt(attacker, SCHOOL_USER, "wrong") for _ in range(4)]
    unknown = [_attempt(attacker, "nobody@10007777", "wrong") for _ in range(4)]

    assert known == unknown
    assert known[0][0] == 401 and "Too many failed sign-in attempts" in known[-1][1][0]


def test_failures_from_one_address_do_not_lock_the_user_out_from_another(
    app: FastAPI, attacker: TestClient
) -> None:
    for _ in range(3):
        _attempt(attacker, SCHOOL_USER, "wrong")
    assert _attempt(attacker, SCHOOL_USER, "demo-password-2026")[0] == 401  # locked there

    with TestClient(app, raise_server_exceptions=False, client=USERS_DESK) as user:
        sign_in(user, SCHOOL_USER)
        assert user.get("/portal/", follow_redirects=False).status_code == 200


def test_a_suspended_organisations_open_sessions_are_refused(
    app: FastAPI, attacker: TestClient
) -> None:
    with (
        TestClient(app, raise_server_exceptions=False) as desk,
        TestClient(app, raise_server_exceptions=False) as school,
    ):
        sign_in(school, SCHOOL_USER)
        sign_in(desk, SERVICE_DESK)
        suspended = post_form(
            desk,
            "/portal/organisations/10007777/suspend",  # the confirmation page holds the form
            "/portal/organisations/10007777/status",
            {"status": "suspended"},
        )
        assert suspended.status_code == 303  # type: ignore[attr-defined]

        response = school.get("/portal/", follow_redirects=False)

    assert (response.status_code, response.headers["location"]) == (303, "/portal/sign-in")


def _set_cookies(response: object) -> dict[str, str]:
    """Each cookie the response sets -> its whole Set-Cookie line."""
    lines = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    return {line.split("=", 1)[0]: line for line in lines}


def _secure(line: str) -> bool:
    return "; secure" in line.lower()


def _journey(client: TestClient) -> dict[str, str]:
    """Visit, sign in and sign out, sending cookies by hand (an http client keeps back Secure
    ones); every cookie set on the way."""
    first = client.get("/portal/sign-in")
    visitor = first.cookies["openlrs_visitor"]
    client.cookies.clear()
    signed = client.post(
        "/portal/sign-in",
        data={"username": SCHOOL_USER, "password": "demo-password-2026",
              "csrf_token": csrf_of(first.text)},
        headers={"Cookie": f"openlrs_visitor={visitor}"},
        follow_redirects=False,
    )  # fmt: skip
    session = signed.cookies["openlrs_session"]
    client.cookies.clear()
    cookie = {"Cookie": f"openlrs_visitor={visitor}; openlrs_session={session}"}
    page = client.get("/portal/sign-out", headers=cookie)
    client.cookies.clear()
    out = client.post(
        "/portal/sign-out",
        data={"csrf_token": csrf_of(page.text)},
        headers=cookie,
        follow_redirects=False,
    )
    client.cookies.clear()
    assert out.status_code == 303, out.text
    return _set_cookies(first) | _set_cookies(signed) | _set_cookies(out)


def test_behind_tls_every_portal_cookie_is_secure_even_over_http(
    database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory
) -> None:
    app = portal_app(_settings(database_url, tmp_path, behind_tls=True), uow_factory)
    with TestClient(app, raise_server_exceptions=False) as client:
        cookies = _journey(client)

    assert set(cookies) >= {"openlrs_visitor", "openlrs_session", "openlrs_flash"}
    assert {name: _secure(line) for name, line in cookies.items()} == dict.fromkeys(cookies, True)


def test_over_https_the_flash_cookie_is_secure_too(app: FastAPI) -> None:
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        cookies = _journey(client)

    assert _secure(cookies["openlrs_flash"])


def test_on_plain_http_without_tls_configured_cookies_are_not_secure(app: FastAPI) -> None:
    """`make run` on http://127.0.0.1: a Secure cookie would never come back."""
    with TestClient(app, raise_server_exceptions=False) as client:
        cookies = _journey(client)

    assert not any(_secure(line) for line in cookies.values())
