"""The built-in lists the error model and hard negatives draw from, read once from openlrs/data."""

from __future__ import annotations

import functools
import itertools
import unicodedata
from dataclasses import dataclass
from importlib.resources import files

from openlrs.domain.learners.learner import Gender


@dataclass(frozen=True)
class District:
    """A real postcode district (outward code), its post town and a relative density weight."""

    outward: str
    town: str
    weight: int


@functools.cache
def family_names() -> tuple[str, ...]:
    """Common family names, most frequent first."""
    return tuple(_data_lines("synth_family_names.txt"))


@functools.cache
def family_name_cum_weights() -> tuple[float, ...]:
    """Cumulative Zipf-like weights for `family_names`, as the population draws them."""
    return tuple(itertools.accumulate(1 / rank**0.55 for rank in range(1, len(family_names()) + 1)))


@functools.cache
def given_name_cum_weights(gender: Gender) -> tuple[float, ...]:
    """Cumulative Zipf-like weights for `given_names(gender)`."""
    count = len(given_names(gender))
    return tuple(itertools.accumulate(1 / rank**0.6 for rank in range(1, count + 1)))


@functools.cache
def given_names(gender: Gender) -> tuple[str, ...]:
    """Common given names for MALE or FEMALE, most frequent first."""
    file_name = {
        Gender.MALE: "synth_given_names_male.txt",
        Gender.FEMALE: "synth_given_names_female.txt",
    }
    return tuple(line.split()[0] for line in _data_lines(file_name[gender]))


@functools.cache
def districts() -> tuple[District, ...]:
    rows = (line.split(",") for line in _data_lines("synth_postcode_districts.csv")[1:])
    return tuple(District(outward, town, int(weight)) for outward, town, weight in rows)


@functools.cache
def short_forms() -> dict[str, tuple[str, ...]]:
    """Each full given name (case-folded) and its common short forms, most usual first."""
    table: dict[str, list[str]] = {}
    for file_name in (
        "synth_nicknames.txt",
        "synth_given_names_male.txt",
        "synth_given_names_female.txt",
    ):
        for full, *shorts in (line.split() for line in _data_lines(file_name)):
            known = table.setdefault(full.casefold(), [])
            known.extend(short for short in shorts if short not in known)
    return {full: tuple(shorts) for full, shorts in table.items() if shorts}


@functools.cache
def full_forms() -> dict[str, tuple[str, ...]]:
    """Each short form (case-folded) and the full given names it stands for."""
    table: dict[str, list[str]] = {}
    for full, shorts in short_forms().items():
        for short in shorts:
            table.setdefault(short.casefold(), []).append(full.title())
    return {short: tuple(fulls) for short, fulls in table.items()}


@functools.cache
def spelling_groups() -> dict[str, tuple[str, ...]]:
    """Each name (case-folded) and every spelling of it that sounds alike, itself included."""
    table: dict[str, tuple[str, ...]] = {}
    for line in _data_lines("synth_name_variants.txt"):
        group = tuple(line.split())
        for name in group:
            table[name.casefold()] = group
    return table


def _data_lines(file_name: str) -> list[str]:
    text = (files("openlrs") / "data" / file_name).read_text(encoding="utf-8")
    lines = (unicodedata.normalize("NFC", line.strip()) for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]
