"""The layout every page shares: a neutral brand unless a deployment turns the GOV.UK brand on,
service navigation per role with the current item marked, account links and the phase banner
inside the header, footer links, and sign-in returning only to the portal's own pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.portal.layout import NAVIGATION, navigation
from openlrs.portal.security import safe_next
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.callers import SECRET_KEY
from tests.functional.portal_support import COLLEGE_ADMIN, portal_app, sign_in

CROWN_MARKS = ("govuk-header", "govuk-logo", "Crown copyright", "Open Government Licence")


def test_the_neutral_brand_has_no_crown_marks_and_the_shared_layout(browser: TestClient) -> None:
    page = browser.get("/portal/sign-in").text
    assert "openlrs-brand-neutral" in page
    assert [mark for mark in CROWN_MARKS if mark in page] == []
    assert "/portal/brand/openlrs.css" in page and "MIT licence" in page
    header = page[page.index("<header") : page.index("</header>")]
    assert "govuk-phase-banner" in header and 'href="/portal/feedback"' in header
    footer = page[page.index("<footer") :]
    for link in ("/portal/accessibility", "/portal/cookies", "/privacy", "/portal/feedback"):
        assert f'href="{link}"' in footer
    for path in ("/portal/accessibility", "/portal/cookies", "/portal/feedback", "/privacy"):
        assert browser.get(path).status_code == 200, path


def test_a_deployment_can_turn_the_govuk_brand_on(
    database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory
) -> None:
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        var_dir=tmp_path / "v",
        portal_brand="govuk",
        portal_service_name="Learning Records Service",
    )
    with TestClient(portal_app(settings, uow_factory)) as client:
        page = client.get("/portal/sign-in").text
    assert "govuk-header" in page and "Crown copyright" in page
    assert "openlrs-brand-govuk" in page


def test_the_current_section_is_marked_and_account_links_are_in_the_header(
    browser: TestClient,
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    page = browser.get("/portal/batches").text
    header = page[page.index("<header") : page.index("</header>")]
    current = re.findall(r'<a[^>]*href="([^"]+)"[^>]*aria-current="page"', header)
    assert current == ["/portal/batches"]
    assert 'href="/portal/account"' in header and 'href="/portal/sign-out"' in header


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.LEARNER])
def test_no_role_gets_more_than_seven_navigation_items(role: Role) -> None:
    """Organisation users' navigation (learners have their own site, /learner/, and never reach
    the portal)."""
    items, account = navigation(Principal("user:x", "10000001", frozenset({role})), "/portal/")
    assert 2 <= len(items) <= 7
    assert [i["text"] for i in account] == ["Your account", "Sign out"]
    assert [i["text"] for i in items if i["current"]] == ["Home"]
    assert len({i.text for i in NAVIGATION}) == len(NAVIGATION)


@pytest.mark.parametrize(
    ("asked", "goes"),
    [
        ("/portal/batches?before=x", "/portal/batches?before=x"),
        ("/portal/learners/1234567890", "/portal/learners/1234567890"),
        ("//evil.example/portal/", "/portal/"),
        ("https://evil.example/portal/", "/portal/"),
        ("/portal//evil.example", "/portal/"),
        ("/portal/\\evil", "/portal/"),
        ("/api/v1/learners", "/portal/"),
        ("/portal/sign-out", "/portal/"),
        ("/portal/a\nb", "/portal/"),
        (None, "/portal/"),
    ],
)
def test_sign_in_returns_only_to_a_page_of_the_portal(asked: str | None, goes: str) -> None:
    assert safe_next(asked) == goes


def test_a_signed_out_visit_returns_to_the_page_after_sign_in(browser: TestClient) -> None:
    asked = browser.get("/portal/batches", follow_redirects=False)
    assert asked.headers["location"] == "/portal/sign-in?next=%2Fportal%2Fbatches"
    page = browser.get(asked.headers["location"]).text
    assert 'name="next" value="/portal/batches"' in page
