"""Issue 23's last journeys in Chromium, compactly: a college administrator sees its own entry on
the provider register, says "this is the learner" on a search's possible match (check page, then
the learner's page), and an awarding organisation's challenges inbox says what each challenge is
about. No axe violations of any impact on any page visited."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr import event_challenges
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import add_qualification
from tests.browser.conftest import Portal
from tests.browser.journeys import fill_learner
from tests.browser.new_journeys import fully_accessible, sign_in_as
from tests.builders import OWNED
from tests.functional.portal_support import (
    AO,
    AO_UKPRN,
    AWARDING_BODY,
    COLLEGE_ADMIN,
    DESK,
    REGISTRAR,
)

SCHOOL = Principal("user:school", "10007777", frozenset({Role.LRB}))


def test_own_record_this_is_the_learner_and_the_challenges_inbox(
    page: Page, portal: Portal
) -> None:
    held = LearnerDetails("Rosalind", "Featherstonehaugh", dt.date(2006, 12, 3), 2, "CB2 1TN")
    uow = portal.uow_factory
    learner = register_learner(RegisterLearner(held), principal=SCHOOL, uow=uow())
    zara = LearnerDetails("Zara", "Okonkwo-Hale", dt.date(2005, 11, 2), 2, "BD7 1DP")
    challenged = register_learner(RegisterLearner(zara), principal=REGISTRAR, uow=uow())
    qualification = Qualification(OWNED, "Award in Bricklaying", "VRQ", "2", frozenset({AO_UKPRN}))
    add_qualification(qualification, principal=DESK, uow=uow())
    claimed = ClaimedDetails(zara.given_name, zara.family_name, zara.date_of_birth, zara.gender)
    achievement = AchievementDetails(OWNED, dt.date(2025, 6, 30), "Pass")
    event = post_achievement(
        PostAchievement(challenged.uln, claimed, achievement), principal=AO, uow=uow()
    ).event
    raise_it = event_challenges.RaiseChallenge(event.uln, event.id, "The grade was Merit")
    event_challenges.raise_challenge(raise_it, principal=REGISTRAR, uow=uow())
    page.set_default_timeout(15000)

    sign_in_as(page, COLLEGE_ADMIN)
    page.get_by_role("link", name="Your organisation on the provider register").click()
    expect(
        page.get_by_role("heading", name="Your organisation on the provider register")
    ).to_be_visible()
    fully_accessible(page, "own-provider-record")

    page.goto("/portal/learners/search")
    fill_learner(
        page,
        {
            "given_name": "Rosalynd",
            "family_name": "Featherstonehaugh",
            "date_of_birth": "3 12 2006",
            "gender": "Female",
            "postcode": "CB3 9AB",
        },
    )
    page.get_by_role("button", name="Search").click()
    chosen = page.get_by_role("button", name=f"This is the learner: ULN {learner.uln}")
    fully_accessible(page, "this-is-the-learner-results")
    chosen.click()
    expect(
        page.get_by_role("heading", name="Check your answers before you say this is the learner")
    ).to_be_visible()
    fully_accessible(page, "this-is-the-learner-check")
    page.get_by_role("button", name="Confirm this is the learner").click()
    page.wait_for_url(f"**/portal/learners/{learner.uln}")
    expect(page.get_by_text("now has the learner")).to_be_visible()
    fully_accessible(page)
    page.get_by_role("link", name="Sign out").click()

    sign_in_as(page, AWARDING_BODY)
    page.goto("/portal/challenges")
    expect(page.get_by_role("columnheader", name="Grade and date held")).to_be_visible()
    expect(page.get_by_role("link", name="Award in Bricklaying")).to_be_visible()
    expect(page.get_by_text("Grade Pass, 30 June 2025")).to_be_visible()
    fully_accessible(page, "challenges-inbox")
