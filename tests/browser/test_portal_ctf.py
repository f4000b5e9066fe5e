"""A school's Common Transfer File in Chromium: upload it, approve it (the school asks for
approval), download it back with ULNs for the MIS, then see the pupils in "Your learners" with
their UPN on the record. Every page is checked with axe-core; the worker runs in the test."""

from __future__ import annotations

import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.reader import open_batch
from openlrs.batch.worker import BatchWorker
from tests.browser.conftest import Portal
from tests.browser.journeys import accessible, sign_in
from tests.builders import many_learner_details
from tests.builders.ctf import ctf_file, pupils, upn_for

SCHOOL_USER = "lrb@10007777"  # Northgate Academy, DfE number 3804001 in the demo data


def test_a_school_uploads_its_ctf_approves_it_and_downloads_it_with_ulns(
    page: Page, portal: Portal
) -> None:
    with portal.uow_factory() as uow:
        uow.batches.set_approval_required("10007777", True)
        uow.commit()
    content = ctf_file(pupils(many_learner_details(3, seed=2531)), version="19.0")

    sign_in(page, SCHOOL_USER)
    page.goto("/portal/batches/new")
    page.get_by_label("Common Transfer File (CTF)").check()
    page.get_by_label("Batch file").set_input_files(
        {"name": "northgate-ctf.xml", "mimeType": "application/xml", "buffer": content}
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text("Batch file uploaded")).to_be_visible()
    BatchWorker(portal.uow_factory).run(until_idle=True)  # reads the file: then it waits
    page.reload()
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    expect(page.get_by_text("Not processed yet")).to_be_visible()
    accessible(page, "ctf-awaiting-approval")

    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Batch approved")).to_be_visible()
    BatchWorker(portal.uow_factory).run(until_idle=True)
    page.reload()
    expect(page.get_by_text("Completed")).to_be_visible()
    expect(page.get_by_text("New ULNs issued")).to_be_visible()
    accessible(page, "ctf-completed")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Common Transfer File with ULNs")).click()
    download = download_info.value
    assert download.suggested_filename.endswith("-output.xml")
    back = Path(download.path()).read_bytes()
    rows = list(open_batch(io.BytesIO(back), kind=BatchKind.CTF, fmt=BatchFormat.XML))
    assert [r.values["upn"] for r in rows] == [upn_for(i) for i in range(3)]
    ulns = [r.values["uln"] for r in rows]
    assert all(re.fullmatch(r"\d{10}", uln) for uln in ulns)

    page.goto("/portal/")
    page.get_by_role("link", name=re.compile("Your learners")).click()
    expect(page.get_by_role("heading", name="Your learners")).to_be_visible()
    accessible(page, "current-learners")
    page.goto(f"/portal/learners/{ulns[0]}")
    expect(page.get_by_text(upn_for(0))).to_be_visible()
    accessible(page)


def test_a_ctf_from_another_school_is_refused_on_the_upload_page(
    page: Page, portal: Portal
) -> None:
    content = ctf_file(pupils(many_learner_details(1, seed=2532)), school=("999", "9999"))
    sign_in(page, SCHOOL_USER)
    page.goto("/portal/batches/new")
    page.get_by_label("Common Transfer File (CTF)").check()
    page.get_by_label("Batch file").set_input_files(
        {"name": "other.xml", "mimeType": "application/xml", "buffer": content}
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("your school's DfE number")
    accessible(page, "ctf-refused")
