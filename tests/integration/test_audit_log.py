"""The audit trail in SQL: appended and listed newest first; the database refuses changes to it."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.store.uow import SqlUnitOfWorkFactory

PROVIDER, OTHER = "10000001", "10000002"
ULN = "1234567899"


def record_some(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.audit.record(AuditEvent("user:a", PROVIDER, AuditAction.LEARNER_READ, ULN, "exact"))
        uow.audit.record(AuditEvent("user:b", OTHER, AuditAction.LEARNER_SEARCH, None, "no_match"))
        uow.audit.record(AuditEvent("user:a", PROVIDER, AuditAction.LEARNER_UPDATE, ULN, "v2"))
        uow.audit.record(AuditEvent("system", None, AuditAction.TOKEN_REFUSED))
        uow.commit()


def test_events_are_listed_newest_first_and_filtered(uow_factory: SqlUnitOfWorkFactory) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    record_some(uow_factory)

    with uow_factory() as uow:
        everything = uow.audit.list(ukprn=None, uln=None, before_id=None, limit=10)
        provider = uow.audit.list(ukprn=PROVIDER, uln=None, before_id=None, limit=10)
        learner = uow.audit.list(ukprn=None, uln=ULN, before_id=None, limit=10)
        page = uow.audit.list(ukprn=None, uln=None, before_id=everything[1].id, limit=2)

    assert [e.action for e in everything] == [
        AuditAction.TOKEN_REFUSED,
        AuditAction.LEARNER_UPDATE,
        AuditAction.LEARNER_SEARCH,
        AuditAction.LEARNER_READ,
    ]
    assert [e.outcome for e in provider] == ["v2", "exact"]
    assert [e.action for e in learner] == [AuditAction.LEARNER_UPDATE, AuditAction.LEARNER_READ]
    assert page == everything[2:4]
    for event in everything:
        assert event.id is not None and event.occurred_at is not None
        assert event.occurred_at.utcoffset() == dt.timedelta(0)
        assert before <= event.occurred_at <= dt.datetime.now(dt.UTC)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET actor = 'someone else'",
        "UPDATE audit_events SET detail = NULL WHERE id = 1",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE id = 1",
    ],
)
def test_the_database_refuses_to_change_the_audit_trail(
    uow_factory: SqlUnitOfWorkFactory, engine: sa.Engine, statement: str
) -> None:
    record_some(uow_factory)

    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text(statement))

    with uow_factory() as uow:
        events = uow.audit.list(ukprn=None, uln=None, before_id=None, limit=10)
    assert len(events) == 4
    assert {e.actor for e in events} == {"user:a", "user:b", "system"}
