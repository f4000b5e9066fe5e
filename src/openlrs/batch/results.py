"""The outcome of one batch row, as the job worker records it and the output files echo it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from openlrs.batch.rows import BatchRow
from openlrs.domain.errors import FieldError, ValidationFailed

OUTPUT_COLUMNS = ("row", "outcome", "lrs_code", "returned_uln", "messages")
"""The columns an output or error file puts before the echoed input columns."""


@dataclass(frozen=True)
class RowResult:
    """Row `row` of the input: a stable outcome code, the ULN issued or found, and why.

    `outcome` is openlrs's code (`registered`, `updated`, `exact`, or a DomainError code such as
    `VALIDATION_FAILED`); `lrs_code` the LRS return code where one exists (`WSRC0005`).
    `values` are the input cells, echoed back so the file can be joined to the MIS.
    """

    row: int
    source_learner_id: str | None
    outcome: str
    succeeded: bool
    lrs_code: str | None = None
    uln: str | None = None
    messages: tuple[FieldError, ...] = ()
    values: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_invalid(cls, row: BatchRow) -> RowResult:
        """The result of a row that failed validation: nothing was done with it."""
        return cls(
            row=row.number,
            source_learner_id=row.source_learner_id,
            outcome=ValidationFailed.code,
            succeeded=False,
            lrs_code=ValidationFailed.lrs_code,
            messages=row.problems,
            values=row.values,
        )


def messages_text(messages: tuple[FieldError, ...]) -> str:
    """One cell: `column CODE: message; ...` (row-level problems are labelled `row`)."""
    return "; ".join(f"{m.field or 'row'} {m.code}: {m.message}" for m in messages)
