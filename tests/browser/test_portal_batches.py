"""Batch files and Verify Learner Details in Chromium: upload, process, download; each page checked
with axe-core. The worker runs in the test against the server's database, so nothing waits on time."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.services.batches.jobs import SubmitBatch, submit_batch
from tests.browser.conftest import Portal
from tests.browser.journeys import accessible, sign_in

COLLEGE_ADMIN = "lrb_admin@10004321"
REGISTRATIONS = (
    b"source_learner_id,given_name,family_name,date_of_birth,gender,postcode\r\n"
    b"MIS1,Amelia,Hughes,2008-05-14,2,LS1 4AP\r\n"
    b"MIS2,Noah,Okafor,2007-11-02,1,B1 1AA\r\n"
)


def test_upload_a_batch_then_download_its_output(page: Page, portal: Portal) -> None:
    sign_in(page, COLLEGE_ADMIN)
    page.get_by_role("link", name="Batches").first.click()
    expect(page.get_by_role("heading", name="Batch files")).to_be_visible()
    accessible(page, "batches-empty")
    page.get_by_role("button", name="Upload a batch file").click()
    accessible(page, "batch-upload")

    page.get_by_role("button", name="Upload file").click()  # nothing chosen yet
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    accessible(page, "batch-upload-errors")
    page.get_by_label("Register or update learners").check()
    page.get_by_label("Batch file").set_input_files(
        {"name": "spring-intake.csv", "mimeType": "text/csv", "buffer": REGISTRATIONS}
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text("Batch file uploaded")).to_be_visible()
    expect(page.get_by_text("Queued")).to_be_visible()
    assert re.search(r"/portal/batches/[0-9a-f-]{36}$", page.url)
    accessible(page, "batch-queued")

    BatchWorker(portal.uow_factory).run(until_idle=True)
    page.reload()
    expect(page.get_by_text("Completed")).to_be_visible()
    expect(page.get_by_text("2 of 2 rows processed")).to_be_visible()
    accessible(page, "batch-completed")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the output file")).click()
    download = download_info.value
    assert download.suggested_filename.endswith("-output.csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8-sig"))))
    assert [(r["source_learner_id"], r["outcome"]) for r in rows] == [
        ("MIS1", "registered"),
        ("MIS2", "registered"),
    ]
    assert all(re.fullmatch(r"\d{10}", r["returned_uln"]) for r in rows)

    page.goto("/portal/batches")
    expect(page.get_by_role("link", name="spring-intake.csv")).to_be_visible()
    accessible(page, "batches")

    page.goto("/portal/users")
    page.get_by_role("link", name=re.compile("Batch file settings")).click()
    accessible(page, "batch-settings")
    page.get_by_label("Yes, a user must approve them").check()
    page.get_by_role("button", name="Save setting").click()
    expect(page.get_by_text("now wait for a user's approval")).to_be_visible()

    uln = rows[1]["returned_uln"]
    page.goto("/portal/verify")
    accessible(page, "verify")
    page.get_by_label("Unique Learner Number (ULN)").fill(uln)
    page.get_by_label("Given name").fill("Noha")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_role("button", name="Verify details").click()
    expect(page.get_by_role("heading", name="Names are similar")).to_be_visible()
    assert page.url.endswith("/portal/verify")  # the details went in the body
    page.get_by_text("Every check made").click()
    accessible(page, "verify-result")


def test_approve_a_batch_a_system_sent(page: Page, portal: Portal) -> None:
    college = "10004321"
    with portal.uow_factory() as uow:
        uow.batches.set_approval_required(college, True)
        uow.commit()
    system = Principal("client:college-mis", college, frozenset({Role.LRB}))
    command = SubmitBatch("registration", "csv", "nightly.csv", REGISTRATIONS)
    job = submit_batch(command, principal=system, uow=portal.uow_factory()).job
    BatchWorker(portal.uow_factory).run(until_idle=True)

    sign_in(page, COLLEGE_ADMIN)
    page.goto(f"/portal/batches/{job.id}")
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    accessible(page, "batch-awaiting-approval")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Batch approved")).to_be_visible()
    accessible(page)
