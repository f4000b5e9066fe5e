"""A QCF qualification's rules of combination and the unit catalogue it draws credit from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

AWARD_MAX, CERTIFICATE_MAX = 12, 36


def size_band(total_credit: int) -> str:
    """Award 1-12 credits, Certificate 13-36, Diploma 37 or more."""
    if total_credit <= AWARD_MAX:
        return "Award"
    return "Certificate" if total_credit <= CERTIFICATE_MAX else "Diploma"


@dataclass(frozen=True)
class Unit:
    """A unit in the catalogue: its credit is fixed, whatever the learner's performance."""

    reference: str
    title: str
    level: int
    """Rank from `levels.level_rank`."""
    credit: int


@dataclass(frozen=True)
class RuleGroup:
    """Units from which some credit must (or may) come: mandatory, optional, ..."""

    name: str
    units: tuple[str, ...]
    min_credit: int = 0
    max_credit: int | None = None
    min_units: int = 0
    max_units: int | None = None


@dataclass(frozen=True)
class Exemption:
    """An achievement outside the framework that stands in for a unit (e.g. a named certificate)."""

    achievement: str
    unit: str


@dataclass(frozen=True)
class QcfRules:
    qualification: str
    title: str
    level: int
    total_credit: int
    credit_at_or_above_level: int
    groups: tuple[RuleGroup, ...]
    barred: tuple[frozenset[str], ...]
    """Sets of units of which at most one may count."""
    equivalences: Mapping[str, frozenset[str]]
    """Unit of this qualification -> other units declared equivalent to it."""
    exemptions: tuple[Exemption, ...]
    time_limit_years: int | None
    """Every counted unit achieved within this many years of the others; None for no limit."""

    @property
    def size(self) -> str:
        return size_band(self.total_credit)

    def units(self) -> tuple[str, ...]:
        return tuple(u for group in self.groups for u in group.units)
