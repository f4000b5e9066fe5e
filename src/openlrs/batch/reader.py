"""Open a batch file of either kind and format and stream its rows, validated.

A file-level failure (size, encoding, header, unsafe XML, too many rows) raises a
`BatchFileError`; it can surface at any point of the iteration, so consume every row before
acting on any (the job worker stores the rows first, then processes them).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.csv_format import CsvBatch
from openlrs.batch.ctf_format import CtfBatch
from openlrs.batch.file_errors import BatchFormatNotOffered, BatchFormatUnknown
from openlrs.batch.records import limit_rows
from openlrs.batch.rows import ROW_VALIDATORS, BatchRow
from openlrs.batch.source import CheckedSource
from openlrs.batch.xml_format import XmlBatch
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy

DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class BatchLimits:
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES


class BatchFile:
    """A batch whose header or root element is checked; iterate it for `BatchRow`s."""

    def __init__(
        self,
        stream: BinaryIO,
        *,
        kind: BatchKind | None,
        fmt: BatchFormat,
        limits: BatchLimits,
        policy: RegisterPolicy,
        school_number: str | None = None,
    ) -> None:
        if kind is BatchKind.DIPLOMA_RESULT and fmt is BatchFormat.XML:
            raise BatchFormatNotOffered("Diploma result batches are CSV only: send a CSV file")
        if kind is BatchKind.CTF and fmt is not BatchFormat.XML:
            raise BatchFormatNotOffered("A Common Transfer File is XML: send the .xml file")
        source = CheckedSource(stream, max_bytes=limits.max_bytes)
        self._source = source
        self._format: CsvBatch | XmlBatch | CtfBatch
        if kind is BatchKind.CTF:
            self._format = CtfBatch(source, school_number)
        elif fmt is BatchFormat.CSV:
            self._format = CsvBatch(source, kind)
        else:
            self._format = XmlBatch(source, kind)
        self.kind: BatchKind = self._format.kind
        self.fmt = fmt
        self.columns: list[str] = self._format.columns
        self._limits = limits
        self._policy = policy

    @property
    def bytes_read(self) -> int:
        return self._source.bytes_read

    def __iter__(self) -> Iterator[BatchRow]:
        validate = ROW_VALIDATORS[self.kind]
        seen: set[str] = set()
        for record in limit_rows(self._format, self._limits.max_rows):
            yield validate(record, self._policy, seen)


def open_batch(
    stream: BinaryIO,
    *,
    kind: BatchKind | None = None,
    fmt: BatchFormat,
    limits: BatchLimits | None = None,
    policy: RegisterPolicy = DEFAULT_POLICY,
    school_number: str | None = None,
) -> BatchFile:
    """Check the header (CSV) or root element (XML); `kind=None` tells the kind from it. For a
    CTF, `school_number` (LEA + Estab) is what its source school must be, when given."""
    limits = limits or BatchLimits()
    return BatchFile(
        stream, kind=kind, fmt=fmt, limits=limits, policy=policy, school_number=school_number
    )


def check_ctf_upload(
    content: bytes, *, limits: BatchLimits, policy: RegisterPolicy, school_number: str
) -> int:
    """Read a whole Common Transfer File as it is uploaded, so that a file-level fault (unsafe
    or malformed XML, wrong encoding, a header naming another school) is refused before anything
    is stored; bad pupils are not faults of the file. Returns how many pupils it holds."""
    rows = open_batch(
        io.BytesIO(content),
        kind=BatchKind.CTF,
        fmt=BatchFormat.XML,
        limits=limits,
        policy=policy,
        school_number=school_number,
    )
    return sum(1 for _ in rows)


def read_batch(
    stream: BinaryIO,
    *,
    kind: BatchKind | None = None,
    fmt: BatchFormat,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> Iterator[BatchRow]:
    """Every row of the file, validated, streamed; BatchFileError for a file-level failure."""
    limits = BatchLimits(max_rows=max_rows, max_bytes=max_bytes)
    yield from open_batch(stream, kind=kind, fmt=fmt, limits=limits, policy=policy)


def guess_format(name: str | None, head: bytes) -> BatchFormat:
    """From the file name's extension, else from the first bytes: `<` means XML."""
    suffix = (name or "").lower().rpartition(".")[2]
    if suffix in ("csv", "xml"):
        return BatchFormat(suffix)
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return BatchFormat.XML
    if text:
        return BatchFormat.CSV
    raise BatchFormatUnknown()
