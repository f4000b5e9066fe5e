"""A Diploma account in Chromium: the centre opens it, an awarding body sends a result (first a
wrong one, shown in the error summary), and the account page says what is still missing; each
page checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.learners.register import RegisterLearner, register_learner
from tests.browser.conftest import Portal
from tests.browser.journeys import accessible, sign_in

COLLEGE_ADMIN = "lrb_admin@10004321"
AWARDING_BODY = "ao@10009999"
REGISTRAR = Principal("user:registrar", "10004321", frozenset({Role.LRB}))
NOOR = LearnerDetails("Noor", "Haddad-Ellison", dt.date(2007, 1, 23), 2, "BS1 5TR")


def test_open_an_account_and_send_a_result(page: Page, second_page: Page, portal: Portal) -> None:
    uln = register_learner(RegisterLearner(NOOR), principal=REGISTRAR, uow=portal.uow_factory()).uln
    csp_errors: list[str] = []
    for tab in (page, second_page):
        tab.on(
            "console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None
        )

    sign_in(page, COLLEGE_ADMIN)
    page.get_by_role("link", name=re.compile("Diploma accounts")).click()
    accessible(page, "diploma-accounts")
    page.get_by_role("button", name="Open an account").click()
    accessible(page, "diploma-open")
    page.get_by_label("Unique Learner Number (ULN)").fill(uln)
    page.get_by_label("Diploma (line of learning and level)").select_option(
        label="Higher Diploma in Engineering"
    )
    page.get_by_label("UKPRN of the Diploma awarding body").fill("10009999")
    page.get_by_role("button", name="Open the account").click()
    expect(page.get_by_text("Diploma account opened.")).to_be_visible()
    account_url = page.url
    assert re.search(r"/portal/diploma/accounts/[A-Za-z0-9_-]{22}$", account_url)
    expect(
        page.get_by_role("heading", name=re.compile("Higher Diploma in Engineering"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Save work experience")).to_be_visible()
    accessible(page, "diploma-account-centre")

    sign_in(second_page, AWARDING_BODY)
    second_page.goto(account_url)
    expect(second_page.get_by_role("heading", name="Send a result")).to_be_visible()
    second_page.get_by_label("Your reference for the result").fill("pl-1")
    second_page.get_by_label("Principal learning").check()
    second_page.get_by_label("Qualification number").fill("500/9999/9")
    second_page.get_by_label("Qualification title").fill("Principal learning in Engineering")
    second_page.get_by_label("Level", exact=True).fill("2")
    second_page.get_by_label("Grade", exact=True).fill("A")
    second_page.get_by_label("Day").fill("30")
    second_page.get_by_label("Month").fill("6")
    second_page.get_by_label("Year").fill("2026")
    second_page.get_by_role("button", name="Send the result").click()
    summary = second_page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("DIPLOMA_RESULT_INVALID")
    accessible(second_page, "diploma-account-error")

    second_page.get_by_label("Your reference for the result").fill("asl-1")
    second_page.get_by_label("Additional and specialist learning (ASL)").check()
    second_page.get_by_label("Qualification number").fill("600/0000/1")
    second_page.get_by_label("Guided learning hours (ASL only)").fill("90")
    second_page.get_by_role("button", name="Send the result").click()
    expect(second_page.get_by_text(re.compile("Result saved"))).to_be_visible()
    expect(second_page.get_by_role("button", name="Withdraw result asl-1")).to_be_visible()
    accessible(second_page, "diploma-account-body")

    page.reload()
    expect(page.locator("#results")).to_contain_text("asl-1")
    expect(page.locator("#requirements")).to_contain_text("Principal learning")
    assert csp_errors == []
