"""Access bound to a relationship (issue 21, item 11): an organisation changes a learner's details
only if it registered them or has them on roll; anyone else's change waits as a change request
that the registering organisation or the service desk accepts or rejects."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import SYSTEM, Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.services.batches.processing import update_row
from openlrs.services.learners.update import UpdateLearner
from openlrs.services.policy import DEFAULT_POLICY
from openlrs.services.uln.lifecycle import MergeUlns, merge_ulns
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import register_body
from tests.functional.callers import Caller, Register
from tests.functional.expectations import assert_problem

LEARNERS = "/api/v1/learners"
REQUESTS = "/api/v1/change-requests"
OTHER, THIRD = "10005555", "10006666"


def _registered(api: TestClient, caller: Caller, body: dict[str, Any]) -> str:
    response = api.post(LEARNERS, json=body, headers=caller.headers)
    assert response.status_code == 201, response.text
    uln: str = response.json()["uln"]
    return uln


def _patch(
    api: TestClient, caller: Caller, uln: str, changes: dict[str, Any], version: int = 1
) -> httpx.Response:
    headers = caller.headers | {"If-Match": f'"{version}"'}
    return api.patch(f"{LEARNERS}/{uln}", json=changes, headers=headers)


def _version(api: TestClient, caller: Caller, uln: str) -> tuple[int, str]:
    data = api.get(f"{LEARNERS}/{uln}", headers=caller.headers).json()
    return data["version"], data["postcode"]


def _actions(uow_factory: SqlUnitOfWorkFactory, uln: str) -> list[tuple[str, str | None]]:
    with uow_factory() as uow:
        events = uow.audit.list(ukprn=None, uln=uln, before_id=None, limit=100)
    return [(e.action.value, e.ukprn) for e in reversed(events)]


def test_an_organisation_without_a_relationship_gets_a_change_request_not_a_change(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    owner, other = register.caller(Role.LRB), register.caller(Role.LRB, OTHER)
    uln = _registered(api, owner, register_body(seed=2101))

    asked = _patch(api, other, uln, {"postcode": "LS1 4AP"})
    assert asked.status_code == 202, asked.text
    request = asked.json()
    assert request["status"] == "pending" and request["changes"] == {"postcode": "LS1 4AP"}
    assert asked.headers["Location"] == f"{REQUESTS}/{request['reference']}"
    assert _version(api, owner, uln)[0] == 1  # not applied

    again = _patch(api, other, uln, {"postcode": "ls1 4ap"})  # the same change, repeated
    assert again.status_code == 202 and again.json()["reference"] == request["reference"]

    directly = _patch(api, owner, uln, {"email": "new@example.org"})
    assert directly.status_code == 200, directly.text
    assert (AuditAction.LEARNER_CHANGE_REQUEST.value, OTHER) in _actions(uow_factory, uln)


def test_the_registering_organisation_accepts_a_change_request_as_an_update(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    owner, other = register.caller(Role.LRB), register.caller(Role.LRB, OTHER)
    third = register.caller(Role.LRB, THIRD)
    uln = _registered(api, owner, register_body(seed=2102))
    reference = _patch(api, other, uln, {"postcode": "LS1 4AP"}).json()["reference"]

    listed = api.get(REQUESTS, headers=owner.headers).json()
    assert [(r["reference"], r["may_decide"]) for r in listed] == [(reference, True)]
    mine = api.get(f"{REQUESTS}/{reference}", headers=other.headers).json()
    assert mine["may_decide"] is False
    assert_problem(api.get(f"{REQUESTS}/{reference}", headers=third.headers), 404)
    assert api.get(REQUESTS, headers=third.headers).json() == []
    refused = api.post(
        f"{REQUESTS}/{reference}/decision", json={"decision": "accept"}, headers=other.headers
    )
    assert_problem(refused, 403, "NOT_AUTHORISED")

    accepted = api.post(
        f"{REQUESTS}/{reference}/decision",
        json={"decision": "accept", "version": 1},
        headers=owner.headers,
    )
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["applied_version"]) == ("accepted", 2)
    assert _version(api, owner, uln) == (2, "LS1 4AP")
    twice = api.post(
        f"{REQUESTS}/{reference}/decision", json={"decision": "reject"}, headers=owner.headers
    )
    assert_problem(twice, 409, "CHANGE_REQUEST_DECIDED")
    actions = _actions(uow_factory, uln)
    assert (AuditAction.LEARNER_UPDATE.value, owner.ukprn) in actions
    assert (AuditAction.LEARNER_CHANGE_DECIDE.value, owner.ukprn) in actions


def test_the_service_desk_changes_directly_and_rejects_requests(
    api: TestClient, register: Register
) -> None:
    owner, other = register.caller(Role.LRB), register.caller(Role.LRB, OTHER)
    desk = register.caller(Role.ADMIN)
    uln = _registered(api, owner, register_body(seed=2103))
    assert _patch(api, desk, uln, {"email": "desk@example.org"}).status_code == 200
    reference = _patch(api, other, uln, {"postcode": "LS1 4AP"}, version=2).json()["reference"]
    assert reference in [r["reference"] for r in api.get(REQUESTS, headers=desk.headers).json()]

    rejected = api.post(
        f"{REQUESTS}/{reference}/decision", json={"decision": "reject"}, headers=desk.headers
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert _version(api, owner, uln)[0] == 2
    # Once decided, the same change asked again is a new request.
    anew = _patch(api, other, uln, {"postcode": "LS1 4AP"}, version=2).json()["reference"]
    assert anew != reference


def test_accepting_after_the_learner_changed_is_a_version_conflict(
    api: TestClient, register: Register
) -> None:
    owner, other = register.caller(Role.LRB), register.caller(Role.LRB, OTHER)
    uln = _registered(api, owner, register_body(seed=2104))
    reference = _patch(api, other, uln, {"postcode": "LS1 4AP"}).json()["reference"]
    assert _patch(api, owner, uln, {"email": "x@example.org"}).status_code == 200

    stale = api.post(
        f"{REQUESTS}/{reference}/decision", json={"decision": "accept"}, headers=owner.headers
    )
    assert_problem(stale, 409, "VERSION_CONFLICT")
    fresh = api.post(
        f"{REQUESTS}/{reference}/decision",
        json={"decision": "accept", "version": 2},
        headers=owner.headers,
    )
    assert fresh.status_code == 200, fresh.text
    assert _version(api, owner, uln) == (3, "LS1 4AP")


def test_an_organisation_handed_the_uln_by_a_registration_has_the_learner_on_roll(
    api: TestClient, register: Register
) -> None:
    owner, other = register.caller(Role.LRB), register.caller(Role.LRB, OTHER)
    body = register_body(seed=2105)
    uln = _registered(api, owner, body)
    found = api.post(LEARNERS, json=body, headers=other.headers)
    assert_problem(found, 409, "REGISTRATION_REFUSED")
    assert found.json()["outcome"] == "exact"

    assert _patch(api, other, uln, {"email": "roll@example.org"}).status_code == 200


def test_a_relationship_with_a_merged_uln_reaches_its_master(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    owner, other = register.caller(Role.LRB), register.caller(Role.LRB, OTHER)
    master = _registered(api, owner, register_body(seed=2106))
    retired = _registered(api, other, register_body(seed=2107))
    assert _patch(api, other, master, {"email": "a@example.org"}).status_code == 202
    merge_ulns(MergeUlns(retired, master), principal=SYSTEM, uow=uow_factory())

    version = _version(api, owner, master)[0]
    assert _patch(api, other, master, {"email": "b@example.org"}, version).status_code == 200
    # ...and the organisation that registered the retired ULN now decides requests on the master.
    listed = api.get(REQUESTS, headers=other.headers).json()
    assert [r["may_decide"] for r in listed] == [True]


def test_a_batch_update_row_without_a_relationship_becomes_a_change_request(
    register: Register, uow_factory: SqlUnitOfWorkFactory, api: TestClient
) -> None:
    owner = register.caller(Role.LRB)
    uln = _registered(api, owner, register_body(seed=2108))
    stranger = Principal("client:x", OTHER, frozenset({Role.LRB}))
    with uow_factory() as uow:
        outcome = update_row(
            UpdateLearner(uln, 1, {"postcode": "LS1 4AP"}), stranger, DEFAULT_POLICY
        )(uow)
        uow.commit()
    assert (outcome.outcome, outcome.succeeded) == ("change_requested", False)
    with uow_factory() as uow:
        assert [r.uln for r in uow.change_requests.list(ukprn=OTHER, status=None, limit=5)] == [uln]


def test_a_name_mixing_scripts_is_refused_at_registration_and_update(
    api: TestClient, register: Register
) -> None:
    """Issue 21, item 10: a Cyrillic "о" in a Latin name is refused, with what to do."""
    owner = register.caller(Role.LRB)
    refused = api.post(
        LEARNERS, json=register_body(seed=2109) | {"given_name": "J\u043ehn"}, headers=owner.headers
    )
    problem = assert_problem(refused, 422, "VALIDATION_FAILED")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [
        ("given_name", "NAME_MIXED_SCRIPTS")
    ]
    uln = _registered(api, owner, register_body(seed=2110))
    assert_problem(_patch(api, owner, uln, {"family_name": "Sm\u0456th"}), 422, "VALIDATION_FAILED")
