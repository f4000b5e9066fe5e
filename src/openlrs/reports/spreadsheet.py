"""Every CSV the service writes goes through here, so no cell runs as a spreadsheet formula.

The OWASP rule for CSV injection: a text cell beginning with `=`, `+`, `-`, `@`, a tab or a
carriage return gets a leading apostrophe, which spreadsheets show as text. Numbers the service
formats itself (weights, counts) are passed as numbers and written as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: formula-like cells get a leading apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def safe_row(cells: Iterable[object]) -> list[object]:
    """The row with every text cell neutralised (numbers and None as they are)."""
    return [neutralise(c) if isinstance(c, str) else c for c in cells]


class SafeCsvWriter:
    """`csv.writer` whose every row is neutralised: the one way this service writes a CSV."""

    def __init__(self, handle: TextIO, **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, cells: Iterable[object]) -> None:
        self._writer.writerow(safe_row(cells))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
