"""Apply the retention rules in the unit of work's transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Connection, Table, delete, inspect, select

from openlrs.domain.retention.policy import DataKind
from openlrs.store.accounts import tables as account_tables  # noqa: F401  (registers the tables)
from openlrs.store.learner_accounts import tables as learner_account_tables  # noqa: F401
from openlrs.store.notifications import tables as notification_tables  # noqa: F401
from openlrs.store.retention.rules import RULES, TableRule, conditions
from openlrs.store.tables import metadata


class SqlRetentionStore:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._present: set[str] | None = None

    def remove_expired(self, kind: DataKind, cutoff: dt.datetime) -> int | None:
        """Remove the rows of `kind` past `cutoff`; None when no table of that kind is held."""
        removed: int | None = None
        for rule in RULES.get(kind, ()):
            count = self._apply(rule, cutoff)
            if count is not None:
                removed = (removed or 0) + count
        return removed

    def _table(self, name: str) -> Table | None:
        if self._present is None:
            self._present = set(inspect(self._conn).get_table_names())
        return metadata.tables.get(name) if name in self._present else None

    def _apply(self, rule: TableRule, cutoff: dt.datetime) -> int | None:
        table = self._table(rule.table)
        if table is None:
            return None
        if rule.parent is not None:
            parent = self._table(rule.parent[0])
            if parent is None:
                return None
            expired = select(parent.c.id).where(conditions(rule, parent, cutoff))
            return self._delete(table, table.c[rule.parent[1]].in_(expired))
        for child_name, column in rule.children:
            child = self._table(child_name)
            if child is not None:
                expired = select(table.c.id).where(conditions(rule, table, cutoff))
                self._delete(child, child.c[column].in_(expired))
        return self._delete(table, conditions(rule, table, cutoff))

    def _delete(self, table: Table, where: ColumnElement[bool]) -> int:
        return self._conn.execute(delete(table).where(where)).rowcount
