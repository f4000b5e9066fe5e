"""What a format reader yields: one record of raw cell values, before any field rule is applied."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from openlrs.batch.columns import COLUMNS, REQUIRED_COLUMNS, BatchKind
from openlrs.batch.file_errors import (
    BatchColumnDuplicated,
    BatchColumnMissing,
    BatchColumnUnknown,
    BatchEmpty,
    BatchTooManyRows,
)
from openlrs.domain.errors import FieldError

ROW_WRONG_LENGTH = "ROW_WRONG_LENGTH"
_SAFE_NAME = re.compile(r"[a-z0-9_]{1,40}")


@dataclass(frozen=True)
class RawRecord:
    """Row `number` (1 = the first learner) with its cells by column name, and any shape problem."""

    number: int
    values: dict[str, str]
    problems: tuple[FieldError, ...] = field(default=())


def describe(names: Iterable[str]) -> str:
    """Column names for a message; anything that does not look like a name is not repeated."""
    return ", ".join(n if _SAFE_NAME.fullmatch(n) else "(unreadable name)" for n in names)


def check_columns(kind: BatchKind, names: list[str]) -> None:
    """Refuse a header with unknown, duplicated or missing columns (order does not matter)."""
    known = set(COLUMNS[kind])
    unknown = [n for n in names if n not in known]
    if unknown:
        raise BatchColumnUnknown(f"Columns not in a {kind} batch: {describe(unknown)}")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise BatchColumnDuplicated(f"Columns named more than once: {describe(duplicated)}")
    missing = sorted(REQUIRED_COLUMNS[kind] - set(names))
    if missing:
        raise BatchColumnMissing(f"Required columns missing: {', '.join(missing)}")


def limit_rows(records: Iterable[RawRecord], max_rows: int) -> Iterator[RawRecord]:
    """Pass records through; BatchTooManyRows past `max_rows`, BatchEmpty if there are none."""
    count = 0
    for record in records:
        count += 1
        if count > max_rows:
            raise BatchTooManyRows(f"The file has more than the limit of {max_rows} rows")
        yield record
    if count == 0:
        raise BatchEmpty()
