"""The retention job removes exactly what the policy says, and nothing else: for each kind, a
row a second past its period goes; one exactly at it, one a second short of it, and one the
policy's condition protects (an unfinished job, an open held registration, a notification still
being retried, a code still live) stay. SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from openlrs.cli import app
from openlrs.domain.accounts.organisations import SYSTEM
from openlrs.domain.audit import AuditAction
from openlrs.domain.retention.policy import DataKind, RetentionPolicy, RetentionSettingInvalid
from openlrs.services.retention.apply import RetentionSchedule, apply_retention
from openlrs.store.accounts.tables import portal_sessions, portal_sign_in_failures
from openlrs.store.batches.tables import batch_files, batch_jobs, batch_rows
from openlrs.store.learner_accounts.tables import learner_activation_codes, learner_share_codes
from openlrs.store.notifications.tables import notifications
from openlrs.store.retention import rules
from openlrs.store.tables import UtcDateTime, audit_events, held_registrations, metadata
from openlrs.store.uow import SqlUnitOfWorkFactory

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
POLICY = RetentionPolicy.with_overrides(
    {
        "batch_files": 10,
        "batch_outputs": 20,
        "sessions": 3,
        "held_registrations": 30,
        "activation_codes": 7,
        "notifications": 14,
    }
)
SECOND = dt.timedelta(seconds=1)
# A second past the period (removed), exactly at it and a second short of it (kept).
AGES = {"past": SECOND, "at": dt.timedelta(0), "short": -SECOND}


def at_age(kind: DataKind, age: str) -> dt.datetime:
    return POLICY.cutoff(kind, NOW) - AGES[age]


def add_job(conn: sa.Connection, name: str, status: str, when: dt.datetime) -> int:
    job_id: int = conn.execute(
        sa.insert(batch_jobs).values(
            public_id=f"job-{name}",
            ukprn="10000001",
            submitted_by="mis",
            kind="register",
            fmt="csv",
            filename=f"{name}.csv",
            checksum=name,
            status=status,
            created_at=when,
            updated_at=when,
        )
    ).inserted_primary_key[0]
    conn.execute(sa.insert(batch_files).values(job_id=job_id, content=b"a,b\n"))
    conn.execute(
        sa.insert(batch_rows).values(
            job_id=job_id, number=1, cells={}, status="done", created_at=when, updated_at=when
        )
    )
    return job_id


def add_held(conn: sa.Connection, name: str, status: str, when: dt.datetime) -> None:
    conn.execute(
        sa.insert(held_registrations).values(
            ukprn="10000001",
            submitted_by=name,
            details={},
            outcome="possible",
            candidate_ulns="",
            status=status,
            created_at=when,
            updated_at=when,
        )
    )


def add_session(conn: sa.Connection, name: str, expires: dt.datetime) -> None:
    conn.execute(
        sa.insert(portal_sessions).values(
            token_hash=name,
            username=name,
            stage="signed_in",
            last_seen_at=expires,
            expires_at=expires,
        )
    )


def add_failure(conn: sa.Connection, name: str, when: dt.datetime) -> None:
    conn.execute(
        sa.insert(portal_sign_in_failures).values(
            username=name, source="s", failures=1, created_at=when, updated_at=when
        )
    )


def add_activation_code(
    conn: sa.Connection, name: str, expires: dt.datetime, used: dt.datetime | None = None
) -> None:
    conn.execute(
        sa.insert(learner_activation_codes).values(
            uln="9999999999",
            code_hash=name,
            issued_by="user:registrar",
            expires_at=expires,
            used_at=used,
            created_at=NOW - dt.timedelta(days=400),
            updated_at=NOW - dt.timedelta(days=400),
        )
    )


def add_share_code(
    conn: sa.Connection, name: str, expires: dt.datetime, revoked: dt.datetime | None = None
) -> None:
    conn.execute(
        sa.insert(learner_share_codes).values(
            id=name,
            uln="9999999999",
            code_hash=name,
            label=name,
            expires_at=expires,
            revoked_at=revoked,
            created_at=NOW - dt.timedelta(days=400),
            updated_at=NOW - dt.timedelta(days=400),
        )
    )


def add_notification(conn: sa.Connection, name: str, status: str, when: dt.datetime) -> None:
    conn.execute(
        sa.insert(notifications).values(
            idempotency_key=name,
            kind="batch_finished",
            ukprn="10000001",
            to_address="mis@example.ac.uk",
            subject=name,
            body="",
            status=status,
            attempts=1,
            next_attempt_at=when,
            created_at=when,
            updated_at=when,
        )
    )


def add_audit(conn: sa.Connection, name: str, when: dt.datetime) -> None:
    conn.execute(
        sa.insert(audit_events).values(actor=name, action="learner.read", occurred_at=when)
    )


def names(conn: sa.Connection, column: sa.ColumnElement[Any]) -> set[str]:
    return set(conn.execute(sa.select(column)).scalars())


def test_removes_exactly_what_the_policy_says(
    engine: sa.Engine, uow_factory: SqlUnitOfWorkFactory
) -> None:
    jobs: dict[str, int] = {}
    with engine.begin() as conn:
        for age in AGES:
            # Files go after 10 days, whole jobs after 20: a 15-day-old job keeps only its rows.
            jobs[f"file-{age}"] = add_job(
                conn, f"file-{age}", "completed", at_age(DataKind.BATCH_FILES, age)
            )
            jobs[f"job-{age}"] = add_job(
                conn, f"job-{age}", "failed", at_age(DataKind.BATCH_OUTPUTS, age)
            )
            add_held(conn, f"held-{age}", "resolved", at_age(DataKind.HELD_REGISTRATIONS, age))
            add_session(conn, f"session-{age}", at_age(DataKind.SESSIONS, age))
            add_failure(conn, f"failure-{age}", at_age(DataKind.LOGS, age))
            add_audit(conn, f"audit-{age}", NOW - dt.timedelta(days=20_000))  # never removed
            codes_at = at_age(DataKind.ACTIVATION_CODES, age)
            add_activation_code(conn, f"expired-{age}", codes_at)
            add_activation_code(conn, f"used-{age}", NOW + dt.timedelta(days=9), used=codes_at)
            add_share_code(conn, f"share-expired-{age}", codes_at)
            add_share_code(conn, f"share-revoked-{age}", NOW + dt.timedelta(days=9), codes_at)
            for status in ("sent", "failed"):
                add_notification(
                    conn, f"{status}-{age}", status, at_age(DataKind.NOTIFICATIONS, age)
                )
        ancient = NOW - dt.timedelta(days=5000)
        add_activation_code(conn, "unused-live", NOW + dt.timedelta(days=1))
        add_share_code(conn, "share-live", NOW + dt.timedelta(days=1))
        add_notification(conn, "pending-ancient", "pending", ancient)  # still being retried
        jobs["unfinished"] = add_job(conn, "unfinished", "processing", ancient)
        add_held(conn, "held-open", "open", ancient)

    report = apply_retention(POLICY, now=NOW, principal=SYSTEM, uow=uow_factory())

    assert report.removed == {
        DataKind.BATCH_FILES: 4,  # file-past's, and every 20-day-old job's
        DataKind.BATCH_OUTPUTS: 1,
        DataKind.SESSIONS: 1,
        DataKind.ACTIVATION_CODES: 4,  # expired, used; share codes expired, revoked
        DataKind.HELD_REGISTRATIONS: 1,
        DataKind.NOTIFICATIONS: 2,  # sent and failed; never a pending one
        DataKind.LOGS: 1,
    }
    with engine.connect() as conn:
        assert names(conn, batch_jobs.c.checksum) == {
            *(f"file-{age}" for age in AGES),
            "job-at",
            "job-short",
            "unfinished",
        }
        with_files = {jobs[n] for n in ("file-at", "file-short", "unfinished")}
        assert names(conn, batch_files.c.job_id) == with_files
        assert names(conn, batch_rows.c.job_id) == set(jobs.values()) - {jobs["job-past"]}
        assert names(conn, held_registrations.c.submitted_by) == {
            "held-at",
            "held-short",
            "held-open",
        }
        assert names(conn, portal_sessions.c.username) == {"session-at", "session-short"}
        assert names(conn, portal_sign_in_failures.c.username) == {"failure-at", "failure-short"}
        kept = ("at", "short")
        assert names(conn, learner_activation_codes.c.code_hash) == {
            *(f"{what}-{age}" for what in ("expired", "used") for age in kept),
            "unused-live",
        }
        assert names(conn, learner_share_codes.c.id) == {
            *(f"share-{what}-{age}" for what in ("expired", "revoked") for age in kept),
            "share-live",
        }
        assert names(conn, notifications.c.idempotency_key) == {
            *(f"{status}-{age}" for status in ("sent", "failed") for age in kept),
            "pending-ancient",
        }
        record = conn.execute(
            sa.select(audit_events).where(audit_events.c.action == AuditAction.RETENTION_APPLY)
        ).one()
        assert names(conn, audit_events.c.actor) == {*(f"audit-{age}" for age in AGES), "system"}
    assert record.outcome == "14"
    assert json.loads(record.detail)["batch_outputs"] == 1

    again = apply_retention(POLICY, now=NOW, principal=SYSTEM, uow=uow_factory())
    assert again.total == 0


def test_a_new_table_joins_the_policy_with_one_entry(
    engine: sa.Engine, uow_factory: SqlUnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notifications outbox (another change) arrives: one rule, and the job applies it."""
    outbox = sa.Table(
        "notifications_under_test",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    try:
        outbox.create(engine)
        rule = rules.TableRule(
            outbox.name, aged_by="updated_at", only_when=lambda t: t.c.status == "sent"
        )
        monkeypatch.setitem(rules.RULES, DataKind.NOTIFICATIONS, (rule,))  # type: ignore[arg-type]
        old = POLICY.cutoff(DataKind.NOTIFICATIONS, NOW) - SECOND
        with engine.begin() as conn:
            conn.execute(
                sa.insert(outbox),
                [{"status": "sent", "updated_at": old}, {"status": "pending", "updated_at": old}],
            )
        report = apply_retention(POLICY, now=NOW, principal=SYSTEM, uow=uow_factory())
        assert report.removed[DataKind.NOTIFICATIONS] == 1
        with engine.connect() as conn:
            assert names(conn, outbox.c.status) == {"pending"}
    finally:
        metadata.remove(outbox)


@pytest.mark.parametrize(
    "overrides", [{"batch_file": 3}, {"sessions": 0}], ids=["unknown kind", "zero days"]
)
def test_settings_that_make_no_sense_are_refused(overrides: dict[str, int]) -> None:
    with pytest.raises(RetentionSettingInvalid):
        RetentionPolicy.with_overrides(overrides)


def test_the_worker_applies_it_daily() -> None:
    schedule = RetentionSchedule(dt.timedelta(hours=24))

    def due(hours: float) -> bool:
        return schedule.due(NOW + dt.timedelta(hours=hours))

    assert [due(0), due(1), due(23.9), due(24), due(30), due(48)] == [
        True,
        False,
        False,
        True,
        False,
        True,
    ]
    assert not RetentionSchedule(None).due(NOW)


def test_the_command_reports_counts_per_kind(database_url: str, engine: sa.Engine) -> None:
    with engine.begin() as conn:
        add_session(conn, "long-gone", NOW - dt.timedelta(days=3650))
    env = {"OPENLRS_DATABASE_URL": database_url, "OPENLRS_RETENTION_DAYS": '{"sessions": 1}'}
    result = CliRunner().invoke(app, ["retention", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "batch_files": 0,
        "batch_outputs": 0,
        "sessions": 1,
        "activation_codes": 0,
        "held_registrations": 0,
        "notifications": 0,
        "logs": 0,
    }
    refused = CliRunner().invoke(
        app, ["retention"], env={**env, "OPENLRS_RETENTION_DAYS": '{"session": 1}'}
    )
    assert refused.exit_code == 2
