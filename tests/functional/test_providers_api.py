"""The provider register through the real API: apply, verify, search, maintain, deactivate."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient

from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import Role
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_register_bodies, provider_application_body, register_body
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem, field_codes

V1 = "/api/v1"
APPLICATIONS = f"{V1}/providers/applications"


def apply(api: TestClient, body: dict[str, Any]) -> str:
    response = api.post(APPLICATIONS, json=body)  # no sign-in needed
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "applied"
    reference: str = response.json()["reference"]
    return reference


def approve(api: TestClient, desk: dict[str, str], reference: str, **extra: Any) -> dict[str, Any]:
    response = api.post(
        f"{APPLICATIONS}/{reference}/decision", json={"decision": "approve", **extra}, headers=desk
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_duplicate_applications_by_company_number_or_near_identical_name_at_one_postcode(
    api: TestClient, register: Register
) -> None:
    """Done-when: a duplicate application is detected (the same company number; a near-identical
    name in the same postcode), shown to the desk with its reasons, and needs confirming."""
    desk = register.headers(Role.ADMIN)
    original = provider_application_body(seed=3)
    assert original["legal_name"] == "Bennett & Miller Energy Training LLP"
    first = approve(api, desk, apply(api, original))
    assert first["status"] == "verified" and first["ukprn"]

    same_number = provider_application_body(seed=4, company_number=original["company_number"])
    similar_name = provider_application_body(
        seed=5,
        legal_name="Bennett and Millar Energy Training",  # a misspelling, no suffix, "and"
        address={**original["address"], "line_1": "Unit 4, 268 Phoenix Road"},
        company_number="09999999",
    )
    references = [apply(api, same_number), apply(api, similar_name)]
    queue = api.get(f"{APPLICATIONS}", headers=desk)
    assert queue.status_code == 200, queue.text
    flagged = {
        item["reference"]: [r["rule"] for d in item["possible_duplicates"] for r in d["reasons"]]
        for item in queue.json()
    }
    assert flagged == {
        references[0]: ["same_company_number"],
        references[1]: ["similar_name_same_postcode"],
    }
    ids = [item["id"] for item in queue.json()]
    after = api.get(APPLICATIONS, params={"after_id": ids[0]}, headers=desk).json()
    assert [item["id"] for item in after] == ids[1:]
    one = api.get(f"{APPLICATIONS}/{references[0]}", headers=desk).json()
    assert one["possible_duplicates"][0]["ukprn"] == first["ukprn"]
    assert one["possible_duplicates"][0]["reasons"][0]["detail"] == "company number OC229484"
    named = api.get(f"{APPLICATIONS}/{references[1]}", headers=desk).json()
    assert named["possible_duplicates"][0]["ukprn"] == first["ukprn"]
    assert "both at CR0 3RX" in named["possible_duplicates"][0]["reasons"][0]["detail"]
    assert [h["status"] for h in one["history"]] == ["applied"]

    refused = api.post(
        f"{APPLICATIONS}/{references[0]}/decision", json={"decision": "approve"}, headers=desk
    )
    assert_problem(refused, 409, "PROVIDER_POSSIBLE_DUPLICATE")
    rejected = api.post(
        f"{APPLICATIONS}/{references[0]}/decision",
        json={"decision": "reject", "reason": "Already registered"},
        headers=desk,
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    confirmed = approve(api, desk, references[1], confirm_not_duplicate=True)
    assert confirmed["ukprn"] != first["ukprn"]


def test_public_search_and_look_up_never_show_private_fields(
    api: TestClient, register: Register
) -> None:
    """Done-when: public search (and look-up, and the change feed) never shows the contact
    (email, name, phone) or the desk's notes, though the provider has both."""
    desk = register.headers(Role.ADMIN)
    body = provider_application_body(seed=8, trading_names=["Lantern Learning"])
    body["contact"] = {**body["contact"], "phone": "0113 496 0000"}
    reference = apply(api, body)
    approved = approve(api, desk, reference)
    own_admin = register.headers(Role.LRB_ADMIN, approved["ukprn"])
    renamed = api.patch(
        f"{V1}/providers/{approved['ukprn']}",
        json={"legal_name": "Lantern Logistics Ltd"},
        headers=own_admin,
    )
    assert renamed.status_code == 200, renamed.text
    refused = api.post(
        f"{APPLICATIONS}/{reference}/decision",
        json={"decision": "reject", "reason": "desk notes: private"},
        headers=desk,
    )
    assert refused.status_code == 200, refused.text
    api.post(f"{V1}/providers/{approved['ukprn']}/deactivate", json={"reason": "x"}, headers=desk)
    api.post(f"{V1}/providers/{approved['ukprn']}/reactivate", headers=desk)
    as_desk = api.get(f"{APPLICATIONS}/{reference}", headers=desk).json()
    assert as_desk["notes"] == "desk notes: private"  # the provider does hold private fields
    assert as_desk["contact"]["email"] == body["contact"]["email"]
    private = [*body["contact"].values(), "desk notes", reference]

    answers = [
        api.get(f"{V1}/providers", params={"query": body["legal_name"]}),
        api.get(f"{V1}/providers", params={"query": "Lantern Lerning"}),
        api.get(f"{V1}/providers", params={"query": body["address"]["postcode"]}),
        api.get(f"{V1}/providers/{approved['ukprn']}"),
        api.get(f"{V1}/providers/changes", params={"since": 0}),
    ]
    for response in answers:
        assert response.status_code == 200, response.text
        assert not [p for p in private if p in response.text], response.text
        assert "contact" not in response.text and "notes" not in response.text
    found = answers[0].json()["items"]
    assert found[0]["ukprn"] == approved["ukprn"]
    assert found[0]["trading_names"] == ["Lantern Learning"]
    assert answers[1].json()["items"][0]["ukprn"] == approved["ukprn"]
    feed = answers[4].json()
    assert [i["provider"]["status"] for i in feed["items"]] == [
        "verified",
        "active",
        "verified",
        "deactivated",
        "verified",
    ]
    after = api.get(f"{V1}/providers/changes", params={"since": feed["next_since"]}).json()
    assert after["items"] == []


