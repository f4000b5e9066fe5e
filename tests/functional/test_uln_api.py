"""The ULN life cycle over HTTP on both databases: a duplicate ULN challenged by a provider and
merged by the service desk, the merge challenged and undone, a shared ULN split, and the change
feed a provider's MIS follows."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.learners.learner import Learner
from openlrs.services.learners.register import issue_uln
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import (
    achievement_body,
    knowledge_headers,
    many_learner_details,
    post_qualifications,
    register_body,
    registered_learner,
)
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem


def _second_uln(uow_factory: SqlUnitOfWorkFactory, learner: Learner) -> Learner:
    """The same person registered again under another ULN (as a duplicate once slipped through)."""
    with uow_factory() as uow:
        twin = Learner(issue_uln(uow), learner.details)
        uow.learners.add(twin, actor="seed", ukprn=None)
        uow.commit()
    return twin


def _challenge(api: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = api.post("/api/v1/uln-challenges", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _resolve(api: TestClient, challenge_id: str, headers: dict[str, str], **body: Any) -> Any:
    url = f"/api/v1/uln-challenges/{challenge_id}/resolution"
    return api.post(url, json={"response": "Checked with the learner", **body}, headers=headers)


def test_a_duplicate_is_merged_and_the_wrong_merge_undone(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    post_qualifications(api, register)
    master = registered_learner(uow_factory, 951)
    other = _second_uln(uow_factory, master)
    provider, desk, ao = (register.headers(r) for r in (Role.LRB, Role.ADMIN, Role.AO))
    assert (
        api.get(
            f"/api/v1/learners/{other.uln}", headers=provider | knowledge_headers(other)
        ).status_code
        == 200
    )
    posted = api.post(
        f"/api/v1/learners/{other.uln}/achievements", json=achievement_body(other), headers=ao
    )
    assert posted.status_code == 201, posted.text

    raised = _challenge(
        api, provider, kind="uln_duplicate", uln=other.uln, related_uln=master.uln, reason="Twice"
    )
    assert (raised["kind"], raised["status"], raised["owner_ukprn"]) == (
        "uln_duplicate",
        "open",
        None,
    )
    listed = api.get("/api/v1/challenges?status=open", headers=desk).json()["challenges"]
    assert raised["id"] in [c["id"] for c in listed]
    assert_problem(_resolve(api, raised["id"], provider, decision="reject"), 403, "NOT_AUTHORISED")
    wrong = _resolve(api, raised["id"], desk, decision="accept", resolution="split")
    assert_problem(wrong, 422, "VALIDATION_FAILED")

    merged = _resolve(api, raised["id"], desk, decision="accept", resolution="merged")
    assert merged.status_code == 200, merged.text
    assert merged.json()["outcome"] == {
        "uln": other.uln,
        "status": "merged",
        "master_uln": master.uln,
        "other_uln": master.uln,
        "moved_events": [posted.json()["id"]],
    }
    found = api.get(
        f"/api/v1/learners/{other.uln}", headers=provider | knowledge_headers(other)
    ).json()
    assert (found["outcome"], found["uln"], found["lrs_code"]) == ("linked", master.uln, "WSRC0022")
    again = api.post(
        f"/api/v1/learners/{other.uln}/achievements", json=achievement_body(other), headers=ao
    )
    assert (again.status_code, again.json()["uln"]) == (200, master.uln)

    undo = _challenge(api, provider, kind="uln_wrongly_merged", uln=other.uln, reason="Twins")
    unmerged = _resolve(api, undo["id"], desk, decision="accept", resolution="unmerged")
    assert unmerged.json()["outcome"]["status"] == "active"
    plr = api.get(
        f"/api/v1/learners/{other.uln}/learning-events",
        headers=provider | knowledge_headers(other),
    ).json()
    assert [e["id"] for e in plr["learning_events"]] == [posted.json()["id"]]

    feed = api.get("/api/v1/changes", headers=provider).json()
    kinds = [(c["uln"], c["kind"]) for c in feed["changes"]]
    assert (other.uln, "merged") in kinds and (other.uln, "unmerged") in kinds
    assert (master.uln, "linked") in kinds  # through the ULN the provider looked up
    assert all(set(c) >= {"position", "uln", "kind"} for c in feed["changes"])
    rest = api.get(f"/api/v1/changes?since={feed['next_since']}", headers=provider).json()
    assert rest["changes"] == []
    for name in (master.details.family_name, master.details.given_name):
        assert name not in str(feed) and name not in merged.text


def test_a_shared_uln_is_split_and_the_desk_merges_directly(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    post_qualifications(api, register)
    shared = registered_learner(uow_factory, 961)
    desk, ao, provider = (register.headers(r) for r in (Role.ADMIN, Role.AO, Role.LRB))
    event = api.post(
        f"/api/v1/learners/{shared.uln}/achievements", json=achievement_body(shared), headers=ao
    ).json()
    (second,) = many_learner_details(1, seed=962)

    split = api.post(
        f"/api/v1/learners/{shared.uln}/split",
        json={"event_ids": [event["id"]], "learner": register_body(962)},
        headers=desk,
    )
    assert split.status_code == 201, split.text
    new_uln = split.json()["other_uln"]
    assert split.json()["moved_events"] == [event["id"]] and new_uln != shared.uln
    record = api.get(f"/api/v1/learners/{new_uln}/learning-events", headers=desk).json()
    assert record["learner"]["family_name"] == second.family_name
    assert [e["id"] for e in record["learning_events"]] == [event["id"]]

    refused = api.post(
        f"/api/v1/learners/{new_uln}/merge", json={"master_uln": shared.uln}, headers=provider
    )
    assert_problem(refused, 403, "NOT_AUTHORISED")
    back = api.post(
        f"/api/v1/learners/{new_uln}/merge", json={"master_uln": shared.uln}, headers=desk
    )
    assert back.json()["moved_events"] == [event["id"]]
    assert_problem(
        api.post(f"/api/v1/learners/{shared.uln}/unmerge", headers=desk), 409, "LEARNER_NOT_MERGED"
    )
    assert api.post(f"/api/v1/learners/{new_uln}/unmerge", headers=desk).status_code == 200
    assert_problem(api.get("/api/v1/changes?since=-1", headers=desk), 422, "VALIDATION_FAILED")
