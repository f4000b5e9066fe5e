"""Batch pages through the real app and a real worker: upload, progress, downloads, approval,
another organisation kept out, and CSRF on the multipart upload form."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from openlrs.batch.worker import BatchWorker
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.callers import SECRET_KEY
from tests.functional.portal_support import (
    COLLEGE_ADMIN,
    SCHOOL_USER,
    csrf_of,
    portal_app,
    post_form,
    sign_in,
    urls_in,
)

COLLEGE = "10004321"
REGISTRATIONS = (
    b"source_learner_id,given_name,family_name,date_of_birth,gender,postcode\r\n"
    b"MIS1,Amelia,Hughes,2008-05-14,2,LS1 4AP\r\n"
    b"MIS2,Noah,Okafor,2007-11-02,1,B1 1AA\r\n"
    b"MIS3,Zara,Khan,2008-02-30,2,M1 1AE\r\n"  # no 30 February: fails validation
)
PERSONAL = ("Amelia", "Hughes", "Okafor", "LS1", "2008-05-14")


@pytest.fixture
def app(database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory):  # type: ignore[no-untyped-def]
    settings = Settings(database_url=database_url, secret_key=SECRET_KEY, var_dir=tmp_path / "v")
    return portal_app(settings, uow_factory)


@pytest.fixture
def browser(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def other_browser(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def drain(uow_factory: SqlUnitOfWorkFactory) -> None:
    BatchWorker(uow_factory).run(until_idle=True)


def upload(
    client: TestClient,
    content: bytes = REGISTRATIONS,
    *,
    name: str = "spring-intake.csv",
    kind: str = "registration",
    csrf: bool = True,
) -> Response:
    form = client.get("/portal/batches/new")
    data = {"kind": kind} | ({"csrf_token": csrf_of(form.text)} if csrf else {})
    return client.post(
        "/portal/batches/new",
        data=data,
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def uploaded_job(client: TestClient, content: bytes = REGISTRATIONS) -> str:
    response = upload(client, content)
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/portal/batches/([0-9a-f-]{36})", response.headers["location"])
    assert found, response.headers["location"]
    return found.group(1)


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_an_upload_is_processed_and_its_output_and_errors_downloaded(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    job_id = uploaded_job(browser)
    queued = browser.get(f"/portal/batches/{job_id}")
    assert "Batch file uploaded" in queued.text
    assert "Queued" in queued.text
    assert "/output" not in queued.text

    drain(uow_factory)

    page = browser.get(f"/portal/batches/{job_id}")
    assert page.status_code == 200
    assert "Completed" in page.text
    assert "3 of 3 rows processed" in page.text
    assert "Completed with errors" in page.text  # one row failed: not simply "Completed"
    assert "1 row failed" in page.text
    assert re.search(r"data-label=\"Learner\"[^>]*>\s*Zara Khan", page.text)
    output = browser.get(f"/portal/batches/{job_id}/output")
    assert output.status_code == 200
    assert output.headers["content-type"].startswith("text/csv")
    assert output.headers["content-disposition"] == f'attachment; filename="{job_id}-output.csv"'
    rows = rows_of(output.content)
    assert [r["source_learner_id"] for r in rows] == ["MIS1", "MIS2", "MIS3"]
    assert [r["outcome"] for r in rows[:2]] == ["registered", "registered"]
    assert all(re.fullmatch(r"\d{10}", r["returned_uln"]) for r in rows[:2])
    errors = rows_of(browser.get(f"/portal/batches/{job_id}/errors").content)
    assert [(r["source_learner_id"], r["outcome"]) for r in errors] == [
        ("MIS3", "VALIDATION_FAILED")
    ]

    listing = browser.get("/portal/batches")
    assert "spring-intake.csv" in listing.text
    assert "Completed" in listing.text
    assert f"/portal/batches/{job_id}" in urls_in(listing.text)
    for url in urls_in(page.text) + urls_in(listing.text):
        assert not any(p in url for p in PERSONAL), url


def test_the_same_file_again_leads_to_its_first_job(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    first = uploaded_job(browser)
    again = upload(browser)
    assert again.headers["location"] == f"/portal/batches/{first}"
    assert "already sent this file" in browser.get(again.headers["location"]).text


def test_an_unreadable_file_fails_with_the_reason_on_its_page(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    job_id = uploaded_job(browser, b"name,colour\r\nAmelia,blue\r\n")
    drain(uow_factory)

    page = browser.get(f"/portal/batches/{job_id}")
    assert "Failed" in page.text
    assert "The file could not be used" in page.text
    reason = page.text.split("The file could not be used", 1)[1]
    assert "header" in reason.split("</strong>", 1)[0].lower()  # the reason, in words
    # the error code is kept for support, only inside the details component
    assert page.text.count("BATCH_HEADER_MISSING") == 1
    details = page.text.split('<details class="govuk-details"', 1)[1].split("</details>", 1)[0]
    assert "BATCH_HEADER_MISSING" in details


def test_an_upload_without_a_kind_or_a_file_shows_the_error_summary(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    form = browser.get("/portal/batches/new")
    response = browser.post(
        "/portal/batches/new",
        data={"csrf_token": csrf_of(form.text)},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 422
    assert 'href="#kind"' in response.text
    assert 'href="#file"' in response.text
    assert "Select a batch file" in response.text
    assert 'name="kind"' in response.text  # the form again, to correct


def test_an_upload_without_its_csrf_token_is_refused_and_nothing_queued(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    response = upload(browser, csrf=False)

    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert "spring-intake.csv" not in browser.get("/portal/batches").text


def test_another_organisation_gets_not_found_for_a_job(
    browser: TestClient, other_browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    job_id = uploaded_job(browser)
    drain(uow_factory)
    sign_in(other_browser, SCHOOL_USER)

    for path in ("", "/output", "/errors"):
        response = other_browser.get(f"/portal/batches/{job_id}{path}")
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "MIS1" not in response.text
    approve = post_form(
        other_browser, "/portal/batches/new", f"/portal/batches/{job_id}/approve", {}
    )
    assert approve.status_code == 404  # type: ignore[attr-defined]
    assert "spring-intake.csv" not in other_browser.get("/portal/batches").text
    assert other_browser.get("/portal/batches/not-a-job").status_code == 404


def test_a_systems_batch_waits_for_a_users_approval_when_the_organisation_requires_it(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    settings_url = f"/portal/organisations/{COLLEGE}/batch-settings"
    saved = post_form(browser, settings_url, settings_url, {"approval_required": "yes"})
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert "wait for a user" in browser.get(settings_url).text
    system = Principal("client:college-mis", COLLEGE, frozenset({Role.LRB}))
    command = SubmitBatch("registration", "csv", "nightly.csv", REGISTRATIONS)
    job = batch_jobs.submit_batch(command, principal=system, uow=uow_factory()).job
    drain(uow_factory)

    waiting = browser.get(f"/portal/batches/{job.id}")
    assert "Waiting for approval" in waiting.text
    assert "requires one of its users to approve" in waiting.text
    approved = post_form(
        browser, f"/portal/batches/{job.id}", f"/portal/batches/{job.id}/approve", {}
    )
    assert approved.status_code == 303  # type: ignore[attr-defined]
    assert "Batch approved" in browser.get(f"/portal/batches/{job.id}").text
    again = post_form(browser, "/portal/batches/new", f"/portal/batches/{job.id}/approve", {})
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert "no longer waiting for approval" in again.text  # type: ignore[attr-defined]
    drain(uow_factory)
    done = browser.get(f"/portal/batches/{job.id}")
    assert "Completed" in done.text
    assert "Approved by" in done.text


def test_only_an_organisations_admin_changes_its_batch_setting(browser: TestClient) -> None:
    sign_in(browser, SCHOOL_USER)
    assert browser.get("/portal/organisations/10007777/batch-settings").status_code == 403
    assert browser.get(f"/portal/organisations/{COLLEGE}/batch-settings").status_code == 403


def test_a_registration_body_may_upload_enrolments(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    form = browser.get("/portal/batches/new").text
    assert 'value="participation"' in form and "Record enrolments (participation)" in form
    content = (
        b"uln,given_name,family_name,learning_aim,start_date\r\n"
        b"9999999999,Amelia,Hart,60012345,2025-09-01\r\n"
    )
    response = upload(browser, content, name="enrolments.csv", kind="participation")
    assert response.status_code == 303, response.text
    drain(uow_factory)
    page = browser.get(response.headers["location"]).text
    assert "1 row failed" in page  # an invalid ULN, listed on the page
