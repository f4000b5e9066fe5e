"""Organisations, users and API clients in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Row, Table, bindparam, func, insert, select, update

from openlrs.domain.accounts.organisations import (
    Account,
    Organisation,
    OrgStatus,
    OrgType,
    Role,
    format_roles,
    parse_roles,
)
from openlrs.store.accounts.cache import AccountCache
from openlrs.store.tables import (
    api_clients,
    organisations,
    users,
    utcnow,
    web_service_accounts,
)

_KINDS: dict[str, tuple[Table, str, str]] = {
    "user": (users, "username", "password_hash"),
    "client": (api_clients, "client_id", "secret_hash"),
    "webservice": (web_service_accounts, "login", "secret_hash"),
}


def _account_select(kind: str) -> Any:
    table, login, secret = _KINDS[kind]
    return (
        select(
            table.c[login].label("login"),
            table.c[secret].label("secret_hash"),
            table.c.roles,
            table.c.revoked_at,
            organisations.c.ukprn,
            organisations.c.status.label("organisation_status"),
            organisations.c.org_type.label("organisation_type"),
        )
        .join(organisations, organisations.c.id == table.c.organisation_id)
        .order_by(table.c.id)
    )


# Built once, so the per-request standing check reuses one compiled statement.
_SELECTS = {kind: _account_select(kind) for kind in _KINDS}
_GETS = {
    kind: _SELECTS[kind].where(table.c[login] == bindparam("login"))
    for kind, (table, login, _) in _KINDS.items()
}


def _organisation(row: Row[Any]) -> Organisation:
    return Organisation(
        ukprn=row.ukprn,
        name=row.name,
        org_type=OrgType(row.org_type),
        status=OrgStatus(row.status),
        id=row.id,
        dfe_number=row.dfe_number,
    )


class SqlOrganisationRepository:
    def __init__(self, conn: Connection, on_change: Callable[[], None] = lambda: None) -> None:
        self._conn = conn
        self._on_change = on_change

    def get(self, ukprn: str) -> Organisation | None:
        row = self._conn.execute(
            select(organisations).where(organisations.c.ukprn == ukprn)
        ).one_or_none()
        return None if row is None else _organisation(row)

    def add(self, organisation: Organisation) -> Organisation:
        now = utcnow()
        new_id = self._conn.execute(
            insert(organisations)
            .values(
                ukprn=organisation.ukprn,
                name=organisation.name,
                org_type=organisation.org_type.value,
                status=organisation.status.value,
                dfe_number=organisation.dfe_number,
                created_at=now,
                updated_at=now,
            )
            .returning(organisations.c.id)
        ).scalar_one()
        return Organisation(
            organisation.ukprn,
            organisation.name,
            organisation.org_type,
            organisation.status,
            new_id,
            organisation.dfe_number,
        )

    def set_status(self, ukprn: str, status: OrgStatus) -> None:
        self._conn.execute(
            update(organisations)
            .where(organisations.c.ukprn == ukprn)
            .values(status=status.value, updated_at=utcnow())
        )
        self._on_change()

    def set_dfe_number(self, ukprn: str, dfe_number: str | None) -> None:
        self._conn.execute(
            update(organisations)
            .where(organisations.c.ukprn == ukprn)
            .values(dfe_number=dfe_number, updated_at=utcnow())
        )

    def count_active(self, org_type: OrgType) -> int:
        found = self._conn.execute(
            select(func.count())
            .select_from(organisations)
            .where(
                organisations.c.org_type == org_type.value,
                organisations.c.status == OrgStatus.ACTIVE.value,
            )
        ).scalar_one()
        return int(found)

    def list(self, *, after: str | None, limit: int) -> list[Organisation]:
        stmt = select(organisations).order_by(organisations.c.ukprn).limit(limit)
        if after:
            stmt = stmt.where(organisations.c.ukprn > after)
        return [_organisation(r) for r in self._conn.execute(stmt)]


class SqlAccountRepository:
    """Accounts, read through the per-process cache when there is one. `connection` is called
    only when the database is needed, so a cache hit checks no connection out of the pool.
    `PgAccountRepository` (accounts/pg.py) reads an account in raw SQL on PostgreSQL."""

    def __init__(
        self,
        connection: Callable[[], Connection],
        cache: AccountCache | None = None,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self._connection = connection
        self._cache = cache
        self._on_change = on_change

    @property
    def _conn(self) -> Connection:
        return self._connection()

    @staticmethod
    def _account(kind: str, row: Row[Any]) -> Account:
        return Account(
            kind=kind,
            login=row.login,
            ukprn=row.ukprn,
            roles=parse_roles(row.roles),
            revoked_at=row.revoked_at,
            secret_hash=row.secret_hash,
            organisation_status=OrgStatus(row.organisation_status),
            organisation_type=OrgType(row.organisation_type),
        )

    def get(self, kind: str, login: str) -> Account | None:
        if self._cache is None:
            return self._read(kind, login)
        cached = self._cache.get(kind, login)
        if cached is not None:
            return cached
        generation = self._cache.generation()
        account = self._read(kind, login)
        if account is not None:
            self._cache.put(account, generation)
        return account

    def _read(self, kind: str, login: str) -> Account | None:
        """The account from the database: the standing check when the cache cannot answer."""
        row = self._conn.execute(_GETS[kind], {"login": login}).one_or_none()
        return None if row is None else self._account(kind, row)

    def add(self, account: Account) -> None:
        table, login, secret = _KINDS[account.kind]
        org_id = select(organisations.c.id).where(organisations.c.ukprn == account.ukprn)
        now = utcnow()
        self._conn.execute(
            insert(table).values(
                {
                    login: account.login,
                    secret: account.secret_hash,
                    "roles": format_roles(set(account.roles)),
                    "organisation_id": org_id.scalar_subquery(),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        )

    def revoke(self, kind: str, login: str, when: dt.datetime) -> None:
        table, column, _ = _KINDS[kind]
        self._conn.execute(
            update(table)
            .where(table.c[column] == login, table.c.revoked_at.is_(None))
            .values(revoked_at=when, updated_at=when)
        )
        self._on_change()

    def update(
        self,
        kind: str,
        login: str,
        *,
        roles: frozenset[Role] | None = None,
        secret_hash: str | None = None,
        reinstate: bool = False,
    ) -> None:
        """Change an account's roles or secret, or reinstate it after a revocation."""
        table, column, secret = _KINDS[kind]
        values: dict[str, Any] = {"updated_at": utcnow()}
        if roles is not None:
            values["roles"] = format_roles(set(roles))
        if secret_hash is not None:
            values[secret] = secret_hash
        if reinstate:
            values["revoked_at"] = None
        self._conn.execute(update(table).where(table.c[column] == login).values(values))
        self._on_change()

    def list(self, kind: str, ukprn: str) -> list[Account]:
        rows = self._conn.execute(_SELECTS[kind].where(organisations.c.ukprn == ukprn))
        return [self._account(kind, r) for r in rows]
