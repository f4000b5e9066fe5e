"""Choose which of a learner's units count towards a QCF qualification.

Tries every time window (when the rules set a time limit) and every choice within each barred set,
fills each group up to its maximum with the subset that earns most credit (exhaustively for up to
`EXHAUSTIVE` candidate units, greedily beyond), and keeps the selection that leaves least missing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from openlrs.domain.diploma.levels import level_name
from openlrs.domain.diploma.qcf_rules import QcfRules, RuleGroup, Unit

EXHAUSTIVE = 12


@dataclass(frozen=True)
class Source:
    """One way the learner holds a unit: a dated achievement (or equivalent), or an exemption."""

    achieved_on: dt.date | None
    how: str


@dataclass
class Selection:
    by_group: dict[str, tuple[str, ...]]
    how: dict[str, str]
    credit: int = 0
    credit_at_level: int = 0
    missing: list[str] = field(default_factory=list)
    shortfall: int = 0
    notes: list[str] = field(default_factory=list)

    def score(self) -> tuple[int, int, int, int]:
        return (-len(self.missing), -self.shortfall, self.credit, self.credit_at_level)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _windows(
    rules: QcfRules, sources: Mapping[str, list[Source]]
) -> list[tuple[dt.date, dt.date] | None]:
    dates = sorted({s.achieved_on for ss in sources.values() for s in ss if s.achieved_on})
    if rules.time_limit_years is None or not dates:
        return [None]
    return [(_years_before(end, rules.time_limit_years), end) for end in dates]


def _held(
    sources: Mapping[str, list[Source]], window: tuple[dt.date, dt.date] | None
) -> dict[str, str]:
    """Units held within the window -> how (an exemption, being undated, is always held)."""
    held = {}
    for unit, ways in sorted(sources.items()):
        for way in ways:
            if (
                way.achieved_on is None
                or window is None
                or window[0] <= way.achieved_on <= window[1]
            ):
                held[unit] = way.how
                break
    return held


def _barred_choices(rules: QcfRules, held: Mapping[str, str]) -> Iterator[frozenset[str]]:
    """Each way to drop all but one held unit of every barred set: the units dropped."""
    options = []
    for barred in rules.barred:
        present = sorted(barred & held.keys())
        if len(present) > 1:
            options.append([frozenset(present) - {keep} for keep in present])
    for combo in itertools.product(*options):
        yield frozenset().union(*combo)


def _fill(group: RuleGroup, units: Sequence[Unit], level: int) -> tuple[Unit, ...]:
    """The subset of `units` within the group's maxima that earns most credit (then most at level)."""

    def value(subset: Sequence[Unit]) -> tuple[int, int, int]:
        return (
            sum(u.credit for u in subset),
            sum(u.credit for u in subset if u.level >= level),
            -len(subset),
        )

    def fits(subset: Sequence[Unit]) -> bool:
        credit = sum(u.credit for u in subset)
        return (group.max_credit is None or credit <= group.max_credit) and (
            group.max_units is None or len(subset) <= group.max_units
        )

    ordered = sorted(units, key=lambda u: (-(u.level >= level), -u.credit, u.reference))
    if len(ordered) <= EXHAUSTIVE:
        subsets = (
            c for size in range(len(ordered) + 1) for c in itertools.combinations(ordered, size)
        )
        return max((s for s in subsets if fits(s)), key=value)
    chosen: list[Unit] = []
    for unit in ordered:
        if fits([*chosen, unit]):
            chosen.append(unit)
    return tuple(chosen)


def _select(
    rules: QcfRules, catalogue: Mapping[str, Unit], held: Mapping[str, str], dropped: frozenset[str]
) -> Selection:
    selection = Selection(by_group={}, how={})
    for group in rules.groups:
        candidates = [catalogue[u] for u in group.units if u in held and u not in dropped]
        chosen = _fill(group, candidates, rules.level)
        selection.by_group[group.name] = tuple(sorted(u.reference for u in chosen))
        credit = sum(u.credit for u in chosen)
        selection.credit += credit
        selection.credit_at_level += sum(u.credit for u in chosen if u.level >= rules.level)
        for unit in candidates:
            if unit not in chosen:
                selection.notes.append(
                    f"{unit.reference} not counted: group {group.name} is at its maximum"
                )
        if credit < group.min_credit:
            short = group.min_credit - credit
            selection.missing.append(f"Group {group.name}: {short} more credit(s) needed")
            selection.shortfall += short
        if len(chosen) < group.min_units:
            short = group.min_units - len(chosen)
            selection.missing.append(f"Group {group.name}: {short} more unit(s) needed")
            selection.shortfall += short
    if selection.credit < rules.total_credit:
        short = rules.total_credit - selection.credit
        selection.missing.append(f"{short} more credit(s) needed in total")
        selection.shortfall += short
    if selection.credit_at_level < rules.credit_at_or_above_level:
        short = rules.credit_at_or_above_level - selection.credit_at_level
        selection.missing.append(
            f"{short} more credit(s) needed at or above {level_name(rules.level)}"
        )
        selection.shortfall += short
    selection.how = {u: held[u] for units in selection.by_group.values() for u in units}
    for barred in rules.barred:
        counted = barred & selection.how.keys()
        left_out = sorted((barred & held.keys()) - counted)
        if counted and left_out:
            selection.notes.append(
                f"{', '.join(left_out)} barred: may not count with {', '.join(sorted(counted))}"
            )
    return selection


def best_selection(
    rules: QcfRules, catalogue: Mapping[str, Unit], sources: Mapping[str, list[Source]]
) -> Selection:
    best: Selection | None = None
    for window in _windows(rules, sources):
        held = _held(sources, window)
        for dropped in _barred_choices(rules, held):
            selection = _select(rules, catalogue, held, dropped)
            if window is not None:
                outside = sorted(u for u in sources if u not in held)
                if outside:
                    selection.notes.append(
                        f"Outside the {rules.time_limit_years}-year limit "
                        f"({window[0]} to {window[1]}): {', '.join(outside)}"
                    )
            if best is None or selection.score() > best.score():
                best = selection
    assert best is not None
    return best
