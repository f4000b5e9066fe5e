"""Diploma accounts in the portal: a centre opens an account, a component awarding body sends
results, the centre records evidence and claims, the Diploma awarding body awards, and the
certificate downloads; refusals in the error summary; users without the role refused."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from openlrs.config import Settings
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.diploma_rules import PLTS
from openlrs.domain.identifiers import make_uln
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.accounts import manage as accounts
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr.qualification_register import add_qualification
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import RULES, complete_result_bodies, result_body, submit_result_body
from tests.functional.callers import SECRET_KEY
from tests.functional.portal_support import (
    COLLEGE_ADMIN,
    PASSWORD,
    SCHOOL_USER,
    SERVICE_DESK,
    csrf_of,
    portal_app,
    sign_in,
    urls_in,
)

DAB = "ao@10009999"  # the demo awarding body: the Diploma awarding body here
DAB_UKPRN = "10009999"
CAB = "ao@10008888"  # a second awarding body made for these tests: component results only
CAB_UKPRN = "10008888"
CENTRE_UKPRN = "10004321"
REGISTRAR = Principal("user:registrar", CENTRE_UKPRN, frozenset({Role.LRB}))
CAB_PRINCIPAL = Principal(f"user:{CAB}", CAB_UKPRN, frozenset({Role.AO}))
ZARA = LearnerDetails("Zara", "Okonkwo-Lindqvist", dt.date(2007, 9, 2), 2, "NE1 4ST")
DIPLOMA = f"{RULES.line}/{RULES.level.value}"
UNKNOWN = make_uln("987654322")  # a real-looking ULN no learner has


@pytest.fixture
def browser(
    database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory
) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, secret_key=SECRET_KEY, var_dir=tmp_path / "v")
    app = portal_app(settings, uow_factory)
    accounts.ensure_organisation(
        CAB_UKPRN,
        "Component Awards",
        OrgType.AWARDING_ORGANISATION,
        principal=SYSTEM,
        uow=uow_factory(),
    )
    accounts.create_user(
        CAB_UKPRN, CAB, PASSWORD, frozenset({Role.AO}), principal=SYSTEM, uow=uow_factory()
    )
    for number in sorted({b["qualification"] for b in complete_result_bodies()}):  # shared
        owned = Qualification(
            number, "Component", "Diploma component", "2", frozenset({CAB_UKPRN}), shared=True
        )
        add_qualification(owned, principal=SYSTEM, uow=uow_factory())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def zara(browser: TestClient, uow_factory: SqlUnitOfWorkFactory) -> Learner:
    return register_learner(RegisterLearner(ZARA), principal=REGISTRAR, uow=uow_factory())


def as_user(client: TestClient, username: str) -> None:
    client.get("/portal/sign-out")
    client.cookies.clear()
    sign_in(client, username)


def post(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Response:
    """POST one of a page's forms with the page's CSRF token (no redirects followed)."""
    token = csrf_of(client.get(page).text)
    return client.post(action, data=data | {"csrf_token": token}, follow_redirects=False)


def account_url(account_id: str) -> str:
    return f"/portal/diploma/accounts/{account_id}"


def result_form(body: dict[str, Any]) -> dict[str, str]:
    """An API result body as the portal's result form fields."""
    day = dt.date.fromisoformat(body["achieved_on"])
    form = {
        "reference": body["reference"],
        "component": body["component"],
        "qualification": body["qualification"],
        "title": body["title"],
        "level": str(body["level"]),
        "result_grade": body["grade"],
        "glh": str(body.get("glh") or 0),
        "barring_code": body.get("barring_code") or "",
        "subject": body.get("subject") or "",
        "achieved_on-day": str(day.day),
        "achieved_on-month": str(day.month),
        "achieved_on-year": str(day.year),
    }
    return form


def open_account(client: TestClient, uln: str) -> str:
    opened = post(
        client,
        "/portal/diploma/open",
        "/portal/diploma/open",
        {"uln": uln, "diploma": DIPLOMA, "awarding_body_ukprn": DAB_UKPRN},
    )
    assert opened.status_code == 303, opened.text
    found = re.fullmatch(r"/portal/diploma/accounts/([A-Za-z0-9_-]+)", opened.headers["location"])
    assert found
    return found.group(1)


def error_summary(page: str) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert found, "the page has no error summary"
    return found.group(0)


