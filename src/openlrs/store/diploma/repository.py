"""Diploma accounts in SQL: the account row and its results (withdrawn ones kept), read and written
a few statements at a time however many accounts a call touches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from openlrs.domain.diploma.account import AccountStatus, DiplomaAccount
from openlrs.domain.diploma.diploma_rules import Component, DiplomaLevel
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.results import ComponentResult
from openlrs.store.diploma.tables import diploma_accounts as accounts
from openlrs.store.diploma.tables import diploma_results as results
from openlrs.store.tables import utcnow


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
        id=row.id,
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


class SqlDiplomaAccountRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, account: DiplomaAccount) -> DiplomaAccount:
        now = utcnow()
        values = {
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
        new_id = self._conn.execute(insert(accounts).values(values)).inserted_primary_key
        assert new_id is not None
        stored = self.get(int(new_id[0]))
        assert stored is not None
        return stored

    def get(self, account_id: int, *, for_update: bool = False) -> DiplomaAccount | None:
        return self.get_many([account_id], for_update=for_update).get(account_id)

    def get_many(
        self, account_ids: Collection[int], *, for_update: bool = False
    ) -> dict[int, DiplomaAccount]:
        """Two statements whatever the count: the account rows, then their live results."""
        ids = sorted(set(account_ids))
        if not ids:
            return {}
        stmt = select(accounts).where(accounts.c.id.in_(ids)).order_by(accounts.c.id)
        if for_update:
            stmt = stmt.with_for_update()  # SQLite ignores it; its single writer serialises
        rows = self._conn.execute(stmt).all()
        live: dict[int, dict[str, ComponentResult]] = {row.id: {} for row in rows}
        held = self._conn.execute(
            select(results)
            .where(results.c.account_id.in_(list(live)), results.c.withdrawn_at.is_(None))
            .order_by(results.c.account_id, results.c.reference)
        )
        for r in held:
            live[r.account_id][r.reference] = _result(r)
        return {row.id: _account(row, live[row.id]) for row in rows}

    def find(
        self, uln: str, line: str | None = None, level: str | None = None
    ) -> list[DiplomaAccount]:
        stmt = select(accounts.c.id).where(accounts.c.uln == uln)
        if line is not None:
            stmt = stmt.where(accounts.c.line == line)
        if level is not None:
            stmt = stmt.where(accounts.c.level == level)
        found = self.get_many(list(self._conn.scalars(stmt)))
        return [found[account_id] for account_id in sorted(found)]

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
        stmt = select(accounts.c.id).where(or_(*wanted)).order_by(accounts.c.id.desc()).limit(limit)
        found = self.get_many(list(self._conn.scalars(stmt)))
        return [found[account_id] for account_id in sorted(found, reverse=True)]

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
            .where(accounts.c.id == bindparam("account_id"))
            .values({name: bindparam(f"new_{name}") for name in _SAVED})
            .values(updated_at=utcnow())
        )
        params = [
            {"account_id": row["account_id"], **{f"new_{n}": row[n] for n in _SAVED}}
            for row in rows
        ]
        self._conn.execute(stmt, params)

    def put_result(self, account_id: int, result: ComponentResult) -> None:
        self.put_results([(account_id, result)])

    def put_results(self, held: Sequence[tuple[int, ComponentResult]]) -> None:
        if not held:
            return
        now = utcnow()
        dialect: Any = postgresql if self._conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(results)
        replaced = {name: stmt.excluded[name] for name in _RESULT_FIELDS}
        stmt = stmt.on_conflict_do_update(
            index_elements=[results.c.account_id, results.c.reference],
            set_={**replaced, "withdrawn_at": None, "updated_at": now},
        )
        rows = [
            {
                "account_id": account_id,
                "withdrawn_at": None,
                "created_at": now,
                "updated_at": now,
                **_result_values(result),
            }
            for account_id, result in held
        ]
        self._conn.execute(stmt, rows)

    def withdraw_result(self, account_id: int, reference: str, when: dt.datetime) -> bool:
        done = self._conn.execute(
            update(results)
            .where(
                results.c.account_id == account_id,
                results.c.reference == reference,
                results.c.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=when, updated_at=when)
        )
        return done.rowcount == 1
