"""The Personal Learning Record in the portal: the events table, audited reads, opt-out refusals
as in the API, report downloads, and a data challenge on one event (CSRF, confirmation page)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from fastapi.testclient import TestClient

from openlrs.domain.audit import AuditAction
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails, LearningEvent
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import add_qualification
from openlrs.services.plr.sharing import SharingChoice, set_sharing
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

MAYA = LearnerDetails("Maya", "Achterberg", dt.date(2006, 3, 14), 2, "LS6 2AB")
TITLE = "Certificate in Applied Horticulture"


@pytest.fixture
def maya(browser: TestClient, uow_factory: SqlUnitOfWorkFactory) -> Learner:
    return register_learner(RegisterLearner(MAYA), principal=REGISTRAR, uow=uow_factory())


@pytest.fixture
def event(maya: Learner, uow_factory: SqlUnitOfWorkFactory) -> LearningEvent:
    qualification = Qualification(OWNED, TITLE, "VRQ", "2", frozenset({AO_UKPRN}), credit=13)
    add_qualification(qualification, principal=DESK, uow=uow_factory())
    claimed = ClaimedDetails(MAYA.given_name, MAYA.family_name, MAYA.date_of_birth, MAYA.gender)
    details = AchievementDetails(OWNED, dt.date(2025, 6, 30), "Distinction")
    command = PostAchievement(maya.uln, claimed, details)
    return post_achievement(command, principal=AO, uow=uow_factory()).event


def record_url(uln: str) -> str:
    return f"/portal/learners/{uln}/learning-record"


def show_names(browser: TestClient, uln: str, family: str = MAYA.family_name) -> None:
    """Confirm who the learner is (their names), as the portal asks before a record is shown."""
    names = {"given_name": MAYA.given_name, "family_name": family, "next": "record"}
    confirmed = post_form(browser, record_url(uln), f"/portal/learners/{uln}/confirm", names)
    assert confirmed.status_code == 303  # type: ignore[attr-defined]


def reads_of(uow_factory: SqlUnitOfWorkFactory, uln: str) -> list[tuple[AuditAction, str]]:
    with uow_factory() as uow:
        found = uow.audit.list(ukprn=None, uln=uln, before_id=None, limit=50)
    wanted = (AuditAction.PLR_READ, AuditAction.PLR_REPORT)
    return [(e.action, e.outcome) for e in found if e.action in wanted]


def test_the_learner_page_links_to_a_record_listing_the_events(
    browser: TestClient, maya: Learner, event: LearningEvent
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    show_names(browser, maya.uln)
    learner_page = browser.get(f"/portal/learners/{maya.uln}").text
    assert record_url(maya.uln) in urls_in(learner_page)

    page = browser.get(record_url(maya.uln))

    assert page.status_code == 200
    assert '<table class="govuk-table' in page.text
    for shown in (OWNED, TITLE, "Distinction", "30 June 2025", "Achieved"):  # bodies by name
        assert shown in page.text
    assert f"{record_url(maya.uln)}/report?format=pdf" in urls_in(page.text)


def test_every_read_and_download_is_audited(
    browser: TestClient, maya: Learner, event: LearningEvent, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, AWARDING_BODY)  # AOs may read a record, as in the API
    show_names(browser, maya.uln)
    assert browser.get(record_url(maya.uln)).status_code == 200
    pdf = browser.get(f"{record_url(maya.uln)}/report?format=pdf")
    csv = browser.get(f"{record_url(maya.uln)}/report?format=csv")

    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert csv.headers["content-type"].startswith("text/csv")
    assert OWNED in csv.text
    assert f'filename="plr-{maya.uln}.csv"' in csv.headers["content-disposition"]
    assert sorted(reads_of(uow_factory, maya.uln)) == [
        (AuditAction.PLR_READ, "exact"),
        (AuditAction.PLR_REPORT, "exact"),
        (AuditAction.PLR_REPORT, "exact"),
    ]


def test_an_opted_out_learner_is_refused_as_in_the_api(
    browser: TestClient, maya: Learner, event: LearningEvent, uow_factory: SqlUnitOfWorkFactory
) -> None:
    set_sharing(SharingChoice(maya.uln, False), principal=DESK, uow=uow_factory())
    sign_in(browser, COLLEGE_ADMIN)
    show_names(browser, maya.uln)

    for url in (record_url(maya.uln), f"{record_url(maya.uln)}/report?format=csv"):
        refused = browser.get(url)
        assert refused.status_code == 403
        assert "The learner has chosen not to share their learning record" in refused.text
        assert "WSEC0206" in refused.text
        assert TITLE not in refused.text and OWNED not in refused.text
    challenge = f"{record_url(maya.uln)}/events/{event.id}/challenge"
    assert browser.get(challenge).status_code == 403
    assert (AuditAction.PLR_READ, "opted_out") in reads_of(uow_factory, maya.uln)

    browser.get("/portal/sign-out")
    sign_in(browser, SERVICE_DESK)
    desk = browser.get(record_url(maya.uln))
    assert desk.status_code == 200 and TITLE in desk.text


def test_an_awarding_body_sees_its_own_events_and_never_the_learners_details(
    browser: TestClient, maya: Learner, event: LearningEvent
) -> None:
    """Issue 21 item 3: refused the learner's details, an AO does not get them from the record."""
    sign_in(browser, AWARDING_BODY)
    show_names(browser, maya.uln)
    page = browser.get(record_url(maya.uln))
    csv = browser.get(f"{record_url(maya.uln)}/report?format=csv")

    assert page.status_code == 200 and TITLE in page.text and OWNED in csv.text
    for personal in (
        MAYA.given_name,
        MAYA.family_name,
        MAYA.postcode,
        "14 March 2006",
        "2006-03-14",
    ):
        assert personal not in page.text and personal not in csv.text


