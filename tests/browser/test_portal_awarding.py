"""An awarding organisation in Chromium: records an achievement (question pages, check answers
with a Change link, confirmation), corrects and withdraws it from the learning record, and
searches its qualifications; no axe violations of any impact on any page."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from openlrs.batch.worker import BatchWorker
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr.qualification_register import add_qualification
from tests.browser.conftest import Portal
from tests.browser.new_journeys import fill_date, fully_accessible, sign_in_as
from tests.functional.portal_support import AO_UKPRN, DESK, REGISTRAR

NIAMH = LearnerDetails("Niamh", "Gallagher", dt.date(2007, 11, 3), 2, "LS6 1AA")


def _world(portal: Portal) -> str:
    uow = portal.uow_factory
    for number, title in (
        ("600/1111/1", "Level 2 Diploma in Professional Cookery"),
        ("600/2222/2", "Level 1 Award in Health and Safety"),
    ):
        owned = Qualification(number, title, "VRQ", "2", frozenset({AO_UKPRN}))
        add_qualification(owned, principal=DESK, uow=uow())
    return register_learner(RegisterLearner(NIAMH), principal=REGISTRAR, uow=uow()).uln


def test_an_awarding_organisation_records_corrects_and_withdraws_an_achievement(
    page: Page, portal: Portal
) -> None:
    uln = _world(portal)
    page.set_default_timeout(15000)
    sign_in_as(page, "ao@10009999")

    page.goto("/portal/achievements")
    fully_accessible(page, "achievements")
    page.get_by_role("button", name="Record an achievement").click()
    page.get_by_label("Unique Learner Number (ULN)").fill(uln)
    page.get_by_label("Given name").fill("Sinead")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(
        ["Enter their family name"]
    )
    page.get_by_label("Family name").fill("Gallagher")
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("link", name="No learner with this ULN has these names")
    ).to_be_visible()
    fully_accessible(page, "achievement-learner-error")
    page.get_by_label("Given name").fill("Niamh")
    page.get_by_role("button", name="Continue").click()

    fully_accessible(page, "achievement-subject")
    page.get_by_label("Level 2 Diploma in Professional Cookery").check()
    page.get_by_role("button", name="Continue").click()
    fully_accessible(page, "achievement-result")
    page.get_by_label("Grade (optional)").fill("Merit")
    fill_date(page, "Award date", "4", "7", "2025")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    fully_accessible(page, "achievement-check-answers")
    page.get_by_role("link", name="Change the grade").click()
    page.get_by_label("Grade (optional)").fill("Distinction")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Distinction")).to_be_visible()
    page.get_by_role("button", name="Record achievement").click()
    expect(page.get_by_role("heading", name="Achievement recorded")).to_be_visible()
    fully_accessible(page, "achievement-recorded")

    page.get_by_role("link", name="View the learning record").click()
    # the names just checked against the ULN are remembered: the record opens straight away
    expect(page.get_by_role("heading", name=f"Learning record for ULN {uln}")).to_be_visible()
    page.get_by_role("link", name="Change Level 2 Diploma in Professional Cookery").click()
    fully_accessible(page, "achievement-change")
    page.get_by_label("Correct the grade or award date").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Grade (optional)")).to_have_value("Distinction")
    fully_accessible(page, "achievement-correct")
    page.get_by_label("Grade (optional)").fill("Merit")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Achievement corrected")).to_be_visible()
    expect(page.get_by_role("cell", name="Merit")).to_be_visible()

    page.get_by_role("link", name="Change Level 2 Diploma in Professional Cookery").click()
    page.get_by_label("Withdraw it").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Are you sure you want to withdraw")).to_be_visible()
    fully_accessible(page, "achievement-withdraw")
    page.get_by_role("button", name="Withdraw achievement").click()
    expect(page.get_by_text("Achievement withdrawn.")).to_be_visible()
    expect(page.get_by_role("cell", name="Withdrawn")).to_be_visible()
    fully_accessible(page)

    page.goto("/portal/qualifications?q=safety")
    expect(
        page.get_by_role("rowheader", name="Level 1 Award in Health and Safety", exact=True)
    ).to_be_visible()
    expect(page.get_by_text("Professional Cookery")).to_have_count(0)
    fully_accessible(page, "qualifications")


def test_an_awarding_organisation_uploads_achievements_and_sees_failed_rows(
    page: Page, portal: Portal
) -> None:
    uln = _world(portal)
    rows = (
        "uln,given_name,family_name,subject,award_date,grade\r\n"
        f"{uln},Niamh,Gallagher,600/1111/1,2025-07-04,Pass\r\n"
        f"{uln},Someone,Else,600/2222/2,2025-07-04,Pass\r\n"
    )
    page.set_default_timeout(15000)
    sign_in_as(page, "ao@10009999")

    page.goto("/portal/batches/new")
    page.get_by_label("Record achievements").check()
    page.get_by_label("Batch file").set_input_files(
        {"name": "summer-results.csv", "mimeType": "text/csv", "buffer": rows.encode()}
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text("Batch file uploaded")).to_be_visible()
    BatchWorker(portal.uow_factory).run(until_idle=True)
    page.reload()
    expect(page.get_by_text("Completed with errors")).to_be_visible()
    expect(page.get_by_role("heading", name="1 row failed")).to_be_visible()
    expect(page.get_by_role("cell", name="Someone Else")).to_be_visible()
    fully_accessible(page, "batch-achievements-with-errors")
