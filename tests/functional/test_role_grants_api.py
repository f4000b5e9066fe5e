"""Roles bound to the type of organisation, over HTTP on both databases: the grant table (every
organisation type x every role, through POST /organisations/{ukprn}/clients), an org admin's own
grants, a grant stored against the rule, and client-only tokens on the API."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest
from fastapi.testclient import TestClient

from openlrs.api.deps import AUDIENCE, ISSUER
from openlrs.domain.accounts.organisations import Account, OrgType, Role
from openlrs.services.accounts.credentials import hash_secret
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import OWN_UKPRN, achievement_body, qualification_body, registered_learner
from tests.functional.callers import SECRET_KEY, Register
from tests.functional.expectations import assert_problem

ALLOWED, REFUSED = 201, 422
Y, N = ALLOWED, REFUSED


def _row(*answers: int) -> dict[Role, int]:
    return dict(zip(Role, answers, strict=True))


# Who may hold which role (docs/api.md; domain/accounts/organisations.py ROLES_BY_ORG_TYPE).
GRANTS: dict[OrgType, dict[Role, int]] = {
    #                                  lrb lrb_admin ao ao_admin admin learner
    OrgType.SCHOOL:                _row(Y, Y,        N, N,       N, N),
    OrgType.COLLEGE:               _row(Y, Y,        N, N,       N, N),
    OrgType.TRAINING_PROVIDER:     _row(Y, Y,        N, N,       N, N),
    OrgType.LOCAL_AUTHORITY:       _row(Y, Y,        N, N,       N, N),
    OrgType.PRISON:                _row(Y, Y,        N, N,       N, N),
    OrgType.HIGHER_EDUCATION:      _row(Y, Y,        N, N,       N, N),
    OrgType.AWARDING_ORGANISATION: _row(N, N,        Y, Y,       N, N),
    OrgType.SERVICE_DESK:          _row(N, N,        N, N,       Y, N),
}  # fmt: skip


def test_the_table_names_the_roles_in_order_and_every_type() -> None:
    assert [r.value for r in Role] == ["lrb", "lrb_admin", "ao", "ao_admin", "admin", "learner"]
    assert set(GRANTS) == set(OrgType)


@pytest.mark.parametrize("org_type", list(OrgType))
def test_the_service_desk_grants_each_role_only_where_the_type_allows_it(
    api: TestClient, register: Register, org_type: OrgType
) -> None:
    desk = register.headers(Role.ADMIN)
    ukprn = "10006000"
    made = api.post(
        "/api/v1/organisations",
        json={"ukprn": ukprn, "name": "An organisation", "org_type": org_type.value},
        headers=desk,
    )
    assert made.status_code == 201, made.text
    mismatches = []
    for role, expected in GRANTS[org_type].items():
        response = api.post(
            f"/api/v1/organisations/{ukprn}/clients", json={"roles": [role.value]}, headers=desk
        )
        if response.status_code != expected:
            mismatches.append(f"{org_type.value} x {role.value}: {response.status_code}")
        elif expected == REFUSED:
            assert_problem(response, REFUSED, "ROLE_NOT_ALLOWED")
    assert mismatches == []


def test_a_college_admin_cannot_give_a_client_awarding_roles(
    api: TestClient, register: Register
) -> None:
    """The issue's first hole: this was a 201."""
    college_admin = register.headers(Role.LRB_ADMIN)

    response = api.post(
        f"/api/v1/organisations/{OWN_UKPRN}/clients",
        json={"roles": ["ao", "lrb_admin"]},
        headers=college_admin,
    )

    body = assert_problem(response, 422, "ROLE_NOT_ALLOWED")
    assert "ao" in body["detail"]
    listed = api.get(f"/api/v1/organisations/{OWN_UKPRN}/clients", headers=college_admin)
    assert all("ao" not in c["roles"] for c in listed.json())


def test_an_awarding_organisations_admin_creates_its_own_clients(
    api: TestClient, register: Register
) -> None:
    ao_admin = register.caller(Role.AO_ADMIN)

    made = api.post(
        f"/api/v1/organisations/{ao_admin.ukprn}/clients",
        json={"roles": ["ao"]},
        headers=ao_admin.headers,
    )
    refused = api.post(
        f"/api/v1/organisations/{ao_admin.ukprn}/clients",
        json={"roles": ["lrb"]},
        headers=ao_admin.headers,
    )

    assert made.status_code == 201, made.text
    assert_problem(refused, 422, "ROLE_NOT_ALLOWED")


def test_a_grant_stored_against_the_rule_cannot_post_an_achievement(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """A college client holding `ao` from before the rule (or by hand) gets nothing from it."""
    register.organisation(OWN_UKPRN)
    created = api.post(
        "/api/v1/qualifications",
        json=qualification_body("600/0001/2", [OWN_UKPRN]),
        headers=register.headers(Role.ADMIN),
    )
    assert created.status_code == 201, created.text
    with uow_factory() as uow:
        uow.accounts.add(
            Account(
                "client", "cl_old_grant", OWN_UKPRN, frozenset({Role.AO}), None, hash_secret("s")
            )
        )
        uow.commit()
    learner = registered_learner(uow_factory, 902)
    token = register.token("cl_old_grant", "s")

    response = api.post(
        f"/api/v1/learners/{learner.uln}/achievements",
        json=achievement_body(learner, "600/0001/2", "Distinction"),
        headers={"Authorization": f"Bearer {token}"},
    )

    assert_problem(response, 403, "NOT_AUTHORISED")


def test_a_token_naming_a_user_is_refused_by_the_api(api: TestClient, register: Register) -> None:
    """Users sign in to the portal; only API clients' tokens open the API."""
    desk = register.caller(Role.ADMIN)
    api.post(
        f"/api/v1/organisations/{desk.ukprn}/users",
        json={"username": "desk.user", "password": "a long enough password", "roles": ["admin"]},
        headers=desk.headers,
    ).raise_for_status()
    now = dt.datetime.now(dt.UTC)
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user:desk.user",
        "org": desk.ukprn,
        "iat": now,
        "exp": now + dt.timedelta(hours=1),
    }
    token = jwt.encode(claims, SECRET_KEY, algorithm="HS256")

    response = api.get("/api/v1/organisations", headers={"Authorization": f"Bearer {token}"})

    assert_problem(response, 401, "AUTHENTICATION_FAILED")


def test_the_service_desk_cannot_suspend_its_own_organisation(
    api: TestClient, register: Register
) -> None:
    desk = register.caller(Role.ADMIN)

    response = api.patch(
        f"/api/v1/organisations/{desk.ukprn}", json={"status": "suspended"}, headers=desk.headers
    )

    assert_problem(response, 409, "ORGANISATION_SUSPENSION_REFUSED")
    assert api.get("/api/v1/organisations", headers=desk.headers).status_code == 200
