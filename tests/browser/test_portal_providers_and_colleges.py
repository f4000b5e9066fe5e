"""Providers, the service desk and colleges in Chromium: an organisation applies to be a provider
(question pages, check answers with a Change link), the desk finds it flagged as a possible
duplicate and approves it after confirming; a college's home page says what is waiting, and it
checks a file before uploading. No axe violations of any impact on any page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from openlrs.batch.worker import BatchWorker
from openlrs.demo_content import BAD_BATCH, COLLEGE
from openlrs.domain.accounts.organisations import OrgType
from openlrs.domain.providers.provider import Address, Contact, LegalStatus, ProviderDetails
from openlrs.services.batches.jobs import SubmitBatch, submit_batch
from openlrs.services.providers.apply import apply_for_ukprn
from openlrs.services.providers.verify import Decide, decide_application
from tests.browser.conftest import Portal
from tests.browser.new_journeys import fully_accessible, sign_in_as
from tests.functional.portal_support import DESK

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _registered_provider(portal: Portal) -> None:
    """A provider already on the register that the new application resembles."""
    details = ProviderDetails(
        legal_name="Northgate Training Limited",
        provider_type=OrgType.TRAINING_PROVIDER,
        legal_status=LegalStatus.COMPANY,
        contact=Contact("Sam Ortiz", "sam@northgate.example"),
        address=Address("1 Mill Street", "Leeds", "LS9 8AB"),
        company_number="01234567",
    )
    applied = apply_for_ukprn(details, uow=portal.uow_factory())
    decide_application(Decide(applied.reference, True), principal=DESK, uow=portal.uow_factory())


def _failed_batch(portal: Portal) -> None:
    """The demo content's registration file whose rows all fail, sent by the college and processed
    (the portal fixture seeds organisations only, not the demo content)."""
    batch = SubmitBatch("registration", "csv", "spring-enrolments.csv", BAD_BATCH)
    submit_batch(batch, principal=COLLEGE, uow=portal.uow_factory())
    BatchWorker(portal.uow_factory).run(until_idle=True)


def _answer(page: Page, fields: dict[str, str], choice: str | None = None) -> None:
    if choice:
        page.get_by_label(choice, exact=True).check()
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Continue").click()


def test_an_organisation_applies_and_the_desk_approves_it(page: Page, portal: Portal) -> None:
    _registered_provider(portal)
    page.set_default_timeout(15000)

    page.goto("/portal/providers/apply")
    fully_accessible(page, "provider-apply-start")
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()  # nothing entered
    expect(page.get_by_role("link", name="Enter your organisation’s legal name")).to_be_visible()
    fully_accessible(page, "provider-apply-error")
    _answer(page, {"Legal name": "Northgate Training Ltd"})
    fully_accessible(page, "provider-apply-kind")
    _answer(page, {}, "Training provider")
    _answer(page, {"Company number": "1234567"}, "Company")
    _answer(
        page,
        {"Address line 1": "1 Mill Street", "Town or city": "Leeds", "Postcode": "ls9 8ab"},
    )
    fully_accessible(page, "provider-apply-question")
    _answer(page, {"Full name": "Ruth Ade", "Email address": "ruth@northgate.example"})
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    fully_accessible(page, "provider-apply-check-answers")
    page.get_by_role("link", name="Change contact").click()
    _answer(page, {"Full name": "Ruth Adeyemi"})
    expect(page.get_by_text("Ruth Adeyemi")).to_be_visible()
    page.get_by_role("button", name="Accept and send").click()
    expect(page.get_by_role("heading", name="Application sent")).to_be_visible()
    fully_accessible(page, "provider-apply-sent")

    sign_in_as(page, "admin@10000001")
    page.get_by_role("link", name=re.compile(r"provider applications? to check")).click()
    expect(page.get_by_text("Possible duplicate").first).to_be_visible()
    fully_accessible(page, "provider-applications")
    page.get_by_role("link", name="Northgate Training Ltd").click()
    expect(page.get_by_text("has the same company number")).to_be_visible()
    page.get_by_label("Approve: add it to the register").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("link", name="Confirm you have checked")).to_be_visible()
    fully_accessible(page, "provider-application")
    page.get_by_label("I have checked: it is a different organisation").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Northgate Training Ltd approved")).to_be_visible()
    expect(page.get_by_role("link", name="Northgate Training Ltd")).to_have_count(0)


def test_a_college_sees_what_is_waiting_and_checks_a_file(page: Page, portal: Portal) -> None:
    page.set_default_timeout(15000)
    _failed_batch(portal)
    sign_in_as(page, "lrb_admin@10004321")
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()
    expect(page.get_by_role("link", name="1 recent batch file with failed rows")).to_be_visible()
    fully_accessible(page, "home-college")

    page.get_by_role("link", name="Check a file before you upload it").click()
    fully_accessible(page, "check-a-file")
    page.get_by_label("Learner registrations and updates").check()
    page.get_by_label("File to check").set_input_files(EXAMPLES / "registration-with-errors.csv")
    page.get_by_role("button", name="Check file").click()
    expect(page.get_by_role("heading", name="problems found")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Row 1").first).to_be_visible()
    fully_accessible(page, "check-a-file-result")
    page.reload()  # the result is a page of its own: nothing is sent again
    expect(page.get_by_role("heading", name="problems found")).to_be_visible()

    page.goto("/portal/")
    page.get_by_role("link", name="Your organisation on the provider register").click()
    expect(
        page.get_by_role("heading", name="Your organisation on the provider register")
    ).to_be_visible()
    fully_accessible(page, "own-provider-record")
