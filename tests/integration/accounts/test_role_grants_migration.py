"""Migration 0012: grants that break the roles-per-organisation-type rule are narrowed or revoked,
and the log counts them per organisation without naming an account."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import sqlalchemy as sa

from openlrs.store.migrate import downgrade, upgrade
from openlrs.store.tables import api_clients, organisations, users

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
ORGANISATIONS = (
    (1, "10004321", "college"),
    (2, "10009999", "awarding_organisation"),
    (3, "10000001", "service_desk"),
)
CLIENTS = (  # (client_id, organisation id, roles)
    ("cl_college_fine", 1, "lrb lrb_admin"),
    ("cl_college_too_much", 1, "ao lrb_admin"),
    ("cl_college_nothing_left", 1, "admin ao"),
    ("cl_awarder_fine", 2, "ao"),
    ("cl_desk_too_much", 3, "admin lrb"),
)


def test_bad_grants_lose_their_roles_and_those_left_with_none_are_revoked(
    engine: sa.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    downgrade(engine, "0011")
    with engine.begin() as conn:
        for org_id, ukprn, org_type in ORGANISATIONS:
            conn.execute(
                sa.insert(organisations).values(
                    id=org_id,
                    ukprn=ukprn,
                    name=f"Organisation {ukprn}",
                    org_type=org_type,
                    status="active",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        for client_id, org_id, roles in CLIENTS:
            conn.execute(
                sa.insert(api_clients).values(
                    client_id=client_id,
                    organisation_id=org_id,
                    secret_hash="h",
                    roles=roles,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        conn.execute(
            sa.insert(users).values(
                username="someone@10009999",
                organisation_id=2,
                password_hash="h",
                roles="ao lrb",
                created_at=NOW,
                updated_at=NOW,
            )
        )

    with caplog.at_level(logging.WARNING, logger="openlrs.migrations"):
        upgrade(engine)

    with engine.connect() as conn:
        clients = {
            r.client_id: (r.roles, r.revoked_at is not None)
            for r in conn.execute(sa.select(api_clients))
        }
        user = conn.execute(sa.select(users.c.roles, users.c.revoked_at)).one()
    assert clients == {
        "cl_college_fine": ("lrb lrb_admin", False),
        "cl_college_too_much": ("lrb_admin", False),
        "cl_college_nothing_left": ("", True),
        "cl_awarder_fine": ("ao", False),
        "cl_desk_too_much": ("admin", False),
    }
    assert (user.roles, user.revoked_at) == ("ao", None)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert (
        "organisation 10004321: 1 account(s) lost roles its type may not hold, 1 revoked" in logged
    )
    assert "organisation 10009999: 1 account(s)" in logged
    assert "organisation 10000001: 1 account(s)" in logged
    assert "cl_" not in logged and "someone" not in logged  # counts, never accounts
