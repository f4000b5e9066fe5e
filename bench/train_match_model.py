"""Train a match model's m and u from the synthetic population and write a new versioned file.

m is counted over noisy re-registrations of the same learner (the error model's rates), u over
random pairs of different learners (hard negatives would inflate u for the date of birth: they are
for testing the rules, not for estimating chance agreement); thresholds and term-frequency bounds
are kept from the base model. A model trained on our own generator learns our generator (e.g. that
schools are never recorded differently), so compare it on other data before shipping it. Evaluate the result with
`bench/matching_quality.py --model FILE` before shipping it as `src/openlrs/data/match_model.json`.

    python bench/train_match_model.py --learners 50000 --output var/match_model.trained.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Iterator

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.model_file import default_model, save_model
from openlrs.domain.matching.training import estimate_model
from openlrs.synth import generate_learners, reregistrations

TODAY = dt.date(2026, 11, 23)


def pairs(
    people: list[LearnerDetails], matches: int, non_matches: int, seed: int
) -> Iterator[tuple[LearnerDetails, LearnerDetails, bool]]:
    for truth, noisy, _ in reregistrations(people, matches, seed=seed):
        yield people[truth], noisy, True
    rng = random.Random(seed + 1)
    for _ in range(non_matches):
        left, right = rng.sample(people, 2)
        yield left, right, False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50_000)
    parser.add_argument("--matches", type=int, default=50_000)
    parser.add_argument("--non-matches", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=97)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    people = list(generate_learners(args.learners, seed=args.seed, today=TODAY))
    base = default_model()
    version = f"{dt.date.today().isoformat()}.trained-{args.seed}"
    model = estimate_model(
        pairs(people, args.matches, args.non_matches, args.seed), base, version=version
    )
    save_model(model, args.output)
    for field, levels in model.fields.items():
        weights = ", ".join(f"{level} {params.weight:+.1f}" for level, params in levels.items())
        print(f"{field}: {weights}")
    print(f"wrote {args.output} (version {model.version})")


if __name__ == "__main__":
    main()
