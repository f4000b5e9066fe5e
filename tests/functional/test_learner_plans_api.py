"""Learner plans over HTTP on both databases: made by a provider with a relationship, its version
as the ETag, a stale If-Match refused, notes added, and no relationship refused."""

from __future__ import annotations

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import OTHER_UKPRN, OWN_UKPRN, registered_learner
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem

PLAN = {
    "goals": ["Get a job in catering"],
    "planned_learning": [
        {"title": "Functional Skills English", "start_date": "2027-01-04", "end_date": "2027-03-26"}
    ],
}


def test_a_plan_is_made_changed_with_its_version_and_noted(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    learner = registered_learner(uow_factory, 951)
    with uow_factory() as uow:
        uow.learners.note_relationship(learner.uln, OWN_UKPRN, RelationshipKind.ON_ROLL)
        uow.commit()
    trainer = register.headers(Role.LRB, OWN_UKPRN)
    url = f"/api/v1/learners/{learner.uln}/learner-plan"

    assert_problem(api.get(url, headers=trainer), 404, "LEARNER_PLAN_NOT_FOUND")
    made = api.put(url, json=PLAN, headers=trainer)
    assert (made.status_code, made.headers["etag"]) == (200, '"1"'), made.text
    changed = PLAN | {"goals": ["Get a job in catering", "Read with my children"]}
    assert api.put(url, json=changed, headers=trainer | {"If-Match": '"1"'}).status_code == 200
    stale = api.put(url, json=PLAN, headers=trainer | {"If-Match": '"1"'})
    assert_problem(stale, 409, "LEARNER_PLAN_CHANGED")
    noted = api.post(f"{url}/progress-notes", json={"text": "Started well"}, headers=trainer)
    assert noted.status_code == 201, noted.text

    read = api.get(url, headers=register.headers(Role.ADMIN))
    assert read.headers["etag"] == '"2"'
    assert read.json()["goals"] == changed["goals"]
    assert [n["text"] for n in read.json()["progress_notes"]] == ["Started well"]
    assert_problem(
        api.get(url, headers=register.headers(Role.LRB, OTHER_UKPRN)), 403, "NOT_AUTHORISED"
    )
    refused = api.put(url, json={"goals": [" "]}, headers=trainer)
    assert_problem(refused, 422, "VALIDATION_FAILED")
