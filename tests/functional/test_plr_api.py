"""The PLR over HTTP on both databases: achievements, the record with ETag/304, opt-out,
challenges, reports and the qualification register."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.learners.learner import LearnerStatus
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import (
    NOT_OWNED,
    OTHER_UKPRN,
    OWNED,
    SHARED,
    achievement_body,
    knowledge_headers,
    post_qualifications,
    register_body,
    registered_learner,
)
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem


def _post(api: TestClient, uln: str, body: dict[str, object], headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return api.post(f"/api/v1/learners/{uln}/achievements", json=body, headers=headers)


def test_ownership_vld_idempotence_and_withdraw_reinstate(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    post_qualifications(api, register)
    learner = registered_learner(uow_factory, 901)
    ao = register.headers(Role.AO)

    created = _post(api, learner.uln, achievement_body(learner), ao)
    again = _post(api, learner.uln, achievement_body(learner), ao)
    shared = _post(api, learner.uln, achievement_body(learner, SHARED), ao)
    refused = _post(api, learner.uln, achievement_body(learner, NOT_OWNED), ao)
    wrong = achievement_body(learner)
    wrong["learner"] = {"given_name": "Zebedee", "family_name": "Quixote"}
    mismatch = _post(api, learner.uln, wrong, ao)

    assert created.status_code == 201, created.text
    assert (again.status_code, again.json()["id"]) == (200, created.json()["id"])
    assert shared.status_code == 201
    assert_problem(refused, 403, "QUALIFICATION_NOT_OWNED")
    assert_problem(mismatch, 422, "LEARNER_DETAILS_MISMATCH")
    assert "Zebedee" not in mismatch.text

    event_id = created.json()["id"]
    base = f"/api/v1/learners/{learner.uln}/achievements/{event_id}"
    other_ao = register.headers(Role.AO, OTHER_UKPRN)
    assert_problem(api.post(f"{base}/withdraw", headers=other_ao), 403, "QUALIFICATION_NOT_OWNED")
    withdrawn = api.post(f"{base}/withdraw", headers=ao)
    reinstated = api.post(f"{base}/reinstate", headers=ao)
    assert withdrawn.json()["status"] == "withdrawn"
    keep = {"version", "updated_at"}
    original = {k: v for k, v in created.json().items() if k not in keep | {"created"}}
    assert {k: v for k, v in reinstated.json().items() if k not in keep} == original
    updated = api.put(base, json={"award_date": "2025-07-01", "grade": "Merit"}, headers=ao)
    assert (updated.status_code, updated.json()["grade"]) == (200, "Merit")


def test_a_merged_uln_lands_on_the_master(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    post_qualifications(api, register)
    master = registered_learner(uow_factory, 902)
    other = registered_learner(uow_factory, 903)
    with uow_factory() as uow:
        merged = dataclasses.replace(
            other,
            details=master.details,
            status=LearnerStatus.MERGED,
            master_uln=master.uln,
            version=2,
        )
        assert uow.learners.replace(merged, expected_version=1, actor="test", ukprn=None)
        uow.commit()

    posted = _post(api, other.uln, achievement_body(master), register.headers(Role.AO))

    assert (posted.status_code, posted.json()["uln"]) == (201, master.uln)


def test_the_record_has_an_etag_a_304_filters_and_every_read_is_audited(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    post_qualifications(api, register)
    learner = registered_learner(uow_factory, 904)
    known = knowledge_headers(learner)
    _post(api, learner.uln, achievement_body(learner), register.headers(Role.AO))
    lrb = register.headers(Role.LRB)
    participation = {
        "learner": achievement_body(learner)["learner"],
        "learning_aim": "60012345",
        "start_date": "2024-09-01",
    }
    url = f"/api/v1/learners/{learner.uln}"
    assert api.post(f"{url}/participation", json=participation, headers=lrb).status_code == 201

    first = api.get(f"{url}/learning-events", headers=lrb | known)
    etag = first.headers["etag"]
    unchanged = api.get(f"{url}/learning-events", headers=lrb | {"If-None-Match": etag} | known)
    only = api.get(f"{url}/learning-events?type=participation", headers=lrb | known)
    since = api.get(f"{url}/learning-events?since=2025-01-01", headers=lrb | known)

    assert first.status_code == 200 and len(first.json()["learning_events"]) == 2
    assert (unchanged.status_code, unchanged.headers["etag"]) == (304, etag)
    assert [e["subject"] for e in only.json()["learning_events"]] == ["60012345"]
    assert [e["subject"] for e in since.json()["learning_events"]] == [OWNED]
    with uow_factory() as uow:
        reads = [
            e
            for e in uow.audit.list(ukprn=None, uln=learner.uln, before_id=None, limit=50)
            if e.action is AuditAction.PLR_READ
        ]
    assert len(reads) == 4
    assert api.get(f"{url}/learning-events?since=yesterday", headers=lrb | known).status_code == 422


def test_an_opted_out_learner_is_hidden_everywhere_but_achievements_still_land(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """Issue 21 item 9: registration bodies are refused; the depositing AO sees its own deposits."""
    post_qualifications(api, register)
    learner = registered_learner(uow_factory, 905)
    known = knowledge_headers(learner)
    url = f"/api/v1/learners/{learner.uln}"
    ao, lrb, admin = (register.headers(r) for r in (Role.AO, Role.LRB, Role.ADMIN))
    other_ao = register.headers(Role.AO, OTHER_UKPRN)
    event = _post(api, learner.uln, achievement_body(learner), ao).json()

    opted = api.put(f"{url}/sharing", json={"shares": False}, headers=admin)
    later = _post(api, learner.uln, achievement_body(learner, SHARED), ao)

    assert opted.json() == {"uln": learner.uln, "shares": False}
    assert later.status_code == 201
    for path in ("/learning-events", "/learning-events/report?format=csv"):
        body = assert_problem(api.get(url + path, headers=lrb | known), 403, "LEARNER_OPTED_OUT")
        assert body["lrs_code"] == "WSEC0206"
    challenge = api.post(
        f"{url}/learning-events/{event['id']}/challenges", json={"reason": "wrong"}, headers=lrb
    )
    assert challenge.status_code == 403
    own = api.get(f"{url}/learning-events", headers=ao | known).json()["learning_events"]
    assert sorted(e["id"] for e in own) == sorted([event["id"], later.json()["id"]])
    assert (
        api.get(f"{url}/learning-events", headers=other_ao | known).json()["learning_events"] == []
    )
    assert (
        len(api.get(f"{url}/learning-events", headers=admin | known).json()["learning_events"]) == 2
    )


def test_an_awarding_organisation_gets_the_uln_and_its_own_events_never_the_details(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """Issue 21 item 3: refused the details at GET /learners/{uln}, an AO does not get them from
    the record, its report or its CSV; it sees the events it deposited, not another AO's."""
    post_qualifications(api, register)
    learner = registered_learner(uow_factory, 908)
    known = knowledge_headers(learner)
    url = f"/api/v1/learners/{learner.uln}"
    ao, other_ao = register.headers(Role.AO), register.headers(Role.AO, OTHER_UKPRN)
    mine = _post(api, learner.uln, achievement_body(learner), ao).json()
    theirs = _post(api, learner.uln, achievement_body(learner, NOT_OWNED), other_ao).json()

    assert api.get(url, headers=ao).status_code == 403
    record = api.get(f"{url}/learning-events", headers=ao | known)
    csv_text = api.get(f"{url}/learning-events/report?format=csv", headers=ao | known).text
    pdf = api.get(f"{url}/learning-events/report?format=pdf", headers=ao | known)

    assert record.json()["learner"] == {"uln": learner.uln}
    assert [e["id"] for e in record.json()["learning_events"]] == [mine["id"]]
    assert theirs["id"] not in record.text and theirs["id"] not in csv_text
    d = learner.details
    personal = (d.given_name, d.family_name, d.postcode, d.email, d.address_line_1)
    for value in (*personal, d.date_of_birth.isoformat()):
        if value:
            assert value not in record.text and value not in csv_text
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    lrb_view = api.get(f"{url}/learning-events", headers=register.headers(Role.LRB) | known).json()
    assert lrb_view["learner"]["family_name"] == d.family_name
    assert len(lrb_view["learning_events"]) == 2


