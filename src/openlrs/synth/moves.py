"""Postcode errors for the re-registration error model: moves, slips and the dummy postcode."""

from __future__ import annotations

import dataclasses
from random import Random

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.postcodes import DUMMY_POSTCODE, normalise_postcode, postcode_district
from openlrs.synth import reference, spelling

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_STREETS = (
    "Station Road", "Church Street", "Victoria Road", "Green Lane", "Manor Road", "Park Avenue",
    "Queen Street", "Mill Lane", "The Crescent", "Kings Road", "Albert Street", "New Road",
    "High Street", "Chapel Street", "Elm Grove", "Orchard Close", "Windsor Drive", "Grange Road",
)  # fmt: skip


def _inward(rng: Random) -> str:
    return f"{rng.randrange(10)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"


def _moved(details: LearnerDetails, rng: Random, postcode: str, town: str | None) -> LearnerDetails:
    """The record after a house move: new postcode, and a new street and town where given."""
    street = f"{rng.randint(1, 140)} {rng.choice(_STREETS)}"
    return dataclasses.replace(
        details,
        postcode=postcode,
        address_line_1=street if details.address_line_1 else None,
        address_line_2=None,
        town=town if details.town else None,
        date_of_address_capture=None,
    )


def _real_district(details: LearnerDetails) -> str | None:
    district = postcode_district(details.postcode)
    return None if district is None or details.postcode == DUMMY_POSTCODE else district


def postcode_same_district(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    district = _real_district(details)
    if district is None:
        return None
    return _moved(details, rng, f"{district} {_inward(rng)}", details.town)


def postcode_elsewhere(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    current = _real_district(details)
    options = [d for d in reference.districts() if d.outward != current]
    place = rng.choices(options, weights=[d.weight for d in options])[0]
    return _moved(details, rng, f"{place.outward} {_inward(rng)}", place.town)


def postcode_typo(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    district = _real_district(details)
    if district is None:
        return None
    inward = details.postcode[-3:]
    options = [inward[0] + inward[2] + inward[1]]
    options += [str(d) + inward[1:] for d in range(10) if abs(d - int(inward[0])) == 1]
    near = {i: spelling.keys_near(inward[i]).upper() for i in (1, 2)}
    options += [inward[0] + c + inward[2] for c in _INWARD_LETTERS if c in near[1]]
    options += [inward[:2] + c for c in _INWARD_LETTERS if c in near[2]]
    postcodes = {normalise_postcode(f"{district} {o}") for o in options}
    if district[-1].isdigit():  # a slip in the outward code lands in a neighbouring district
        known = {d.outward for d in reference.districts()}
        for step in (-1, 1):
            outward = f"{district[:-1]}{int(district[-1]) + step}"
            postcodes.add(f"{outward} {inward}" if outward in known else None)
    valid = sorted(p for p in postcodes if p is not None and p != details.postcode)
    return dataclasses.replace(details, postcode=rng.choice(valid)) if valid else None


def postcode_dummy(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    return dataclasses.replace(details, postcode=DUMMY_POSTCODE)


# --- Gender and missing fields --------------------------------------------------------------------
