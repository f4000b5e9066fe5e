"""Counter values for ULN issuing: the issuer row on SQLite, a sequence on PostgreSQL."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Connection, select, update

from openlrs.store import pg
from openlrs.store.tables import uln_issuer


class SqlUlnIssuer:
    # The key is written once by the first migration and never changes (decision 0002), so each
    # process reads it once per database.
    _keys: ClassVar[dict[str, bytes]] = {}

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def permutation_key(self) -> bytes:
        database = self._conn.engine.url.render_as_string(hide_password=True)
        key = self._keys.get(database)
        if key is None:
            stored = self._conn.execute(
                select(uln_issuer.c.permutation_key).where(uln_issuer.c.id == 1)
            ).scalar_one()
            key = self._keys[database] = bytes.fromhex(stored)
        return key

    def next_counter(self) -> int:
        stmt = (
            update(uln_issuer)
            .where(uln_issuer.c.id == 1)
            .values(counter=uln_issuer.c.counter + 1)
            .returning(uln_issuer.c.counter)
        )
        return int(self._conn.execute(stmt).scalar_one())


class PgUlnIssuer(SqlUlnIssuer):
    """Counters from a sequence: registrations never queue on the issuer row."""

    def next_counter(self) -> int:
        return int(
            pg.fetch(self._conn, "SELECT nextval('uln_counter_seq') AS counter", ())[0].counter
        )
