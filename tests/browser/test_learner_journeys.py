"""Learners' own journeys in Chromium (issue 22), every page checked with axe-core: activate with
a code, turn on and sign in with TOTP, view the record and download the PDF, report a mistake and
see the awarding organisation's decision, opt out, and make, use and revoke a share code."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
from playwright.sync_api import Page, expect

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.event_challenges import Resolution
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.learner_accounts.activation import issue_activation_code
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr import event_challenges
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import add_qualification
from openlrs.services.plr.read import ReadPlr, read_plr
from tests.browser.conftest import Portal
from tests.browser.journeys import accessible

AO_UKPRN = "10009999"
AO = Principal("user:ao", AO_UKPRN, frozenset({Role.AO}))
DESK = Principal("user:desk", "10000001", frozenset({Role.ADMIN}))
REGISTRAR = Principal("user:registrar", "10004321", frozenset({Role.LRB}))
NIAMH = LearnerDetails("Niamh", "Adeyemi", dt.date(2007, 2, 17), 2, "YO1 7HH")
QUALIFICATION = "300/0001/1"
TITLE = "Diploma in Animal Care"
PASSWORD = "a learner's own password"


def _learner_with_an_achievement(portal: Portal) -> Learner:
    uow = portal.uow_factory
    learner = register_learner(RegisterLearner(NIAMH), principal=REGISTRAR, uow=uow())
    owned = Qualification(QUALIFICATION, TITLE, "VRQ", "3", frozenset({AO_UKPRN}))
    add_qualification(owned, principal=DESK, uow=uow())
    claimed = ClaimedDetails(NIAMH.given_name, NIAMH.family_name, NIAMH.date_of_birth, 2)
    details = AchievementDetails(QUALIFICATION, dt.date(2025, 7, 4), "Pass")
    post_achievement(PostAchievement(learner.uln, claimed, details), principal=AO, uow=uow())
    return learner


def _fill_born(page: Page) -> None:
    page.get_by_label("Day").fill(str(NIAMH.date_of_birth.day))
    page.get_by_label("Month").fill(str(NIAMH.date_of_birth.month))
    page.get_by_label("Year").fill(str(NIAMH.date_of_birth.year))


def _activate(page: Page, portal: Portal, learner: Learner) -> None:
    code = issue_activation_code(learner.uln, principal=REGISTRAR, uow=portal.uow_factory()).code
    page.goto("/learner/")
    accessible(page, "learner-start")
    page.get_by_role("link", name="activate your account", exact=True).click()
    accessible(page, "learner-activate")
    page.get_by_role("button", name="Activate your account").click()  # nothing filled in
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    accessible(page)
    page.get_by_label("Your Unique Learner Number (ULN)").fill(learner.uln)
    _fill_born(page)
    page.get_by_label("Activation code").fill(code)
    page.get_by_label("Choose a password", exact=True).fill(PASSWORD)
    page.get_by_label("Type the password again", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Activate your account").click()
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    accessible(page, "learner-two-factor")


def test_a_learner_activates_signs_in_with_totp_sees_their_record_and_a_mistake_corrected(
    page: Page, portal: Portal
) -> None:
    learner = _learner_with_an_achievement(portal)
    _activate(page, portal, learner)
    totp = pyotp.TOTP(page.locator("#secret").inner_text())
    page.get_by_label("Code from your app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Your learning record")).to_be_visible()
    accessible(page, "learner-record")

    page.get_by_role("link", name="Sign out").click()
    page.get_by_label("Your Unique Learner Number (ULN)").fill(learner.uln)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    accessible(page, "learner-security-code")
    later = totp.at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30))
    page.get_by_label("The 6-digit code from your authenticator app").fill(later)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("cell", name=TITLE, exact=True)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Your learning record (PDF, to print)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.get_by_role("link", name=re.compile("Report a mistake in " + TITLE)).click()
    accessible(page, "learner-report-mistake")
    page.get_by_label("What is wrong, and what should it say?").fill("I was awarded a Merit")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Being looked at")).to_be_visible()
    accessible(page, "learner-details")

    (challenge,) = event_challenges.list_challenges(principal=AO, uow=portal.uow_factory())
    decision = event_challenges.Decision(
        challenge.id, True, "We re-marked it: Merit", Resolution.CORRECTED,
        AchievementDetails(QUALIFICATION, dt.date(2025, 7, 4), "Merit"),
    )  # fmt: skip
    event_challenges.decide_challenge(decision, principal=AO, uow=portal.uow_factory())
    page.reload()
    expect(page.get_by_text("Corrected")).to_be_visible()
    expect(page.get_by_text("We re-marked it: Merit")).to_be_visible()
    accessible(page)
    page.get_by_role("link", name="Your learning record").first.click()
    expect(page.get_by_role("cell", name="Merit", exact=True)).to_be_visible()

    page.get_by_role("link", name="Sharing").first.click()
    accessible(page, "learner-sharing")
    page.get_by_label("No, do not let organisations see my record").check()
    page.get_by_role("button", name="Save your choice").click()
    expect(page.get_by_text("Organisations can no longer see your learning record")).to_be_visible()
    accessible(page)
    query = ReadPlr(learner.uln, knowledge=ClaimedDetails("Niamh", "Adeyemi"))
    try:
        read_plr(query, principal=REGISTRAR, uow=portal.uow_factory())
        raise AssertionError("an organisation read an opted-out record")
    except Exception as refused:
        assert type(refused).__name__ == "LearnerOptedOut"
    page.get_by_role("link", name="Who has seen your record").first.click()
    accessible(page, "learner-seen")


def test_a_learner_makes_a_share_code_someone_uses_it_and_it_is_revoked(
    page: Page, second_page: Page, portal: Portal
) -> None:
    learner = _learner_with_an_achievement(portal)
    _activate(page, portal, learner)
    page.get_by_role("link", name="Share with someone").first.click()
    accessible(page, "learner-share")
    page.get_by_label("Who is it for?").fill("Harrogate Veterinary Practice")
    page.get_by_label("Only the achievements I choose below").check()
    page.get_by_label(re.compile(TITLE)).check()
    page.get_by_label("90 days").check()
    page.get_by_role("button", name="Make a share code").click()
    code = page.locator("#share-code").inner_text()
    accessible(page, "learner-share-code")

    second_page.goto("/check-a-record")  # the employer, with no account
    accessible(second_page, "check-a-record")
    second_page.get_by_label("Share code").fill(code)
    _fill_born(second_page)
    second_page.get_by_role("button", name="Check the record").click()
    expect(second_page.get_by_role("cell", name=TITLE, exact=True)).to_be_visible()
    accessible(second_page, "shared-record")

    page.get_by_role("link", name="Who has seen your record").first.click()
    expect(page.get_by_text("Harrogate Veterinary Practice")).to_be_visible()
    page.get_by_role("link", name="Share with someone").first.click()
    page.get_by_role("button", name=re.compile("Withdraw")).click()
    expect(page.get_by_text("The share code no longer works")).to_be_visible()
    accessible(page)

    second_page.goto("/check-a-record")
    second_page.get_by_label("Share code").fill(code)
    _fill_born(second_page)
    second_page.get_by_role("button", name="Check the record").click()
    expect(
        second_page.get_by_role("link", name=re.compile("No record matches that code"))
    ).to_be_visible()
    expect(second_page.get_by_role("cell", name=TITLE, exact=True)).to_have_count(0)
    accessible(second_page)

    second_page.goto("/privacy")
    expect(second_page.get_by_role("heading", name="Privacy notice")).to_be_visible()
    accessible(second_page, "privacy")
