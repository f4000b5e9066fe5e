"""What the every-page crawl does before following links, for pages no link alone reaches: a
user names the learners the start pages are about (issue 22: a record is read naming the
learner), and walks the journeys whose later steps only a form leads to (their answers are
kept in a draft cookie). `check` is the crawl's check of the page as it stands."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

from tests.browser.demo_portal import DemoPortal

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


WALKS: dict[str, tuple[Callable[[Page, DemoPortal, Check], None], ...]] = {
    "service desk": (merge_up_to_check_answers,),
    "college administrator": (name_the_learners,),
    "school user": (name_the_learners,),
    "awarding organisation": (name_the_learners, record_an_achievement),
}
"""Each user's walks, before their crawl (recording comes after naming: it reads the record)."""
