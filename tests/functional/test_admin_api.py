"""Organisations, API clients, users, the audit trail and the probes, through the real API."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from openlrs.api.app import create_api
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Role
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import OTHER_UKPRN, OWN_UKPRN, register_body, search_body
from tests.functional.callers import SECRET_KEY, TOKEN_URL, Register, token_form
from tests.functional.expectations import assert_problem, field_codes

V1 = "/api/v1"
NEW_UKPRN = "10012345"
PASSWORD = "correct horse battery staple"


def test_organisations_are_created_listed_read_and_suspended(
    api: TestClient, register: Register
) -> None:
    admin = register.headers(Role.ADMIN)
    new = {"ukprn": NEW_UKPRN, "name": "  Ashfield College ", "org_type": "college"}

    created = api.post(f"{V1}/organisations", json=new, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json() == {
        "ukprn": NEW_UKPRN,
        "name": "Ashfield College",
        "org_type": "college",
        "status": "active",
    }

    listed = api.get(f"{V1}/organisations", headers=admin)
    assert listed.status_code == 200, listed.text
    ukprns = [o["ukprn"] for o in listed.json()]
    assert NEW_UKPRN in ukprns and ukprns == sorted(ukprns)
    page = api.get(f"{V1}/organisations", params={"after": ukprns[0], "limit": 1}, headers=admin)
    assert [o["ukprn"] for o in page.json()] == ukprns[1:2]

    assert api.get(f"{V1}/organisations/{NEW_UKPRN}", headers=admin).json() == created.json()
    missing = api.get(f"{V1}/organisations/99999999", headers=admin)
    assert_problem(missing, 404, "ORGANISATION_NOT_FOUND")

    for status in ("suspended", "active"):
        patched = api.patch(
            f"{V1}/organisations/{NEW_UKPRN}", json={"status": status}, headers=admin
        )
        assert patched.status_code == 200, patched.text
        assert patched.json()["status"] == status
    closed = api.patch(f"{V1}/organisations/{NEW_UKPRN}", json={"status": "closed"}, headers=admin)
    assert_problem(closed, 422, "VALIDATION_FAILED")


def test_a_duplicate_or_malformed_organisation_is_refused(
    api: TestClient, register: Register
) -> None:
    admin = register.headers(Role.ADMIN)
    new = {"ukprn": NEW_UKPRN, "name": "Ashfield College", "org_type": "college"}
    assert api.post(f"{V1}/organisations", json=new, headers=admin).status_code == 201

    duplicate = api.post(f"{V1}/organisations", json=new | {"name": "Other"}, headers=admin)
    assert_problem(duplicate, 409, "ORGANISATION_EXISTS")
    for ukprn in ("1234", "00000001", "1001234X", "100123456", "１００１２３４６"):
        response = api.post(f"{V1}/organisations", json=new | {"ukprn": ukprn}, headers=admin)
        assert_problem(response, 422, "UKPRN_INVALID")
    wrong_type = api.post(
        f"{V1}/organisations", json=new | {"ukprn": "10012346", "org_type": "pub"}, headers=admin
    )
    assert field_codes(wrong_type) == {"org_type": {"FIELD_WRONG_TYPE"}}
    for name in ("", "   ", "Ashfield\x00College", "x" * 201):
        response = api.post(
            f"{V1}/organisations", json=new | {"ukprn": "10012347", "name": name}, headers=admin
        )
        assert_problem(response, 422, "VALIDATION_FAILED")
        assert set(field_codes(response)) == {"name"}
    assert api.get(f"{V1}/organisations/10012347", headers=admin).status_code == 404


def test_a_new_client_secret_is_shown_once_and_gets_a_token(
    api: TestClient, register: Register
) -> None:
    admin = register.headers(Role.ADMIN)
    register.organisation(OWN_UKPRN)

    created = api.post(
        f"{V1}/organisations/{OWN_UKPRN}/clients", json={"roles": ["lrb"]}, headers=admin
    )
    assert created.status_code == 201, created.text
    client = created.json()
    assert set(client) == {"client_id", "client_secret", "ukprn", "roles"}
    assert (client["ukprn"], client["roles"]) == (OWN_UKPRN, ["lrb"])
    assert len(client["client_secret"]) >= 32

    listed = api.get(f"{V1}/organisations/{OWN_UKPRN}/clients", headers=admin)
    assert listed.status_code == 200, listed.text
    assert [c["login"] for c in listed.json()] == [client["client_id"]]
    assert client["client_secret"] not in listed.text

    token = api.post(TOKEN_URL, data=token_form(client["client_id"], client["client_secret"]))
    assert token.status_code == 200, token.text
    assert token.json()["token_type"] == "bearer" and token.json()["expires_in"] > 0
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    found = api.post(f"{V1}/learners/search", json=search_body(register_body(301)), headers=headers)
    assert found.status_code == 200, found.text


def test_a_revoked_client_is_refused_at_once(api: TestClient, register: Register) -> None:
    admin = register.headers(Role.ADMIN)
    victim = register.caller(Role.LRB)
    search = search_body(register_body(302))
    assert api.post(f"{V1}/learners/search", json=search, headers=victim.headers).status_code == 200

    revoked = api.delete(f"{V1}/clients/{victim.client_id}", headers=admin)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["login"] == victim.client_id
    assert revoked.json()["revoked_at"] is not None

    refused = api.post(f"{V1}/learners/search", json=search, headers=victim.headers)
    assert_problem(refused, 401, "AUTHENTICATION_FAILED")
    again = api.post(TOKEN_URL, data=token_form(victim.client_id, victim.client_secret))
    assert_problem(again, 401, "AUTHENTICATION_FAILED")
    assert_problem(api.delete(f"{V1}/clients/cl_nobody", headers=admin), 404, "ACCOUNT_NOT_FOUND")


def test_users_are_created_listed_and_revoked(api: TestClient, register: Register) -> None:
    admin = register.headers(Role.ADMIN)
    register.organisation(OWN_UKPRN)
    users = f"{V1}/organisations/{OWN_UKPRN}/users"
    new = {"username": "pat.jones@riverside.example", "password": PASSWORD, "roles": ["lrb"]}

    short = api.post(users, json=new | {"password": "Tr0ub4dor&3"}, headers=admin)
    assert_problem(short, 422, "VALIDATION_FAILED")
    assert set(field_codes(short)) == {"password"}
    assert "Tr0ub4dor&3" not in short.text

    created = api.post(users, json=new, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json() == {
        "kind": "user",
        "login": new["username"],
        "ukprn": OWN_UKPRN,
        "roles": ["lrb"],
        "revoked_at": None,
    }
    assert PASSWORD not in created.text
    assert_problem(api.post(users, json=new, headers=admin), 409, "ACCOUNT_EXISTS")

    listed = api.get(users, headers=admin)
    assert [u["login"] for u in listed.json()] == [new["username"]]
    assert PASSWORD not in listed.text

    revoked = api.delete(f"{V1}/users/{new['username']}", headers=admin)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None
    assert api.get(users, headers=admin).json()[0]["revoked_at"] is not None
    assert_problem(api.delete(f"{V1}/users/nobody.here", headers=admin), 404, "ACCOUNT_NOT_FOUND")


def test_an_org_admin_manages_its_own_accounts_but_cannot_grant_admin(
    api: TestClient, register: Register
) -> None:
    org_admin = register.headers(Role.LRB_ADMIN)
    register.organisation(OTHER_UKPRN)
    own, other = (f"{V1}/organisations/{u}" for u in (OWN_UKPRN, OTHER_UKPRN))
    user = {"username": "sam.lee", "password": PASSWORD, "roles": ["lrb"]}

    assert api.post(f"{own}/clients", json={"roles": ["lrb"]}, headers=org_admin).status_code == 201
    assert api.post(f"{own}/users", json=user, headers=org_admin).status_code == 201
    for refused in (
        api.post(f"{own}/clients", json={"roles": ["admin"]}, headers=org_admin),
        api.post(f"{own}/clients", json={"roles": ["lrb", "admin"]}, headers=org_admin),
        api.post(
            f"{own}/users", json=user | {"username": "x.y", "roles": ["admin"]}, headers=org_admin
        ),
        api.post(f"{other}/clients", json={"roles": ["lrb"]}, headers=org_admin),
        api.post(f"{other}/users", json=user | {"username": "z.y"}, headers=org_admin),
    ):
        assert_problem(refused, 403, "NOT_AUTHORISED")
    listed = api.get(f"{own}/users", headers=org_admin).json()
    assert [u["login"] for u in listed] == ["sam.lee"]


def test_an_org_admin_sees_only_its_own_organisations_audit_trail(
    api: TestClient, register: Register
) -> None:
    org_admin = register.caller(Role.LRB_ADMIN)
    outsider = register.caller(Role.LRB, OTHER_UKPRN)
    admin = register.headers(Role.ADMIN)
    for caller in (org_admin, outsider):
        search = search_body(register_body(303))
        assert (
            api.post(f"{V1}/learners/search", json=search, headers=caller.headers).status_code
            == 200
        )

    own = api.get(f"{V1}/audit", headers=org_admin.headers)
    assert own.status_code == 200, own.text
    assert own.json() and {e["ukprn"] for e in own.json()} == {OWN_UKPRN}
    assert outsider.actor not in own.text
    assert_problem(
        api.get(f"{V1}/audit", params={"ukprn": OTHER_UKPRN}, headers=org_admin.headers), 403
    )

    everything = api.get(f"{V1}/audit", headers=admin).json()
    assert {OWN_UKPRN, OTHER_UKPRN} <= {e["ukprn"] for e in everything}
    newest, *_ = everything
    older = api.get(f"{V1}/audit", params={"before_id": newest["id"], "limit": 2}, headers=admin)
    assert [e["id"] for e in older.json()] == [e["id"] for e in everything[1:3]]


def test_the_probes_answer(api: TestClient) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


def test_readiness_fails_when_the_database_does_not_answer(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1
    app = create_api(
        Settings(database_url=url, secret_key=SECRET_KEY, var_dir=tmp_path),
        SqlUnitOfWorkFactory(build_engine(url, pool_size=1)),
    )
    with TestClient(app, raise_server_exceptions=False) as api:
        assert api.get("/healthz").status_code == 200
        ready = api.get("/readyz")
    assert (ready.status_code, ready.json()) == (503, {"status": "unavailable"})


def test_the_openapi_document_is_3_1_and_describes_the_learner_search(api: TestClient) -> None:
    response = api.get(f"{V1}/openapi.json")
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] == "openlrs"
    assert "post" in document["paths"]["/api/v1/learners/search"]
    assert "/api/v1/oauth/token" in document["paths"]
    docs = api.get("/api/docs")
    assert docs.status_code == 200 and "/api/v1/openapi.json" in docs.text
