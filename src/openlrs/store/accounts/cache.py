"""A process-wide cache of accounts for the per-request standing check, kept true by PostgreSQL
LISTEN/NOTIFY: any change to an account or organisation notifies every process, which empties
its cache. While the listener is not connected the cache is off (every check reads the database).

Used only by autocommit reads (the standing check); transactional reads always go to the database.
See docs/decisions/0017-hot-path-as-plain-code.md.

The listener holds a connection of its own (not one of the engine's pool) for as long as it runs:
LISTEN is session state, and the pooled connections keep nothing across transactions. It connects
to `OPENLRS_DATABASE_LISTEN_URL` when set, else the database URL: behind a transaction-mode pool
(where LISTEN hears nothing) set it to reach PostgreSQL directly or through a session-mode pool.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from openlrs.domain.accounts.organisations import Account

CHANNEL = "openlrs_accounts"
log = logging.getLogger("openlrs.store")


class AccountCache:
    def __init__(self, conninfo: str) -> None:
        self.conninfo = conninfo
        self._entries: dict[tuple[str, str], Account] = {}
        self._generation = 0
        self._live = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def generation(self) -> int:
        """Read before a database look-up and hand to `put`, so a stale read is never cached."""
        self._ensure_listener()
        return self._generation

    def get(self, kind: str, login: str) -> Account | None:
        return self._entries.get((kind, login)) if self._live else None

    def put(self, account: Account, generation: int) -> None:
        with self._lock:
            if self._live and generation == self._generation:
                self._entries[(account.kind, account.login)] = account

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def close(self) -> None:
        """Stop listening (within a few seconds) and stop caching."""
        self._stopped.set()
        self._set_live(False)

    def _ensure_listener(self) -> None:
        if self._thread is None and not self._stopped.is_set():
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._listen_forever, name="openlrs-account-cache", daemon=True
                    )
                    self._thread.start()

    def _listen_forever(self) -> None:
        import psycopg

        backoff = 0.5
        while not self._stopped.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._set_live(not self._stopped.is_set())
                    backoff = 0.5
                    while not self._stopped.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            self.invalidate()
                        conn.execute("SELECT 1")  # notices a dead connection
            except Exception as exc:  # any failure: stop trusting the cache, then reconnect
                self._set_live(False)
                if not self._stopped.is_set():
                    log.warning("account cache listener reconnecting: %s", type(exc).__name__)
                self._stopped.wait(backoff)
                backoff = min(backoff * 2, 10.0)
        self._set_live(False)

    def _set_live(self, live: bool) -> None:
        with self._lock:
            self._live = live
            self._generation += 1
            self._entries.clear()


def notify_accounts_changed(conn: Any) -> None:
    """Tell every process (on commit) that accounts or organisations changed."""
    conn.exec_driver_sql(f"NOTIFY {CHANNEL}")
