"""Batch files through the real API and a real worker: upload, progress, output, errors, approval,
and the same findings from the API, the job worker and `openlrs validate` on the test corpus."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from openlrs.batch.worker import BatchWorker
from openlrs.cli import app as cli
from openlrs.domain.accounts.organisations import Role
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_register_bodies, registration_csv
from tests.functional.callers import Caller, Register
from tests.functional.expectations import assert_problem

BATCHES = "/api/v1/batches"
ROOT = Path(__file__).resolve().parents[2]
CORPUS = json.loads((ROOT / "tests/data/batch/expected_findings.json").read_text())["files"]


def upload(api: TestClient, caller: Caller, content: bytes, name: str = "f.csv", **form: str):
    return api.post(
        BATCHES,
        data={"kind": "registration", **form},
        files={"file": (name, content)},
        headers=caller.headers,
    )


def drain(uow_factory: SqlUnitOfWorkFactory) -> None:
    BatchWorker(uow_factory).run(until_idle=True)


@pytest.fixture
def lrb(register: Register) -> Caller:
    return register.caller(Role.LRB)


def test_a_file_is_accepted_processed_and_its_output_and_errors_downloaded(
    api: TestClient, lrb: Caller, uow_factory: SqlUnitOfWorkFactory
) -> None:
    bodies = many_register_bodies(3, seed=71)
    formula = ['=HYPERLINK("x")', "Amy", "Patel", "2009-05-17", "2", "LS6 2AB"]
    content = registration_csv(
        bodies, [["BAD1", "", "Patel", "2009-13-01", "2", "LS6 2AB"], formula]
    )

    accepted = upload(api, lrb, content)
    assert accepted.status_code == 202, accepted.text
    job = accepted.json()
    assert accepted.headers["location"] == f"{BATCHES}/{job['id']}"
    assert job["status"] == "queued"
    drain(uow_factory)
    done = api.get(f"{BATCHES}/{job['id']}", headers=lrb.headers).json()
    output = api.get(f"{BATCHES}/{job['id']}/output", headers=lrb.headers)
    errors = api.get(f"{BATCHES}/{job['id']}/errors", headers=lrb.headers)

    assert done["status"] == "completed"
    assert done["rows"] == {"total": 5, "processed": 5, "failed": 1}
    assert output.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(output.content.decode("utf-8-sig"))))
    assert [r["outcome"] for r in rows] == ["registered"] * 3 + ["VALIDATION_FAILED", "registered"]
    assert all(len(r["returned_uln"]) == 10 for r in rows if r["outcome"] == "registered")
    assert rows[4]["source_learner_id"].startswith("'=")  # neutralised for spreadsheets
    assert "FIELD_REQUIRED" in rows[3]["messages"] and "DATE_INVALID" in rows[3]["messages"]
    failed = list(csv.DictReader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert [r["source_learner_id"] for r in failed] == ["BAD1"]


def test_the_same_file_again_is_the_same_job_and_output_waits_for_the_end(
    api: TestClient, lrb: Caller
) -> None:
    content = registration_csv(many_register_bodies(2, seed=72))
    first = upload(api, lrb, content)
    early = api.get(f"{BATCHES}/{first.json()['id']}/output", headers=lrb.headers)
    again = upload(api, lrb, content)

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["duplicate"] is True
    assert_problem(early, 409, "BATCH_OUTPUT_NOT_READY")


def test_bad_uploads_are_refused_with_a_problem(api: TestClient, lrb: Caller) -> None:
    content = registration_csv(many_register_bodies(1, seed=73))
    assert_problem(upload(api, lrb, content, kind="achievements"), 422, "VALIDATION_FAILED")
    assert_problem(upload(api, lrb, b""), 422, "BATCH_EMPTY")
    assert_problem(upload(api, lrb, content, format="pdf"), 422, "VALIDATION_FAILED")
    huge = b"x" * (20 * 1024 * 1024 + 1)
    assert upload(api, lrb, huge).status_code == 413


def test_another_organisation_sees_nothing_of_a_job(api: TestClient, register: Register) -> None:
    mine, theirs = register.caller(Role.LRB), register.caller(Role.LRB, "10007777")
    job = upload(api, mine, registration_csv(many_register_bodies(1, seed=74))).json()

    assert_problem(
        api.get(f"{BATCHES}/{job['id']}", headers=theirs.headers), 404, "BATCH_NOT_FOUND"
    )
    assert api.get(BATCHES, headers=theirs.headers).json() == {"batches": []}
    assert [j["id"] for j in api.get(BATCHES, headers=mine.headers).json()["batches"]] == [
        job["id"]
    ]


def _validate_cli(path: Path) -> list[list[Any]]:
    result = CliRunner().invoke(cli, ["validate", str(path), "--json"])
    return [[f["row"], f["column"], f["code"]] for f in json.loads(result.stdout)["findings"]]


def test_the_api_the_worker_and_the_validator_find_the_same_problems(
    api: TestClient, lrb: Caller, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """Every corpus file: the API's validate-only answer, `openlrs validate` and the recorded
    findings agree; then, submitted as a job, the worker refuses the same rows for the same codes
    (or the whole file, for a file-level finding)."""
    jobs = {}
    for case in CORPUS:
        path = ROOT / case["path"]
        content = path.read_bytes()
        checked = api.post(
            f"{BATCHES}/validate", files={"file": (path.name, content)}, headers=lrb.headers
        )
        assert checked.status_code == 200, checked.text
        from_api = [[f["row"], f["column"], f["code"]] for f in checked.json()["findings"]]
        assert from_api == _validate_cli(path) == case["findings"], case["path"]
        if content and case["kind"] is not None:
            awarding = case["kind"] in ("achievement", "diploma_result")
            caller = register.caller(Role.AO) if awarding else lrb
            submitted = upload(api, caller, content, name=path.name, kind=case["kind"])
            jobs[case["path"]] = (case, submitted.json()["id"], caller)
    drain(uow_factory)
    for path, (case, job_id, caller) in jobs.items():
        done = api.get(f"{BATCHES}/{job_id}", headers=caller.headers).json()
        file_level = [f for f in case["findings"] if f[0] is None]
        if file_level:
            assert done["status"] == "failed", path
            assert done["error"]["code"] == file_level[0][2], path
            continue
        _, rows = _job_rows(uow_factory, job_id)
        invalid = {
            (r.number, m.field or None, m.code)
            for r in rows
            if r.outcome and r.outcome.outcome == "VALIDATION_FAILED"
            for m in r.outcome.messages
        }
        assert invalid == {tuple(f) for f in case["findings"]}, path


def _job_rows(uow_factory: SqlUnitOfWorkFactory, job_id: str) -> tuple[Any, list[Any]]:
    with uow_factory() as uow:
        return uow.batches.get(job_id), uow.batches.rows(job_id, failed_only=False)


def test_a_participation_batch_records_enrolments_row_by_row(
    api: TestClient, lrb: Caller, uow_factory: SqlUnitOfWorkFactory
) -> None:
    from openlrs.domain.accounts.organisations import Principal
    from openlrs.domain.learners.learner import LearnerDetails
    from openlrs.services.learners.register import RegisterLearner, register_learner
    from openlrs.services.plr.read import ReadPlr, read_plr

    registrar = Principal("user:registrar", lrb.ukprn, frozenset({Role.LRB}))
    details = LearnerDetails("Imogen", "Tattersall", dt.date(2004, 3, 9), 2, "YO1 7HH")
    learner = register_learner(RegisterLearner(details), principal=registrar, uow=uow_factory())
    content = (
        "uln,source_learner_id,given_name,family_name,date_of_birth,learning_aim,start_date,"
        "end_date,title\r\n"
        f"{learner.uln},P1,Imogen,Tattersall,2004-03-09,60012345,2025-09-01,,Level 3 Plumbing\r\n"
        f"{learner.uln},P2,Imogen,Tattersall,2004-03-09,6001,2025-09-01,2025-08-01,\r\n"
    ).encode()

    accepted = upload(api, lrb, content, "enrolments.csv", kind="participation")
    assert accepted.status_code == 202, accepted.text
    job = accepted.json()
    drain(uow_factory)
    done = api.get(f"{BATCHES}/{job['id']}", headers=lrb.headers).json()
    output = api.get(f"{BATCHES}/{job['id']}/output", headers=lrb.headers)
    errors = api.get(f"{BATCHES}/{job['id']}/errors", headers=lrb.headers)

    assert done["rows"] == {"total": 2, "processed": 2, "failed": 1}
    rows = list(csv.DictReader(io.StringIO(output.content.decode("utf-8-sig"))))
    assert [r["outcome"] for r in rows] == ["created", "VALIDATION_FAILED"]
    assert rows[0]["returned_uln"] == learner.uln
    assert "LEARNING_AIM_INVALID" in rows[1]["messages"]
    assert "DATE_ORDER_INVALID" in rows[1]["messages"]
    failed = list(csv.DictReader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert [r["source_learner_id"] for r in failed] == ["P2"]
    desk = Principal("user:desk", "10000001", frozenset({Role.ADMIN}))
    [event] = read_plr(ReadPlr(learner.uln), principal=desk, uow=uow_factory()).events
    assert (event.subject, event.start_date) == ("60012345", dt.date(2025, 9, 1))
