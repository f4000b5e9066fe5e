"""A synthetic register with planted duplicates and hard negatives, for the duplicate audit.

The population comes first; then noisy re-registrations of distinct people in it (each a new
record, as if given a fresh ULN), some forced to carry a named error; then hard negatives (twins,
namesakes) who are different people. Records are indexed by position; the caller issues ULNs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from random import Random

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.synth.errors import ErrorType, apply, corrupt
from openlrs.synth.hard_negatives import HardNegativeKind, hard_negatives
from openlrs.synth.population import generate_learners


@dataclass
class PlantedRegister:
    """Every record, and which ones are planted: duplicates and hard negatives, by position."""

    records: list[LearnerDetails] = field(default_factory=list)
    duplicates: dict[int, tuple[int, tuple[ErrorType, ...]]] = field(default_factory=dict)
    """planted position -> (position of the person it duplicates, errors it carries)"""
    hard_negatives: dict[int, tuple[int, HardNegativeKind]] = field(default_factory=dict)
    """planted position -> (position of the look-alike, kind)"""


def planted_register(
    learners: int,
    duplicates: int,
    *,
    seed: int,
    today: dt.date,
    forced: Sequence[ErrorType] = (),
    negatives: int = 0,
) -> PlantedRegister:
    """`learners` people, then `duplicates` noisy re-registrations of distinct people among them
    (the first len(forced) each carry that error, the rest the error model's usual mix), then
    `negatives` twins and namesakes."""
    if duplicates > learners:
        raise ValueError("cannot plant more duplicates than there are learners")
    register = PlantedRegister(records=list(generate_learners(learners, seed=seed, today=today)))
    people = register.records[:learners]
    rng = Random(f"openlrs-planted:{seed}")
    order = rng.sample(range(learners), learners)
    for index in order:
        if len(register.duplicates) == duplicates:
            break
        wanted = (
            forced[len(register.duplicates)] if len(register.duplicates) < len(forced) else None
        )
        if wanted is None:
            noisy, errors = corrupt(people[index], rng)
        else:
            forced_noisy = apply(people[index], wanted, rng)
            if forced_noisy is None:
                continue  # that error cannot apply to this person (no nickname, day > 12)
            noisy, errors = forced_noisy, (wanted,)
        register.duplicates[len(register.records)] = (index, errors)
        register.records.append(noisy)
    for original, other, kind in hard_negatives(people, negatives, seed=seed + 1, today=today):
        register.hard_negatives[len(register.records)] = (original, kind)
        register.records.append(other)
    return register


def planted_pairs(register: PlantedRegister) -> set[frozenset[int]]:
    """The duplicate pairs an audit should find, as sets of two positions."""
    return {
        frozenset((planted, original)) for planted, (original, _) in register.duplicates.items()
    }
