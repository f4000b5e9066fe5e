"""The audit's CSV: one row per suspected pair, ULNs and how each field compared, nothing else.

No names, dates of birth or postcodes: the file identifies learners by ULN only, so it can be
handed to the service desk without becoming another copy of the register's personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from openlrs.batch.audit.run import FIELDS
from openlrs.domain.matching.suspected_duplicate import SuspectedDuplicate
from openlrs.reports.spreadsheet import SafeCsvWriter

CSV_COLUMNS = ("uln_a", "uln_b", "match_weight", "match_probability", *FIELDS)


def write_pairs(
    handle: TextIO, pairs: Iterable[SuspectedDuplicate]
) -> Iterator[SuspectedDuplicate]:
    """Write each pair as it passes through (so one stream can also feed the queue)."""
    writer = SafeCsvWriter(handle)
    writer.writerow(CSV_COLUMNS)
    for pair in pairs:
        writer.writerow(
            (
                pair.uln_a,
                pair.uln_b,
                round(pair.match_weight, 3),  # numbers, written as numbers
                round(pair.probability, 6),
                *(pair.detail.get(f, "") for f in FIELDS),
            )
        )
        yield pair
