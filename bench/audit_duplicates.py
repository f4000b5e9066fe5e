"""The whole-register duplicate audit on a synthetic register with planted duplicates.

Generates learners, plants noisy re-registrations of distinct people under fresh ULNs (the synth
error model) and hard negatives (twins, namesakes: different people), loads them into a database,
runs the audit exactly as `openlrs audit-duplicates` does (streamed from the database into DuckDB,
scored by Splink) and prints recall on the planted pairs, the other pairs flagged, and wall time.

    python bench/audit_duplicates.py --learners 100000 --duplicates 1000
    python bench/audit_duplicates.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/x

The database is emptied and migrated first. Only the `learners` rows are loaded (the audit reads
nothing else), in batches through SQLAlchemy, so SQLite and PostgreSQL load the same way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, insert

from openlrs.batch.audit.run import DEFAULT_THRESHOLD, audit_register
from openlrs.domain.learners.demographics import name_key
from openlrs.domain.matching.model_file import default_model
from openlrs.store.engine import build_engine
from openlrs.store.learners.repository import details_to_json
from openlrs.store.matching.register_reader import active_learner_chunks
from openlrs.store.migrate import downgrade, upgrade
from openlrs.store.tables import learners
from openlrs.synth.planted import PlantedRegister, planted_register

TODAY = dt.date(2026, 11, 23)


def uln(position: int) -> str:
    return f"{9_000_000_000 + position}"


def load(engine: Engine, register: PlantedRegister, batch: int = 5000) -> None:
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "uln": uln(i),
            "version": 1,
            "status": "active",
            "given_name": d.given_name,
            "family_name": d.family_name,
            "date_of_birth": d.date_of_birth,
            "gender": d.gender,
            "postcode": d.postcode,
            "details": details_to_json(d),
            "given_key": name_key(d.given_name),
            "family_key": name_key(d.family_name),
            "created_at": now,
            "updated_at": now,
        }
        for i, d in enumerate(register.records)
    ]
    with engine.begin() as conn:
        for start in range(0, len(rows), batch):
            conn.execute(insert(learners), rows[start : start + batch])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--duplicates", type=int, default=1_000)
    parser.add_argument("--negatives", type=int, default=500, help="twins and namesakes")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--database-url", default="sqlite:///var/bench_audit.db")
    args = parser.parse_args()

    started = time.perf_counter()
    register = planted_register(
        args.learners, args.duplicates, seed=args.seed, today=TODAY, negatives=args.negatives
    )
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = build_engine(args.database_url)
    downgrade(engine, "base")
    upgrade(engine)
    load(engine, register)
    print(
        f"{len(register.records):,} learners ({args.learners:,} + {len(register.duplicates):,} "
        f"planted duplicates + {len(register.hard_negatives):,} twins/namesakes) loaded into "
        f"{engine.dialect.name} in {time.perf_counter() - started:.0f} s",
        flush=True,
    )

    started = time.perf_counter()
    pairs = list(
        audit_register(active_learner_chunks(engine), default_model(), threshold=args.threshold)
    )
    seconds = time.perf_counter() - started
    engine.dispose()

    found = {frozenset((p.uln_a, p.uln_b)) for p in pairs}
    planted = {
        frozenset((uln(a), uln(b))): errors for a, (b, errors) in register.duplicates.items()
    }
    negatives = {
        frozenset((uln(a), uln(b))): kind for a, (b, kind) in register.hard_negatives.items()
    }
    hits = found & planted.keys()
    missed = Counter(e.value for pair in planted.keys() - found for e in planted[pair] or ())
    flagged_negatives = Counter(negatives[p] for p in found & negatives.keys())
    others = found - planted.keys() - negatives.keys()
    print(
        f"audit (read from the database, DuckDB + Splink, threshold {args.threshold}): "
        f"{seconds:.1f} s wall, {len(pairs):,} pairs flagged"
    )
    print(
        f"recall on planted duplicates: {len(hits) / len(planted):.4f} ({len(hits)}/{len(planted)})"
    )
    print(
        f"other pairs flagged: {len(found - planted.keys()):,}, of which planted hard negatives "
        f"{sum(flagged_negatives.values())} ({dict(flagged_negatives)} of "
        f"{dict(Counter(negatives.values()))}) and {len(others):,} look-alikes already in the "
        "synthetic population (twins and namesakes it makes itself)"
    )
    print(f"errors carried by the missed duplicates: {dict(missed.most_common())}")


if __name__ == "__main__":
    main()
