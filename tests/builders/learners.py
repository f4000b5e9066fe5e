"""Realistic learner request bodies from the synthetic population, with deterministic seeds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from openlrs.domain.errors import UlnInvalid
from openlrs.domain.identifiers import make_uln
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.synth import generate_learners

# Learners are generated as of a fixed date in the past, so the bodies never change and the
# learners only grow older (still far from the 100-year limit) as the real date moves on.
SYNTH_TODAY = dt.date(2026, 1, 1)

MANDATORY = ("given_name", "family_name", "date_of_birth", "gender", "postcode")


def learner_json(details: LearnerDetails) -> dict[str, Any]:
    """A LearnerDetails as a request body: dates in ISO form, unset fields left out."""
    body: dict[str, Any] = {}
    for name, value in dataclasses.asdict(details).items():
        if value is None:
            continue
        body[name] = value.isoformat() if isinstance(value, dt.date) else value
    return body


def learner_details(count: int, *, seed: int) -> list[LearnerDetails]:
    """`count` realistic learners; the same seed gives the same ones."""
    return list(generate_learners(count, seed=seed, today=SYNTH_TODAY))


def learner_bodies(count: int, *, seed: int) -> list[dict[str, Any]]:
    """`count` realistic learners as request bodies; the same seed gives the same ones."""
    return [learner_json(d) for d in learner_details(count, seed=seed)]


def learner_body(seed: int = 1) -> dict[str, Any]:
    return learner_bodies(1, seed=seed)[0]


def search_body(learner: dict[str, Any]) -> dict[str, Any]:
    """The demographic search for a learner body: its five mandatory fields."""
    return {name: learner[name] for name in MANDATORY}


def unissued_uln(start: int = 100_000_000) -> str:
    """The ULN (right check digit) formed from the first 9-digit body at or above `start` that has one.

    Issued ULNs are keyed permutations spread over 900 million bodies, so in a new database this
    one is free in practice."""
    body = start
    while True:
        try:
            return make_uln(str(body))
        except UlnInvalid:
            body += 1
