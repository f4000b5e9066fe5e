"""Learners' own door (issue 22): activation codes, sign-in with TOTP, the learner's pages, the
sharing choice taking effect for organisations, who has seen the record, share codes, and a
learner never reaching another learner's data, an organisation's page or the API. Runs on
SQLite and (with OPENLRS_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails, LearningEvent
from openlrs.domain.plr.event_challenges import Resolution
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.learner_accounts.activation import issue_activation_code
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr.event_challenges import Decision, decide_challenge, list_challenges
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import add_qualification
from openlrs.store.engine import build_engine
from openlrs.store.learner_accounts.tables import learner_share_codes
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import OWNED
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem
from tests.functional.portal_support import (
    AO,
    AO_UKPRN,
    COLLEGE_ADMIN,
    DESK,
    REGISTRAR,
    SCHOOL_USER,
    csrf_of,
    sign_in,
    urls_in,
)

PASSWORD = "correct horse battery"
TITLE = "Certificate in Applied Horticulture"
ZARA = LearnerDetails("Zara", "Okonkwo", dt.date(2007, 5, 21), 2, "LS6 2AB")
OMAR = LearnerDetails("Omar", "Lindqvist", dt.date(2006, 1, 9), 1, "B2 4QA")


def _post(client: TestClient, page: str, action: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    csrf = csrf_of(client.get(page).text)
    return client.post(action, data=data | {"csrf_token": csrf}, follow_redirects=False)


def _born(details: LearnerDetails) -> dict[str, str]:
    d = details.date_of_birth
    return {"date_of_birth-day": str(d.day), "date_of_birth-month": str(d.month),
            "date_of_birth-year": str(d.year)}  # fmt: skip


def _register(uow_factory: SqlUnitOfWorkFactory, details: LearnerDetails) -> Learner:
    return register_learner(RegisterLearner(details), principal=REGISTRAR, uow=uow_factory())


def _achievement(uow_factory: SqlUnitOfWorkFactory, learner: Learner) -> LearningEvent:
    qualification = Qualification(OWNED, TITLE, "VRQ", "2", frozenset({AO_UKPRN}), credit=13)
    with uow_factory() as uow:
        known = uow.qualifications.get(OWNED) is not None
    if not known:
        add_qualification(qualification, principal=DESK, uow=uow_factory())
    d = learner.details
    claimed = ClaimedDetails(d.given_name, d.family_name, d.date_of_birth, d.gender)
    details = AchievementDetails(OWNED, dt.date(2025, 6, 30), "Distinction")
    return post_achievement(
        PostAchievement(learner.uln, claimed, details), principal=AO, uow=uow_factory()
    ).event


def _activate(client: TestClient, learner: Learner, code: str) -> None:
    data = {"uln": learner.uln, "code": code, "password": PASSWORD, "confirm_password": PASSWORD}
    done = _post(client, "/learner/activate", "/learner/activate", data | _born(learner.details))
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/learner/two-factor"


def _signed_in_learner(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, learner: Learner
) -> None:
    issued = issue_activation_code(learner.uln, principal=REGISTRAR, uow=uow_factory())
    client.cookies.clear()
    _activate(client, learner, issued.code)


def test_an_organisation_issues_a_code_and_the_learner_activates_and_signs_in_with_totp(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    zara = _register(uow_factory, ZARA)
    sign_in(browser, SCHOOL_USER)  # no relationship with Zara: refused
    refused = _post(browser, f"/portal/learners/{zara.uln}/activation-code",
                    f"/portal/learners/{zara.uln}/activation-code", {})  # fmt: skip
    assert refused.status_code == 403
    browser.cookies.clear()
    sign_in(browser, COLLEGE_ADMIN)  # it registered her
    page = _post(browser, f"/portal/learners/{zara.uln}/activation-code",
                 f"/portal/learners/{zara.uln}/activation-code", {})  # fmt: skip
    assert page.status_code == 200
    code = re.search(r'id="activation-code">([A-Z0-9-]+)<', page.text)
    assert code is not None
    expires = re.search(r'name="expires" value="([^"]+)"', page.text)
    assert expires is not None
    letter = browser.post(
        f"/portal/learners/{zara.uln}/activation-letter",
        data={"code": code.group(1), "expires": expires.group(1), "csrf_token": csrf_of(page.text)},
    )
    assert letter.headers["content-type"] == "application/pdf" and letter.content[:4] == b"%PDF"
    browser.cookies.clear()

    wrong = {"uln": zara.uln, "code": "AAAA-BBBB-CCCC", "password": PASSWORD,
             "confirm_password": PASSWORD} | _born(ZARA)  # fmt: skip
    assert _post(browser, "/learner/activate", "/learner/activate", wrong).status_code == 422
    _activate(browser, zara, code.group(1).lower().replace("-", " "))  # typed loosely
    totp_page = browser.get("/learner/two-factor").text
    secret = re.search(r'id="secret">([A-Z2-7]+)<', totp_page)
    assert secret is not None
    totp = pyotp.TOTP(secret.group(1))
    turned_on = _post(browser, "/learner/two-factor", "/learner/two-factor", {"code": totp.now()})
    assert turned_on.status_code == 303
    assert "Your learning record" in browser.get("/learner/record").text
    browser.get("/learner/sign-out")
    assert browser.get("/learner/record", follow_redirects=False).status_code == 303

    again = _post(browser, "/learner/sign-in", "/learner/sign-in",
                  {"uln": zara.uln, "password": PASSWORD})  # fmt: skip
    assert again.headers["location"] == "/learner/security-code"
    assert browser.get("/learner/record", follow_redirects=False).status_code == 303  # not yet
    later = totp.at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30))  # a step not used yet
    done = _post(browser, "/learner/security-code", "/learner/security-code", {"code": later})
    assert done.headers["location"] == "/learner/record"
    assert browser.get("/learner/record").status_code == 200
    reused = {"uln": zara.uln, "code": code.group(1), "password": PASSWORD,
              "confirm_password": PASSWORD} | _born(ZARA)  # fmt: skip
    browser.cookies.clear()
    assert _post(browser, "/learner/activate", "/learner/activate", reused).status_code == 422


def test_the_record_its_downloads_and_a_reported_mistake_with_the_aos_decision(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    zara = _register(uow_factory, ZARA)
    event = _achievement(uow_factory, zara)
    _signed_in_learner(browser, uow_factory, zara)

    record = browser.get("/learner/record").text
    assert TITLE in record and "Distinction" in record and "Under challenge" not in record
    pdf = browser.get("/learner/record/report?format=pdf")
    csv = browser.get("/learner/record/report?format=csv")
    assert pdf.content[:4] == b"%PDF" and OWNED in csv.text
    form = f"/learner/record/events/{event.id}/mistake"
    assert form in urls_in(record)
    assert _post(browser, form, form, {"reason": ""}).status_code == 422
    sent = _post(browser, form, form, {"reason": "I was awarded a Merit"})
    assert sent.headers["location"] == "/learner/details"
    assert "Under challenge" in browser.get("/learner/record").text
    assert "Being looked at" in browser.get("/learner/details").text

    (challenge,) = list_challenges(principal=AO, uow=uow_factory())
    decision = Decision(challenge.id, True, "Re-marked: Merit", Resolution.CORRECTED,
                        AchievementDetails(OWNED, dt.date(2025, 6, 30), "Merit"))  # fmt: skip
    decide_challenge(decision, principal=AO, uow=uow_factory())

    details = browser.get("/learner/details").text
    assert "Corrected" in details and "Re-marked: Merit" in details
    after = browser.get("/learner/record").text
    assert "Merit" in after and "Under challenge" not in after
    wrong = _post(browser, "/learner/details/mistake", "/learner/details/mistake",
                  {"reason": "My family name is misspelt"})  # fmt: skip
    assert wrong.status_code == 303
    assert "The service desk" in browser.get("/learner/details").text


def test_after_opting_out_organisations_see_no_events_but_the_depositor_and_desk_do(
    browser: TestClient, api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    zara = _register(uow_factory, ZARA)
    event = _achievement(uow_factory, zara)
    _signed_in_learner(browser, uow_factory, zara)
    url = f"/api/v1/learners/{zara.uln}"
    names = {"Learner-Given-Name": "Zara", "Learner-Family-Name": "Okonkwo"}
    lrb = register.headers(Role.LRB)
    assert api.get(f"{url}/learning-events", headers=lrb | names).status_code == 200

    chosen = _post(browser, "/learner/sharing", "/learner/sharing", {"sharing": "opt_out"})
    assert chosen.status_code == 303
    assert "not to share" in browser.get("/learner/record").text

    for path in ("/learning-events", "/learning-events/report?format=csv", "/qcf-credit"):
        assert_problem(api.get(url + path, headers=lrb | names), 403, "LEARNER_OPTED_OUT")
    own = api.get(f"{url}/learning-events", headers=register.headers(Role.AO) | names)
    assert [e["id"] for e in own.json()["learning_events"]] == [event.id]
    desk = api.get(f"{url}/learning-events", headers=register.headers(Role.ADMIN))
    assert [e["id"] for e in desk.json()["learning_events"]] == [event.id]
    browser.cookies.clear()
    sign_in(browser, COLLEGE_ADMIN)
    known = _post(browser, f"/portal/learners/{zara.uln}/learning-record",
                  f"/portal/learners/{zara.uln}/confirm",
                  {"given_name": "Zara", "family_name": "Okonkwo", "next": "record"})  # fmt: skip
    assert known.status_code == 303
    portal = browser.get(f"/portal/learners/{zara.uln}/learning-record")
    assert portal.status_code == 403 and TITLE not in portal.text
    assert (
        TITLE
        not in browser.get(f"/portal/learners/{zara.uln}/learning-record/report?format=csv").text
    )

    browser.cookies.clear()
    _signed_in_learner(browser, uow_factory, zara)
    assert _post(browser, "/learner/sharing", "/learner/sharing", {"sharing": "share"}).is_redirect
    assert api.get(f"{url}/learning-events", headers=lrb | names).status_code == 200


def test_an_organisations_read_appears_in_who_has_seen_and_own_reads_do_not(
    browser: TestClient, api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    zara = _register(uow_factory, ZARA)
    _signed_in_learner(browser, uow_factory, zara)
    browser.get("/learner/record")
    assert "Nobody has looked at your record yet" in browser.get("/learner/seen").text

    names = {"Learner-Given-Name": "Zara", "Learner-Family-Name": "Okonkwo"}
    lrb = register.headers(Role.LRB)
    assert api.get(f"/api/v1/learners/{zara.uln}/learning-events", headers=lrb | names).is_success
    wrong = names | {"Learner-Family-Name": "Nobody"}
    api.get(f"/api/v1/learners/{zara.uln}/learning-events", headers=lrb | wrong)  # refused

    seen = browser.get("/learner/seen").text
    ukprn = register.caller(Role.LRB).ukprn
    assert ukprn in seen and "Your learning record" in seen
    assert seen.count(f">{ukprn}<") == 1  # the refused read showed nothing, so it is not listed


def test_a_learner_never_reaches_another_learner_an_organisation_page_or_the_api(
    browser: TestClient, api: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    zara, omar = _register(uow_factory, ZARA), _register(uow_factory, OMAR)
    omars_event = _achievement(uow_factory, omar)
    _signed_in_learner(browser, uow_factory, omar)
    made = _post(browser, "/learner/share", "/learner/share",
                 {"label": "An employer", "scope": "whole", "days": "7"})  # fmt: skip
    assert made.status_code == 200
    with uow_factory() as uow:
        (omars_share,) = uow.learner_accounts.shares_of(omar.uln)

    _signed_in_learner(browser, uow_factory, zara)
    for path in ("/learner/record", "/learner/details", "/learner/seen", "/learner/share"):
        page = browser.get(path).text
        assert "Lindqvist" not in page and omar.uln not in page and TITLE not in page
    form = f"/learner/record/events/{omars_event.id}/mistake"
    assert browser.get(form).status_code == 404
    csrf = csrf_of(browser.get("/learner/sharing").text)
    stolen = browser.post(form, data={"reason": "x", "csrf_token": csrf})
    assert stolen.status_code == 404
    revoke = f"/learner/share/{omars_share.id}/revoke"
    taken = browser.post(revoke, data={"csrf_token": csrf_of(browser.get("/learner/share").text)})
    assert taken.status_code == 404
    with uow_factory() as uow:
        assert uow.learner_accounts.shares_of(omar.uln)[0].revoked_at is None
    for organisation_page in ("/portal/", f"/portal/learners/{zara.uln}", "/portal/challenges"):
        location = browser.get(organisation_page, follow_redirects=False).headers["location"]
        assert location.split("?")[0] == "/portal/sign-in"
    token = browser.cookies.get("openlrs_learner")
    for headers in ({"Cookie": f"openlrs_learner={token}"}, {"Authorization": f"Bearer {token}"}):
        answer = api.get(f"/api/v1/learners/{zara.uln}/learning-events", headers=headers)
        assert_problem(answer, 401, "AUTHENTICATION_FAILED")


def _check(client: TestClient, code: str, details: LearnerDetails):  # type: ignore[no-untyped-def]
    return _post(client, "/check-a-record", "/check-a-record", {"code": code} | _born(details))


def test_share_codes_are_made_used_revoked_and_expire_and_every_view_is_listed(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory, database_url: str
) -> None:
    zara = _register(uow_factory, ZARA)
    _achievement(uow_factory, zara)
    _signed_in_learner(browser, uow_factory, zara)
    made = _post(browser, "/learner/share", "/learner/share",
                 {"label": "Leeds University", "scope": "whole", "days": "30"})  # fmt: skip
    code = re.search(r'id="share-code">([A-Z0-9-]+)<', made.text)
    assert code is not None and len(code.group(1).replace("-", "")) == 20
    learner_cookie = browser.cookies.get("openlrs_learner")

    browser.cookies.clear()  # the university: no account at all
    shown = _check(browser, code.group(1), ZARA)
    assert shown.status_code == 200 and TITLE in shown.text and "Zara Okonkwo" in shown.text
    other_day = dataclasses.replace(ZARA, date_of_birth=dt.date(2007, 5, 22))
    assert TITLE not in _check(browser, code.group(1), other_day).text

    browser.cookies.set("openlrs_learner", str(learner_cookie), domain="testserver.local", path="/")
    seen = browser.get("/learner/seen").text
    assert "Leeds University" in seen
    share_page = browser.get("/learner/share").text
    with uow_factory() as uow:
        (share,) = uow.learner_accounts.shares_of(zara.uln)
    withdrawn = browser.post(f"/learner/share/{share.id}/revoke",
                             data={"csrf_token": csrf_of(share_page)}, follow_redirects=False)  # fmt: skip
    assert withdrawn.status_code == 303
    browser.cookies.clear()
    revoked = _check(browser, code.group(1), ZARA)
    assert revoked.status_code == 422 and TITLE not in revoked.text

    browser.cookies.set("openlrs_learner", str(learner_cookie), domain="testserver.local", path="/")
    again = _post(browser, "/learner/share", "/learner/share",
                  {"label": "An employer", "scope": "whole", "days": "7"})  # fmt: skip
    fresh = re.search(r'id="share-code">([A-Z0-9-]+)<', again.text)
    assert fresh is not None
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)  # a week later
    with build_engine(database_url, pool_size=1).begin() as conn:
        conn.execute(
            update(learner_share_codes)
            .where(learner_share_codes.c.uln == zara.uln)
            .values(expires_at=past)
        )
    browser.cookies.clear()
    expired = _check(browser, fresh.group(1), ZARA)
    assert expired.status_code == 422 and TITLE not in expired.text


def test_guessing_share_codes_is_locked_after_a_few_tries(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    zara = _register(uow_factory, ZARA)
    _achievement(uow_factory, zara)
    _signed_in_learner(browser, uow_factory, zara)
    made = _post(browser, "/learner/share", "/learner/share",
                 {"label": "An employer", "scope": "whole", "days": "7"})  # fmt: skip
    code = re.search(r'id="share-code">([A-Z0-9-]+)<', made.text)
    assert code is not None
    browser.cookies.clear()

    answers = [_check(browser, f"GUESS{n:015d}", ZARA).text for n in range(6)]
    assert all("No record matches" in a for a in answers[:4])
    assert "Too many codes" in answers[-1]
    locked = _check(browser, code.group(1), ZARA)  # even the right code, from here, for now
    assert "Too many codes" in locked.text and TITLE not in locked.text


@pytest.mark.parametrize("path", ["/privacy", "/check-a-record", "/learner/", "/learner/sign-in"])
def test_public_learner_pages_link_the_privacy_notice(browser: TestClient, path: str) -> None:
    page = browser.get(path)
    assert page.status_code == 200 and "/privacy" in urls_in(page.text)
