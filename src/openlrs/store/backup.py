"""Back up and restore a whole register: pg_dump/pg_restore on PostgreSQL, SQLite's online backup
API on SQLite. `fingerprints` gives per-table row counts and checksums to prove a restore whole.

A backup is taken while the service runs (pg_dump reads one consistent snapshot; the SQLite
backup API copies a consistent database). A restore goes into an empty database unless told to
replace what is there.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, Table, Text, cast, inspect, select, text
from sqlalchemy.engine import URL, make_url

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore could not be done; the message says why (never any row data)."""


def backup(url: str | URL, file: Path) -> None:
    """Write a backup of the database at `url` to `file` (replacing it), then check it reads."""
    parsed = make_url(url)
    file.parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        file.unlink(missing_ok=True)
        with closing(_sqlite(parsed)) as source, closing(sqlite3.connect(file)) as target:
            source.backup(target)
        with closing(sqlite3.connect(file)) as check:
            if check.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError(f"the backup in {file} failed its integrity check")
        return
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(file)], parsed)
    _run(["pg_restore", "--list", str(file)], None)


def restore(url: str | URL, file: Path, *, replace: bool = False) -> None:
    """Restore `file` into the database at `url`, which must be empty unless `replace`."""
    parsed = make_url(url)
    magic = file.read_bytes()[:16] if file.exists() else b""
    sqlite = parsed.get_backend_name() == "sqlite"
    if not magic.startswith(SQLITE_MAGIC if sqlite else PG_MAGIC):
        kind = "an SQLite" if sqlite else "a pg_dump custom-format"
        raise BackupError(f"{file} is not {kind} backup")
    if not replace and _has_tables(parsed):
        raise BackupError("the target database is not empty: restore into a new one or replace")
    if sqlite:
        with closing(sqlite3.connect(file)) as source, closing(_sqlite(parsed)) as target:
            source.backup(target)
        return
    command = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, str(file)], parsed)


def fingerprints(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and md5 of the ordered rows of every table; on PostgreSQL also the sequences."""
    result: dict[str, tuple[int, str]] = {}
    metadata = MetaData()
    with engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            table = Table(name, metadata, autoload_with=conn)
            digest, count = hashlib.md5(usedforsecurity=False), 0
            order: list[Any] = list(table.primary_key.columns) or [
                cast(c, Text) for c in table.columns
            ]
            for row in conn.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
                count += 1
            result[name] = (count, digest.hexdigest())
        if conn.dialect.name == "postgresql":
            for (seq,) in conn.execute(text("SELECT sequencename FROM pg_sequences ORDER BY 1")):
                value = conn.execute(text(f'SELECT last_value, is_called FROM "{seq}"')).one()
                result[f"sequence {seq}"] = (int(value[0]), str(value[1]))
    return result


def _has_tables(url: URL) -> bool:
    if url.get_backend_name() == "sqlite":
        if not url.database or not Path(url.database).exists():
            return False
        with closing(_sqlite(url)) as conn:
            return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    import psycopg

    with psycopg.connect(_conninfo(url), password=url.password) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    return bool(row and row[0])


def _sqlite(url: URL) -> sqlite3.Connection:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return sqlite3.connect(url.database)


def _conninfo(url: URL) -> str:
    """A libpq connection string without the password (which goes in PGPASSWORD, never argv)."""
    params = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    return " ".join(f"{k}={v}" for k, v in params.items() if v)


def _run(command: list[str], url: URL | None) -> None:
    env = dict(os.environ)
    if url is not None:
        command = [*command[:1], f"--dbname={_conninfo(url)}", *command[1:]]
        if url.password:
            env["PGPASSWORD"] = url.password
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools)") from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")
