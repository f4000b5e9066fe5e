"""Learner plans in Chromium: a prison education trainer creates a learner's plan, adds planned
learning (told at once of everything missing) and a progress note; every page has no axe
violations of any impact."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.learners.register import RegisterLearner, register_learner
from tests.browser.conftest import Portal
from tests.browser.new_journeys import (
    TRAINER,
    TRAINER_PRINCIPAL,
    add_prison_education_provider,
    fill_date,
    fully_accessible,
    sign_in_as,
)

KAI = LearnerDetails("Kai", "Oduya", dt.date(1996, 2, 11), 1, "WF2 9AA")


def test_a_trainer_creates_and_keeps_a_learners_plan(page: Page, portal: Portal) -> None:
    add_prison_education_provider(portal)
    uln = register_learner(
        RegisterLearner(KAI), principal=TRAINER_PRINCIPAL, uow=portal.uow_factory()
    ).uln
    sign_in_as(page, TRAINER)

    page.goto(f"/portal/learners/{uln}")
    page.get_by_role("link", name="Learner plan").click()
    expect(page.get_by_text("There is no learner plan for this learner yet.")).to_be_visible()
    fully_accessible(page, "learner-plan-none")
    page.get_by_role("button", name="Create a learner plan").click()
    page.get_by_role("button", name="Save goals").click()  # nothing entered
    expect(page.get_by_role("link", name="Enter at least one goal")).to_be_visible()
    fully_accessible(page, "learner-plan-goals-error")
    page.get_by_label("What are the learner’s goals?").fill(
        "Get a job in catering when I leave\nRead with my children"
    )
    page.get_by_role("button", name="Save goals").click()
    expect(page.get_by_text("Learner plan saved.")).to_be_visible()

    page.get_by_role("link", name="Add planned learning").click()
    fill_date(page, "When is it planned to end?", "26", "3", "2026")
    page.get_by_role("button", name="Add to the plan").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter what the learner will study", "Enter the start date"]
    )
    fully_accessible(page, "learner-plan-learning-error")
    page.get_by_label("What will the learner study?").fill("Functional Skills English Level 1")
    fill_date(page, "When will it start?", "4", "1", "2027")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_role("link", name="The planned end date must be the same")).to_be_visible()
    fill_date(page, "When is it planned to end?", "26", "3", "2027")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_text("Planned learning added to the learner plan.")).to_be_visible()

    page.get_by_role("button", name="Add a progress note").click()
    fully_accessible(page, "learner-plan-note")
    page.get_by_label("Add a progress note").fill("Passed the initial assessment in English.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Passed the initial assessment in English.")).to_be_visible()
    expect(page.get_by_role("cell", name="4 January 2027")).to_be_visible()
    fully_accessible(page, "learner-plan")
