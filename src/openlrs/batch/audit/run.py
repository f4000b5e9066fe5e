"""Run the duplicate audit on DuckDB: load the register in chunks, let Splink score the pairs the
blocking rules allow, and yield those at or above the threshold with each field's level.

The learners arrive as an iterable of chunks (the store streams them from the database), each
turned into a small DataFrame and appended to an in-process DuckDB table: memory holds one chunk
of Python objects at a time, and DuckDB spills to disk when the table outgrows memory.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import duckdb
import pandas as pd
from splink import DuckDBAPI, Linker

from openlrs.batch.audit.features import COLUMNS, audit_record
from openlrs.batch.audit.settings import NULL_LEVEL, audit_settings, random_pair_prior
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.model import MatchModel
from openlrs.domain.matching.suspected_duplicate import SuspectedDuplicate

FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "postcode",
    "school_at_16",
    "email",
)
TABLE = "audit_learners"
_LISTS = frozenset({"given_names", "given_and_middle", "family_names"})
_INTS = frozenset({"birth_year", "gender"})

DEFAULT_THRESHOLD = 0.5
DEFAULT_DUPLICATE_SHARE = 0.01

Chunk = Sequence[tuple[str, LearnerDetails]]


@dataclass
class AuditStats:
    learners: int = 0
    pairs: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _schema() -> str:
    def kind(column: str) -> str:
        return "VARCHAR[]" if column in _LISTS else "INTEGER" if column in _INTS else "VARCHAR"

    return ", ".join(f"{c} {kind(c)}" for c in COLUMNS)


def load_register(con: duckdb.DuckDBPyConnection, chunks: Iterable[Chunk]) -> int:
    """Append every learner's audit columns to the DuckDB table; returns how many."""
    con.execute(f"CREATE OR REPLACE TABLE {TABLE} ({_schema()})")
    count = 0
    for chunk in chunks:
        if not chunk:
            continue
        frame = pd.DataFrame([audit_record(uln, d) for uln, d in chunk], columns=list(COLUMNS))
        con.register("audit_chunk", frame)
        con.execute(f"INSERT INTO {TABLE} SELECT * FROM audit_chunk")
        con.unregister("audit_chunk")
        count += len(chunk)
    return count


def _level_names(linker: Linker) -> dict[str, dict[int, str | None]]:
    """gamma value -> engine level name, per comparison, from the settings Splink built."""
    names: dict[str, dict[int, str | None]] = {}
    for comparison in linker._settings_obj.comparisons:
        field_name = comparison.output_column_name
        names[field_name] = {
            level.comparison_vector_value: (
                NULL_LEVEL[field_name] if level.is_null_level else level.label_for_charts
            )
            for level in comparison.comparison_levels
        }
    return names


def scored_pairs(
    con: duckdb.DuckDBPyConnection,
    model: MatchModel,
    *,
    threshold: float,
    register_size: int,
    duplicate_share: float = DEFAULT_DUPLICATE_SHARE,
    run_id: str = "",
    batch_size: int = 10_000,
) -> Iterator[SuspectedDuplicate]:
    """Pairs of the loaded register at or above `threshold` probability, with field levels."""
    prior = random_pair_prior(register_size, duplicate_share)
    linker = Linker(TABLE, audit_settings(model, prior=prior), DuckDBAPI(connection=con))
    levels = _level_names(linker)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    gammas = ", ".join(f"gamma_{f}" for f in FIELDS)
    cursor = con.execute(
        "SELECT unique_id_l, unique_id_r, match_weight, match_probability, "
        f"{gammas} FROM {predictions.physical_name}"
    )
    while rows := cursor.fetchmany(batch_size):
        for uln_l, uln_r, weight, probability, *vector in rows:
            detail = {f: levels[f].get(int(g)) or "" for f, g in zip(FIELDS, vector, strict=True)}
            yield SuspectedDuplicate(
                uln_l, uln_r, float(weight), float(probability), detail, found_by=run_id
            )
    predictions.drop_table_from_database_and_remove_from_cache()


def audit_register(
    chunks: Iterable[Chunk],
    model: MatchModel,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    duplicate_share: float = DEFAULT_DUPLICATE_SHARE,
    run_id: str = "",
    database: str = ":memory:",
) -> Iterator[SuspectedDuplicate]:
    """Load the learners into a fresh DuckDB database and yield the suspected duplicate pairs."""
    logging.getLogger("splink").setLevel(logging.WARNING)
    con = duckdb.connect(database)
    try:
        size = load_register(con, chunks)
        if size < 2:
            return
        yield from scored_pairs(
            con,
            model,
            threshold=threshold,
            register_size=size,
            duplicate_share=duplicate_share,
            run_id=run_id,
        )
    finally:
        con.close()
