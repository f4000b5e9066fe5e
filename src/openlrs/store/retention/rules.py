"""Where each kind of data lives: one entry per table whose rows a retention period governs.

Data-driven on purpose: a new table under the policy is one more `TableRule` here. A rule whose
table is not in this deployment's schema (not defined, or not migrated yet) is skipped and its
kind reported as not held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, and_

from openlrs.domain.batches.job import JobStatus
from openlrs.domain.notifications.messages import NotificationStatus
from openlrs.domain.retention.policy import DataKind

FINISHED_JOBS = (JobStatus.COMPLETED.value, JobStatus.FAILED.value)

Condition = Callable[[Table], ColumnElement[bool]]


@dataclass(frozen=True)
class TableRule:
    """Rows of `table` are removed once `aged_by` (a column of `table`, or of `parent` when
    given) is older than the kind's period and `only_when` holds of that row."""

    table: str
    aged_by: str
    only_when: Condition | None = None
    parent: tuple[str, str] | None = None
    """(table whose row's age counts, column of `table` holding that row's `id`)"""
    children: tuple[tuple[str, str], ...] = ()
    """(table, column holding our `id`): rows removed first, with the rows they belong to"""


RULES: Mapping[DataKind, tuple[TableRule, ...]] = {
    DataKind.BATCH_FILES: (
        TableRule(
            "batch_files",
            aged_by="updated_at",
            parent=("batch_jobs", "job_id"),
            only_when=lambda jobs: jobs.c.status.in_(FINISHED_JOBS),
        ),
    ),
    DataKind.BATCH_OUTPUTS: (
        TableRule(
            "batch_jobs",
            aged_by="updated_at",
            only_when=lambda jobs: jobs.c.status.in_(FINISHED_JOBS),
            children=(("batch_rows", "job_id"), ("batch_files", "job_id")),
        ),
    ),
    DataKind.SESSIONS: (TableRule("portal_sessions", aged_by="expires_at"),),
    # Codes learners are given (activation, migration 0015) and give (share codes): once they
    # expired, were used or were revoked, they open nothing; the period runs from that moment.
    DataKind.ACTIVATION_CODES: (
        TableRule("learner_activation_codes", aged_by="expires_at"),
        TableRule("learner_activation_codes", aged_by="used_at"),
        TableRule("learner_share_codes", aged_by="expires_at"),
        TableRule("learner_share_codes", aged_by="revoked_at"),
    ),
    DataKind.HELD_REGISTRATIONS: (
        TableRule(
            "held_registrations",
            aged_by="updated_at",
            only_when=lambda held: held.c.status != "open",
        ),
    ),
    # The outbox (migration 0019): a message sent, or given up on, is aged from its last change;
    # one still pending (being retried) stays, however old.
    DataKind.NOTIFICATIONS: (
        TableRule(
            "notifications",
            aged_by="updated_at",
            only_when=lambda sent: sent.c.status.in_(
                (NotificationStatus.SENT.value, NotificationStatus.FAILED.value)
            ),
        ),
    ),
    # Failed sign-ins; a lockout lasts minutes after the last failure, so it is long over.
    DataKind.LOGS: (TableRule("portal_sign_in_failures", aged_by="updated_at"),),
}


def conditions(rule: TableRule, aged: Table, cutoff: dt.datetime) -> ColumnElement[bool]:
    """The rows of `aged` (the rule's table or its parent) past the cutoff."""
    clauses = [aged.c[rule.aged_by] < cutoff]
    if rule.only_when is not None:
        clauses.append(rule.only_when(aged))
    return and_(*clauses)