def test_a_deactivated_providers_clients_can_no_longer_register_learners(
    api: TestClient, register: Register
) -> None:
    desk = register.headers(Role.ADMIN)
    ukprn = approve(api, desk, apply(api, provider_application_body(seed=9)))["ukprn"]
    client = api.post(f"{V1}/organisations/{ukprn}/clients", json={"roles": ["lrb"]}, headers=desk)
    assert client.status_code == 201, client.text
    token = register.token(client.json()["client_id"], client.json()["client_secret"])
    headers = {"Authorization": f"Bearer {token}"}
    assert api.post(f"{V1}/learners", json=register_body(21), headers=headers).status_code == 201

    off = api.post(f"{V1}/providers/{ukprn}/deactivate", json={"reason": "ceased"}, headers=desk)
    assert off.status_code == 200 and off.json()["status"] == "deactivated"
    refused = api.post(f"{V1}/learners", json=register_body(22), headers=headers)
    assert_problem(refused, 403, "ORGANISATION_NOT_ACTIVE")

    assert api.post(f"{V1}/providers/{ukprn}/reactivate", headers=desk).status_code == 200
    assert api.post(f"{V1}/learners", json=register_body(22), headers=headers).status_code == 201


def test_a_file_queued_before_deactivation_registers_no_learners_after_it(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    desk = register.headers(Role.ADMIN)
    ukprn = approve(api, desk, apply(api, provider_application_body(seed=14)))["ukprn"]
    client = api.post(f"{V1}/organisations/{ukprn}/clients", json={"roles": ["lrb"]}, headers=desk)
    token = register.token(client.json()["client_id"], client.json()["client_secret"])
    fields = ["given_name", "family_name", "date_of_birth", "gender", "postcode"]
    lines = ["source_learner_id," + ",".join(fields)]
    lines += [
        f"MIS{i}," + ",".join(str(b[f]) for f in fields)
        for i, b in enumerate(many_register_bodies(2, seed=23))
    ]
    queued = api.post(
        f"{V1}/batches",
        data={"kind": "registration"},
        files={"file": ("learners.csv", ("\r\n".join(lines) + "\r\n").encode())},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert queued.status_code == 202, queued.text

    off = api.post(f"{V1}/providers/{ukprn}/deactivate", json={"reason": "ceased"}, headers=desk)
    assert off.status_code == 200, off.text
    BatchWorker(uow_factory).run(until_idle=True)
    output = api.get(f"{V1}/batches/{queued.json()['id']}/output", headers=desk)
    assert output.status_code == 200, output.text
    rows = list(csv.DictReader(io.StringIO(output.content.decode("utf-8-sig"))))
    assert [r["outcome"] for r in rows] == ["ORGANISATION_NOT_ACTIVE"] * 2
    assert not any(r["returned_uln"] for r in rows)


def test_the_providers_own_admin_updates_it_and_a_new_legal_name_is_verified_again(
    api: TestClient, register: Register
) -> None:
    desk = register.headers(Role.ADMIN)
    approved = approve(api, desk, apply(api, provider_application_body(seed=10)))
    ukprn, reference = approved["ukprn"], approved["reference"]
    own_admin = register.headers(Role.LRB_ADMIN, ukprn)
    changed = api.patch(
        f"{V1}/providers/{ukprn}", json={"legal_name": "Renamed Learning Ltd"}, headers=own_admin
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["verified"]) == ("active", False)
    queue = [item["reference"] for item in api.get(APPLICATIONS, headers=desk).json()]
    assert reference in queue
    approved_again = approve(api, desk, reference)
    assert approved_again["status"] == "verified"
    assert approved_again["legal_name"] == "Renamed Learning Ltd"
    other_admin = register.headers(Role.LRB_ADMIN)
    refused = api.patch(
        f"{V1}/providers/{ukprn}", json={"website": "x.example"}, headers=other_admin
    )
    assert_problem(refused, 403, "NOT_AUTHORISED")


def test_bad_input_is_a_clear_problem(api: TestClient, register: Register) -> None:
    bad = provider_application_body(seed=11, company_number="XX1", website="not a site")
    bad["address"] = {**bad["address"], "postcode": "nowhere"}
    response = api.post(APPLICATIONS, json=bad)
    assert_problem(response, 422, "VALIDATION_FAILED")
    assert field_codes(response) == {
        "company_number": {"COMPANY_NUMBER_INVALID"},
        "address.postcode": {"POSTCODE_INVALID"},
        "website": {"WEBSITE_INVALID"},
    }
    assert_problem(api.post(APPLICATIONS, json={"legal_name": "x"}), 422, "VALIDATION_FAILED")
    nul = provider_application_body(
        seed=13, website="https://a.example/\u0000", legal_name="A\u0000B Ltd"
    )
    # A NUL is refused wherever it is, before the fields' own rules (api/json_bodies.py).
    assert field_codes(api.post(APPLICATIONS, json=nul)) == {
        "legal_name": {"TEXT_INVALID_CHARACTERS"}
    }
    assert_problem(api.get(f"{V1}/providers", params={"query": "x" * 101}), 422)
    assert_problem(api.get(f"{V1}/providers", params={"query": "!!"}), 422, "VALIDATION_FAILED")
    assert_problem(api.get(f"{V1}/providers/12"), 422)
    assert_problem(api.get(f"{V1}/providers/99999998"), 404, "PROVIDER_NOT_FOUND")
    assert_problem(api.get(f"{V1}/providers/changes", params={"since": -1}), 422)
    desk = register.headers(Role.ADMIN)
    reference = apply(api, provider_application_body(seed=12))
    no_reason = api.post(
        f"{APPLICATIONS}/{reference}/decision", json={"decision": "reject"}, headers=desk
    )
    assert field_codes(no_reason) == {"reason": {"FIELD_REQUIRED"}}
