"""Data challenges in the portal: the awarding organisation's inbox and decision on a learning
event, the service desk's merge and split of ULNs, what the raising body sees, bad input
summarised, and no learner details on the pages or in their links."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.learner import Learner, LearnerDetails, LearnerStatus
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails, LearningEvent
from openlrs.domain.plr.event_challenges import (
    Challenge,
    ChallengeKind,
    ChallengeStatus,
    Resolution,
)
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.learners.find import find_by_uln
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr import event_challenges
from openlrs.services.plr.event_challenges import RaiseChallenge
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import add_qualification
from openlrs.services.plr.read import ReadPlr, read_plr
from openlrs.services.uln.challenges import RaiseUlnChallenge, raise_uln_challenge
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import OWNED
from tests.functional.portal_support import (
    AO,
    AO_UKPRN,
    AWARDING_BODY,
    COLLEGE_ADMIN,
    DESK,
    REGISTRAR,
    SERVICE_DESK,
    post_form,
    sign_in,
    urls_in,
)

OTHER_AO = Principal("user:other-ao", "10008888", frozenset({Role.AO}))
ZARA = LearnerDetails("Zara", "Okonkwo-Hale", dt.date(2005, 11, 2), 2, "BD7 1DP")
ZARA_AGAIN = LearnerDetails("Zarah", "Hale", dt.date(2005, 2, 11), 2, "LS1 4AP")
SECOND = {
    "given_name": "Tobias",
    "family_name": "Wrenfield",
    "date_of_birth-day": "19",
    "date_of_birth-month": "7",
    "date_of_birth-year": "2006",
    "gender": "1",
    "postcode": "HX1 2RG",
}
PERSONAL = (ZARA.given_name, ZARA.family_name, ZARA.postcode, "2005-11-02", "Tobias")


@pytest.fixture
def zara(browser: TestClient, uow_factory: SqlUnitOfWorkFactory) -> Learner:
    return register_learner(RegisterLearner(ZARA), principal=REGISTRAR, uow=uow_factory())


@pytest.fixture
def event(zara: Learner, uow_factory: SqlUnitOfWorkFactory) -> LearningEvent:
    qualification = Qualification(OWNED, "Award in Bricklaying", "VRQ", "2", frozenset({AO_UKPRN}))
    add_qualification(qualification, principal=DESK, uow=uow_factory())
    claimed = ClaimedDetails(ZARA.given_name, ZARA.family_name, ZARA.date_of_birth, ZARA.gender)
    details = AchievementDetails(OWNED, dt.date(2025, 6, 30), "Pass")
    return post_achievement(
        PostAchievement(zara.uln, claimed, details), principal=AO, uow=uow_factory()
    ).event


@pytest.fixture
def challenge(event: LearningEvent, uow_factory: SqlUnitOfWorkFactory) -> Challenge:
    command = RaiseChallenge(event.uln, event.id, "The grade awarded was Merit")
    return event_challenges.raise_challenge(command, principal=REGISTRAR, uow=uow_factory())


def _url(found: Challenge) -> str:
    return f"/portal/challenges/{found.id}"


def _decide(client: TestClient, found: Challenge, **data: str) -> object:
    return post_form(client, _url(found), f"{_url(found)}/decision", data)


def _current(uow_factory: SqlUnitOfWorkFactory, found: Challenge) -> Challenge:
    return event_challenges.get_challenge(found.id, principal=DESK, uow=uow_factory())


def _no_personal_data(*pages: str) -> None:
    for page in pages:
        for personal in PERSONAL:
            assert personal not in page
            assert not any(personal in url for url in urls_in(page))


def test_the_awarding_organisation_corrects_an_event_from_its_inbox(
    browser: TestClient, challenge: Challenge, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, AWARDING_BODY)
    inbox = browser.get("/portal/challenges").text
    assert _url(challenge) in urls_in(inbox)
    assert "/portal/challenges" in urls_in(browser.get("/portal/").text)
    page = browser.get(_url(challenge)).text
    assert "The grade awarded was Merit" in page and 'value="corrected"' in page

    done = _decide(
        browser,
        challenge,
        decision="corrected",
        **{"award_date-day": "30", "award_date-month": "6", "award_date-year": "2025"},
        grade="Merit",
        credits="",
        response="Our records agree: corrected to Merit",
    )

    assert done.status_code == 303  # type: ignore[attr-defined]
    assert done.headers["location"] == _url(challenge)  # type: ignore[attr-defined]
    decided = _current(uow_factory, challenge)
    assert (decided.status, decided.resolution) == (ChallengeStatus.ACCEPTED, Resolution.CORRECTED)
    [corrected] = read_plr(ReadPlr(challenge.uln), principal=DESK, uow=uow_factory()).events
    assert (corrected.grade, corrected.under_challenge) == ("Merit", False)
    after = browser.get(_url(challenge)).text
    assert "decided" in after and 'name="decision"' not in after
    assert "Our records agree" in after
    again = post_form(
        browser, "/portal/uln-challenges", f"{_url(challenge)}/decision", {"decision": "withdrawn"}
    )
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert "already been decided" in again.text  # type: ignore[attr-defined]
    assert _url(challenge) not in urls_in(browser.get("/portal/challenges").text)  # open only
    assert _url(challenge) in urls_in(browser.get("/portal/challenges?status=accepted").text)
    _no_personal_data(inbox, page, after)


def test_the_raising_body_sees_the_outcome_and_cannot_decide(
    browser: TestClient, challenge: Challenge, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    assert _url(challenge) in urls_in(browser.get("/portal/challenges").text)
    page = browser.get(_url(challenge)).text
    assert 'name="decision"' not in page and "Waiting for the awarding organisation" in page

    form_page = "/portal/uln-challenges"  # the decision page has no form for them: any CSRF token
    data = {"decision": "withdrawn", "response": "No"}
    refused = post_form(browser, form_page, f"{_url(challenge)}/decision", data)

    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert "for another organisation to decide" in refused.text  # type: ignore[attr-defined]
    assert _current(uow_factory, challenge).status is ChallengeStatus.OPEN


def test_bad_decisions_are_summarised_and_change_nothing(
    browser: TestClient, challenge: Challenge, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, AWARDING_BODY)

    nothing = _decide(browser, challenge, decision="", response="")
    no_date = _decide(browser, challenge, decision="corrected", response="Corrected")
    no_response = _decide(browser, challenge, decision="withdrawn", response="")
    bad_credits = _decide(
        browser,
        challenge,
        decision="corrected",
        **{"award_date-day": "1", "award_date-month": "7", "award_date-year": "2025"},
        credits="twelve",
        response="Corrected",
    )

    for page, anchor in (
        (nothing, "#decision"),
        (no_date, "#award_date-day"),
        (no_response, "#response"),
        (bad_credits, "#credits"),
    ):
        assert page.status_code == 422  # type: ignore[attr-defined]
        assert f'href="{anchor}"' in page.text  # type: ignore[attr-defined]
    assert 'value="Corrected"' not in no_date.text  # type: ignore[attr-defined]
    assert "Corrected</textarea>" in no_date.text  # type: ignore[attr-defined]
    assert _current(uow_factory, challenge).status is ChallengeStatus.OPEN


def test_another_awarding_organisation_cannot_see_the_challenge(
    browser: TestClient, challenge: Challenge, uow_factory: SqlUnitOfWorkFactory
) -> None:
    found = event_challenges.list_challenges(principal=OTHER_AO, uow=uow_factory())
    assert found == []
    sign_in(browser, SERVICE_DESK)  # the desk sees it, but it is the AO's to decide
    page = browser.get(_url(challenge)).text
    assert "The grade awarded was Merit" in page and 'name="decision"' not in page


def test_the_service_desk_merges_a_duplicate_ulns(
    browser: TestClient, zara: Learner, uow_factory: SqlUnitOfWorkFactory
) -> None:
    duplicate = register_learner(
        RegisterLearner(ZARA_AGAIN, confirm_different_person=True),
        principal=REGISTRAR,
        uow=uow_factory(),
    )
    command = RaiseUlnChallenge(
        ChallengeKind.ULN_DUPLICATE, duplicate.uln, "Registered twice", zara.uln
    )
    raised = raise_uln_challenge(command, principal=REGISTRAR, uow=uow_factory())
    sign_in(browser, SERVICE_DESK)
    inbox = browser.get("/portal/challenges").text
    assert _url(raised) in urls_in(inbox)
    page = browser.get(_url(raised)).text
    assert 'value="merged"' in page and 'value="split"' not in page

    done = _decide(
        browser, raised, decision="merged", master_uln=zara.uln, response="Merged into the first"
    )

    assert done.status_code == 303  # type: ignore[attr-defined]
    assert _current(uow_factory, raised).resolution is Resolution.MERGED
    linked = find_by_uln(duplicate.uln, principal=DESK, uow=uow_factory()).learners[0]
    assert linked.uln == zara.uln
    with uow_factory() as uow:
        retired = uow.learners.get(duplicate.uln)
    assert retired is not None and retired.status is LearnerStatus.MERGED
    _no_personal_data(inbox, page, browser.get(_url(raised)).text)


def test_the_service_desk_splits_a_shared_uln_moving_the_chosen_events(
    browser: TestClient, event: LearningEvent, uow_factory: SqlUnitOfWorkFactory
) -> None:
    command = RaiseUlnChallenge(ChallengeKind.ULN_SHARED, event.uln, "Two learners on one ULN")
    raised = raise_uln_challenge(command, principal=REGISTRAR, uow=uow_factory())
    sign_in(browser, SERVICE_DESK)
    page = browser.get(_url(raised)).text
    assert f'value="{event.id}"' in page

    missing = _decide(browser, raised, decision="split", response="Split")
    assert missing.status_code == 422  # type: ignore[attr-defined]
    assert 'href="#given_name"' in missing.text  # type: ignore[attr-defined]

    done = post_form(
        browser,
        _url(raised),
        f"{_url(raised)}/decision",
        SECOND | {"decision": "split", "event_ids": event.id, "response": "Split in two"},
    )

    assert done.status_code == 303  # type: ignore[attr-defined]
    decided = _current(uow_factory, raised)
    assert decided.resolution is Resolution.SPLIT
    left = read_plr(ReadPlr(event.uln), principal=DESK, uow=uow_factory()).events
    assert left == ()
    with uow_factory() as uow:
        moved = uow.learning_events.get(event.id)
    assert moved is not None and moved.uln != event.uln


def test_the_inbox_rows_say_what_each_challenge_is_about(
    browser: TestClient, challenge: Challenge
) -> None:
    sign_in(browser, AWARDING_BODY)
    inbox = browser.get("/portal/challenges").text
    row = inbox.split(f'href="{_url(challenge)}"', 1)[1].split("</tr>", 1)[0]
    assert "Award in Bricklaying" in row  # the qualification's title
    assert "Grade Pass, 30 June 2025" in row  # the grade and date held now
    assert f"ULN {challenge.uln}" in row  # the learner
    visible = re.sub(r"<[^>]+>", " ", inbox)  # the id is only in the link's address
    assert challenge.id not in visible and (challenge.event_id or "") not in visible
    _no_personal_data(inbox)
