"""`openlrs match-train`: estimate the match model from a register and the searches made of it.

No labels are needed: u from random pairs of register records, m and the prior by
expectation-maximisation over the comparison vectors of the pairs blocking brings together (each
query with the candidates its blocking keys fetch, both passes). The new model keeps the base's
thresholds (given as probabilities on the command line, or the base's), damping and
term-frequency bounds. When the queries carry labels (`true_id`, or `person_id` in both files,
as `openlrs match-eval` reads them) the report also checks the model against them: predicted
probability against the observed share of matches, and the clerical load of its decisions.

The shipped model is made from synthetic data (`--synthetic-learners`), never from FEBRL (kept for
evaluation); see docs/matching.md for the command and seed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random

from openlrs.batch.clerical import ClericalLoad
from openlrs.batch.match_eval import InMemoryRegister, read_learners
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.comparison import LEVELS, ComparisonVector, compare_keys
from openlrs.domain.matching.engine import classify
from openlrs.domain.matching.estimation import (
    calibration,
    estimate_u,
    estimated_model,
    expectation_maximisation,
)
from openlrs.domain.matching.keys import MatchKeys, blocking_keys, match_keys
from openlrs.domain.matching.model import (
    Damping,
    LevelParameters,
    MatchModel,
    Thresholds,
    probability,
    weigh,
)
from openlrs.domain.matching.outcomes import MatchOutcome

Query = tuple[str, LearnerDetails, frozenset[str] | None]
"""(query id, details, register ids of the same person: None without labels, empty if new)."""


@dataclass(frozen=True)
class TrainingData:
    register: InMemoryRegister
    queries: list[Query]
    source: str


def synthetic_data(learners: int, queries: int, *, seed: int, today: dt.date) -> TrainingData:
    """A synthetic register and a stream of searches of it: 80% returning learners with the
    default error model (none to three errors), 10% new learners, 10% twins and namesakes."""
    from openlrs.synth import generate_learners, hard_negatives, reregistrations

    people = list(generate_learners(learners, seed=seed, today=today))
    register = InMemoryRegister()
    for i, details in enumerate(people):
        register.add(str(i), details)
    found: list[Query] = []
    returning = queries * 8 // 10
    for n, (truth, noisy, _) in enumerate(reregistrations(people, returning, seed=seed)):
        found.append((f"r{n}", noisy, frozenset({str(truth)})))
    newcomers = generate_learners(queries // 10, seed=seed + 1, today=today)
    found += [(f"n{n}", details, frozenset()) for n, details in enumerate(newcomers)]
    negatives = hard_negatives(people, queries - len(found), seed=seed + 2, today=today)
    found += [(f"h{n}", other, frozenset()) for n, (_, other, _) in enumerate(negatives)]
    source = (
        f"synthetic: {learners:,} learners and {queries:,} searches (80% returning, 10% new, "
        f"10% twins and namesakes), seed {seed}, as of {today.isoformat()}"
    )
    return TrainingData(register, found, source)


def file_data(register_csv: Path, queries_csv: Path, *, today: dt.date) -> TrainingData:
    """A register and queries from CSV files (as `openlrs match-eval` reads them)."""
    from openlrs.batch.match_report import labels_of

    register = InMemoryRegister()
    with register_csv.open(newline="", encoding="utf-8-sig") as handle:
        for source_id, details, _ in read_learners(handle, today=today):
            if details is not None:
                register.add(source_id, details)
    labels = labels_of(register_csv, queries_csv)
    found: list[Query] = []
    with queries_csv.open(newline="", encoding="utf-8-sig") as handle:
        for query_id, details, _ in read_learners(handle, today=today):
            if details is not None:
                found.append((query_id, details, None if labels is None else labels[query_id]))
    return TrainingData(register, found, f"files {register_csv.name} and {queries_csv.name}")


def _all_keys(register: InMemoryRegister) -> list[MatchKeys]:
    """Every register record's match keys, worked out once."""
    return [match_keys(learner.details) for learner in register.learners]


