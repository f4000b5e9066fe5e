"""Batch files of learners to register: rows from learner details, and whole files in each format."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.writers import write_batch
from openlrs.domain.learners.learner import LearnerDetails

REGISTRATION_HEADER = (
    "source_learner_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "postcode",
)


def registration_row(details: LearnerDetails, source_id: str) -> dict[str, str]:
    """One row of a registration file: the learner's mandatory fields under the provider's id."""
    return {
        "source_learner_id": source_id,
        "given_name": details.given_name,
        "family_name": details.family_name,
        "date_of_birth": details.date_of_birth.isoformat(),
        "gender": str(details.gender),
        "postcode": details.postcode,
    }


def registration_file(rows: list[dict[str, str]], fmt: BatchFormat = BatchFormat.CSV) -> bytes:
    """A registration file of `rows`, written as the batch writers write one."""
    buffer = io.BytesIO()
    write_batch(rows, buffer, kind=BatchKind.REGISTRATION, fmt=fmt)
    return buffer.getvalue()


def registration_csv(
    bodies: list[dict[str, Any]], extra_rows: Sequence[Sequence[str]] = ()
) -> bytes:
    """A registration CSV written by hand (CRLF, ids MIS0, MIS1...) from learner request bodies,
    then `extra_rows` as they are, for rows the writers would refuse to write."""
    lines = [",".join(REGISTRATION_HEADER)]
    for i, body in enumerate(bodies):
        lines.append(",".join([f"MIS{i}", *(str(body[n]) for n in REGISTRATION_HEADER[1:])]))
    lines += [",".join(row) for row in extra_rows]
    return ("\r\n".join(lines) + "\r\n").encode()
