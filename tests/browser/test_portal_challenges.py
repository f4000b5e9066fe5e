"""Data challenges in Chromium: the awarding organisation opens its inbox, chooses to correct
the event, is told what is missing, and decides; each page checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr import event_challenges
from openlrs.services.plr.event_challenges import RaiseChallenge
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import add_qualification
from tests.browser.conftest import Portal
from tests.browser.journeys import accessible, sign_in

AO_UKPRN = "10009999"
AO = Principal("user:ao", AO_UKPRN, frozenset({Role.AO}))
DESK = Principal("user:desk", "10000001", frozenset({Role.ADMIN}))
REGISTRAR = Principal("user:registrar", "10004321", frozenset({Role.LRB}))
IMANI = LearnerDetails("Imani", "Castellano", dt.date(2006, 9, 21), 2, "WF1 2DT")
QUALIFICATION = "200/0001/1"


def _challenged_event(portal: Portal) -> str:
    uow = portal.uow_factory
    learner = register_learner(RegisterLearner(IMANI), principal=REGISTRAR, uow=uow())
    owned = Qualification(QUALIFICATION, "Award in Joinery", "VRQ", "2", frozenset({AO_UKPRN}))
    add_qualification(owned, principal=DESK, uow=uow())
    claimed = ClaimedDetails(IMANI.given_name, IMANI.family_name, IMANI.date_of_birth, 2)
    details = AchievementDetails(QUALIFICATION, dt.date(2025, 7, 4), "Pass")
    event = post_achievement(
        PostAchievement(learner.uln, claimed, details), principal=AO, uow=uow()
    ).event
    command = RaiseChallenge(learner.uln, event.id, "The grade awarded was Distinction")
    return event_challenges.raise_challenge(command, principal=REGISTRAR, uow=uow()).id


def test_an_awarding_organisation_corrects_an_event_from_its_inbox(
    page: Page, portal: Portal
) -> None:
    _challenged_event(portal)
    sign_in(page, "ao@10009999")

    page.get_by_role("link", name="Challenges").first.click()
    expect(page.get_by_role("heading", name="Data challenges")).to_be_visible()
    accessible(page, "challenges")
    page.get_by_role("link", name="Award in Joinery").first.click()  # rows name the qualification
    expect(page.get_by_text("The grade awarded was Distinction")).to_be_visible()
    page.get_by_label("Accept: correct the event").check()
    accessible(page, "challenge")

    page.get_by_role("button", name="Save decision").click()  # no date, no response
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    accessible(page, "challenge-error")
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("2025")
    page.get_by_label(re.compile(r"Grade \(leave empty")).fill("Distinction")
    page.get_by_label(re.compile("Your response")).fill("Corrected: our records say Distinction")
    page.get_by_role("button", name="Save decision").click()

    expect(page.get_by_text("Data challenge decided")).to_be_visible()
    expect(page.get_by_text("Corrected: our records say Distinction")).to_be_visible()
    accessible(page)
