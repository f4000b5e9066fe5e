"""Migration 0013 records the relationships the register already knew: who registered each
learner, and who was told a held registration was a learner already registered (issue 21)."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from openlrs.store.learners.tables import learner_relationships
from openlrs.store.migrate import downgrade, upgrade

WHEN = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)


def _details(given: str, gender: int) -> str:
    """A learner's details as the register stores them (migration 0022 re-reads them)."""
    fields = {"given_name": given, "family_name": "Lee", "date_of_birth": "2008-01-01"}
    return json.dumps(fields | {"gender": gender, "postcode": "B1 1AA"})


def test_the_migration_backfills_registered_and_on_roll(engine: sa.Engine) -> None:
    downgrade(engine, "0011")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO learners (uln, version, status, given_name, family_name,"
                " date_of_birth, gender, postcode, details, given_key, family_key,"
                " registered_by_ukprn, created_at, updated_at) VALUES ('1000000001', 1,"
                " 'active', 'Ann', 'Lee', '2008-01-01', 2, 'B1 1AA', :ann, 'ANN', 'LEE',"
                " '10004321', :at, :at), ('1000000002', 1, 'active', 'Bo', 'Lee', '2008-01-01',"
                " 1, 'B1 1AA', :bo, 'BO', 'LEE', NULL, :at, :at)"
            ),
            {"at": WHEN, "ann": _details("Ann", 2), "bo": _details("Bo", 1)},
        )
        conn.execute(
            sa.text(
                "INSERT INTO held_registrations (ukprn, submitted_by, details, outcome,"
                " candidate_ulns, status, resolved_uln, resolved_by, created_at, updated_at)"
                " VALUES ('10005555', 'x', '{}', 'possible', '1000000001',"
                " 'resolved_same_person', '1000000001', 'x', :at, :at)"
            ),
            {"at": WHEN},
        )
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                learner_relationships.c.uln,
                learner_relationships.c.ukprn,
                learner_relationships.c.kind,
            ).order_by(learner_relationships.c.ukprn)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("1000000001", "10004321", "registered"),
        ("1000000001", "10005555", "on_roll"),
    ]
