"""Shared pieces for the batch file tests: a fixed 'today' so date rules never drift."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.reader import read_batch
from openlrs.batch.rows import BatchRow
from openlrs.services.policy import RegisterPolicy

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "batch"
EXAMPLES = ROOT / "docs" / "examples"
POLICY = RegisterPolicy(today=lambda: dt.date(2026, 1, 1))


def read(
    data: bytes | str,
    fmt: BatchFormat = BatchFormat.CSV,
    kind: BatchKind | None = None,
    **limits: int,
) -> list[BatchRow]:
    raw = data.encode() if isinstance(data, str) else data
    return list(read_batch(io.BytesIO(raw), kind=kind, fmt=fmt, policy=POLICY, **limits))


@pytest.fixture
def policy() -> Iterator[RegisterPolicy]:
    yield POLICY
