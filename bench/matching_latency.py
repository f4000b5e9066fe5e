"""Bulk-load a synthetic register into PostgreSQL with COPY, then time find-by-demographics.

Loads learners, their first versions and their blocking keys with COPY (no per-row round trips),
then runs noisy re-registration searches through the service layer (validation, candidate fetch by
blocking keys, scoring, audit) and prints p50/p95/p99 latency and rows examined per search.

    python bench/matching_latency.py --learners 1000000 --searches 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import time
from itertools import islice

import psycopg

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.identifiers import UlnPermutation
from openlrs.domain.learners.demographics import name_key
from openlrs.domain.matching.keys import blocking_keys, match_keys
from openlrs.services.learners.search import (
    find_by_demographics,
    frequencies_for,
    ranked_candidates,
)
from openlrs.services.policy import RegisterPolicy
from openlrs.store.engine import build_engine
from openlrs.store.learners.repository import details_to_json
from openlrs.store.matching.match_keys import packed_keys, refresh_name_frequencies
from openlrs.store.migrate import upgrade
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth import generate_learners, reregistrations

ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
DATABASE = os.environ.get("OPENLRS_LATENCY_DATABASE", "openlrs_latency")
"""The throwaway database (dropped and made again); name another to run beside someone else."""
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
TODAY = dt.date(2026, 11, 23)
UKPRN = "10004321"


def fresh_database() -> None:
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    engine = build_engine(URL)
    upgrade(engine)
    engine.dispose()


def bulk_load(count: int, seed: int) -> float:
    """COPY `count` learners with versions and keys; returns seconds taken."""
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    with psycopg.connect(URL.replace("+psycopg", "")) as conn:
        key = bytes.fromhex(conn.execute("SELECT permutation_key FROM uln_issuer").fetchone()[0])
        permutation = UlnPermutation(key)
        counter = 0
        with conn.cursor() as cur:
            with cur.copy(
                "COPY learners (id, uln, version, status, given_name, family_name, date_of_birth,"
                " gender, postcode, details, given_key, family_key, match_data,"
                " registered_by_ukprn, created_at, updated_at) FROM STDIN"
            ) as learners_copy:
                key_rows: list[tuple[str, int]] = []
                version_rows: list[tuple[int, str]] = []
                for learner_id, details in enumerate(
                    generate_learners(count, seed=seed, today=TODAY), start=1
                ):
                    counter = permutation.next_counter(counter)
                    document = json.dumps(details_to_json(details))
                    learners_copy.write_row(
                        (
                            learner_id,
                            permutation.uln_for(counter),
                            1,
                            "active",
                            details.given_name,
                            details.family_name,
                            details.date_of_birth,
                            details.gender,
                            details.postcode,
                            document,
                            name_key(details.given_name),
                            name_key(details.family_name),
                            packed_keys(details),
                            UKPRN,
                            now,
                            now,
                        )
                    )
                    version_rows.append((learner_id, document))
                    key_rows.extend((k, learner_id) for k in blocking_keys(details))
            with cur.copy(
                "COPY learner_versions (learner_id, version, details, status, changed_by,"
                " created_at, updated_at) FROM STDIN"
            ) as versions_copy:
                for learner_id, document in version_rows:
                    versions_copy.write_row((learner_id, 1, document, "active", "bench", now, now))
            with cur.copy("COPY learner_match_keys (key, learner_id) FROM STDIN") as keys_copy:
                for row in key_rows:
                    keys_copy.write_row(row)
            cur.execute("SELECT setval(pg_get_serial_sequence('learners', 'id'), %s)", (count,))
            cur.execute("SELECT setval('uln_counter_seq', %s)", (counter,))
        conn.commit()
        conn.autocommit = True
        # As autovacuum would, and some servers run without it: statistics for the planner, and
        # the visibility map that lets key lookups skip the heap (index-only scans).
        conn.execute("VACUUM (ANALYZE)")
    engine = build_engine(URL)
    with engine.begin() as sa_conn:
        refresh_name_frequencies(sa_conn)
    engine.dispose()
    print(
        f"loaded {count:,} learners, {len(key_rows):,} match keys "
        f"in {time.perf_counter() - started:.0f} s (COPY)",
        flush=True,
    )
    return time.perf_counter() - started


def time_searches(count: int, searches: int, seed: int) -> None:
    # The queries re-register learners drawn from the first 50,000 the generator made (as random
    # a draw as any: it shuffles as it goes), so setting up needs no second pass over them all.
    rng = random.Random(seed)
    head = list(islice(generate_learners(count, seed=seed, today=TODAY), min(50_000, count)))
    sample = rng.sample(head, min(20_000, len(head)))
    queries = [noisy for _, noisy, _ in reregistrations(sample, searches, seed=seed + 1)]
    uow = SqlUnitOfWorkFactory(build_engine(URL, pool_size=2))
    policy = RegisterPolicy(today=lambda: TODAY, min_age=12)
    searcher = Principal("client:bench", UKPRN, frozenset({Role.LRB}))
    for query in queries[:50]:  # warm up
        find_by_demographics(query, principal=searcher, uow=uow(), policy=policy)
    latencies, examined, outcomes = [], [], {}
    for query in queries:
        started = time.perf_counter()
        result = find_by_demographics(query, principal=searcher, uow=uow(), policy=policy)
        latencies.append((time.perf_counter() - started) * 1000)
        outcomes[result.outcome.value] = outcomes.get(result.outcome.value, 0) + 1
        with (
            uow() as unit
        ):  # the rows the search fetched: its first pass, and second if it made one
            keys = match_keys(query)
            _, rows = ranked_candidates(query, keys, unit, policy, frequencies_for(keys, unit))
            examined.append(rows)
    latencies.sort()
    examined.sort()
    pick = lambda values, q: values[min(len(values) - 1, int(len(values) * q))]  # noqa: E731
    print(
        f"find-by-demographics over {count:,} learners, {len(queries):,} noisy searches through "
        f"the service layer: p50 {pick(latencies, 0.5):.2f} ms, p95 {pick(latencies, 0.95):.2f} ms, "
        f"p99 {pick(latencies, 0.99):.2f} ms; rows examined mean "
        f"{statistics.fmean(examined):.0f}, p95 {pick(examined, 0.95)}, max {examined[-1]}; "
        f"outcomes {outcomes}",
        flush=True,
    )
    uow.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="search the register already loaded")
    args = parser.parse_args()
    if not args.reuse:
        fresh_database()
        bulk_load(args.learners, args.seed)
    time_searches(args.learners, args.searches, args.seed)


if __name__ == "__main__":
    main()