def test_ability_to_share_at_registration_is_the_plr_sharing_choice(
    api: TestClient, register: Register
) -> None:
    """Issue 21 item 9: a learner registered with ability_to_share 2 (declined) has an unreadable
    PLR, and PUT /sharing changes that same setting."""
    lrb, admin = register.headers(Role.LRB), register.headers(Role.ADMIN)
    created = api.post(
        "/api/v1/learners", json=register_body(909) | {"ability_to_share": 2}, headers=lrb
    )
    assert created.status_code == 201, created.text
    url = f"/api/v1/learners/{created.json()['uln']}"
    names = register_body(909)
    known = {"Learner-Given-Name": names["given_name"], "Learner-Family-Name": names["family_name"]}

    assert_problem(api.get(f"{url}/learning-events", headers=lrb | known), 403, "LEARNER_OPTED_OUT")
    assert api.get(f"{url}/sharing", headers=admin).json()["shares"] is False
    assert api.put(f"{url}/sharing", json={"shares": True}, headers=admin).status_code == 200
    assert api.get(f"{url}/learning-events", headers=lrb | known).status_code == 200
    assert api.get(url, headers=lrb).json()["ability_to_share"] == 1
    assert api.put(f"{url}/sharing", json={"shares": False}, headers=admin).status_code == 200
    assert api.get(url, headers=lrb).json()["ability_to_share"] == 2
    assert_problem(api.get(f"{url}/learning-events", headers=lrb | known), 403, "LEARNER_OPTED_OUT")