def blocked_pairs(
    data: TrainingData, keys: Sequence[MatchKeys] | None = None
) -> Iterable[tuple[Query, str, ComparisonVector]]:
    """Each query with each candidate its blocking keys (both passes) fetch, compared."""
    known = keys or _all_keys(data.register)
    for query in data.queries:
        mine = match_keys(query[1])
        found: set[int] = set()
        for key in blocking_keys(query[1]):
            found.update(data.register.index.get(key, ()))
        for i in sorted(found):
            yield query, data.register.learners[i].uln, compare_keys(mine, known[i])


def random_pairs(
    register: InMemoryRegister, count: int, rng: Random, keys: Sequence[MatchKeys] | None = None
) -> Iterable[ComparisonVector]:
    """Comparison vectors of `count` pairs of register records drawn at random."""
    known = keys or _all_keys(register)
    for _ in range(count):
        a, b = rng.sample(range(len(known)), 2)
        yield compare_keys(known[a], known[b])


@dataclass(frozen=True)
class Training:
    model: MatchModel
    report: str


def train(
    data: TrainingData,
    base: MatchModel,
    *,
    version: str,
    seed: int,
    random_pair_count: int = 1_000_000,
    auto_match_probability: float | None = None,
    possible_probability: float | None = None,
    damping: Damping | None = None,
    margin: float | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Training:
    """Estimate a model from `data` (labels unused) and report what changed and how it checks."""
    rng = Random(f"openlrs-match-train:{seed}")
    keys = _all_keys(data.register)
    progress(f"match keys of {len(keys):,} register records")
    u = estimate_u(random_pairs(data.register, random_pair_count, rng, keys), base)
    progress(f"u from {random_pair_count:,} random pairs")
    pairs = list(blocked_pairs(data, keys))
    patterns = Counter(vector for _, _, vector in pairs)
    progress(f"{len(pairs):,} blocked pairs, {len(patterns):,} distinct comparison vectors")
    em = expectation_maximisation(patterns, u, base)
    progress(f"EM: {em.iterations} iterations, prior {em.match_share:.5f}")
    limits = base.thresholds
    thresholds = Thresholds(
        _weight(auto_match_probability) if auto_match_probability else limits.auto_match,
        _weight(possible_probability) if possible_probability else limits.possible,
        limits.margin if margin is None else margin,
    )
    description = (
        f"Estimated by `openlrs match-train` without labels from {data.source}: u from "
        f"{random_pair_count:,} random pairs as a start, then m, u and prior by EM over "
        f"{len(pairs):,} blocked pairs "
        f"({len(patterns):,} distinct comparison vectors; {em.iterations} iterations, "
        f"{'converged' if em.converged else 'NOT converged'})."
    )
    model = estimated_model(
        base, em.m, em.u, em.match_share, version=version, description=description
    )
    baseline = {field: u[field]["exact"] for field in ("given_name", "family_name")}
    model = dataclasses.replace(
        model,
        thresholds=thresholds,
        fields=_ordered(model),
        damping=damping or base.damping,
        term_frequency=dataclasses.replace(base.term_frequency, baseline=baseline),
    )
    report = _report(base, model, data, pairs, em.iterations, em.converged)
    return Training(model, report)


_NEVER_ABOVE = (("upn", "different_same_school", "different"),)
"""(field, level, other): `level` may never weigh more than `other` whatever EM says. A sibling's
UPN from the same school is rarer among a search's candidates than the EM sample shows (twins),
and is never evidence for the same learner."""


_NEVER_BELOW = (
    ("postcode", "area", "different"),
    ("postcode", "district", "area"),
    ("postcode", "sector", "district"),
    ("address", "same_town", "different"),
)
"""(field, level, other): a nearer `level` may never weigh less than `other`. Blocking fetches
candidates by postcode sector, so the strangers a search weighs share a sector far more often than
random pairs do and EM rates a move within the sector below one across the district; a nearer
address is never weaker evidence of the same learner. Applied farthest first, so each level ends
at least as heavy as every farther one."""


def _ordered(model: MatchModel) -> dict[str, dict[str, LevelParameters]]:
    fields = {field: dict(levels) for field, levels in model.fields.items()}
    for field, level, other in _NEVER_ABOVE:
        low, high = fields[field][level], fields[field][other]
        if low.weight > high.weight:
            fields[field][level] = LevelParameters(high.m * low.u / high.u, low.u)
    for field, level, other in _NEVER_BELOW:
        near, far = fields[field][level], fields[field][other]
        if near.weight < far.weight:
            fields[field][level] = LevelParameters(min(1.0, far.m * near.u / far.u), near.u)
    return fields


def _weight(p: float) -> float:
    return math.log2(p / (1 - p))


def _report(
    base: MatchModel,
    model: MatchModel,
    data: TrainingData,
    pairs: Sequence[tuple[Query, str, ComparisonVector]],
    iterations: int,
    converged: bool,
) -> str:
    lines = [
        f"# Match model {model.version}",
        "",
        model.description,
        "",
        f"Base model {base.version}. Prior (share of blocked pairs that are the same learner): "
        f"{base.prior:.5f} -> {model.prior:.5f}. EM: {iterations} iterations, "
        f"{'converged' if converged else 'not converged'}.",
        "",
        f"Thresholds: auto-match probability {model.thresholds.auto_match_probability:.6f} "
        f"(weight {model.thresholds.auto_match:.2f}), possible probability "
        f"{model.thresholds.possible_probability:.6f} (weight {model.thresholds.possible:.2f}), "
        f"margin {model.thresholds.margin:.2f}. Damping of optional fields' disagreement: "
        f"x{model.damping.factor:g} when names, date of birth and gender weigh "
        f"{model.damping.strong:g} or more.",
        "",
        "## What changed (m, u and weight = log2(m/u), old -> new)",
        "",
        "| field | level | m | u | weight |",
        "|---|---|---|---|---|",
    ]
    for field, levels in LEVELS.items():
        for level in levels:
            old, new = base.fields[field][level], model.fields[field][level]
            lines.append(
                f"| {field} | {level} | {old.m:.4g} -> {new.m:.4g} | {old.u:.4g} -> {new.u:.4g} "
                f"| {old.weight:+.2f} -> {new.weight:+.2f} |"
            )
    labelled = [(q, uln, v) for q, uln, v in pairs if q[2] is not None]
    if labelled:
        lines += _checks(model, data, labelled)
    else:
        lines += ["", "No labels: the model was not checked against known matches."]
    return "\n".join(lines) + "\n"


def _checks(
    model: MatchModel, data: TrainingData, labelled: Sequence[tuple[Query, str, ComparisonVector]]
) -> list[str]:
    tf = data.register.frequency()
    scored = [
        (probability(weigh(match_keys(q[1]), vector, model, tf)), uln in (q[2] or ()))
        for q, uln, vector in labelled
    ]
    lines = [
        "",
        "## Checked against the labels (not used in estimating)",
        "",
        f"{len(scored):,} labelled blocked pairs: predicted match probability against the share "
        "that were the same learner.",
        "",
        "| predicted | pairs | same learner | observed share | mean predicted |",
        "|---|---|---|---|---|",
    ]
    for band in calibration(scored):
        observed = f"{band.matches / band.pairs:.5f}" if band.pairs else "-"
        lines.append(
            f"| [{band.low:g}, {band.high:g}) | {band.pairs:,} | {band.matches:,} | {observed} "
            f"| {band.mean_predicted:.5f} |"
        )
    load, wrong, exact = ClericalLoad(), 0, 0
    for query_id, details, truth in data.queries:
        if truth is None:
            continue
        result = classify(details, data.register.candidates(details, model, tf), {}, model, tf=tf)
        ulns = [learner.uln for learner in result.learners]
        if result.outcome in (MatchOutcome.EXACT, MatchOutcome.LINKED):
            exact += 1
            wrong += ulns[0] not in truth
        if truth:
            kind = query_id[0]
            load.add(
                [{"r": "returning"}.get(kind, kind)], result.outcome, right=bool(truth & set(ulns))
            )
    lines += [
        "",
        f"Decisions on the labelled searches: {exact:,} exact answers, {wrong} for the wrong "
        "person (new learners, twins and namesakes included).",
        "",
        "```",
        load.table(),
        "```",
    ]
    return lines
