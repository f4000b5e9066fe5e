"""Maintenance notices in Chromium: the service desk schedules maintenance, and the banner
appears on another user's pages (a college admin signed in in another browser); the desk's
pages (maintenance, incidents, deadlines) and the public changes page pass axe-core."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from tests.browser.conftest import Portal
from tests.browser.journeys import accessible, sign_in


def test_the_desk_schedules_maintenance_and_the_banner_appears_on_another_users_pages(
    page: Page, second_page: Page, portal: Portal
) -> None:
    sign_in(second_page, "lrb_admin@10004321")
    second_page.goto("/portal/batches")
    expect(second_page.locator("#maintenance-banner")).to_have_count(0)

    sign_in(page, "admin@10000001")
    page.goto("/portal/desk/maintenance")
    expect(page.get_by_role("heading", name="Maintenance", exact=True)).to_be_visible()
    accessible(page, "maintenance")
    page.get_by_role("button", name="Schedule maintenance").click()  # nothing filled in
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    accessible(page)

    start = dt.date.today() + dt.timedelta(days=3)
    for name, time in (("starts_at", "21:00"), ("ends_at", "23:30")):
        page.locator(f"#{name}-day").fill(str(start.day))
        page.locator(f"#{name}-month").fill(str(start.month))
        page.locator(f"#{name}-year").fill(str(start.year))
        page.locator(f"#{name}-time").fill(time)
    page.get_by_label("Message for users (optional)").fill("We are upgrading the database.")
    page.get_by_label("Make the service read-only").check()
    page.get_by_role("button", name="Schedule maintenance").click()
    expect(page.get_by_text("Maintenance scheduled")).to_be_visible()
    accessible(page)

    for url in ("/portal/batches", "/portal/", "/portal/challenges"):
        second_page.goto(url)
        banner = second_page.locator("#maintenance-banner")
        expect(banner).to_contain_text("Planned maintenance from")
        expect(banner).to_contain_text("at 9:00pm")
        expect(banner).to_contain_text("We are upgrading the database.")
    accessible(second_page, "maintenance-banner")
    second_page.get_by_role("link", name="Service changes and maintenance").click()
    expect(
        second_page.get_by_role("heading", name="Service changes and maintenance")
    ).to_be_visible()
    accessible(second_page, "changes")


def test_the_desk_logs_an_incident_and_sees_the_deadlines(page: Page, portal: Portal) -> None:
    sign_in(page, "admin@10000001")
    page.goto("/portal/desk/incidents")
    accessible(page, "incidents")
    page.get_by_role("button", name="Log an incident").click()
    page.get_by_role("button", name="Log incident").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    accessible(page)
    page.get_by_label("Category 2").check()
    page.get_by_label("Summary").fill("Batch files are not being processed")
    page.get_by_role("button", name="Log incident").click()
    expect(page.get_by_text("Incident logged")).to_be_visible()
    expect(page.get_by_text("Fix by")).to_be_visible()
    accessible(page, "incident")
    page.get_by_role("button", name="Record the first response").click()
    expect(page.get_by_text("Being worked on")).to_be_visible()
    page.get_by_label("How was it resolved?").fill("The worker was restarted.")
    page.get_by_role("button", name="Resolve incident").click()
    expect(page.get_by_text("The worker was restarted.")).to_be_visible()

    page.goto("/portal/desk/deadlines")
    expect(page.get_by_role("heading", name="Deadlines")).to_be_visible()
    accessible(page, "deadlines")