@pytest.mark.parametrize("grade", ['=HYPERLINK("x.ex")', "+cmd|' /C calc'!A0", "@SUM(1+1)"])
def test_the_csv_download_neutralises_spreadsheet_formulas(
    browser: TestClient, maya: Learner, uow_factory: SqlUnitOfWorkFactory, grade: str
) -> None:
    """Issue 21 item 2: a grade a spreadsheet would run comes out as text."""
    qualification = Qualification(OWNED, TITLE, "VRQ", "2", frozenset({AO_UKPRN}), credit=13)
    add_qualification(qualification, principal=DESK, uow=uow_factory())
    claimed = ClaimedDetails(MAYA.given_name, MAYA.family_name, MAYA.date_of_birth, MAYA.gender)
    details = AchievementDetails(OWNED, dt.date(2025, 6, 30), grade)
    post_achievement(PostAchievement(maya.uln, claimed, details), principal=AO, uow=uow_factory())
    sign_in(browser, COLLEGE_ADMIN)
    show_names(browser, maya.uln)

    rows = list(
        csv.DictReader(io.StringIO(browser.get(f"{record_url(maya.uln)}/report?format=csv").text))
    )

    assert [row["grade"] for row in rows] == ["'" + grade]


def test_an_unknown_uln_is_the_not_found_page(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    response = browser.get(record_url("1234567890"))
    assert response.status_code == 404
    assert "No learner has that ULN" in response.text


def test_a_challenge_is_raised_and_confirmed_without_personal_data_in_urls(
    browser: TestClient, maya: Learner, event: LearningEvent
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    show_names(browser, maya.uln)
    record = browser.get(record_url(maya.uln)).text
    form_url = f"{record_url(maya.uln)}/events/{event.id}/challenge"
    assert form_url in urls_in(record)

    empty = post_form(browser, form_url, form_url, {"reason": ""})
    assert empty.status_code == 422  # type: ignore[attr-defined]
    assert 'href="#reason"' in empty.text  # type: ignore[attr-defined]

    raised = post_form(browser, form_url, form_url, {"reason": "The grade awarded was Merit"})
    assert raised.status_code == 303  # type: ignore[attr-defined]
    location = raised.headers["location"]  # type: ignore[attr-defined]
    assert re.fullmatch(rf"{record_url(maya.uln)}/challenges/[0-9a-f-]{{36}}", location)
    confirmation = browser.get(location)
    assert "Problem reported" in confirmation.text
    assert "The grade awarded was Merit" in confirmation.text
    assert "Under challenge" in browser.get(record_url(maya.uln)).text

    again = post_form(browser, form_url, form_url, {"reason": "Still wrong"})
    assert again.status_code == 422  # type: ignore[attr-defined]
    assert "already under challenge" in again.text  # type: ignore[attr-defined]

    pages = (record, confirmation.text, browser.get(f"/portal/learners/{maya.uln}").text)
    for url in [location, *(u for page in pages for u in urls_in(page))]:
        for personal in (MAYA.given_name, MAYA.family_name, MAYA.postcode, "2006-03-14"):
            assert personal not in url


def test_a_challenge_without_the_csrf_token_is_refused(
    browser: TestClient, maya: Learner, event: LearningEvent
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    show_names(browser, maya.uln)
    form_url = f"{record_url(maya.uln)}/events/{event.id}/challenge"
    response = browser.post(form_url, data={"reason": "wrong"}, follow_redirects=False)

    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert "Under challenge" not in browser.get(record_url(maya.uln)).text


def test_an_awarding_organisation_sees_no_challenge_link(
    browser: TestClient, maya: Learner, event: LearningEvent
) -> None:
    sign_in(browser, AWARDING_BODY)
    show_names(browser, maya.uln)
    page = browser.get(record_url(maya.uln)).text
    assert not [url for url in urls_in(page) if url.endswith("/challenge")]  # no event's form
    form = browser.get(f"{record_url(maya.uln)}/events/{event.id}/challenge")
    assert form.status_code == 403
    assert "Your role does not allow this" in form.text


def test_the_record_is_shown_only_once_the_learners_names_match(
    browser: TestClient, maya: Learner, event: LearningEvent, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """Issue 22: an organisation shows it knows the learner (names, never in a URL); a wrong
    family name is refused and audited."""
    sign_in(browser, COLLEGE_ADMIN)
    asked = browser.get(record_url(maya.uln))
    assert asked.status_code == 200 and "Confirm who the learner is" in asked.text
    assert TITLE not in asked.text and reads_of(uow_factory, maya.uln) == []

    show_names(browser, maya.uln, family="Zimmerman")
    wrong = browser.get(record_url(maya.uln))
    assert wrong.status_code == 403 and "does not match" in wrong.text and TITLE not in wrong.text
    assert reads_of(uow_factory, maya.uln) == [(AuditAction.PLR_READ, "not_verified")]

    show_names(browser, maya.uln)
    assert TITLE in browser.get(record_url(maya.uln)).text


def test_an_achievements_change_page_asks_for_the_names_first_then_opens(
    browser: TestClient, maya: Learner, event: LearningEvent
) -> None:
    """A change page opened before this session named the learner (a bookmark, a new session)
    asks for the names, like the record, rather than refusing."""
    sign_in(browser, AWARDING_BODY)
    change = f"{record_url(maya.uln)}/events/{event.id}/change"
    asked = browser.get(change)
    assert asked.status_code == 200 and "Confirm who the learner is" in asked.text
    show_names(browser, maya.uln)
    opened = browser.get(change)
    assert opened.status_code == 200 and "What do you want to do?" in opened.text
