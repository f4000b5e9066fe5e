"""Consent and knowledge (issue 22): an organisation reads a learner's record, or their details by
ULN, only when it shows it knows the learner (their names in the `Learner-*` headers, verified as
Verify Learner Details compares them) or, for the details, has a relationship with them; and an
opted-out learner's events reach only the depositing awarding organisation and the desk. Every
refusal is audited. Runs on SQLite and (with OPENLRS_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.audit import AuditAction
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import (
    OTHER_UKPRN,
    SHARED,
    achievement_body,
    knowledge_headers,
    post_qualifications,
    register_body,
    registered_learner,
)
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem

STRANGER = "10006001"
"""A college with no relationship with the learners here."""
READS = ("/learning-events", "/learning-events/report?format=csv", "/qcf-credit")


def _outcomes(uow_factory: SqlUnitOfWorkFactory, uln: str, action: AuditAction) -> list[str]:
    with uow_factory() as uow:
        found = uow.audit.list(ukprn=None, uln=uln, before_id=None, limit=100)
    return sorted(e.outcome or "" for e in found if e.action is action)


def test_a_read_without_the_learners_names_or_with_a_wrong_one_is_refused_and_audited(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    learner = registered_learner(uow_factory, 2201)
    url = f"/api/v1/learners/{learner.uln}"
    lrb = register.headers(Role.LRB)
    known = knowledge_headers(learner)
    wrong = known | {"Learner-Family-Name": "Zzyzxwvut"}

    for path in READS:
        for sent in ({}, wrong, {"Learner-Given-Name": known["Learner-Given-Name"]}):
            refused = assert_problem(api.get(url + path, headers=lrb | sent), 403)
            assert (refused["code"], refused["lrs_code"]) == ("LEARNER_NOT_VERIFIED", "WSEC0208")
            assert "Zzyzxwvut" not in str(refused)
        assert api.get(url + path, headers=lrb | known).status_code == 200
    born = {"Learner-Date-Of-Birth": learner.details.date_of_birth.isoformat()}
    assert api.get(f"{url}/learning-events", headers=lrb | known | born).status_code == 200
    other_day = {"Learner-Date-Of-Birth": "1901-01-01"}
    assert_problem(api.get(f"{url}/learning-events", headers=lrb | known | other_day), 403)
    bad = {"Learner-Date-Of-Birth": "yesterday"}
    assert_problem(api.get(f"{url}/learning-events", headers=lrb | known | bad), 422)
    assert (
        api.get(f"{url}/learning-events", headers=register.headers(Role.ADMIN)).status_code == 200
    )

    reads = _outcomes(uow_factory, learner.uln, AuditAction.PLR_READ)
    assert reads.count("not_verified") == 4 and reads.count("exact") == 3
    assert _outcomes(uow_factory, learner.uln, AuditAction.PLR_REPORT).count("not_verified") == 3


def test_names_travel_percent_encoded_so_any_name_fits(api: TestClient, register: Register) -> None:
    lrb = register.headers(Role.LRB)
    body = register_body(2202) | {"given_name": "Zoë", "family_name": "Ó Súilleabháin"}
    created = api.post("/api/v1/learners", json=body, headers=lrb)
    assert created.status_code == 201, created.text
    url = f"/api/v1/learners/{created.json()['uln']}/learning-events"
    names = {
        "Learner-Given-Name": quote("Zoë", safe=""),
        "Learner-Family-Name": quote("Ó Súilleabháin", safe=""),
    }

    assert api.get(url, headers=lrb | names).status_code == 200
    unreadable = api.get(url, headers=lrb | names | {"Learner-Given-Name": "%FF"})
    assert_problem(unreadable, 422, "VALIDATION_FAILED")


def test_find_by_uln_needs_the_names_or_a_relationship(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    registrar, stranger = register.headers(Role.LRB), register.headers(Role.LRB, STRANGER)
    created = api.post("/api/v1/learners", json=register_body(2203), headers=registrar)
    uln = created.json()["uln"]
    body = register_body(2203)
    names = {"Learner-Given-Name": body["given_name"], "Learner-Family-Name": body["family_name"]}

    assert api.get(f"/api/v1/learners/{uln}", headers=registrar).status_code == 200  # registered
    refused = assert_problem(api.get(f"/api/v1/learners/{uln}", headers=stranger), 403)
    assert refused["code"] == "LEARNER_NOT_VERIFIED" and body["family_name"] not in str(refused)
    wrong = names | {"Learner-Family-Name": "Nobody"}
    assert_problem(api.get(f"/api/v1/learners/{uln}", headers=stranger | wrong), 403)
    shown = api.get(f"/api/v1/learners/{uln}", headers=stranger | names)
    assert shown.status_code == 200 and shown.json()["family_name"] == body["family_name"]
    assert api.get(f"/api/v1/learners/{uln}", headers=register.headers(Role.ADMIN)).is_success
    assert _outcomes(uow_factory, uln, AuditAction.LEARNER_READ).count("not_verified") == 2


def test_after_opting_out_only_the_depositing_ao_and_the_desk_see_events(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    post_qualifications(api, register)
    learner = registered_learner(uow_factory, 2204)
    url = f"/api/v1/learners/{learner.uln}"
    known = knowledge_headers(learner)
    ao, admin = register.headers(Role.AO), register.headers(Role.ADMIN)
    other_ao = register.headers(Role.AO, OTHER_UKPRN)
    providers = (register.headers(Role.LRB), register.headers(Role.LRB, STRANGER))
    event = api.post(f"{url}/achievements", json=achievement_body(learner), headers=ao).json()
    assert api.put(f"{url}/sharing", json={"shares": False}, headers=admin).status_code == 200
    later = api.post(f"{url}/achievements", json=achievement_body(learner, SHARED), headers=ao)
    assert later.status_code == 201

    for provider in providers:
        for path in READS:
            answer = api.get(url + path, headers=provider | known)
            body = assert_problem(answer, 403, "LEARNER_OPTED_OUT")
            assert body["lrs_code"] == "WSEC0206" and event["id"] not in answer.text
    own = api.get(f"{url}/learning-events", headers=ao | known).json()["learning_events"]
    assert sorted(e["id"] for e in own) == sorted([event["id"], later.json()["id"]])
    assert (
        api.get(f"{url}/learning-events", headers=other_ao | known).json()["learning_events"] == []
    )
    desk = api.get(f"{url}/learning-events", headers=admin).json()["learning_events"]
    assert len(desk) == 2
    assert "opted_out" in _outcomes(uow_factory, learner.uln, AuditAction.PLR_READ)
