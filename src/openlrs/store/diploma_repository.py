"""Diploma accounts in SQL: the account row, its results (withdrawn ones kept), PLR awards queued."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from openlrs.domain.aggregation.account import AccountStatus, DiplomaAccount, DiplomaAward
from openlrs.domain.aggregation.diploma_rules import Component, DiplomaLevel
from openlrs.domain.aggregation.evaluation import DiplomaEvaluation
from openlrs.domain.aggregation.results import ComponentResult
from openlrs.store.tables import utcnow
from openlrs.store.tables_diploma import diploma_accounts as accounts
from openlrs.store.tables_diploma import diploma_plr_awards as awards
from openlrs.store.tables_diploma import diploma_results as results


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
        stmt = select(accounts).where(accounts.c.id == account_id)
        if for_update:
            stmt = stmt.with_for_update()  # SQLite ignores it; its single writer serialises
        row = self._conn.execute(stmt).first()
        if row is None:
            return None
        live = self._conn.execute(
            select(results)
            .where(results.c.account_id == account_id, results.c.withdrawn_at.is_(None))
            .order_by(results.c.reference)
        )
        return _account(row, {r.reference: _result(r) for r in live})

    def find(
        self, uln: str, line: str | None = None, level: str | None = None
    ) -> list[DiplomaAccount]:
        stmt = select(accounts.c.id).where(accounts.c.uln == uln).order_by(accounts.c.id)
        if line is not None:
            stmt = stmt.where(accounts.c.line == line)
        if level is not None:
            stmt = stmt.where(accounts.c.level == level)
        found = [self.get(account_id) for account_id in self._conn.scalars(stmt)]
        return [a for a in found if a is not None]

    def save(self, account: DiplomaAccount, evaluation: DiplomaEvaluation) -> None:
        assert account.id is not None
        self._conn.execute(
            update(accounts)
            .where(accounts.c.id == account.id)
            .values(
                **_account_values(account),
                complete=evaluation.complete,
                achievable=evaluation.achievable,
                trial_grade=evaluation.trial_grade,
                points=evaluation.points,
                missing=[r.name for r in evaluation.missing],
                updated_at=utcnow(),
            )
        )

    def put_result(self, account_id: int, result: ComponentResult) -> None:
        now = utcnow()
        dialect: Any = postgresql if self._conn.dialect.name == "postgresql" else sqlite
        values = _result_values(result)
        stmt = dialect.insert(results).values(
            account_id=account_id, withdrawn_at=None, created_at=now, updated_at=now, **values
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[results.c.account_id, results.c.reference],
            set_={**values, "withdrawn_at": None, "updated_at": now},
        )
        self._conn.execute(stmt)

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


class SqlPlrAwardQueue:
    """Awards waiting to become PLR learning events (issue 9 drains `diploma_plr_awards`)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, award: DiplomaAward) -> None:
        now = utcnow()
        self._conn.execute(
            insert(awards).values(
                account_id=award.account_id,
                uln=award.uln,
                title=award.title,
                grade=award.grade,
                awarding_body_ukprn=award.awarding_body_ukprn,
                awarded_on=award.awarded_on,
                recorded_on_plr=False,
                created_at=now,
                updated_at=now,
            )
        )
