"""Read the whole register in chunks, for jobs that look at every learner (the duplicate audit).

Rows stream from the database (a server-side cursor on PostgreSQL), so memory holds one chunk.
Only active learners are read: a merged record already points at its master.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, select

from openlrs.domain.learners.learner import LearnerDetails, LearnerStatus
from openlrs.store.learners.repository import details_from_json
from openlrs.store.tables import learners


def active_learner_chunks(
    engine: Engine, *, chunk_size: int = 5000
) -> Iterator[list[tuple[str, LearnerDetails]]]:
    """(ULN, details) of every active learner, `chunk_size` at a time, in id order."""
    stmt = (
        select(learners.c.uln, learners.c.details)
        .where(learners.c.status == LearnerStatus.ACTIVE.value)
        .order_by(learners.c.id)
        .execution_options(stream_results=True, yield_per=chunk_size)
    )
    with engine.connect() as conn:
        for partition in conn.execute(stmt).partitions(chunk_size):
            yield [(row.uln, details_from_json(row.details)) for row in partition]
