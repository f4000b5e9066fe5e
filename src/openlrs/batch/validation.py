"""Validate a batch file offline: every problem with row, column and code, and nothing written.

The `openlrs validate` command and the API's "validate only" submission both call
`validate_file`, so they report identical findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, BinaryIO

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.file_errors import BatchFileError
from openlrs.batch.reader import BatchLimits, open_batch
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy


@dataclass(frozen=True)
class Finding:
    """One problem: `row` None for the whole file, `column` None for a whole row or file."""

    row: int | None
    column: str | None
    code: str
    message: str


@dataclass
class ValidationReport:
    kind: BatchKind | None
    fmt: BatchFormat
    rows: int = 0
    valid_rows: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def file_error(self) -> Finding | None:
        return next((f for f in self.findings if f.row is None), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value if self.kind else None,
            "format": self.fmt.value,
            "ok": self.ok,
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "findings": [f.__dict__ for f in self.findings],
        }


def validate_file(
    stream: BinaryIO,
    *,
    kind: BatchKind | None,
    fmt: BatchFormat,
    limits: BatchLimits | None = None,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> ValidationReport:
    """Read the whole file; a file-level failure becomes the one finding without a row.

    Row findings found before a file-level failure are dropped: the file is refused whole.
    """
    report = ValidationReport(kind=kind, fmt=fmt)
    try:
        batch = open_batch(stream, kind=kind, fmt=fmt, limits=limits, policy=policy)
        report.kind = batch.kind
        for row in batch:
            report.rows += 1
            report.valid_rows += row.valid
            report.findings.extend(
                Finding(row.number, p.field or None, p.code, p.message) for p in row.problems
            )
    except BatchFileError as exc:
        report.rows = report.valid_rows = 0
        report.findings = [Finding(None, None, exc.code, exc.detail)]
    return report
