"""The provider register's public portal pages: search by name (misspelt, trading), postcode and
UKPRN without signing in, a provider's public details, paging, bad input, and never a private
field (contact, the desk's notes, the application reference) on any page."""

from __future__ import annotations

import dataclasses
import html

import pytest
from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import SYSTEM
from openlrs.domain.providers.provider import (
    Address,
    Contact,
    Provider,
    ProviderChanges,
    ProviderDetails,
    ProviderStatus,
    application_reference,
)
from openlrs.services.providers.apply import apply_for_ukprn
from openlrs.services.providers.standing import deactivate_provider
from openlrs.services.providers.update import update_provider_details
from openlrs.services.providers.verify import Decide, decide_application
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_provider_details, provider_details
from tests.functional.portal_support import COLLEGE_ADMIN, sign_in

PROVIDERS = "/portal/providers"
PRIVATE_CONTACT = Contact("Morag Quill", "morag.quill@lantern.example", "0113 496 0000")


def approved(details: ProviderDetails, uow_factory: SqlUnitOfWorkFactory) -> Provider:
    reference = apply_for_ukprn(details, uow=uow_factory()).reference
    command = Decide(reference, True, confirm_not_duplicate=True)
    return decide_application(command, principal=SYSTEM, uow=uow_factory())


@pytest.fixture
def lantern(uow_factory: SqlUnitOfWorkFactory) -> Provider:
    """A verified provider that holds private fields: a contact and the desk's notes (from a
    refused change of legal name)."""
    details = dataclasses.replace(
        provider_details(31),
        legal_name="Lantern Learning Partnership Ltd",
        trading_names=("Beacon Skills Academy",),
        contact=PRIVATE_CONTACT,
        address=Address("12 Quay Street", "Bristol", "BS1 4DJ"),
    )
    provider = approved(details, uow_factory)
    ukprn = provider.ukprn or ""
    rename = ProviderChanges(legal_name="Lantern Logistics Ltd")
    update_provider_details(ukprn, rename, principal=SYSTEM, uow=uow_factory())
    refuse = Decide(provider.reference, False, "desk notes: not a trading name change")
    return decide_application(refuse, principal=SYSTEM, uow=uow_factory())


def search(browser: TestClient, query: str, page: int = 1) -> str:
    response = browser.get(PROVIDERS, params={"query": query, "page": page})
    assert response.status_code == 200, response.text
    return html.unescape(response.text)


def assert_nothing_private(page: str, provider: Provider) -> None:
    private = [*dataclasses.astuple(PRIVATE_CONTACT), "desk notes", provider.reference]
    assert provider.notes and provider.notes.startswith("desk notes")  # it has private fields
    assert [p for p in private if p in page] == []


@pytest.mark.parametrize("query", ["Lantern Lerning", "beacon skills", "BS1 4DJ", "bristol"])
def test_anyone_finds_a_provider_without_signing_in(
    browser: TestClient, lantern: Provider, query: str
) -> None:
    page = search(browser, query)

    assert f'href="/portal/providers/{lantern.ukprn}"' in page
    assert "Lantern Learning Partnership Ltd" in page and "Trading as Beacon Skills Academy" in page
    assert "Verified" in page
    assert "Sign out" not in page
    assert_nothing_private(page, lantern)


def test_a_providers_page_shows_its_public_details_only(
    browser: TestClient, lantern: Provider
) -> None:
    assert lantern.ukprn
    assert lantern.ukprn in search(browser, lantern.ukprn)
    response = browser.get(f"{PROVIDERS}/{lantern.ukprn}")
    page = html.unescape(response.text)

    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Lantern Learning Partnership Ltd</h1>' in page
    for shown in ("Beacon Skills Academy", "12 Quay Street, Bristol, BS1 4DJ", "Legal status"):
        assert shown in page
    assert "Lantern Logistics" not in page  # the refused name is history, not public
    assert_nothing_private(page, lantern)


def test_a_deactivated_provider_is_shown_as_such(
    browser: TestClient, lantern: Provider, uow_factory: SqlUnitOfWorkFactory
) -> None:
    ukprn = lantern.ukprn or ""
    deactivate_provider(ukprn, reason="desk notes: ceased", principal=SYSTEM, uow=uow_factory())
    page = html.unescape(browser.get(f"{PROVIDERS}/{ukprn}").text)

    assert "Deactivated" in page and "may not register learners" in page
    assert_nothing_private(page, lantern)


def test_applications_are_never_found(
    browser: TestClient, lantern: Provider, uow_factory: SqlUnitOfWorkFactory
) -> None:
    waiting = dataclasses.replace(provider_details(32), legal_name="Quillwort Applied Skills Ltd")
    apply_for_ukprn(waiting, uow=uow_factory())

    assert "No providers found" in search(browser, "Quillwort Applied Skills")


def test_results_come_a_page_at_a_time(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    for i, details in enumerate(many_provider_details(23, seed=33)):
        approved(dataclasses.replace(details, legal_name=f"Tamarisk Training {i}"), uow_factory)
    first = search(browser, "Tamarisk")
    second = search(browser, "Tamarisk", page=2)

    assert first.count('href="/portal/providers/') == 20
    assert "/portal/providers?query=Tamarisk&page=2" in first
    assert second.count('href="/portal/providers/') == 3 and "(page 2)" in second
    assert "/portal/providers?query=Tamarisk&page=1" in second


def test_bad_input_is_an_error_summary_or_a_missing_page(browser: TestClient) -> None:
    empty = browser.get(PROVIDERS)
    assert empty.status_code == 200 and "Providers found" not in empty.text
    for query in ("!!", "x" * 101):
        bad = browser.get(PROVIDERS, params={"query": query})
        assert bad.status_code == 422
        assert "There is a problem" in bad.text and 'href="#query"' in bad.text
    assert browser.get(f"{PROVIDERS}/99999998").status_code == 404
    assert browser.get(f"{PROVIDERS}/12ab").status_code == 404


def test_a_signed_in_user_keeps_the_services_navigation(
    browser: TestClient, lantern: Provider
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    page = search(browser, "Lantern")

    assert "Sign out" in page and f'href="/portal/providers/{lantern.ukprn}"' in page


def test_an_organisation_administrator_sees_its_own_record_on_the_register(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    home = browser.get("/portal/")
    assert 'href="/portal/your-provider-record"' in home.text
    assert "is not on the provider register" in browser.get("/portal/your-provider-record").text

    details = dataclasses.replace(
        provider_details(41),
        legal_name="Northgate College of Further Education",
        contact=PRIVATE_CONTACT,
        address=Address("1 Northgate", "Leeds", "LS1 2AB"),
    )
    uow = uow_factory()
    with uow:
        uow.providers.add(
            Provider(
                reference=application_reference(b"northgat"),
                details=details,
                status=ProviderStatus.VERIFIED,
                ukprn="10004321",
                verified_legal_name=details.legal_name,
            ),
            changed_by="test",
        )
        uow.commit()

    page = browser.get("/portal/your-provider-record")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Northgate College of Further Education" in text
    assert "On the register and checked by the service desk" in text
    assert "LS1 2AB" in text
    assert PRIVATE_CONTACT.name in text  # its own private contact, shown to its administrator
    # the UKPRN only inside the details component
    assert text.count("10004321") == 1
    details_html = text.split('<details class="govuk-details"', 1)[1].split("</details>", 1)[0]
    assert "10004321" in details_html
