"""Bulk-load synthetic learning providers, then time the public provider search.

Loads `--providers` verified providers (legal and trading names, addresses) with bulk inserts, then
runs `--searches` public searches through the service layer (query parsing, the repository's
ranked search, the public view) and prints p50/p95/p99 latency per kind of query and overall.

    python bench/provider_search.py --providers 50000 --searches 2000            # PostgreSQL
    python bench/provider_search.py --database sqlite --providers 50000           # SQLite
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import psycopg
import sqlalchemy as sa

from openlrs.domain.providers.provider import (
    Provider,
    ProviderDetails,
    ProviderStatus,
    provider_name_key,
)
from openlrs.domain.providers.search import name_words
from openlrs.services.providers.search import search_providers
from openlrs.store.engine import build_engine
from openlrs.store.migrate import upgrade
from openlrs.store.providers.rows import columns, name_rows, snapshot
from openlrs.store.providers.tables import (
    provider_name_words,
    provider_names,
    provider_register,
    provider_versions,
    provider_words,
    providers,
)
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth.providers import generate_providers

ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
DATABASE = "openlrs_provider_bench"
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
FIRST_UKPRN = 10_000_000
CHUNK = 5000


def fresh_database(kind: str) -> str:
    if kind == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp()}/providers.db"
    else:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
        url = PG_URL
    engine = build_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def bulk_load(engine: sa.Engine, all_details: list[ProviderDetails]) -> float:
    """Insert every provider as verified, with its names and first version; returns seconds."""
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    records = [
        Provider(
            reference=f"PA{i:010d}",
            details=d,
            status=ProviderStatus.VERIFIED,
            ukprn=str(FIRST_UKPRN + i),
            id=i,
            verified_legal_name=d.legal_name,
        )
        for i, d in enumerate(all_details, start=1)
    ]
    stamps = {"created_at": now, "updated_at": now}
    with engine.begin() as conn:
        for chunk in _chunks({"id": p.id, **columns(p), **stamps} for p in records):
            conn.execute(sa.insert(providers), chunk)
        for chunk in _chunks(r for p in records for r in name_rows(p.id or 0, p.details)):
            conn.execute(sa.insert(provider_names), chunk)
        vocabulary: Counter[str] = Counter()
        for chunk in _chunks(_word_rows(records, vocabulary)):
            conn.execute(sa.insert(provider_name_words), chunk)
        vocabulary_rows = ({"word": w, "providers": n} for w, n in sorted(vocabulary.items()))
        for chunk in _chunks(vocabulary_rows):
            conn.execute(sa.insert(provider_words), chunk)
        versions = (
            {
                "change": p.id,
                "provider_id": p.id,
                "version": 1,
                "ukprn": p.ukprn,
                "status": p.status.value,
                "record": snapshot(p),
                "changed_by": "bench",
                **stamps,
            }
            for p in records
        )
        for chunk in _chunks(versions):
            conn.execute(sa.insert(provider_versions), chunk)
        conn.execute(
            sa.update(provider_register).values(
                next_ukprn=FIRST_UKPRN + len(records) + 1, last_change=len(records)
            )
        )
    if engine.dialect.name == "postgresql":  # as autovacuum would soon after a bulk load
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    return time.perf_counter() - started


def _word_rows(records: list[Provider], vocabulary: Counter[str]) -> Iterator[dict[str, Any]]:
    """The word index rows `store.provider_search_sql.index_words` would write, all at once."""
    for p in records:
        names = (p.details.legal_name, *p.details.trading_names)
        words = set().union(*(name_words(provider_name_key(n)) for n in names))
        vocabulary.update(words)
        for word in sorted(words):
            yield {"word": word, "provider_id": p.id}


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if not letters:
        return text
    i = rng.choice(letters)
    return text[:i] + text[i + 1 :] if rng.random() < 0.5 else text[:i] + text[i] + text[i:]


def queries(
    all_details: list[ProviderDetails], count: int, seed: int
) -> list[tuple[str, str, str]]:
    """(kind, query, what is sought) in a realistic mix: mostly names someone half remembers.
    A name search seeks the legal name (synthetic names repeat, as real ones do: "Star Learning
    Trust" many times over), a UKPRN or postcode search the UKPRN; the rest seek anything ("")."""
    rng = random.Random(seed)
    found: list[tuple[str, str, str]] = []
    while len(found) < count:
        index = rng.randrange(len(all_details))
        d, ukprn = all_details[index], str(FIRST_UKPRN + 1 + index)
        roll = rng.random()
        words = d.legal_name.split()
        if roll < 0.35:
            found.append(("exact name", d.legal_name, d.legal_name))
        elif roll < 0.55:
            found.append(("name with a typo", _typo(rng, d.legal_name), d.legal_name))
        elif roll < 0.70:
            found.append(("first words", " ".join(words[:2]), ""))
        elif roll < 0.77 and d.trading_names:
            found.append(("trading name", d.trading_names[0], ""))
        elif roll < 0.85:
            found.append(("town", d.address.town, ""))
        elif roll < 0.92:
            found.append(("postcode", d.address.postcode, ukprn))
        elif roll < 0.96:
            found.append(("ukprn", ukprn, ukprn))
        else:
            generic = rng.choice(["college", "training", "academy", "skills"])
            found.append(("generic word", generic, ""))
    return found


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--providers", type=int, default=50_000)
    parser.add_argument("--searches", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    url = fresh_database(args.database)
    engine = build_engine(url, pool_size=4)
    all_details = list(generate_providers(args.providers, seed=args.seed))
    seconds = bulk_load(engine, all_details)
    with engine.connect() as conn:
        names = conn.execute(sa.select(sa.func.count()).select_from(provider_names)).scalar_one()
    print(f"{args.database}: loaded {len(all_details)} providers ({names} names) in {seconds:.1f}s")

    uow = SqlUnitOfWorkFactory(engine)
    work = queries(all_details, args.searches, args.seed + 1)
    for _, query, _ in work[:50]:  # warm the caches and the connection pool
        search_providers(query, page=1, page_size=20, uow=uow())
    timings: dict[str, list[float]] = defaultdict(list)
    hits: dict[str, int] = defaultdict(int)
    for kind, query, sought in work:
        started = time.perf_counter()
        page = search_providers(query, page=1, page_size=20, uow=uow())
        timings[kind].append((time.perf_counter() - started) * 1000)
        shown = {p.ukprn for p in page.items} | {p.legal_name for p in page.items}
        hits[kind] += sought in shown if sought else bool(page.items)
    everything = [t for values in timings.values() for t in values]
    print(f"{len(everything)} searches through the service layer, page size 20 (milliseconds);")
    print("found: what was sought is on the first page (any result, where nothing is sought)")
    print(f"{'kind':<18} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'found':>6}")
    for kind, values in sorted(timings.items()):
        print(
            f"{kind:<18} {len(values):>5} {statistics.median(values):>7.2f} "
            f"{percentile(values, 95):>7.2f} {percentile(values, 99):>7.2f} "
            f"{hits[kind] / len(values):>6.0%}"
        )
    print(
        f"{'all':<18} {len(everything):>5} {statistics.median(everything):>7.2f} "
        f"{percentile(everything, 95):>7.2f} {percentile(everything, 99):>7.2f}"
    )
    uow.close()


if __name__ == "__main__":
    main()
