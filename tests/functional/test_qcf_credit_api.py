"""The QCF credit bank read from the learner's record: unit achievements posted by an awarding
organisation through the real achievement path, then `GET /learners/{uln}/qcf-credit`."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import (
    AWARDING_UKPRN,
    OWNED,
    claim_body,
    knowledge_headers,
    post_qualifications,
    registered_learner,
    unissued_uln,
)
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem

AWARD = "600/1001/1"
"""Level 1 Award in Workplace Health and Safety: 8 credits, Mandatory A/601/0001 (3) and
A/601/0002 (2), Optional up to 4 from A/601/0003 (1), A/601/0004 (2), A/601/0005 (3)."""
UNITS = {"A/601/0001": 3, "A/601/0002": 2, "A/601/0003": 1, "A/601/0004": 2}


def _seed_units(api: TestClient, register: Register) -> None:
    admin = register.headers(Role.ADMIN)
    for reference, credit in UNITS.items():
        body = {"reference": reference, "title": f"Unit {reference}", "level": "1",
                "credit": credit, "owner": AWARDING_UKPRN}  # fmt: skip
        response = api.post("/api/v1/units", json=body, headers=admin)
        assert response.status_code == 201, response.text


def _award(api: TestClient, register: Register, learner: Learner, subject: str) -> dict[str, Any]:
    body = {"learner": claim_body(learner), "subject": subject, "award_date": "2025-06-30"}
    url = f"/api/v1/learners/{learner.uln}/achievements"
    response = api.post(url, json=body, headers=register.headers(Role.AO))
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


def _credit(api: TestClient, uln: str, headers: dict[str, str], query: str = "") -> Any:
    return api.get(f"/api/v1/learners/{uln}/qcf-credit{query}", headers=headers)


def test_unit_achievements_on_the_record_are_the_learners_credit(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    post_qualifications(api, register)
    _seed_units(api, register)
    learner = registered_learner(uow_factory, 951)
    lrb = register.headers(Role.LRB)
    for unit in ("A/601/0001", "A/601/0002", "A/601/0004"):
        _award(api, register, learner, unit)
    _award(api, register, learner, OWNED)  # a whole qualification: not QCF credit

    short = _credit(api, learner.uln, lrb | knowledge_headers(learner), f"?qualification={AWARD}")

    assert short.status_code == 200, short.text
    body = short.json()
    assert (body["uln"], body["linked"]) == (learner.uln, False)
    assert sorted(u["unit"] for u in body["units"]) == ["A/601/0001", "A/601/0002", "A/601/0004"]
    assert {u["awarded_by"] for u in body["units"]} == {AWARDING_UKPRN}
    (award,) = body["qualifications"]
    assert (award["qualification"], award["claimable"], award["credit"]) == (AWARD, False, 7)
    assert award["missing"] == ["1 more credit(s) needed in total"]
    assert "Total: 7 of the 8 credits needed" in award["explanation"]

    last = _award(api, register, learner, "A/601/0003")
    everything = _credit(api, learner.uln, lrb | knowledge_headers(learner)).json()[
        "qualifications"
    ]
    claimable = [q["qualification"] for q in everything if q["claimable"]]
    assert claimable == [AWARD] and everything[0]["qualification"] == AWARD
    assert (everything[0]["credit"], everything[0]["missing"]) == (8, [])
    assert len(everything) == 3  # every shipped qualification, claimable first

    withdraw = f"/api/v1/learners/{learner.uln}/achievements/{last['id']}/withdraw"
    assert api.post(withdraw, headers=register.headers(Role.AO)).status_code == 200
    after = _credit(
        api, learner.uln, lrb | knowledge_headers(learner), f"?qualification={AWARD}"
    ).json()
    assert "A/601/0003" not in [u["unit"] for u in after["units"]]
    assert not after["qualifications"][0]["claimable"]

    with uow_factory() as uow:
        audited = uow.audit.list(ukprn=None, uln=learner.uln, before_id=None, limit=100)
    reads = [e for e in audited if e.action is AuditAction.PLR_QCF_CREDIT]
    assert [e.outcome for e in reads] == ["exact"] * 3
    assert {e.actor for e in reads} == {register.caller(Role.LRB).actor}


def test_a_merged_uln_reads_the_masters_credit(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _seed_units(api, register)
    master = registered_learner(uow_factory, 952)
    other = registered_learner(uow_factory, 953)
    _award(api, register, master, "A/601/0001")
    with uow_factory() as uow:
        merged = dataclasses.replace(
            other, status=LearnerStatus.MERGED, master_uln=master.uln, version=2
        )
        assert uow.learners.replace(merged, expected_version=1, actor="test", ukprn=None)
        uow.commit()

    body = _credit(api, other.uln, register.headers(Role.AO) | knowledge_headers(master)).json()

    assert (body["uln"], body["linked"]) == (master.uln, True)
    assert [u["unit"] for u in body["units"]] == ["A/601/0001"]
    with uow_factory() as uow:
        audited = uow.audit.list(ukprn=None, uln=other.uln, before_id=None, limit=10)
    assert [e.outcome for e in audited if e.action is AuditAction.PLR_QCF_CREDIT] == ["linked"]


def test_refusals_are_problems_and_an_opted_out_record_is_the_desks_and_the_depositors(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _seed_units(api, register)
    learner = registered_learner(uow_factory, 954)
    _award(api, register, learner, "A/601/0001")
    ao, lrb, admin = (register.headers(r) for r in (Role.AO, Role.LRB, Role.ADMIN))

    assert_problem(_credit(api, "123", lrb), 422, "ULN_INVALID")
    assert_problem(_credit(api, unissued_uln(), lrb), 404, "LEARNER_NOT_FOUND")
    unknown = _credit(
        api, learner.uln, lrb | knowledge_headers(learner), "?qualification=999/9999/9"
    )
    assert_problem(unknown, 404, "QCF_QUALIFICATION_NOT_FOUND")
    assert_problem(
        _credit(api, learner.uln, lrb | knowledge_headers(learner), "?qualification=nope"), 422
    )
    assert_problem(
        _credit(api, learner.uln, lrb | knowledge_headers(learner), f"?qualification={'9' * 40}"),
        422,
    )
    assert_problem(_credit(api, learner.uln, {}), 401)

    opted = api.put(
        f"/api/v1/learners/{learner.uln}/sharing", json={"shares": False}, headers=admin
    )
    assert opted.status_code == 200, opted.text
    assert_problem(
        _credit(api, learner.uln, lrb | knowledge_headers(learner)), 403, "LEARNER_OPTED_OUT"
    )
    own = _credit(
        api, learner.uln, ao | knowledge_headers(learner)
    )  # the awarding organisation's own deposits (issue 21)
    assert own.status_code == 200 and [u["unit"] for u in own.json()["units"]] == ["A/601/0001"]
    desk = _credit(api, learner.uln, admin)
    assert desk.status_code == 200 and [u["unit"] for u in desk.json()["units"]] == ["A/601/0001"]
    with uow_factory() as uow:
        audited = uow.audit.list(ukprn=None, uln=learner.uln, before_id=None, limit=20)
    outcomes = [e.outcome for e in audited if e.action is AuditAction.PLR_QCF_CREDIT]
    assert sorted(outcomes) == ["exact", "exact", "opted_out"]