@pytest.mark.parametrize("grade", ['=HYPERLINK("x.ex")', "+cmd|' /C calc'!A0", "@SUM(1+1)"])
def test_the_csv_report_neutralises_spreadsheet_formulas(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory, grade: str
) -> None:
    """Issue 21 item 2: a grade a spreadsheet would run comes out as text."""
    post_qualifications(api, register)
    learner = registered_learner(uow_factory, 910)
    known = knowledge_headers(learner)
    posted = _post(
        api, learner.uln, achievement_body(learner, grade=grade), register.headers(Role.AO)
    )
    assert posted.status_code == 201, posted.text
    url = f"/api/v1/learners/{learner.uln}/learning-events/report?format=csv"

    text = api.get(url, headers=register.headers(Role.LRB) | known).text

    assert [row["grade"] for row in csv.DictReader(io.StringIO(text))] == ["'" + grade]


def test_a_challenge_goes_to_the_owning_ao_who_accepts_it(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    post_qualifications(api, register)
    learner = registered_learner(uow_factory, 906)
    known = knowledge_headers(learner)
    url = f"/api/v1/learners/{learner.uln}"
    ao, lrb = register.headers(Role.AO), register.headers(Role.LRB)
    event = _post(api, learner.uln, achievement_body(learner), ao).json()

    raised = api.post(
        f"{url}/learning-events/{event['id']}/challenges",
        json={"reason": "The learner passed with merit"},
        headers=lrb,
    )
    inbox = api.get("/api/v1/challenges?status=open", headers=ao)
    shown = api.get(f"{url}/learning-events", headers=lrb | known).json()["learning_events"][0]
    challenge_id = raised.json()["id"]
    decision = {
        "decision": "accept",
        "response": "Re-marked",
        "resolution": "corrected",
        "correction": {"award_date": "2025-06-30", "grade": "Merit"},
    }
    other_ao = register.headers(Role.AO, OTHER_UKPRN)
    hidden = api.post(
        f"/api/v1/challenges/{challenge_id}/decision", json=decision, headers=other_ao
    )
    accepted = api.post(f"/api/v1/challenges/{challenge_id}/decision", json=decision, headers=ao)
    after = api.get(f"{url}/learning-events", headers=lrb | known).json()["learning_events"][0]

    assert raised.status_code == 201, raised.text
    assert [c["id"] for c in inbox.json()["challenges"]] == [challenge_id]
    assert shown["under_challenge"] is True
    assert_problem(hidden, 404, "CHALLENGE_NOT_FOUND")
    assert (accepted.json()["status"], accepted.json()["resolution"]) == ("accepted", "corrected")
    assert (after["grade"], after["under_challenge"]) == ("Merit", False)
    closed = api.get(f"/api/v1/challenges/{challenge_id}", headers=lrb).json()
    assert closed["response"] == "Re-marked"


def test_the_report_downloads_as_pdf_and_csv(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    post_qualifications(api, register)
    learner = registered_learner(uow_factory, 907)
    known = knowledge_headers(learner)
    _post(api, learner.uln, achievement_body(learner), register.headers(Role.AO))
    url = f"/api/v1/learners/{learner.uln}/learning-events/report"
    lrb = register.headers(Role.LRB)

    pdf = api.get(url, headers=lrb | known)
    csv = api.get(f"{url}?format=csv", headers=lrb | known)

    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert OWNED in csv.text and "attachment" in csv.headers["content-disposition"]


def test_the_register_is_loaded_and_read(api: TestClient, register: Register) -> None:
    post_qualifications(api, register)
    admin, ao = register.headers(Role.ADMIN), register.headers(Role.AO)
    unit = {"reference": "a/200/0001", "title": "Spreadsheets", "level": "2", "credit": 3,
            "owner": OTHER_UKPRN, "availability": "shared"}  # fmt: skip

    assert api.post("/api/v1/units", json=unit, headers=admin).status_code == 201
    assert api.get("/api/v1/units/A/200/0001", headers=ao).json()["availability"] == "shared"
    assert (
        api.get(f"/api/v1/qualifications/{OWNED.replace('/', '')}", headers=ao).json()["number"]
        == OWNED
    )
    listed = api.get("/api/v1/qualifications", headers=ao).json()["qualifications"]
    assert [q["number"] for q in listed] == [OWNED, SHARED, NOT_OWNED]
    again = api.post("/api/v1/units", json=unit, headers=admin)
    assert_problem(again, 409, "QUALIFICATION_EXISTS")
    assert_problem(api.post("/api/v1/units", json=unit, headers=ao), 403, "NOT_AUTHORISED")
    bad = dict(unit, reference="nope", level="12")
    assert_problem(api.post("/api/v1/units", json=bad, headers=admin), 422, "VALIDATION_FAILED")


def test_an_opt_out_hides_the_learners_event_ids_from_the_change_feed(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """Issue 21 item 9: once the learner opts out, another organisation following the feed no
    longer sees their events' ids; the depositing AO and the desk still do."""
    post_qualifications(api, register)
    learner = registered_learner(uow_factory, 911)
    known = knowledge_headers(learner)
    url = f"/api/v1/learners/{learner.uln}"
    ao, admin = register.headers(Role.AO), register.headers(Role.ADMIN)
    college = register.headers(Role.LRB, OTHER_UKPRN)
    event_id = _post(api, learner.uln, achievement_body(learner), ao).json()["id"]
    assert (
        api.get(f"{url}/learning-events", headers=college | known).status_code == 200
    )  # on its radar

    def event_ids(headers: dict[str, str]) -> set[str]:
        changes = api.get("/api/v1/changes?since=0&limit=1000", headers=headers).json()["changes"]
        return {c["event_id"] for c in changes if c.get("event_id")}

    assert event_id in event_ids(college)
    assert api.put(f"{url}/sharing", json={"shares": False}, headers=admin).status_code == 200

    assert event_id not in event_ids(college)
    assert event_id in event_ids(ao) and event_id in event_ids(admin)
