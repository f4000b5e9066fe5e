"""Name frequencies for term-frequency adjustment, read from `name_frequencies` and cached.

The table is refreshed in bulk (`match_keys.refresh_name_frequencies`); between refreshes a name
not in it counts as held by one learner (new names are rare names), and full names are listed only
when shared. Each process keeps what it has read for a few minutes: frequencies move slowly, and
a search then costs no round trip for them.
"""

from __future__ import annotations

import threading
import time
from typing import ClassVar

from sqlalchemy import Connection, select

from openlrs.store.tables import name_frequencies

TTL_SECONDS = 300.0
_MAX_ENTRIES = 200_000
_FIELDS = frozenset({"given_name", "family_name", "full_name"})


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

    def _count(self, conn: Connection, field: str, key: str) -> int | None:
        now = time.monotonic()
        cached = self._counts.get((field, key))
        if cached is not None and now - cached[1] < TTL_SECONDS:
            return cached[0]
        count = conn.execute(
            select(name_frequencies.c.count).where(
                name_frequencies.c.field == field, name_frequencies.c.key == key
            )
        ).scalar_one_or_none()
        if len(self._counts) > _MAX_ENTRIES:
            self._counts.clear()
        self._counts[(field, key)] = (count, now)
        return count

    def share(self, conn: Connection, field: str, key: str) -> float | None:
        """The share of learners with this name; None when no frequencies have been counted."""
        if field not in _FIELDS:
            return None
        total = self._count(conn, "*", "*")
        if not total:
            return None
        return (self._count(conn, field, key) or 1) / total
