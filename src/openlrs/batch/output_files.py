"""A finished job's output or error file, built from its stored rows (for the API and the portal).

Both doors serve the same bytes: the file in the format it was submitted in, named by the job id
(never by anything in the file), so a download link carries no personal data.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.ctf_output import ctf_with_ulns
from openlrs.batch.results import RowResult
from openlrs.batch.writers import write_output
from openlrs.domain.batches.job import BatchJob, StoredRow

MEDIA = {"csv": "text/csv; charset=utf-8", "xml": "application/xml"}


@dataclass(frozen=True)
class OutputFile:
    content: bytes
    filename: str
    media_type: str

    @property
    def content_disposition(self) -> str:
        return f'attachment; filename="{self.filename}"'


def row_results(rows: Iterable[StoredRow]) -> list[RowResult]:
    """Stored rows as the writers take them; a row without a result yet is `pending`."""
    return [
        RowResult(
            row=row.number,
            source_learner_id=row.source_learner_id,
            outcome=row.outcome.outcome if row.outcome else "pending",
            succeeded=bool(row.outcome and row.outcome.succeeded),
            lrs_code=row.outcome.lrs_code if row.outcome else None,
            uln=row.outcome.uln if row.outcome else None,
            messages=row.outcome.messages if row.outcome else (),
            values=row.values,
        )
        for row in rows
    ]


def output_file(
    job: BatchJob,
    rows: Iterable[StoredRow],
    *,
    errors_only: bool,
    original: bytes | None = None,
) -> OutputFile:
    """Every row with its outcome or, with `errors_only`, the failed rows: the error file. A
    CTF's output is the file `original` with each pupil's ULN filled in (batch/ctf_output.py)."""
    if job.kind == BatchKind.CTF and not errors_only and original is not None:
        content = ctf_with_ulns(original, list(rows), now=dt.datetime.now(dt.UTC))
        return OutputFile(content, f"{job.id}-output.xml", MEDIA["xml"])
    buffer = io.BytesIO()
    write_output(
        row_results(rows),
        buffer,
        kind=BatchKind(job.kind),
        fmt=BatchFormat(job.fmt),
        errors_only=errors_only,
    )
    name = f"{job.id}-{'errors' if errors_only else 'output'}.{job.fmt}"
    return OutputFile(buffer.getvalue(), name, MEDIA[job.fmt])
