"""The service desk's API (issue 26): incidents against their targets, and the deadlines of every
queue on the service-hours clock, with the clock injected (no sleeps)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openlrs.api.notices.deprecation_headers import DeprecationHeaders
from openlrs.domain.accounts.organisations import Role
from openlrs.domain.desk.service_hours import UK
from openlrs.domain.notices.deprecations import Deprecation
from openlrs.services.notices.maintenance import NoticeBoard
from openlrs.store.plr.tables import learning_event_challenges
from openlrs.store.providers.tables import providers
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import provider_application_body, registered_learner
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem


def uk(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UK).astimezone(dt.UTC)


def set_clock(app: FastAPI, uow_factory: SqlUnitOfWorkFactory, now: dt.datetime) -> None:
    app.state.notice_board = NoticeBoard(uow_factory, clock=lambda: now)


def raise_uln_challenge(api: TestClient, register: Register, uln: str, opened: str) -> str:
    made = api.post(
        "/api/v1/uln-challenges",
        json={"kind": "uln_shared", "uln": uln, "reason": "Two people share it"},
        headers=register.headers(Role.LRB),
    )
    assert made.status_code == 201, made.text
    challenge_id = str(made.json()["id"])
    with register.uow_factory.engine.begin() as conn:  # raised at a moment of the test's choosing
        conn.execute(
            sa.update(learning_event_challenges)
            .where(learning_event_challenges.c.public_id == challenge_id)
            .values(created_at=uk(opened))
        )
    return challenge_id


def deadlines_at(api: TestClient, app: FastAPI, register: Register, now: str) -> dict[str, bool]:
    set_clock(app, register.uow_factory, uk(now))
    found = api.get("/api/v1/desk/deadlines", headers=register.headers(Role.ADMIN))
    assert found.status_code == 200, found.text
    return {d["reference"]: d["overdue"] for d in found.json()["deadlines"]}


def test_overdue_challenges_are_listed_as_overdue_on_the_right_day(
    api: TestClient, app: FastAPI, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    uln = registered_learner(uow_factory, 2611).uln
    tuesday = raise_uln_challenge(api, register, uln, "2026-12-01 10:00")
    monday = raise_uln_challenge(api, register, uln, "2026-12-07 10:00")
    christmas = raise_uln_challenge(api, register, uln, "2026-12-21 10:00")

    # Five service days: the next Tuesday at 10:00 (the weekend does not count).
    assert deadlines_at(api, app, register, "2026-12-08 09:59")[tuesday] is False
    assert deadlines_at(api, app, register, "2026-12-08 10:01")[tuesday] is True
    assert deadlines_at(api, app, register, "2026-12-14 10:01")[monday] is True
    # Raised on Monday 21 December: due on Wednesday 30th, as Christmas Day and the 28th (bank
    # holidays) do not count either.
    assert deadlines_at(api, app, register, "2026-12-29 17:59")[christmas] is False
    assert deadlines_at(api, app, register, "2026-12-30 09:59")[christmas] is False
    late = deadlines_at(api, app, register, "2026-12-30 10:01")
    assert late == {tuesday: True, monday: True, christmas: True}

    set_clock(app, uow_factory, uk("2026-12-08 12:00"))
    body = api.get("/api/v1/desk/deadlines", headers=register.headers(Role.ADMIN)).json()
    first = body["deadlines"][0]
    assert first["reference"] == tuesday and first["queue"] == "uln_challenges"
    assert first["age_service_hours"] == 52.0  # 8 h on the 1st, 40 h, then 4 h on the 8th
    assert first["target_at"] == uk("2026-12-08 10:00").isoformat().replace("+00:00", "Z")
    assert body["overdue"] == 1


def test_provider_applications_are_in_the_deadlines_too(
    api: TestClient, app: FastAPI, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    applied = api.post("/api/v1/providers/applications", json=provider_application_body(seed=7))
    assert applied.status_code == 201, applied.text
    with uow_factory.engine.begin() as conn:
        conn.execute(sa.update(providers).values(created_at=uk("2026-12-04 09:00")))
    found = deadlines_at(api, app, register, "2026-12-11 09:30")  # 5 days: Friday 09:00

    assert list(found.values()) == [True]


def test_the_desk_logs_an_incident_and_works_it_to_resolution(
    api: TestClient, app: FastAPI, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    desk = register.headers(Role.ADMIN)
    set_clock(app, uow_factory, uk("2026-12-04 17:10"))
    logged = api.post(
        "/api/v1/desk/incidents",
        json={
            "category": 1,
            "summary": "Lookups time out",
            "reported_at": uk("2026-12-04 17:00").isoformat(),
        },
        headers=desk,
    )
    assert logged.status_code == 201, logged.text
    incident = logged.json()
    assert incident["respond_by"].startswith("2026-12-04T17:30")
    assert incident["fix_by"].startswith("2026-12-07T11:00")  # 1 h Friday, 3 h Monday
    url = f"/api/v1/desk/incidents/{incident['id']}"

    set_clock(app, uow_factory, uk("2026-12-07 11:30"))
    late = api.get(url, headers=desk).json()
    assert (late["response_overdue"], late["fix_overdue"]) == (True, True)
    responded = api.patch(url, json={"status": "responded"}, headers=desk)
    assert responded.json()["status"] == "responded"
    assert_problem(api.patch(url, json={"status": "resolved"}, headers=desk), 422)
    resolved = api.patch(
        url, json={"status": "resolved", "resolution": "Restarted the pool"}, headers=desk
    )
    assert resolved.json()["status"] == "resolved"
    assert_problem(api.patch(url, json={"category": 4}, headers=desk), 409, "INCIDENT_RESOLVED")
    listed = api.get("/api/v1/desk/incidents?open_only=true", headers=desk).json()
    assert listed == {"incidents": []}
    assert_problem(
        api.post("/api/v1/desk/incidents", json={"category": 9, "summary": "x"}, headers=desk),
        422,
    )
    assert_problem(api.get("/api/v1/desk/incidents", headers=register.headers(Role.LRB)), 403)


def test_a_deprecated_operation_says_so_and_the_changes_are_public(
    app: FastAPI, register: Register
) -> None:
    retiring = Deprecation(
        "GET",
        "/api/v1/challenges/{challenge_id}",
        dt.date(2026, 12, 7),
        dt.date(2027, 6, 30),
        "GET /api/v1/challenges",
        "An example",
    )
    with TestClient(DeprecationHeaders(app, [retiring])) as client:
        headers = register.headers(Role.LRB)
        answered = client.get(
            "/api/v1/challenges/00000000-0000-0000-0000-000000000000", headers=headers
        )
        other = client.get("/api/v1/challenges", headers=headers)

    assert answered.status_code == 404  # refused or not, the answer says the operation is going
    assert answered.headers["Deprecation"] == "@1796601600"  # 7 December 2026
    assert answered.headers["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
    assert 'rel="deprecation"' in answered.headers["Link"]
    assert "Deprecation" not in other.headers


def test_the_changes_are_public(api: TestClient) -> None:
    public = api.get("/api/v1/notices/deprecations").json()
    assert public["deprecations"] == []
    assert public["changes"][0]["title"].startswith("Service desk deadlines")
