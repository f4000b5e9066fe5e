"""Matching quality on a synthetic register: per error type, how often the engine finds the person.

Generates a population (the register), noisy re-registrations of people in it (labelled with the
errors applied) and hard negatives (twins, namesakes: other people who must never be matched as
exact), runs every query through blocking keys + the scoring engine, and prints per error type:

- exact precision: exact answers that were the right person / all exact answers
- recall: the right person returned as exact or among the possibles
- duplicate rate: no_match for a person already in the register (a second ULN would be minted)
- too-many rate, and rows examined per search (candidates fetched through the blocking keys,
  the second pass's included when a search needed it)
- the clerical load: per error type (and per number of errors), the share of returning learners
  matched automatically, sent to a person, and missed (`openlrs.batch.clerical`)

Every re-registration carries one to three errors (`--min-errors 0` also draws error-free ones).

    python bench/matching_quality.py --learners 100000 --queries 20000 --negatives 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections import Counter, defaultdict

from openlrs.batch.clerical import ClericalLoad
from openlrs.batch.match_eval import InMemoryRegister
from openlrs.domain.matching.engine import classify
from openlrs.domain.matching.model import MatchModel
from openlrs.domain.matching.model_file import default_model, load_model
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.synth import generate_learners, hard_negatives, reregistrations

TODAY = dt.date(2026, 11, 23)


def evaluate(
    register: InMemoryRegister,
    model: MatchModel,
    queries: int,
    negatives: int,
    seed: int,
    min_errors: int = 1,
) -> None:
    tf = register.frequency()
    people = [learner.details for learner in register.learners]
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    load = ClericalLoad()
    examined: list[int] = []
    started = time.perf_counter()
    for truth, noisy, errors in reregistrations(people, queries, seed=seed, min_errors=min_errors):
        pool = register.candidates(noisy, model, tf)
        examined.append(len(pool))
        result = classify(noisy, pool, {}, model, tf=tf)
        ulns = [learner.uln for learner in result.learners]
        right = str(truth) in ulns
        count = f"{len(errors)} error{'' if len(errors) == 1 else 's'} at once"
        load.add([e.value for e in errors] + [count], result.outcome, right=right)
        for label in [e.value for e in errors] or ["no_error"]:
            row = stats[label]
            row["queries"] += 1
            row[result.outcome.value] += 1
            if result.outcome is MatchOutcome.EXACT:
                row["exact_right" if right else "exact_wrong"] += 1
            if right and result.outcome in (MatchOutcome.EXACT, MatchOutcome.POSSIBLE):
                row["found"] += 1
        stats["ALL re-registrations"]["queries"] += 1
        total = stats["ALL re-registrations"]
        total[result.outcome.value] += 1
        if result.outcome is MatchOutcome.EXACT:
            total["exact_right" if right else "exact_wrong"] += 1
        if right and result.outcome in (MatchOutcome.EXACT, MatchOutcome.POSSIBLE):
            total["found"] += 1
    for wrong_for, other, kind in hard_negatives(people, negatives, seed=seed + 1, today=TODAY):
        pool = register.candidates(other, model, tf)
        examined.append(len(pool))
        result = classify(other, pool, {}, model, tf=tf)
        row = stats[f"hard negative: {kind}"]
        row["queries"] += 1
        row[result.outcome.value] += 1
        if result.outcome is MatchOutcome.EXACT:
            row["exact_wrong" if result.learners[0].uln == str(wrong_for) else "exact_other"] += 1
    seconds = time.perf_counter() - started
    _print(stats, examined, seconds)
    print("\nclerical load (returning learners): auto = exact for the right person, person = sent")
    print("to a person (possible or too many), missed = no match (a duplicate ULN), wrong = exact")
    print("for someone else; 'listed w/o right' = sent to a person without the right one listed")
    print(load.table())


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:.4f}" if whole else "   -  "


def _print(stats: dict[str, Counter[str]], examined: list[int], seconds: float) -> None:
    print(
        f"{'error type':28} {'n':>6} {'exact prec':>10} {'recall':>7} {'dup rate':>8} "
        f"{'too many':>8} {'exact':>6} {'possible':>8}"
    )
    order = sorted(stats, key=lambda k: (k.startswith("ALL"), k.startswith("hard"), k))
    for label in order:
        row = stats[label]
        n = row["queries"]
        exact = row["exact_right"] + row["exact_wrong"] + row["exact_other"]
        if label.startswith("hard"):
            precision = _rate(exact - row["exact_wrong"], exact)
            recall = dup = "   -  "
        else:
            precision = _rate(row["exact_right"], exact)
            recall = _rate(row["found"], n)
            dup = _rate(row["no_match"], n)
        print(
            f"{label:28} {n:>6} {precision:>10} {recall:>7} {dup:>8} "
            f"{_rate(row['too_many'], n):>8} {_rate(row['exact'], n):>6} "
            f"{_rate(row['possible'], n):>8}"
        )
    everything = Counter[str]()
    for label, row in stats.items():
        if label.startswith(("ALL", "hard")):  # each query once
            everything.update(row)
    exact = sum(everything[k] for k in ("exact_right", "exact_wrong", "exact_other"))
    print(
        "exact precision over every query (re-registrations and hard negatives): "
        f"{_rate(everything['exact_right'], exact)} "
        f"({exact - everything['exact_right']} wrong of {exact} exact answers)"
    )
    examined.sort()
    print(
        f"rows examined per search: mean {statistics.fmean(examined):.0f}, "
        f"p95 {examined[int(len(examined) * 0.95)]}, max {examined[-1]}; "
        f"{len(examined) / seconds:,.0f} searches/s in one process"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--negatives", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--min-errors", type=int, default=1, help="errors in each re-registration")
    parser.add_argument("--model", help="a match model JSON file (default: the shipped model)")
    args = parser.parse_args()
    model = load_model(args.model) if args.model else default_model()
    started = time.perf_counter()
    people = list(generate_learners(args.learners, seed=args.seed, today=TODAY))
    register = InMemoryRegister()
    for i, details in enumerate(people):
        register.add(str(i), details)
    print(
        f"register of {len(people):,} learners indexed in {time.perf_counter() - started:.1f} s; "
        f"model {model.version}"
    )
    evaluate(register, model, args.queries, args.negatives, args.seed, args.min_errors)


if __name__ == "__main__":
    main()
