"""The account repository on PostgreSQL: the standing check (an account by login) in raw SQL."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Account, OrgStatus, OrgType, parse_roles
from openlrs.store import pg
from openlrs.store.accounts.repository import SqlAccountRepository

ACCOUNT_BY_LOGIN = {
    kind: (
        f"SELECT a.{login} AS login, a.{secret} AS secret_hash, a.roles, a.revoked_at, o.ukprn,"
        f" o.status AS organisation_status, o.org_type AS organisation_type"
        f" FROM {table} a JOIN organisations o ON o.id = a.organisation_id WHERE a.{login} = %s"
    )
    for kind, table, login, secret in (
        ("user", "users", "username", "password_hash"),
        ("client", "api_clients", "client_id", "secret_hash"),
        ("webservice", "web_service_accounts", "login", "secret_hash"),
    )
}


class PgAccountRepository(SqlAccountRepository):
    def _read(self, kind: str, login: str) -> Account | None:
        found = pg.fetch(self._conn, ACCOUNT_BY_LOGIN[kind], (login,))
        if not found:
            return None
        row = found[0]
        return Account(
            kind=kind,
            login=row.login,
            ukprn=row.ukprn,
            roles=parse_roles(row.roles),
            revoked_at=pg.utc(row.revoked_at),
            secret_hash=row.secret_hash,
            organisation_status=OrgStatus(row.organisation_status),
            organisation_type=OrgType(row.organisation_type),
        )
