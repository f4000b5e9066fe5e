"""Time Diploma re-aggregation: 100,000 results across 20,000 accounts, through the service layer.

Makes a throwaway PostgreSQL database, migrates it, COPYs in the learners and their open Diploma
accounts (spread over every line and level shipped), then sends the results, shuffled so that each
account's results arrive in any order, through `submit_diploma_results` in chunks the way an
awarding body's MIS would. Every chunk checks each result, holds it, and re-aggregates every
account it touched. Prints the time, results per second, what the accounts came to, and a check
that the stored evaluations match a fresh evaluation of a sample of accounts.

    python bench/aggregation.py --accounts 20000 --results-per-account 5 --chunk 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import secrets
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from itertools import islice

import psycopg

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.diploma.diploma_rules import PLTS, Component, DiplomaRules
from openlrs.domain.diploma.rule_files import all_diploma_rules
from openlrs.domain.errors import UlnInvalid
from openlrs.domain.identifiers import make_uln
from openlrs.services.diploma.submit_result import SubmitDiplomaResult
from openlrs.services.diploma.submit_results import submit_diploma_results
from openlrs.services.diploma.view_account import view_diploma_account
from openlrs.store.engine import build_engine
from openlrs.store.learners.repository import details_to_json
from openlrs.store.migrate import upgrade
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth import generate_learners

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "openlrs_bench_aggregation"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
TODAY = dt.date(2026, 11, 23)
CENTRE, BODY_UKPRN = "10004321", "10009999"
BODY = Principal("user:bench-cab@example.org", BODY_UKPRN, frozenset({Role.AO}))
GRADES = ("A*", "A", "B", "C", "D", "E", "U")
SUBJECTS = ("english", "mathematics", "ict")


def fresh_database() -> None:
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    engine = build_engine(URL)
    upgrade(engine)
    engine.dispose()


def ulns() -> Iterator[str]:
    body = 100_000_000
    while True:
        body += 1
        try:
            yield make_uln(str(body))
        except UlnInvalid:
            continue


def seed(accounts: int, rules: list[DiplomaRules]) -> None:
    """COPY one learner and one open account per account wanted (no per-row round trips)."""
    now = dt.datetime.now(dt.UTC)
    people = generate_learners(accounts, seed=8, today=TODAY)
    chosen = [rules[n % len(rules)] for n in range(accounts)]
    numbers = list(islice(ulns(), accounts))
    every_plts = json.dumps(sorted(PLTS))  # the centre's evidence is in: results decide
    with psycopg.connect(URL.replace("+psycopg", "")) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY learners (uln, version, status, given_name, family_name, date_of_birth, gender,"
            " postcode, details, given_key, family_key, registered_by_ukprn, created_at,"
            " updated_at) FROM STDIN"
        ) as learners:
            for uln, d in zip(numbers, people, strict=True):
                learners.write_row((uln, 1, "active", d.given_name, d.family_name,
                                    d.date_of_birth, d.gender, d.postcode,
                                    json.dumps(details_to_json(d)), d.given_name.lower(),
                                    d.family_name.lower(), CENTRE, now, now))  # fmt: skip
        with cur.copy(
            "COPY diploma_accounts (public_id, uln, line, level, centre_ukprn, awarding_body_ukprn,"
            " status,"
            " work_experience_days, plts, complete, achievable, missing, created_at, updated_at)"
            " FROM STDIN"
        ) as opened:
            for uln, r in zip(numbers, chosen, strict=True):
                opened.write_row((secrets.token_urlsafe(16), uln, r.line, r.level.value, CENTRE,
                                  BODY_UKPRN, "open", 10,
                                  every_plts, False, True, "[]", now, now))  # fmt: skip
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")


def results_for(
    account_id: str, rules: DiplomaRules, count: int, rng: random.Random
) -> list[SubmitDiplomaResult]:
    """Principal learning, project, functional skills, ASL, then resits: `count` results."""
    (number,) = rules.principal_learning.qualifications
    level, on = rules.qcf_level, dt.date(2026, 6, 30)
    made = [
        SubmitDiplomaResult(account_id, "pl", Component.PRINCIPAL_LEARNING, number,
                            "Principal learning", level, rng.choice(GRADES), on),
        SubmitDiplomaResult(account_id, "project", Component.PROJECT, "600/0000/1", "Project",
                            level, rng.choice(GRADES), on),
    ]  # fmt: skip
    made += [
        SubmitDiplomaResult(account_id, f"fs-{s}", Component.FUNCTIONAL_SKILL, "500/0000/2",
                            f"Functional skills {s}", rng.choice((1, 2)),
                            rng.choice(("PASS", "PASS", "FAIL")), on, subject=s)
        for s in SUBJECTS
    ]  # fmt: skip
    made += [
        SubmitDiplomaResult(account_id, f"asl-{n}", Component.ASL, "600/0000/3", f"ASL {n}",
                            level, "B", on, glh=rng.choice((90, 180)),
                            barring_code=str(rng.randrange(1000, 1010)))
        for n in range(max(0, count - len(made)))
    ]  # fmt: skip
    return made[:count]


def all_results(per_account: int, rules: dict[str, DiplomaRules]) -> list[SubmitDiplomaResult]:
    rng = random.Random(8)
    with psycopg.connect(URL.replace("+psycopg", "")) as conn:
        rows = conn.execute(
            "SELECT public_id, line, level FROM diploma_accounts ORDER BY id"
        ).fetchall()
    made = [
        result
        for account_id, line, level in rows
        for result in results_for(account_id, rules[f"{line}/{level}"], per_account, rng)
    ]
    rng.shuffle(made)  # results arrive in any order, accounts interleaved
    return made


def submit_all(
    factory: SqlUnitOfWorkFactory, results: list[SubmitDiplomaResult], chunk: int
) -> tuple[float, Counter[str]]:
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    it = iter(results)
    while batch := list(islice(it, chunk)):
        done = submit_diploma_results(batch, principal=BODY, uow=factory())
        outcomes.update(o.code or "accepted" for o in done.outcomes)
    return time.perf_counter() - started, outcomes


def summary(factory: SqlUnitOfWorkFactory, sample: int) -> str:
    with psycopg.connect(URL.replace("+psycopg", "")) as conn:
        complete, achievable, graded, ids = conn.execute(
            "SELECT count(*) FILTER (WHERE complete), count(*) FILTER (WHERE achievable),"
            " count(trial_grade), array_agg(public_id ORDER BY random()) FROM diploma_accounts"
        ).fetchone()
        summaries = dict(
            (row[0], row[1:])
            for row in conn.execute(
                "SELECT public_id, complete, trial_grade, points FROM diploma_accounts"
                " WHERE public_id = ANY(%s)",
                (ids[:sample],),
            )
        )
    for account_id, stored in summaries.items():
        _, evaluation = view_diploma_account(account_id, principal=BODY, uow=factory())
        fresh = (evaluation.complete, evaluation.trial_grade, evaluation.points)
        assert stored == fresh, (account_id, stored, fresh)
    return (
        f"{complete:,} complete, {achievable:,} still achievable, {graded:,} with a trial grade; "
        f"stored evaluations of {len(summaries)} sampled accounts match a fresh evaluation"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--results-per-account", type=int, default=5)
    parser.add_argument("--chunk", type=int, default=1_000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="pyinstrument the timed part")
    args = parser.parse_args()
    started = time.perf_counter()
    fresh_database()
    rules = all_diploma_rules()
    seed(args.accounts, sorted(rules.values(), key=lambda r: r.key))
    results = all_results(args.results_per_account, rules)
    print(f"seeded in {time.perf_counter() - started:.0f} s (COPY)", flush=True)
    engine = build_engine(URL, pool_size=2)
    factory = SqlUnitOfWorkFactory(engine)
    if args.profile:
        from pyinstrument import Profiler

        with Profiler() as profiler:
            elapsed, outcomes = submit_all(factory, results, args.chunk)
        profiler.print(show_all=False)
    else:
        elapsed, outcomes = submit_all(factory, results, args.chunk)
    print(
        f"{len(results):,} results across {args.accounts:,} accounts, chunks of {args.chunk:,}, "
        f"PostgreSQL: {elapsed:.1f} s ({len(results) / elapsed:,.0f} results/s); "
        f"outcomes {dict(outcomes)}",
        flush=True,
    )
    print(summary(factory, args.sample), flush=True)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    factory.close()


if __name__ == "__main__":
    main()
