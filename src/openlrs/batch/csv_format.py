"""CSV batch files: UTF-8 with or without a BOM, CRLF or LF line ends, quoted fields (RFC 4180)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from openlrs.batch.columns import COLUMNS, BatchKind, column_name, kind_from_columns
from openlrs.batch.file_errors import BatchEmpty, BatchHeaderMissing, BatchMalformed
from openlrs.batch.records import ROW_WRONG_LENGTH, RawRecord, check_columns
from openlrs.batch.source import CheckedSource
from openlrs.domain.errors import FieldError

_ALL_COLUMNS = frozenset(c for columns in COLUMNS.values() for c in columns)


class CsvBatch:
    """A CSV batch whose header has been read and checked; iterate it for the records."""

    def __init__(self, source: CheckedSource, kind: BatchKind | None) -> None:
        text = io.TextIOWrapper(io.BufferedReader(source), encoding="utf-8-sig", newline="")
        self._reader = csv.reader(text, strict=True)
        header = self._header()
        self.columns = _header_names(header)
        if not _ALL_COLUMNS.intersection(self.columns):
            raise BatchHeaderMissing(
                "The first line names no known column: start the file with a header line "
                "such as uln,source_learner_id,given_name,family_name,..."
            )
        self.kind = kind or kind_from_columns(self.columns)
        check_columns(self.kind, self.columns)

    def _next(self) -> list[str] | None:
        try:
            return next(self._reader, None)
        except csv.Error as exc:
            raise BatchMalformed(f"Line {self._reader.line_num}: {exc}") from None

    def _header(self) -> list[str]:
        while (row := self._next()) is not None:
            if any(cell.strip() for cell in row):
                return row
        raise BatchEmpty("The file is empty")

    def __iter__(self) -> Iterator[RawRecord]:
        number = 0
        width = len(self.columns)
        while (row := self._next()) is not None:
            if not any(cell.strip() for cell in row):
                continue  # blank lines, and rows of empty cells a spreadsheet leaves at the end
            number += 1
            if len(row) > width and not any(cell.strip() for cell in row[width:]):
                row = row[:width]  # trailing empty cells
            problems: tuple[FieldError, ...] = ()
            if len(row) != width:
                message = f"This row has {len(row)} cells but the header has {width} columns"
                problems = (FieldError("", ROW_WRONG_LENGTH, message),)
            yield RawRecord(number, dict(zip(self.columns, row, strict=False)), problems)


def _header_names(header: list[str]) -> list[str]:
    """Canonical names, without the empty cells a spreadsheet leaves at the end of the header."""
    names = [column_name(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    return names
