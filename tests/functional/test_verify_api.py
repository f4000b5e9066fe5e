"""Verify Learner Details through the real API: outcomes, flags, bad input, nothing disclosed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Role
from tests.builders import register_body, unissued_uln
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem

VERIFY = "/api/v1/learners/verify"


def claim(body: dict[str, Any], uln: str, **changes: Any) -> dict[str, Any]:
    names = {k: body[k] for k in ("given_name", "family_name", "date_of_birth", "gender")}
    return {"uln": uln} | names | changes


def test_an_awarding_organisation_verifies_details_without_seeing_the_record(
    api: TestClient, register: Register
) -> None:
    lrb, ao = register.caller(Role.LRB), register.caller(Role.AO)
    body = register_body()
    uln = api.post("/api/v1/learners", json=body, headers=lrb.headers).json()["uln"]

    exact = api.post(VERIFY, json=claim(body, uln), headers=ao.headers)
    swapped = api.post(
        VERIFY,
        json=claim(body, uln, given_name=body["family_name"], family_name=body["given_name"]),
        headers=ao.headers,
    )
    wrong = api.post(VERIFY, json=claim(body, uln, gender=3 - body["gender"]), headers=ao.headers)

    assert exact.status_code == 200, exact.text
    assert exact.json() == {
        "outcome": "exact",
        "lrs_code": "WSVRC001",
        "uln": uln,
        "linked": False,
        "failed_checks": [],
    }
    assert swapped.json()["lrs_code"] == "WSVRC003"
    assert "given_vs_given" in swapped.json()["failed_checks"]
    assert wrong.json()["lrs_code"] == "WSVRC005"
    assert wrong.json()["failed_checks"][-1] == "gender"
    assert body["postcode"] not in exact.text


def test_an_unknown_uln_is_wsvrc006_and_bad_input_is_a_problem(
    api: TestClient, register: Register
) -> None:
    ao = register.caller(Role.AO)
    body = register_body()

    unknown = api.post(VERIFY, json=claim(body, unissued_uln()), headers=ao.headers)
    bad = api.post(VERIFY, json=claim(body, "123", given_name=""), headers=ao.headers)
    no_names = api.post(VERIFY, json={"uln": unissued_uln()}, headers=ao.headers)

    assert unknown.json()["lrs_code"] == "WSVRC006"
    assert bad.status_code in (400, 422)
    assert_problem(no_names, 422)
