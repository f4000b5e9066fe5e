"""Diploma accounts in SQL: the account row and its results (withdrawn ones kept), read and written
a few statements at a time however many accounts a call touches.

An account is known outside by its `public_id`, a random reference that cannot be counted through
(issue 21); the integer `id` stays inside the store (the results' foreign key, the lock order)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, insert, or_, select, update

from openlrs.domain.diploma.account import AccountStatus, DiplomaAccount
from openlrs.domain.diploma.diploma_rules import Component, DiplomaLevel
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.results import ComponentResult
from openlrs.store.diploma.tables import diploma_accounts as accounts
from openlrs.store.diploma.tables import diploma_results as results
from openlrs.store.tables import utcnow
from openlrs.store.upserts import upsert_insert


def _result(row: Row[Any]) -> ComponentResult:
    return ComponentResult(
        reference=row.reference,
        awarding_body=row.awarding_body_ukprn,
        component=Component(row.component),
        qualification=row.qualification,
        title=row.title,
        level=row.level,
        grade=row.grade,
        achieved_on=row.achieved_on,
        points=row.points,
        subject=row.subject,
        glh=row.glh,
        barring_code=row.barring_code,
    )


def _account(row: Row[Any], live: dict[str, ComponentResult]) -> DiplomaAccount:
    return DiplomaAccount(
        uln=row.uln,
        line=row.line,
        level=DiplomaLevel(row.level),
        centre_ukprn=row.centre_ukprn,
        awarding_body_ukprn=row.awarding_body_ukprn,
        status=AccountStatus(row.status),
        work_experience_days=row.work_experience_days,
        plts=frozenset(row.plts),
        results=live,
        final_grade=row.final_grade,
        claimed_at=row.claimed_at,
        awarded_at=row.awarded_at,
        awarded_by=row.awarded_by,
        id=row.public_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _account_values(account: DiplomaAccount) -> dict[str, Any]:
    return {
        "status": account.status.value,
        "work_experience_days": account.work_experience_days,
        "plts": sorted(account.plts),
        "final_grade": account.final_grade,
        "claimed_at": account.claimed_at,
        "awarded_at": account.awarded_at,
        "awarded_by": account.awarded_by,
    }


_SAVED = (
    "status",
    "work_experience_days",
    "plts",
    "final_grade",
    "claimed_at",
    "awarded_at",
    "awarded_by",
    "complete",
    "achievable",
    "trial_grade",
    "points",
    "missing",
)
"""The account's columns `save` writes: its own fields and the summary of its evaluation."""


def _saved_values(account: DiplomaAccount, evaluation: DiplomaEvaluation) -> dict[str, Any]:
    return {
        **_account_values(account),
        "complete": evaluation.complete,
        "achievable": evaluation.achievable,
        "trial_grade": evaluation.trial_grade,
        "points": evaluation.points,
        "missing": [r.name for r in evaluation.missing],
    }


def _result_values(result: ComponentResult) -> dict[str, Any]:
    return {
        "reference": result.reference,
        "awarding_body_ukprn": result.awarding_body,
        "component": result.component.value,
        "qualification": result.qualification,
        "title": result.title,
        "level": result.level,
        "grade": result.grade,
        "points": result.points,
        "subject": result.subject,
        "glh": result.glh,
        "barring_code": result.barring_code,
        "achieved_on": result.achieved_on,
    }


_RESULT_FIELDS = (
    "awarding_body_ukprn",
    "component",
    "qualification",
    "title",
    "level",
    "grade",
    "points",
    "subject",
    "glh",
    "barring_code",
    "achieved_on",
)
"""The columns a result sent again replaces (its account and reference stay)."""


