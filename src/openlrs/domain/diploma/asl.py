"""Additional and specialist learning: which ASL results count, and whether their GLH suffice."""

from __future__ import annotations

from collections.abc import Iterable

from openlrs.domain.diploma.diploma_rules import AslRule
from openlrs.domain.diploma.evaluation import Requirement
from openlrs.domain.diploma.evaluation import RequirementStatus as S
from openlrs.domain.diploma.results import ComponentResult


def _refusal(rule: AslRule, barred_codes: frozenset[str], result: ComponentResult) -> str | None:
    """Why one ASL result cannot count on its own, or None if it can."""
    if not result.achieved:
        return f"{result.title} was not achieved (graded {result.grade})"
    if result.level < rule.min_level:
        return f"{result.title} is at level {result.level}, below level {rule.min_level}"
    if result.achieved_on < rule.earliest:
        return f"{result.title} was achieved before {rule.earliest.day} {rule.earliest:%B %Y}"
    if result.barring_code and result.barring_code in barred_codes:
        return f"{result.title} overlaps the Diploma's other learning (barring code {result.barring_code})"
    return None


def evaluate_asl(
    rule: AslRule, barred_codes: frozenset[str], results: Iterable[ComponentResult]
) -> Requirement:
    """Count the GLH of eligible ASL results; of those sharing a barring code only one counts
    (the most GLH, then the lowest reference, so the choice never depends on arrival order)."""
    reasons: list[str] = []
    by_code: dict[str, list[ComponentResult]] = {}
    for result in sorted(results, key=lambda r: r.reference):
        refusal = _refusal(rule, barred_codes, result)
        if refusal:
            reasons.append(refusal)
        else:
            by_code.setdefault(result.barring_code or f"#{result.reference}", []).append(result)
    counted = []
    for group in by_code.values():
        keep, *others = sorted(group, key=lambda r: (-r.glh, r.reference))
        counted.append(keep)
        reasons += [
            f"{o.title} shares barring code {o.barring_code} with {keep.title}, which counts instead"
            for o in others
        ]
    glh = sum(r.glh for r in counted)
    refs = tuple(sorted(r.reference for r in counted))
    if glh >= rule.min_glh:
        return Requirement("asl", S.MET, f"{glh} GLH of additional and specialist learning", refs)
    detail = f"{glh} of the {rule.min_glh} GLH of additional and specialist learning count"
    if reasons:
        return Requirement("asl", S.NOT_MET, detail + "; " + "; ".join(reasons), refs)
    return Requirement("asl", S.MISSING, detail, refs)
