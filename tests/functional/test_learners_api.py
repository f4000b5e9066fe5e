"""Finding, registering and updating learners through the real API on a real database."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.identifiers import is_valid_uln
from openlrs.store.tables import learners
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import OWN_UKPRN, many_register_bodies, register_body, search_body, unissued_uln
from tests.functional.callers import Caller, Register
from tests.functional.expectations import assert_problem, field_codes

LEARNERS = "/api/v1/learners"
SEARCH = "/api/v1/learners/search"
GIVEN_NAMES = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Freya",
    "Florence",
    "Willow",
    "Rosie",
    "Sophia",
    "Grace",
    "Evie",
    "Poppy",
    "Harriet",
    "Matilda",
    "Imogen",
]


@pytest.fixture
def lrb(register: Register) -> Caller:
    return register.caller(Role.LRB)


def post_learner(
    api: TestClient, caller: Caller, body: dict[str, Any], **extra: Any
) -> httpx.Response:
    return api.post(LEARNERS, json=body | extra, headers=caller.headers)


def registered(api: TestClient, caller: Caller, body: dict[str, Any], **extra: Any) -> str:
    response = post_learner(api, caller, body, **extra)
    assert response.status_code == 201, response.text
    uln: str = response.json()["uln"]
    return uln


def with_given_name(body: dict[str, Any], given_name: str) -> dict[str, Any]:
    """Another person with the same date of birth, family name, gender and postcode."""
    other = {k: v for k, v in body.items() if k not in ("preferred_given_name", "email")}
    return other | {"given_name": given_name}


def other_given_names(body: dict[str, Any]) -> list[str]:
    return [name for name in GIVEN_NAMES if name != body["given_name"]]


# --- registering ----------------------------------------------------------------------------------


def test_registering_a_new_learner_issues_a_valid_uln(api: TestClient, lrb: Caller) -> None:
    body = register_body(seed=101)
    response = post_learner(api, lrb, body)

    assert response.status_code == 201, response.text
    data = response.json()
    assert is_valid_uln(data["uln"])
    assert response.headers["location"] == f"{LEARNERS}/{data['uln']}"
    assert response.headers["etag"] == '"1"'
    assert (data["outcome"], data["lrs_code"], data["version"]) == ("registered", "WSRC0005", 1)
    assert data["status"] == "active"
    assert data["registered_by_ukprn"] == OWN_UKPRN
    for name in ("given_name", "family_name", "date_of_birth", "gender"):
        assert data[name] == body[name]
    assert api.get(response.headers["location"], headers=lrb.headers).status_code == 200


def test_registering_the_same_person_again_is_refused_with_the_learner_found(
    api: TestClient, lrb: Caller, uow_factory: SqlUnitOfWorkFactory
) -> None:
    body = register_body(seed=102)
    uln = registered(api, lrb, body)

    for confirm in (False, True):  # confirming cannot override an exact match
        response = post_learner(api, lrb, body, confirm_different_person=confirm)
        problem = assert_problem(response, 409, "REGISTRATION_REFUSED")
        assert problem["outcome"] == "exact"
        assert problem["lrs_code"] == "WSRC0021"
        assert [learner["uln"] for learner in problem["learners"]] == [uln]
    with uow_factory() as uow:
        assert uow.learners.count() == 1


def test_a_possible_match_is_refused_until_the_caller_confirms_a_different_person(
    api: TestClient, lrb: Caller
) -> None:
    body = register_body(seed=103)
    first = registered(api, lrb, body)
    sibling = with_given_name(body, other_given_names(body)[0])

    refused = post_learner(api, lrb, sibling)
    problem = assert_problem(refused, 409, "REGISTRATION_REFUSED")
    assert problem["outcome"] == "possible"
    assert [learner["uln"] for learner in problem["learners"]] == [first]

    confirmed = post_learner(api, lrb, sibling, confirm_different_person=True)
    assert confirmed.status_code == 201, confirmed.text
    assert confirmed.json()["uln"] not in (first, None)
    assert is_valid_uln(confirmed.json()["uln"])


# --- searching ------------------------------------------------------------------------------------


def search(api: TestClient, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post(SEARCH, json=search_body(body), headers=caller.headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    assert set(data) == {"outcome", "lrs_code", "learners"}
    return data


def test_a_search_finds_no_match_an_exact_match_or_possible_matches(
    api: TestClient, lrb: Caller
) -> None:
    body = register_body(seed=104)
    assert search(api, lrb, body) == {"outcome": "no_match", "lrs_code": "WSRC0001", "learners": []}

    uln = registered(api, lrb, body)
    exact = search(api, lrb, body)
    assert (exact["outcome"], exact["lrs_code"]) == ("exact", "WSRC0004")
    assert [learner["uln"] for learner in exact["learners"]] == [uln]
    assert exact["learners"][0]["family_name"] == body["family_name"]

    possible = search(api, lrb, with_given_name(body, other_given_names(body)[0]))
    assert (possible["outcome"], possible["lrs_code"]) == ("possible", "WSRC0003")
    assert [learner["uln"] for learner in possible["learners"]] == [uln]


def test_a_search_matching_more_than_ten_learners_is_too_many(api: TestClient, lrb: Caller) -> None:
    body = register_body(seed=105)
    names = other_given_names(body)
    for name in names[:11]:
        registered(api, lrb, with_given_name(body, name), confirm_different_person=True)

    result = search(api, lrb, with_given_name(body, names[11]))
    assert result == {"outcome": "too_many", "lrs_code": "WSRC0002", "learners": []}


# --- reading by ULN -------------------------------------------------------------------------------


def test_reading_by_uln_answers_exact_with_the_version_as_etag(
    api: TestClient, lrb: Caller
) -> None:
    body = register_body(seed=106)
    uln = registered(api, lrb, body)

    response = api.get(f"{LEARNERS}/{uln}", headers=lrb.headers)
    assert response.status_code == 200, response.text
    data = response.json()
    assert (data["uln"], data["outcome"], data["lrs_code"]) == (uln, "exact", "WSRC0004")
    assert data["requested_uln"] is None
    assert data["given_name"] == body["given_name"]
    assert response.headers["etag"] == '"1"'


def test_a_uln_not_on_the_register_or_not_a_uln_gets_a_problem(
    api: TestClient, lrb: Caller
) -> None:
    unknown = unissued_uln()
    wrong_check_digit = unknown[:9] + str((int(unknown[9]) + 1) % 10)
    cases = [
        (unknown, 404, "LEARNER_NOT_FOUND"),
        (wrong_check_digit, 422, "ULN_INVALID_CHECK_DIGIT"),
        ("9999999999", 422, "ULN_TEMPORARY"),
        ("12345", 422, "ULN_INVALID"),
        ("012345678X", 422, "ULN_INVALID"),
    ]
    for uln, status, code in cases:
        assert_problem(api.get(f"{LEARNERS}/{uln}", headers=lrb.headers), status, code)


def test_a_merged_uln_answers_with_its_master_as_linked(
    api: TestClient, lrb: Caller, engine: sa.Engine
) -> None:
    old_body, master_body = many_register_bodies(2, seed=107)
    old = registered(api, lrb, old_body)
    master = registered(api, lrb, master_body)
    with engine.begin() as conn:
        conn.execute(
            sa.update(learners)
            .where(learners.c.uln == old)
            .values(status="merged", master_uln=master)
        )

    response = api.get(f"{LEARNERS}/{old}", headers=lrb.headers)
    assert response.status_code == 200, response.text
    data = response.json()
    assert (data["outcome"], data["lrs_code"]) == ("linked", "WSRC0022")
    assert (data["uln"], data["requested_uln"]) == (master, old)
    assert data["given_name"] == master_body["given_name"]
    assert old in data["linked_ulns"]


# --- updating -------------------------------------------------------------------------------------


def patch(
    api: TestClient, caller: Caller, uln: str, changes: dict[str, Any], if_match: str | None
) -> httpx.Response:
    headers = caller.headers | ({"If-Match": if_match} if if_match is not None else {})
    return api.patch(f"{LEARNERS}/{uln}", json=changes, headers=headers)


def test_an_update_quoting_the_version_read_makes_version_two_and_keeps_the_first(
    api: TestClient, lrb: Caller, uow_factory: SqlUnitOfWorkFactory
) -> None:
    body, elsewhere = many_register_bodies(2, seed=108)
    uln = registered(api, lrb, body)
    etag = api.get(f"{LEARNERS}/{uln}", headers=lrb.headers).headers["etag"]

    response = patch(api, lrb, uln, {"postcode": elsewhere["postcode"]}, if_match=etag)
    assert response.status_code == 200, response.text
    data = response.json()
    assert (data["version"], data["postcode"], data["outcome"]) == (
        2,
        elsewhere["postcode"],
        "updated",
    )
    assert response.headers["etag"] == '"2"'
    assert data["given_name"] == body["given_name"]  # fields not sent are kept

    with uow_factory() as uow:
        history = uow.learners.history(uln)
    assert [v.version for v in history] == [1, 2]
    assert [v.details.postcode for v in history] == [body["postcode"], elsewhere["postcode"]]

    stale = patch(api, lrb, uln, {"notes": "A second change"}, if_match=etag)
    assert_problem(stale, 409, "VERSION_CONFLICT")
    weak = patch(api, lrb, uln, {"notes": "A second change"}, if_match='W/"2"')
    assert weak.status_code == 200, weak.text
    assert weak.json()["version"] == 3


def test_an_update_without_if_match_is_refused_with_428(api: TestClient, lrb: Caller) -> None:
    uln = registered(api, lrb, register_body(seed=109))
    for if_match in (None, "", '"one"'):
        response = patch(api, lrb, uln, {"notes": "Seen"}, if_match=if_match)
        assert_problem(response, 428, "VERSION_REQUIRED")
    assert api.get(f"{LEARNERS}/{uln}", headers=lrb.headers).headers["etag"] == '"1"'


def test_an_update_with_invalid_values_changes_nothing(api: TestClient, lrb: Caller) -> None:
    uln = registered(api, lrb, register_body(seed=110))
    response = patch(
        api, lrb, uln, {"postcode": "NOTAPOSTCODE", "given_name": None}, if_match='"1"'
    )
    assert_problem(response, 422, "VALIDATION_FAILED")
    assert field_codes(response) == {
        "postcode": {"POSTCODE_INVALID"},
        "given_name": {"FIELD_REQUIRED"},
    }
    assert "NOTAPOSTCODE" not in response.text
    assert api.get(f"{LEARNERS}/{uln}", headers=lrb.headers).headers["etag"] == '"1"'


def test_updating_an_unknown_learner_is_404(api: TestClient, lrb: Caller) -> None:
    response = patch(api, lrb, unissued_uln(), {"notes": "Seen"}, if_match='"1"')
    assert_problem(response, 404, "LEARNER_NOT_FOUND")


# --- the audit trail ------------------------------------------------------------------------------


def test_the_audit_trail_records_who_touched_which_uln_and_no_personal_details(
    api: TestClient, lrb: Caller, register: Register
) -> None:
    body, elsewhere = many_register_bodies(2, seed=111)
    uln = registered(api, lrb, body)
    assert api.get(f"{LEARNERS}/{uln}", headers=lrb.headers).status_code == 200
    search(api, lrb, body)
    changed = patch(api, lrb, uln, {"postcode": elsewhere["postcode"]}, if_match='"1"')
    assert changed.status_code == 200, changed.text

    response = api.get("/api/v1/audit", headers=register.headers(Role.ADMIN))
    assert response.status_code == 200, response.text
    events = response.json()
    mine = {(e["action"], e["uln"]) for e in events if e["actor"] == lrb.actor}
    for action in ("learner.register", "learner.read", "learner.search", "learner.update"):
        assert (action, uln) in mine, f"{action} of {uln} by {lrb.actor} is not in the audit trail"
    assert all(e["ukprn"] == OWN_UKPRN for e in events if e["actor"] == lrb.actor)
    ids = [e["id"] for e in events]
    assert ids == sorted(ids, reverse=True)  # newest first

    text = response.text
    for personal in ("given_name", "family_name", "date_of_birth", "postcode"):
        assert body[personal] not in text, f"the audit trail holds the learner's {personal}"
    assert elsewhere["postcode"] not in text


# --- the exceptions queue -------------------------------------------------------------------------


def test_a_held_registration_is_resolved_through_the_exceptions_queue(
    api: TestClient, lrb: Caller, register: Register
) -> None:
    body = register_body(seed=131)
    first = registered(api, lrb, body)
    for decision in ("same_person", "different_person"):
        sibling = with_given_name(
            body, other_given_names(body)[0 if decision == "same_person" else 1]
        )
        problem = assert_problem(post_learner(api, lrb, sibling), 409, "REGISTRATION_REFUSED")
        held_id = problem["exception_id"]
        queue = api.get("/api/v1/exceptions", headers=lrb.headers).json()
        assert held_id in [entry["id"] for entry in queue]
        entry = api.get(f"/api/v1/exceptions/{held_id}", headers=lrb.headers).json()
        assert (entry["status"], entry["candidate_ulns"]) == ("open", [first])
        other_org = register.caller(Role.LRB, "10005555")
        hidden = api.get(f"/api/v1/exceptions/{held_id}", headers=other_org.headers)
        assert_problem(hidden, 404, "EXCEPTION_NOT_FOUND")
        resolve = {"decision": decision} | ({"uln": first} if decision == "same_person" else {})
        url = f"/api/v1/exceptions/{held_id}/resolve"
        resolved = api.post(url, json=resolve, headers=lrb.headers)
        assert resolved.status_code == 200, resolved.text
        if decision == "same_person":
            assert resolved.json()["uln"] == first
        else:
            assert resolved.json()["uln"] != first and is_valid_uln(resolved.json()["uln"])
        again = api.post(url, json=resolve, headers=lrb.headers)
        assert_problem(again, 409, "EXCEPTION_ALREADY_RESOLVED")
