"""Clerical load: of the returning learners searched for, how many the engine matched by itself,
how many it sent to a person, and how many it missed, per error type.

- auto: an exact (or linked) answer for the right person;
- person: a possible or too-many answer (someone in the exceptions queue chooses);
- missed: no match, so a second ULN would be minted (a duplicate);
- wrong: an exact answer for someone else (the failure that must not happen).

`bench/matching_quality.py` and `openlrs match-eval --report` print the same table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from openlrs.domain.matching.outcomes import MatchOutcome

_AUTO = frozenset({MatchOutcome.EXACT, MatchOutcome.LINKED})
_PERSON = frozenset({MatchOutcome.POSSIBLE, MatchOutcome.TOO_MANY})
ALL = "ALL returning learners"


class ClericalLoad:
    """Counts of outcomes per label (error type, number of errors), for returning learners."""

    def __init__(self) -> None:
        self.rows: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, labels: Iterable[str], outcome: MatchOutcome, *, right: bool) -> None:
        """One returning learner's search: its labels, outcome, and whether the right person was
        the exact answer (or among those listed for a person)."""
        if outcome in _AUTO:
            kind = "auto" if right else "wrong"
        elif outcome in _PERSON:
            kind = "person" if right else "person_without"
        else:
            kind = "missed"
        for label in {*labels, ALL}:
            self.rows[label]["n"] += 1
            self.rows[label][kind] += 1

    def table(self) -> str:
        """A plain-text table, one row per label (the whole at the bottom)."""
        head = (
            f"{'error type':32} {'n':>6} {'auto':>7} {'person':>7} {'missed':>7} "
            f"{'wrong':>7} {'listed w/o right':>16}"
        )
        lines = [head]
        for label in sorted(self.rows, key=lambda k: (k == ALL, k)):
            row = self.rows[label]
            n = row["n"]

            def share(kind: str, n: int = n, row: Counter[str] = row) -> str:
                return f"{row[kind] / n:.4f}" if n else "-"

            lines.append(
                f"{label:32} {n:>6} {share('auto'):>7} {share('person'):>7} "
                f"{share('missed'):>7} {share('wrong'):>7} {share('person_without'):>16}"
            )
        return "\n".join(lines)
