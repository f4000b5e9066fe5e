"""What the every-page crawl does before following links, for pages no link alone reaches: a
user names the learners the start pages are about (issue 22: a record is read naming the
learner), and walks the journeys whose later steps only a form leads to (their answers are
kept in a draft cookie). `check` is the crawl's check of the page as it stands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from tests.browser.demo_portal import DemoPortal
from tests.browser.journeys import fill_learner

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
NEW_LEARNER = {
    "given_name": "Oluwaseun",
    "family_name": "Castellano-Reyes",
    "date_of_birth": "23 4 2007",
    "gender": "Female",
    "postcode": "HD1 2QA",
}
"""Someone the register does not hold: a search finds no one, and offers to register them."""

Check = Callable[[Page], None]
"""The crawl's check of the page as it stands."""


def name_the_learners(page: Page, demo: DemoPortal, check: Check) -> None:
    """Give each start page's learner's names once, as an organisation does (the desk is never
    asked)."""
    for uln, (given, family) in demo.names.items():
        page.goto(f"/portal/learners/{uln}")
        if page.get_by_role("heading", name="Confirm who the learner is").count() == 0:
            continue
        check(page)
        page.get_by_label("Given name").fill(given)
        page.get_by_label("Family name").fill(family)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


def record_an_achievement(page: Page, demo: DemoPortal, check: Check) -> None:
    """An awarding organisation's question pages, check answers and confirmation."""
    uln, (given, family) = next(iter(demo.names.items()))
    page.goto("/portal/achievements/new")
    check(page)
    page.get_by_label("Unique Learner Number (ULN)").fill(uln)
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill(family)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/new/subject")
    check(page)
    page.locator("input[name=subject]").last.check()  # a unit: not yet on the record
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/new/result")
    check(page)
    page.get_by_label("Grade (optional)").fill("Pass")
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/new/check")
    check(page)
    page.get_by_role("button", name="Record achievement").click()
    page.wait_for_url("**/new/recorded")
    check(page)


def merge_up_to_check_answers(page: Page, demo: DemoPortal, check: Check) -> None:
    """The desk's merge, from the learner's page to check answers (nothing is merged)."""
    uln = next(iter(demo.names))
    page.goto(f"/portal/learners/{uln}/merge")
    check(page)
    page.get_by_label("What is the other ULN?").fill(demo.other_uln)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/merge/compare")
    check(page)
    page.get_by_label(f"ULN {uln}").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/merge/check")
    check(page)


def register_a_learner(page: Page, demo: DemoPortal, check: Check) -> None:
    """A search for someone new, the registration form, and check answers (nothing is sent)."""
    page.goto("/portal/learners/search")
    fill_learner(page, NEW_LEARNER)
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    check(page)
    page.get_by_role("button", name="Register a new learner with these details").click()
    page.get_by_role("heading", name="Register a new learner").wait_for()
    check(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers").wait_for()
    check(page)


def check_a_file(page: Page, demo: DemoPortal, check: Check) -> None:
    page.goto("/portal/check-a-file")
    page.get_by_label("Learner registrations and updates").check()
    page.get_by_label("File to check").set_input_files(EXAMPLES / "registration-with-errors.csv")
    page.get_by_role("button", name="Check file").click()
    page.wait_for_url("**/check-a-file/result**")
    check(page)


def load_the_qualification_register(page: Page, demo: DemoPortal, check: Check) -> None:
    page.goto("/portal/qualification-register")
    page.get_by_label("Register file").set_input_files(EXAMPLES / "register" / "qualifications.csv")
    page.get_by_role("button", name="Upload and update").click()
    page.wait_for_url("**/qualification-register/loaded**")
    check(page)


def apply_to_be_a_provider(page: Page, demo: DemoPortal, check: Check) -> None:
    """The public application: start page, each question, check answers, sent."""
    page.goto("/portal/providers/apply")
    check(page)
    page.get_by_role("button", name="Start now").click()
    answers: tuple[tuple[dict[str, str], str | None], ...] = (
        ({"Legal name": "Eastfield Skills Ltd"}, None),
        ({}, "Training provider"),
        ({"Company number": "7654321"}, "Company"),
        ({"Address line 1": "2 Canal Wharf", "Town or city": "Wakefield", "Postcode": "WF1 5RH"},
         None),
        ({"Full name": "Dee Okoro", "Email address": "dee@eastfield.example"}, None),
    )  # fmt: skip
    for fields, choice in answers:
        page.wait_for_load_state()
        check(page)
        if choice:
            page.get_by_label(choice, exact=True).check()
        for label, value in fields.items():
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers").wait_for()
    check(page)
    page.get_by_role("button", name="Accept and send").click()
    page.get_by_role("heading", name="Application sent").wait_for()
    check(page)


WALKS: dict[str, tuple[Callable[[Page, DemoPortal, Check], None], ...]] = {
    "service desk": (merge_up_to_check_answers, load_the_qualification_register),
    "college administrator": (name_the_learners, register_a_learner, check_a_file),
    "school user": (name_the_learners,),
    "awarding organisation": (name_the_learners, record_an_achievement),
    "signed out": (apply_to_be_a_provider,),
}
"""Each user's walks, before their crawl (recording comes after naming: it reads the record)."""
