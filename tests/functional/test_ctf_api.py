"""Common Transfer Files through the real API: a school uploads its CTF, reads what its pupils
came to, downloads its own file back with ULNs, sees its current learners (the UPN among their
details) and their changes in the feed; hostile or foreign files are refused and nothing kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from openlrs.api.app import create_api
from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.reader import open_batch
from openlrs.batch.worker import BatchWorker
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Role
from openlrs.services.accounts import manage as accounts
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_learner_details
from tests.builders.ctf import ctf_file, pupils, upn_for
from tests.functional.callers import SECRET_KEY, Caller, Register
from tests.functional.expectations import assert_problem

BATCHES = "/api/v1/batches"
NORTHGATE, SOUTHGATE = "10007777", "10007778"


def school(register: Register, ukprn: str, number: str) -> Caller:
    uow = register.uow_factory
    accounts.ensure_organisation(
        ukprn, f"School {ukprn}", OrgType.SCHOOL, principal=SYSTEM, uow=uow()
    )
    accounts.set_school_number(ukprn, number, principal=SYSTEM, uow=uow())
    return register.caller(Role.LRB, ukprn)


def upload(api: TestClient, caller: Caller, content: bytes):
    return api.post(
        BATCHES,
        data={"kind": "ctf"},
        files={"file": ("school.xml", content)},
        headers=caller.headers,
    )


def drain(uow_factory: SqlUnitOfWorkFactory) -> None:
    BatchWorker(uow_factory).run(until_idle=True)


def test_a_school_uploads_its_ctf_and_gets_it_back_with_ulns(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    northgate = school(register, NORTHGATE, "3804001")
    people = many_learner_details(5, seed=2521)
    content = ctf_file(pupils(people), version="19.0")

    accepted = upload(api, northgate, content)
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["id"]
    again = upload(api, northgate, content)  # the same file again: its first job
    assert (again.status_code, again.json()["id"], again.json()["duplicate"]) == (200, job_id, True)
    drain(uow_factory)
    job = api.get(f"{BATCHES}/{job_id}", headers=northgate.headers).json()
    output = api.get(f"{BATCHES}/{job_id}/output", headers=northgate.headers)
    errors = api.get(f"{BATCHES}/{job_id}/errors", headers=northgate.headers)

    assert (job["kind"], job["status"]) == ("ctf", "completed")
    assert job["summary"] == {"new": 5, "found": 0, "possible": 0, "rejected": 0, "pending": 0}
    assert output.headers["content-type"].startswith("application/xml")
    rows = list(open_batch(io.BytesIO(output.content), kind=BatchKind.CTF, fmt=BatchFormat.XML))
    assert [r.values["upn"] for r in rows] == [upn_for(i) for i in range(5)]
    ulns = [r.values["uln"] for r in rows]
    assert all(len(u) == 10 for u in ulns)
    assert etree.fromstring(errors.content).tag == "ctf_errors"

    record = api.get(f"/api/v1/learners/{ulns[0]}", headers=northgate.headers).json()
    assert record["upn"] == upn_for(0)
    first = api.get(
        f"/api/v1/organisations/{NORTHGATE}/learners?limit=3", headers=northgate.headers
    ).json()
    rest = api.get(first["next"], headers=northgate.headers).json()
    listed = first["learners"] + rest["learners"]
    assert sorted(c["uln"] for c in listed) == sorted(ulns)
    assert rest["next"] is None
    assert {c["upn"] for c in listed} == {upn_for(i) for i in range(5)}
    assert {c["dual_registered"] for c in listed} == {False}


def test_a_pupil_on_roll_at_two_schools_is_listed_by_both_and_in_both_feeds(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    northgate = school(register, NORTHGATE, "3804001")
    southgate = school(register, SOUTHGATE, "3814002")
    people = many_learner_details(2, seed=2522)
    upload(api, northgate, ctf_file(pupils(people)))
    drain(uow_factory)
    upload(api, southgate, ctf_file(pupils(people, ("381", "4002")), school=("381", "4002")))
    drain(uow_factory)
    listed = api.get(f"/api/v1/organisations/{SOUTHGATE}/learners", headers=southgate.headers)
    uln = listed.json()["learners"][0]["uln"]
    since = api.get("/api/v1/changes", headers=southgate.headers).json()["next_since"]

    record = api.get(f"/api/v1/learners/{uln}", headers=northgate.headers)
    changed = api.patch(
        f"/api/v1/learners/{uln}",
        json={"middle_names": "Grace"},
        headers=northgate.headers | {"If-Match": record.headers["etag"]},
    )
    feed = api.get(f"/api/v1/changes?since={since}", headers=southgate.headers).json()

    assert [c["dual_registered"] for c in listed.json()["learners"]] == [True, True]
    assert changed.status_code == 200, changed.text
    assert [(c["uln"], c["kind"]) for c in feed["changes"]] == [(uln, "updated")]
    other = api.get(f"/api/v1/organisations/{NORTHGATE}/learners", headers=southgate.headers)
    assert_problem(other, 403, "NOT_AUTHORISED")


XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE CTfile [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CTfile><Header/><CTFpupilData><Pupil><Surname>&secret;</Surname></Pupil></CTFpupilData></CTfile>"""


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (XXE, 422, "BATCH_XML_UNSAFE"),
        (b"\xff\xfe<\x00C\x00", 422, "BATCH_ENCODING"),
        (
            ctf_file(pupils(many_learner_details(1, seed=2523)), school=("999", "9999")),
            403,
            "CTF_WRONG_SCHOOL",
        ),
    ],
    ids=["xxe", "utf-16", "another school"],
)
def test_a_hostile_or_foreign_file_is_refused_at_once_and_nothing_is_kept(
    api: TestClient, register: Register, content: bytes, status: int, code: str
) -> None:
    northgate = school(register, NORTHGATE, "3804001")

    refused = upload(api, northgate, content)

    assert_problem(refused, status, code)
    assert "root:" not in refused.text
    assert api.get(BATCHES, headers=northgate.headers).json()["batches"] == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory
) -> None:
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        var_dir=tmp_path / "var",
        batch_max_bytes=50_000,
    )
    with TestClient(create_api(settings, uow_factory), raise_server_exceptions=False) as api:
        northgate = school(Register(api, uow_factory), NORTHGATE, "3804001")
        content = ctf_file(pupils(many_learner_details(80, seed=2524)))
        assert len(content) > 50_000

        refused = upload(api, northgate, content)

        assert refused.status_code == 413
        assert api.get(BATCHES, headers=northgate.headers).json()["batches"] == []


def test_a_school_without_a_dfe_number_is_told_to_ask_for_one(
    api: TestClient, register: Register
) -> None:
    caller = register.caller(Role.LRB)
    refused = upload(api, caller, ctf_file(pupils(many_learner_details(1, seed=2525))))
    assert_problem(refused, 403, "CTF_SCHOOL_UNKNOWN")