def test_the_whole_journey_from_opening_to_the_certificate(
    browser: TestClient, zara: Learner, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    home = browser.get("/portal/").text
    assert "/portal/diploma" in urls_in(home)
    assert "/portal/diploma/open" in urls_in(browser.get("/portal/diploma").text)
    account_id = open_account(browser, zara.uln)
    opened = browser.get(account_url(account_id)).text
    assert "Diploma account opened." in opened and account_id not in opened.split("<main")[1].split(
        "</main>"
    )[0].replace(account_url(account_id), "")
    assert RULES.title in opened and "Missing" in opened
    assert "Send a result" not in opened and "Award the Diploma" not in opened
    listed = browser.get("/portal/diploma").text
    assert account_url(account_id) in urls_in(listed) and zara.uln in listed

    as_user(browser, CAB)  # not named on the account: it cannot find or see it (issue 21)
    assert account_url(account_id) not in urls_in(browser.get("/portal/diploma").text)
    found = browser.get("/portal/diploma", params={"uln": zara.uln}).text
    assert account_url(account_id) not in urls_in(found)
    page = account_url(account_id)
    assert browser.get(page).status_code == 404
    # Given the account's reference by the centre, it sends its first result (its own
    # qualification) by the API or a batch file; then the account names it.
    first, *rest = complete_result_bodies()
    submit_result_body(uow_factory, account_id, first, principal=CAB_PRINCIPAL)
    assert browser.get(page).status_code == 200
    for body in rest:
        sent = post(browser, page, f"{page}/results", result_form(body))
        assert sent.status_code == 303, sent.text
    cab_page = browser.get(page).text
    assert "Result saved" in cab_page
    assert "Withdraw result asl-1" in cab_page  # its own results: it may withdraw them
    assert "Claim the Diploma" not in cab_page and "Award the Diploma" not in cab_page
    assert account_url(account_id) in urls_in(browser.get("/portal/diploma").text)

    as_user(browser, COLLEGE_ADMIN)
    assert post(browser, page, f"{page}/work-experience", {"days": "10"}).status_code == 303
    assert post(browser, page, f"{page}/plts", {"skills": list(PLTS)}).status_code == 303
    complete = browser.get(page).text
    assert "Evidence saved" in complete and "Not yet" not in complete
    trial = re.search(r"Trial grade\s*</dt>\s*<dd[^>]*>\s*([A-E*]+)", complete)
    assert trial, complete
    assert post(browser, page, f"{page}/claim", {}).status_code == 303
    assert "Diploma claimed" in browser.get(page).text

    as_user(browser, DAB)
    dab_page = browser.get(page).text
    assert "Award the Diploma" in dab_page
    assert f"{trial.group(1)} (the trial grade)" in dab_page
    awarded = post(browser, page, f"{page}/award", {"grade": trial.group(1)})
    assert awarded.status_code == 303
    done = browser.get(page).text
    assert "Diploma awarded" in done and "Awarded" in done
    assert f"{page}/certificate" in urls_in(done) and f"{page}/transcript" in urls_in(done)
    pdf = browser.get(f"{page}/certificate")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f'filename="diploma-{account_id}-certificate.pdf"' in pdf.headers["content-disposition"]
    transcript = browser.get(f"{page}/transcript")
    assert transcript.content.startswith(b"%PDF")

    as_user(browser, COLLEGE_ADMIN)  # the centre may download them too; no more forms
    closed = browser.get(page).text
    assert f"{page}/certificate" in urls_in(closed) and "Save work experience" not in closed
    with uow_factory() as uow:
        events = uow.audit.list(ukprn=None, uln=zara.uln, before_id=None, limit=100)
    actions = {e.action for e in events}
    for action in (
        AuditAction.DIPLOMA_ACCOUNT_OPEN,
        AuditAction.DIPLOMA_RESULT_SUBMIT,
        AuditAction.DIPLOMA_CLAIM,
        AuditAction.DIPLOMA_AWARD,
        AuditAction.DIPLOMA_CERTIFICATE,
    ):
        assert action in actions


def test_a_result_can_be_withdrawn_by_the_body_that_sent_it(
    browser: TestClient, zara: Learner
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    account_id = open_account(browser, zara.uln)
    page = account_url(account_id)
    as_user(browser, DAB)  # named on the account
    assert (
        post(browser, page, f"{page}/results", result_form(result_body("asl-9"))).status_code == 303
    )
    assert "asl-9" in browser.get(page).text

    withdrawn = post(browser, page, f"{page}/results/withdraw", {"reference": "asl-9"})
    assert withdrawn.status_code == 303
    after = browser.get(page).text
    assert "Result withdrawn" in after and "No results have been sent yet" in after

    again = post(browser, page, f"{page}/results/withdraw", {"reference": "asl-9"})
    assert again.status_code == 404
    assert "DIPLOMA_RESULT_NOT_FOUND" in error_summary(again.text)


def test_refusals_show_in_the_error_summary(browser: TestClient, zara: Learner) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    form = "/portal/diploma/open"
    empty = post(browser, form, form, {"uln": "", "diploma": "", "awarding_body_ukprn": ""})
    assert empty.status_code == 422
    summary = error_summary(empty.text)
    assert 'href="#uln"' in summary and 'href="#diploma"' in summary
    assert "Enter the UKPRN of the Diploma awarding body" in summary
    for uln, code in (("1234567890", "ULN_INVALID_CHECK_DIGIT"), (UNKNOWN, "LEARNER_NOT_FOUND")):
        refused = post(
            browser, form, form, {"uln": uln, "diploma": DIPLOMA, "awarding_body_ukprn": DAB_UKPRN}
        )
        assert code in error_summary(refused.text)
        assert f'value="{uln}"' in refused.text  # what was typed is kept

    account_id = open_account(browser, zara.uln)
    twice = post(
        browser, form, form, {"uln": zara.uln, "diploma": DIPLOMA, "awarding_body_ukprn": DAB_UKPRN}
    )
    assert "DIPLOMA_ACCOUNT_EXISTS" in error_summary(twice.text)
    page = account_url(account_id)
    early = post(browser, page, f"{page}/claim", {})
    assert early.status_code == 409
    assert 'href="#claim"' in error_summary(early.text)
    assert "DIPLOMA_NOT_COMPLETE" in error_summary(early.text)
    days = post(browser, page, f"{page}/work-experience", {"days": "ten"})
    assert days.status_code == 422
    assert 'href="#days"' in error_summary(days.text)
    assert "Days of work experience must be a whole number" in days.text

    as_user(browser, DAB)  # named on the account
    (pl, *_) = complete_result_bodies()
    wrong = post(
        browser, page, f"{page}/results", result_form(pl | {"qualification": "500/9999/9"})
    )
    assert wrong.status_code == 422
    assert "DIPLOMA_RESULT_INVALID" in error_summary(wrong.text)
    assert 'value="500/9999/9"' in wrong.text
    missing = post(browser, page, f"{page}/results", {"reference": "x"})
    summary = error_summary(missing.text)
    assert 'href="#component"' in summary and 'href="#achieved_on-day"' in summary
    assert "No results have been sent yet" in missing.text


def test_users_without_the_role_are_refused(browser: TestClient, zara: Learner) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    account_id = open_account(browser, zara.uln)
    page = account_url(account_id)
    token = csrf_of(browser.get(page).text)
    expired = browser.post(f"{page}/claim", data={}, follow_redirects=False)
    assert expired.status_code == 403 and "This form has expired" in expired.text
    centre_result = browser.post(
        f"{page}/results", data=result_form(result_body("a")) | {"csrf_token": token}
    )
    assert centre_result.status_code == 403
    assert "Your role does not allow this" in centre_result.text

    as_user(browser, SCHOOL_USER)  # another centre: the account does not exist for it
    assert browser.get(page).status_code == 404
    assert browser.get(f"{page}/certificate").status_code == 404
    assert account_url(account_id) not in urls_in(browser.get("/portal/diploma").text)

    as_user(browser, DAB)  # an awarding body (even named on it) may not record evidence, nor open
    assert post(browser, page, f"{page}/work-experience", {"days": "3"}).status_code == 403
    assert browser.get("/portal/diploma/open").status_code == 403
    assert "/portal/diploma/open" not in urls_in(browser.get("/portal/diploma").text)

    as_user(browser, SERVICE_DESK)  # the desk may do all but award
    desk = post(browser, page, f"{page}/award", {"grade": "A"})
    assert desk.status_code == 403
    assert browser.get(f"{page}/certificate").status_code == 409  # not awarded yet


def test_pages_carry_no_personal_data_in_urls_and_no_inline_script(
    browser: TestClient, zara: Learner
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    account_id = open_account(browser, zara.uln)
    pages = [
        browser.get(url)
        for url in ("/portal/diploma", "/portal/diploma/open", account_url(account_id))
    ]
    for response in pages:
        csp = response.headers["content-security-policy"]
        assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
        nonce = re.search(r"'nonce-([^']+)'", csp)
        assert nonce
        for script in re.findall(r"<script[^>]*>", response.text):
            assert "src=" in script or f'nonce="{nonce.group(1)}"' in script
        for url in urls_in(response.text):
            for personal in (ZARA.given_name, ZARA.family_name, ZARA.postcode, "2007-09-02"):
                assert personal not in url


@pytest.mark.parametrize(
    "change",
    [
        {"title": "T" * 300},
        {"level": "99"},
        {"level": "-1"},
        {"result_grade": "G" * 40},
        {"reference": "r" * 100},
        {"glh": "999999"},
        {"barring_code": "9" * 30},
        {"subject": "history"},
        {"component": "nonsense"},
        {"achieved_on-month": "13"},
        {"qualification": "not a number"},
    ],
)
def test_bad_result_input_is_refused_never_a_500(
    browser: TestClient, zara: Learner, change: dict[str, str]
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    page = account_url(open_account(browser, zara.uln))
    as_user(browser, DAB)  # named on the account
    refused = post(browser, page, f"{page}/results", result_form(result_body("a")) | change)
    assert refused.status_code == 422, refused.text
    assert error_summary(refused.text)
    assert "No results have been sent yet" in refused.text