def new_reference() -> str:
    """An account's public reference: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


class SqlDiplomaAccountRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, account: DiplomaAccount) -> DiplomaAccount:
        now = utcnow()
        reference = new_reference()
        values = {
            "public_id": reference,
            "uln": account.uln,
            "line": account.line,
            "level": account.level.value,
            "centre_ukprn": account.centre_ukprn,
            "awarding_body_ukprn": account.awarding_body_ukprn,
            **_account_values(account),
            "complete": False,
            "achievable": True,
            "missing": [],
            "created_at": now,
            "updated_at": now,
        }
        self._conn.execute(insert(accounts).values(values))
        stored = self.get(reference)
        assert stored is not None
        return stored

    def get(self, account_id: str, *, for_update: bool = False) -> DiplomaAccount | None:
        return self.get_many([account_id], for_update=for_update).get(account_id)

    def get_many(
        self, account_ids: Collection[str], *, for_update: bool = False
    ) -> dict[str, DiplomaAccount]:
        """Two statements whatever the count: the account rows, then their live results."""
        wanted = sorted(set(account_ids))
        if not wanted:
            return {}
        found = self._load(accounts.c.public_id.in_(wanted), for_update=for_update)
        return {account.id: account for account in found if account.id is not None}

    def _load(
        self, where: Any, *, for_update: bool = False, newest_first: bool = False, limit: int = 0
    ) -> list[DiplomaAccount]:
        """The accounts `where` selects, in (internal) id order, each with its live results."""
        order = accounts.c.id.desc() if newest_first else accounts.c.id
        stmt = select(accounts).where(where).order_by(order)
        if limit:
            stmt = stmt.limit(limit)
        if for_update:
            stmt = stmt.with_for_update()  # SQLite ignores it; its single writer serialises
        rows = self._conn.execute(stmt).all()
        if not rows:
            return []
        live: dict[int, dict[str, ComponentResult]] = {row.id: {} for row in rows}
        held = self._conn.execute(
            select(results)
            .where(results.c.account_id.in_(list(live)), results.c.withdrawn_at.is_(None))
            .order_by(results.c.account_id, results.c.reference)
        )
        for r in held:
            live[r.account_id][r.reference] = _result(r)
        return [_account(row, live[row.id]) for row in rows]

    def find(
        self, uln: str, line: str | None = None, level: str | None = None
    ) -> list[DiplomaAccount]:
        where = [accounts.c.uln == uln]
        if line is not None:
            where.append(accounts.c.line == line)
        if level is not None:
            where.append(accounts.c.level == level)
        return self._load(and_(*where))

    def for_organisation(
        self, ukprn: str, *, as_centre: bool, as_awarding_body: bool, limit: int
    ) -> list[DiplomaAccount]:
        wanted = []
        if as_centre:
            wanted.append(accounts.c.centre_ukprn == ukprn)
        if as_awarding_body:
            holds = select(results.c.account_id).where(
                results.c.awarding_body_ukprn == ukprn, results.c.withdrawn_at.is_(None)
            )
            wanted += [accounts.c.awarding_body_ukprn == ukprn, accounts.c.id.in_(holds)]
        if not wanted:
            return []
        return self._load(or_(*wanted), newest_first=True, limit=limit)

    def save(self, account: DiplomaAccount, evaluation: DiplomaEvaluation) -> None:
        self.save_many([(account, evaluation)])

    def save_many(self, saved: Sequence[tuple[DiplomaAccount, DiplomaEvaluation]]) -> None:
        if not saved:
            return
        rows = [
            {"account_id": account.id, **_saved_values(account, evaluation)}
            for account, evaluation in saved
        ]
        assert all(row["account_id"] is not None for row in rows)
        stmt = (
            update(accounts)
            .where(accounts.c.public_id == bindparam("account_id"))
            .values({name: bindparam(f"new_{name}") for name in _SAVED})
            .values(updated_at=utcnow())
        )
        params = [
            {"account_id": row["account_id"], **{f"new_{n}": row[n] for n in _SAVED}}
            for row in rows
        ]
        self._conn.execute(stmt, params)

    def put_result(self, account_id: str, result: ComponentResult) -> None:
        self.put_results([(account_id, result)])

    def _internal_ids(self, references: Collection[str]) -> dict[str, int]:
        stmt = select(accounts.c.public_id, accounts.c.id).where(
            accounts.c.public_id.in_(sorted(set(references)))
        )
        return {row.public_id: row.id for row in self._conn.execute(stmt)}

    def put_results(self, held: Sequence[tuple[str, ComponentResult]]) -> None:
        if not held:
            return
        internal = self._internal_ids([account_id for account_id, _ in held])
        now = utcnow()
        stmt = upsert_insert(self._conn, results)
        replaced = {name: stmt.excluded[name] for name in _RESULT_FIELDS}
        stmt = stmt.on_conflict_do_update(
            index_elements=[results.c.account_id, results.c.reference],
            set_={**replaced, "withdrawn_at": None, "updated_at": now},
        )
        rows = [
            {
                "account_id": internal[account_id],
                "withdrawn_at": None,
                "created_at": now,
                "updated_at": now,
                **_result_values(result),
            }
            for account_id, result in held
        ]
        self._conn.execute(stmt, rows)

    def withdraw_result(self, account_id: str, reference: str, when: dt.datetime) -> bool:
        internal = select(accounts.c.id).where(accounts.c.public_id == account_id)
        done = self._conn.execute(
            update(results)
            .where(
                results.c.account_id == internal.scalar_subquery(),
                results.c.reference == reference,
                results.c.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=when, updated_at=when)
        )
        return done.rowcount == 1
