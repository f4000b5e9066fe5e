"""The API with the portal mounted, demo-like organisations and users, and a signed-in browser."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi import FastAPI
from fastapi.testclient import TestClient

from openlrs.api.app import create_api
from openlrs.config import Settings
from openlrs.demo import DEMO_PASSWORD, seed_demo
from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.portal.app import mount_portal
from openlrs.services.ports import UnitOfWorkFactory

SERVICE_DESK = "admin@10000001"
COLLEGE_ADMIN = "lrb_admin@10004321"
SCHOOL_USER = "lrb@10007777"
AWARDING_BODY = "ao@10009999"
PASSWORD = DEMO_PASSWORD
AO_UKPRN = "10009999"
# The demo organisations' people as the use cases see them (for setting up a test's world).
DESK = Principal("user:desk", "10000001", frozenset({Role.ADMIN}))
AO = Principal("user:ao", AO_UKPRN, frozenset({Role.AO}))
REGISTRAR = Principal("user:registrar", "10004321", frozenset({Role.LRB}))


def portal_app(settings: Settings, uow_factory: UnitOfWorkFactory) -> FastAPI:
    seed_demo(uow_factory, learners=0, seed=1)
    return mount_portal(create_api(settings, uow_factory), settings, uow_factory)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session cookie."""
    page = client.get("/portal/sign-in")
    response = client.post(
        "/portal/sign-in",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.cookies["openlrs_session"])


def plant_session_cookie(client: TestClient, value: str) -> None:
    """Set the session cookie as the server would (so it replaces, not shadows, a real one)."""
    client.cookies.set("openlrs_session", value, domain="testserver.local", path="/")


def post_form(client: TestClient, page_url: str, action: str, data: dict[str, str]) -> object:
    """GET a page, then POST one of its forms with that page's CSRF token (no redirects followed)."""
    page = client.get(page_url)
    return client.post(
        action, data=data | {"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )


class LinkCollector(HTMLParser):
    """Every href and form action on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "action", "src") and value:
                self.urls.append(value)


def urls_in(html: str) -> list[str]:
    collector = LinkCollector()
    collector.feed(html)
    return collector.urls
