"""The QCF credit bank: a learner's unit achievements against a qualification's rules.

`evaluate_qcf` answers "can this learner claim X, and if not what is missing", with an explanation a
person can follow. Unit choice (barred sets, group maxima, the time window) is searched exhaustively
where small and greedily beyond that; see `qcf_selection.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from openlrs.domain.diploma.levels import level_name
from openlrs.domain.diploma.qcf_rules import QcfRules, Unit
from openlrs.domain.diploma.qcf_selection import Selection, Source, best_selection


@dataclass(frozen=True)
class UnitAchievement:
    """A unit on the learner's record: the credit comes from the catalogue, never the result."""

    unit: str
    achieved_on: dt.date


@dataclass(frozen=True)
class CountedUnit:
    unit: str
    title: str
    credit: int
    group: str
    how: str
    """`achieved`, `equivalent unit A/123/4567` or `exemption: <achievement>`."""


@dataclass(frozen=True)
class QcfEvaluation:
    qualification: str
    title: str
    size: str
    claimable: bool
    credit: int
    credit_at_or_above_level: int
    counted: tuple[CountedUnit, ...]
    missing: tuple[str, ...]
    explanation: tuple[str, ...]


def _sources(
    rules: QcfRules, achievements: Iterable[UnitAchievement], exemptions: frozenset[str]
) -> tuple[dict[str, list[Source]], list[str]]:
    """Each of the qualification's units -> the ways the learner holds it; and units that do not
    belong to the qualification at all."""
    units = set(rules.units())
    sources: dict[str, list[Source]] = {}
    unrelated = []
    for achievement in sorted(achievements, key=lambda a: (a.unit, a.achieved_on)):
        matched = False
        if achievement.unit in units:
            sources.setdefault(achievement.unit, []).append(
                Source(achievement.achieved_on, "achieved")
            )
            matched = True
        for unit, equivalents in sorted(rules.equivalences.items()):
            if achievement.unit in equivalents:
                how = f"equivalent unit {achievement.unit}"
                sources.setdefault(unit, []).append(Source(achievement.achieved_on, how))
                matched = True
        if not matched:
            unrelated.append(achievement.unit)
    for exemption in rules.exemptions:
        if exemption.achievement in exemptions:
            how = f"exemption: {exemption.achievement}"
            sources.setdefault(exemption.unit, []).append(Source(None, how))
    return sources, sorted(set(unrelated))


def evaluate_qcf(
    rules: QcfRules,
    catalogue: Mapping[str, Unit],
    achievements: Iterable[UnitAchievement],
    exemptions: frozenset[str] = frozenset(),
) -> QcfEvaluation:
    """Whether the learner can claim the qualification, the units that would count, what is
    missing, and why, in words."""
    sources, unrelated = _sources(rules, achievements, exemptions)
    chosen = best_selection(rules, catalogue, sources)
    explanation = list(_explain(rules, catalogue, chosen))
    explanation += [f"{u} is not part of this qualification" for u in unrelated]
    counted = tuple(
        CountedUnit(u, catalogue[u].title, catalogue[u].credit, group, chosen.how[u])
        for group, units in chosen.by_group.items()
        for u in units
    )
    return QcfEvaluation(
        qualification=rules.qualification,
        title=rules.title,
        size=rules.size,
        claimable=not chosen.missing,
        credit=chosen.credit,
        credit_at_or_above_level=chosen.credit_at_level,
        counted=counted,
        missing=tuple(chosen.missing),
        explanation=tuple(explanation),
    )


def _explain(rules: QcfRules, catalogue: Mapping[str, Unit], chosen: Selection) -> list[str]:
    lines = []
    for group in rules.groups:
        units = chosen.by_group.get(group.name, ())
        credit = sum(catalogue[u].credit for u in units)
        needs = []
        if group.min_credit:
            needs.append(f"{group.min_credit} credits")
        if group.min_units:
            needs.append(f"{group.min_units} units")
        need = f" (needs {' and '.join(needs)})" if needs else ""
        lines.append(f"Group {group.name}: {credit} credits from {len(units)} units{need}")
    lines.append(f"Total: {chosen.credit} of the {rules.total_credit} credits needed")
    if rules.credit_at_or_above_level:
        lines.append(
            f"At or above {level_name(rules.level)}: {chosen.credit_at_level} of the "
            f"{rules.credit_at_or_above_level} credits needed"
        )
    return lines + list(chosen.notes)
