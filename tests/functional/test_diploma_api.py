"""The Diploma journey over HTTP: a centre opens an account, an awarding body posts results, the
centre records evidence and claims, the Diploma awarding body awards - and bad input is a 4xx."""

from __future__ import annotations

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Role
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import (
    AWARDING_UKPRN,
    complete_result_bodies,
    knowledge_headers,
    registered_learner,
    result_body,
)
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem

ACCOUNTS = "/api/v1/diploma/accounts"
PLTS = [
    "independent_enquiry",
    "creative_thinking",
    "reflective_learning",
    "team_working",
    "self_management",
    "effective_participation",
]


def test_a_higher_diploma_from_opening_to_award(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    centre = register.headers(Role.LRB)
    body = register.headers(Role.AO)
    learner = registered_learner(uow_factory, 9101)
    uln = learner.uln
    opened = api.post(
        ACCOUNTS,
        json={
            "uln": uln,
            "line": "engineering",
            "level": "higher",
            "awarding_body_ukprn": AWARDING_UKPRN,
        },
        headers=centre,
    )
    assert opened.status_code == 201, opened.text
    account = opened.json()
    assert account["evaluation"]["complete"] is False
    url = f"{ACCOUNTS}/{account['id']}"
    for result in complete_result_bodies():
        response = api.post(f"{url}/results", json=result, headers=body)
        assert response.status_code == 200, response.text
    evaluation = api.put(f"{url}/work-experience", json={"days": 9}, headers=centre).json()
    work = [r for r in evaluation["requirements"] if r["name"] == "work_experience"]
    assert work[0]["detail"] == "9 of the 10 days of work experience recorded"
    api.put(f"{url}/work-experience", json={"days": 10}, headers=centre)
    evaluation = api.put(f"{url}/plts", json={"skills": PLTS}, headers=centre).json()
    assert evaluation["complete"] and evaluation["trial_grade"] == "A"
    claimed = api.post(f"{url}/claim", headers=centre)
    assert claimed.status_code == 200 and claimed.json()["status"] == "claimed"
    awarded = api.post(f"{url}/award", json={"grade": "A"}, headers=body)
    assert awarded.status_code == 200, awarded.text
    assert (awarded.json()["status"], awarded.json()["final_grade"]) == ("awarded", "A")
    closed = api.post(f"{url}/results/withdraw", json={"reference": "pl"}, headers=body)
    assert_problem(closed, 409, "DIPLOMA_ACCOUNT_CLOSED")
    listed = api.get(ACCOUNTS, params={"uln": uln}, headers=centre).json()
    assert [a["status"] for a in listed] == ["awarded"]
    plr = api.get(
        f"/api/v1/learners/{uln}/learning-events", headers=centre | knowledge_headers(learner)
    )
    assert plr.status_code == 200, plr.text
    (event,) = plr.json()["learning_events"]
    assert (event["subject_title"], event["grade"], event["source"], event["ukprn"]) == (
        "Higher Diploma in Engineering",
        "A",
        "diploma",
        AWARDING_UKPRN,
    )
    assert "points" not in event


def test_bad_input_is_a_clear_4xx(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    centre = register.headers(Role.LRB)
    body = register.headers(Role.AO)
    uln = registered_learner(uow_factory, 9102).uln
    base = {
        "uln": uln,
        "line": "engineering",
        "level": "higher",
        "awarding_body_ukprn": AWARDING_UKPRN,
    }
    assert_problem(
        api.post(ACCOUNTS, json=base | {"level": "medium"}, headers=centre),
        422,
        "DIPLOMA_NOT_OFFERED",
    )
    assert_problem(
        api.post(ACCOUNTS, json=base | {"uln": "123"}, headers=centre), 422, "ULN_INVALID"
    )
    account = api.post(ACCOUNTS, json=base, headers=centre).json()
    assert_problem(api.post(ACCOUNTS, json=base, headers=centre), 409, "DIPLOMA_ACCOUNT_EXISTS")
    url = f"{ACCOUNTS}/{account['id']}"
    assert_problem(
        api.post(f"{url}/results", json=result_body("x", component="essay"), headers=body),
        422,
        "VALIDATION_FAILED",
    )
    assert_problem(
        api.post(f"{url}/results", json=result_body("x", qualification="nonsense"), headers=body),
        422,
        "QUALIFICATION_NUMBER_INVALID",
    )
    assert_problem(
        api.post(
            f"{url}/results", json=result_body("x", component="functional_skill"), headers=body
        ),
        422,
        "DIPLOMA_RESULT_INVALID",
    )
    assert_problem(
        api.put(f"{url}/plts", json={"skills": ["juggling"]}, headers=centre),
        422,
        "VALIDATION_FAILED",
    )
    assert_problem(api.post(f"{url}/claim", headers=centre), 409, "DIPLOMA_NOT_COMPLETE")
    assert_problem(api.get(f"{ACCOUNTS}/999999", headers=centre), 404, "DIPLOMA_ACCOUNT_NOT_FOUND")
    assert_problem(api.get(f"{ACCOUNTS}/abc", headers=centre), 404, "DIPLOMA_ACCOUNT_NOT_FOUND")
    assert_problem(api.get(f"{ACCOUNTS}/a.b", headers=centre), 422, "VALIDATION_FAILED")
    assert_problem(
        api.post(
            f"{ACCOUNTS}/{account['id']}/results/withdraw", json={"reference": "none"}, headers=body
        ),
        404,
        "DIPLOMA_RESULT_NOT_FOUND",
    )


def test_many_results_at_once_are_each_accepted_or_refused(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    centre, body = register.headers(Role.LRB), register.headers(Role.AO)
    opened = [
        api.post(
            ACCOUNTS,
            json={"uln": registered_learner(uow_factory, seed).uln, "line": "engineering",
                  "level": "higher", "awarding_body_ukprn": AWARDING_UKPRN},
            headers=centre,
        ).json()["id"]
        for seed in (9103, 9104)
    ]  # fmt: skip
    results = [r | {"account_id": a} for a in opened for r in complete_result_bodies()]
    results.append(result_body("lost") | {"account_id": "no-such-account"})
    response = api.post("/api/v1/diploma/results", json={"results": results}, headers=body)
    assert response.status_code == 200, response.text
    done = response.json()
    assert (done["accepted"], done["refused"]) == (len(results) - 1, 1)
    assert done["outcomes"][-1]["code"] == "DIPLOMA_ACCOUNT_NOT_FOUND"
    assert sorted(done["evaluations"]) == sorted(str(a) for a in opened)
    assert all(e["trial_grade"] == "A" for e in done["evaluations"].values())
    too_many = {"results": [results[0]] * 5001}
    assert_problem(
        api.post("/api/v1/diploma/results", json=too_many, headers=body), 422, "VALIDATION_FAILED"
    )
    assert_problem(
        api.post("/api/v1/diploma/results", json={"results": results[:1]}, headers=centre),
        403,
        "NOT_AUTHORISED",
    )


def test_the_credit_bank_names_what_is_missing(api: TestClient, register: Register) -> None:
    units = [
        {"unit": u, "achieved_on": "2025-06-01"} for u in ("A/601/0001", "A/601/0002", "A/601/0004")
    ]
    response = api.post(
        "/api/v1/diploma/qcf/evaluate",
        json={"units": units, "qualification": "600/1001/1"},
        headers=register.headers(Role.LRB),
    )
    assert response.status_code == 200, response.text
    (award,) = response.json()
    assert award["size"] == "Award" and not award["claimable"]
    assert award["missing"] == ["1 more credit(s) needed in total"]
    unknown = api.post(
        "/api/v1/diploma/qcf/evaluate",
        json={"units": units, "qualification": "999/9999/9"},
        headers=register.headers(Role.LRB),
    )
    assert_problem(unknown, 404, "QCF_QUALIFICATION_NOT_FOUND")
