"""The service desk in Chromium: records a learner's sharing choice, and merges two ULNs after a
side-by-side comparison and check answers (with a Change link). A college records an enrolment.
No axe violations of any impact on any page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from openlrs.domain.accounts.organisations import SYSTEM
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.services.learners.register import RegisterLearner, register_learner
from tests.browser.conftest import Portal
from tests.browser.new_journeys import fill_date, fully_accessible, sign_in_as
from tests.functional.portal_support import REGISTRAR

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ZARA = LearnerDetails("Zara", "Whitfield", dt.date(2008, 1, 30), 2, "HU3 2AA")


def _twins(portal: Portal) -> tuple[Learner, Learner]:
    """One learner registered twice, the second time under another family name (registered
    anyway, as a different person: the mistake the desk puts right)."""
    first = register_learner(RegisterLearner(ZARA), principal=REGISTRAR, uow=portal.uow_factory())
    again = dataclasses.replace(ZARA, family_name="Okoro", postcode="HU5 1ZZ", gender=0)
    second = register_learner(
        RegisterLearner(again, confirm_different_person=True),
        principal=SYSTEM,
        uow=portal.uow_factory(),
    )
    return first, second


def test_the_desk_records_sharing_and_merges_two_ulns(page: Page, portal: Portal) -> None:
    first, second = _twins(portal)
    page.set_default_timeout(15000)
    sign_in_as(page, "admin@10000001")

    page.goto(f"/portal/learners/{second.uln}")
    page.get_by_role("link", name="Record the learner’s choice about sharing").click()
    page.get_by_label("No, they do not want to share it").check()
    fully_accessible(page, "sharing-choice")
    page.get_by_role("button", name="Save choice").click()
    expect(page.get_by_text("does not want to share their learning record")).to_be_visible()

    page.get_by_role("link", name="Merge with another ULN").click()
    page.get_by_label("What is the other ULN?").fill(second.uln)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Enter a different ULN")).to_be_visible()
    fully_accessible(page, "merge-other-error")
    page.get_by_label("What is the other ULN?").fill(first.uln)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Are these the same person?")).to_be_visible()
    expect(page.get_by_role("cell", name="Different").first).to_be_visible()
    fully_accessible(page, "merge-compare")
    page.get_by_label(f"ULN {second.uln}").check()
    page.get_by_role("button", name="Continue").click()
    fully_accessible(page, "merge-check-answers")
    page.get_by_role("link", name="Change the ULN kept").click()
    page.get_by_label(f"ULN {first.uln}").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Merge ULNs").click()
    expect(page.get_by_text(f"ULN {second.uln} is retired")).to_be_visible()
    assert page.url.endswith(f"/portal/learners/{first.uln}")
    fully_accessible(page)


def test_a_college_records_an_enrolment(page: Page, portal: Portal) -> None:
    learner = register_learner(RegisterLearner(ZARA), principal=REGISTRAR, uow=portal.uow_factory())
    page.set_default_timeout(15000)
    sign_in_as(page, "lrb_admin@10004321")

    page.goto(f"/portal/learners/{learner.uln}")
    page.get_by_role("link", name="Record an enrolment").click()
    page.get_by_role("button", name="Record enrolment").click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(
        ["Enter the learning aim reference", "Enter the start date"]
    )
    fully_accessible(page, "participation-error")
    page.get_by_label("Learning aim reference").fill("60012345")
    page.get_by_label("Title (optional)").fill("Certificate in Construction Skills")
    fill_date(page, "Start date", "8", "9", "2025")
    page.get_by_role("button", name="Record enrolment").click()
    expect(page.get_by_text("Enrolment recorded")).to_be_visible()
    # the record itself needs the learner's names first (issue 22: consent and knowledge)
    page.get_by_label("Given name").fill(ZARA.given_name)
    page.get_by_label("Family name").fill(ZARA.family_name)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("cell", name="Studying")).to_be_visible()
    fully_accessible(page, "participation-recorded")


def test_the_desk_updates_the_qualification_register(
    page: Page, portal: Portal, tmp_path: Path
) -> None:
    original = (EXAMPLES / "register" / "qualifications.csv").read_text(encoding="utf-8")
    first_line = original.splitlines()[1]
    title = first_line.split(",")[2]
    changed = tmp_path / "qualifications.csv"
    changed.write_text(original.replace(title, f"{title} (revised)", 1), encoding="utf-8")
    broken = tmp_path / "broken.csv"
    broken.write_text(
        original.splitlines()[0] + "\nqualification,999,,,,,,,,,,,\n", encoding="utf-8"
    )
    page.set_default_timeout(15000)
    sign_in_as(page, "admin@10000001")

    page.goto("/portal/qualification-register")
    fully_accessible(page, "qualification-register")
    page.get_by_label("Register file").set_input_files(broken)
    page.get_by_role("button", name="Upload and update").click()
    expect(page.get_by_role("link", name="nothing was loaded")).to_be_visible()
    fully_accessible(page, "qualification-register-error")
    page.get_by_label("Register file").set_input_files(EXAMPLES / "register" / "qualifications.csv")
    page.get_by_role("button", name="Upload and update").click()
    expect(page.get_by_role("heading", name="Qualification register updated")).to_be_visible()
    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("Register file").set_input_files(changed)
    page.get_by_role("button", name="Upload and update").click()
    expect(page.get_by_role("cell", name="Changed: title")).to_be_visible()
    fully_accessible(page, "qualification-register-loaded")
