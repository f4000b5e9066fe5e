"""What the issue-23 journeys share: an axe check that allows no violation of any impact (the
`region` rule included), the people of each kind of organisation, and a way to seed their world."""

from __future__ import annotations

from playwright.sync_api import Page

from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Principal, Role
from openlrs.services.accounts import manage as accounts
from tests.browser.conftest import Portal
from tests.browser.journeys import PASSWORD, accessible

PRISON_UKPRN = "10006666"
TRAINER = "trainer@10006666"
TRAINER_PRINCIPAL = Principal("user:trainer@10006666", PRISON_UKPRN, frozenset({Role.LRB}))


fully_accessible = accessible  # the one axe check (tests/browser/journeys.py)


def sign_in_as(page: Page, username: str) -> None:
    """Sign in without checking the sign-in and home pages again (other journeys do)."""
    page.goto("/portal/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portal/**")


def add_prison_education_provider(portal: Portal) -> None:
    """A prison education (OLASS) provider with a trainer (role lrb)."""
    uow = portal.uow_factory
    accounts.ensure_organisation(
        PRISON_UKPRN, "HMP Northfield Education", OrgType.PRISON, principal=SYSTEM, uow=uow()
    )
    accounts.create_user(
        PRISON_UKPRN, TRAINER, PASSWORD, frozenset({Role.LRB}), principal=SYSTEM, uow=uow()
    )


def fill_date(page: Page, group: str, day: str, month: str, year: str) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(day)
    fieldset.get_by_label("Month").fill(month)
    fieldset.get_by_label("Year").fill(year)
