"""Name frequencies for term-frequency adjustment, read from `name_frequencies` and cached.

The table is refreshed in bulk (`match_keys.refresh_name_frequencies`); between refreshes a name
not in it counts as held by one learner (new names are rare names), and full names are listed only
when shared. Each process keeps what it has read for a few minutes: frequencies move slowly, and
a search then costs no round trip for them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from typing import ClassVar

from sqlalchemy import Connection, select, tuple_

from openlrs.store.tables import name_frequencies

TTL_SECONDS = 300.0
_MAX_ENTRIES = 50_000  # ~15 MB a process; emptied when full, refilled from use
_FIELDS = frozenset({"given_name", "family_name", "full_name"})
TOTAL = ("*", "*")


NameCounts = Callable[[list[tuple[str, str]]], dict[tuple[str, str], int]]
"""Reads the stored counts of some names (absent names left out): the learner repository's."""


def read_name_counts(conn: Connection, names: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The stored counts of these names (absent names are left out), in one round trip."""
    pair = tuple_(name_frequencies.c.field, name_frequencies.c.key)
    held_by = name_frequencies.c.count.label("held_by")  # `count` is a tuple method
    stmt = select(name_frequencies.c.field, name_frequencies.c.key, held_by)
    rows = conn.execute(stmt.where(pair.in_(names)))
    return {(row.field, row.key): row.held_by for row in rows}


class NameFrequencies:
    """One database's name counts, shared by every connection of this process."""

    _by_database: ClassVar[dict[str, NameFrequencies]] = {}
    _guard: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], tuple[int | None, float]] = {}

    @classmethod
    def of(cls, conn: Connection) -> NameFrequencies:
        database = conn.engine.url.render_as_string(hide_password=True)
        with cls._guard:
            found = cls._by_database.get(database)
            if found is None:
                found = cls._by_database[database] = cls()
        return found

    @classmethod
    def forget(cls) -> None:
        """Drop every cached count (after a refresh in this process, and in tests)."""
        with cls._guard:
            cls._by_database.clear()

    def _counts_of(
        self, names: Collection[tuple[str, str]], read: NameCounts
    ) -> dict[tuple[str, str], int | None]:
        """Counts for every name, from the cache or else from one query for all the rest."""
        now = time.monotonic()
        found: dict[tuple[str, str], int | None] = {}
        missing = []
        for name in names:
            cached = self._counts.get(name)
            if cached is not None and now - cached[1] < TTL_SECONDS:
                found[name] = cached[0]
            else:
                missing.append(name)
        if missing:
            counted = read(missing)
            if len(self._counts) > _MAX_ENTRIES:
                self._counts.clear()
            for name in missing:
                found[name] = counted.get(name)
                self._counts[name] = (found[name], now)
        return found

    def shares(
        self, names: Collection[tuple[str, str]], read: NameCounts
    ) -> dict[tuple[str, str], float | None]:
        """Each name's share of the register, counts not cached read by `read`; None for every
        name when none have been counted."""
        wanted = [name for name in names if name[0] in _FIELDS]
        counts = self._counts_of([TOTAL, *wanted], read)
        total = counts[TOTAL]
        if not total:
            return {name: None for name in names}
        return {name: (counts[name] or 1) / total if name in counts else None for name in names}
