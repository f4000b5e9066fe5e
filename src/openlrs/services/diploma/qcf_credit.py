"""The QCF credit bank's what-if evaluation: which qualifications the units a caller supplies would
let a learner claim, and what is missing, each evaluated against the shipped rules of combination.

The learner's own credit, read from their Personal Learning Record, is `learner_credit.py`; both
evaluate through `evaluate_units` here.
"""

from __future__ import annotations

from collections.abc import Iterable

from openlrs.domain.accounts.organisations import VERIFY_ROLES, Principal
from openlrs.domain.diploma.credit_bank import QcfEvaluation, UnitAchievement, evaluate_qcf
from openlrs.domain.diploma.qcf_rules import QcfRules
from openlrs.domain.diploma.rule_files import all_qcf_rules, qcf_rules, unit_catalogue
from openlrs.domain.identifiers import parse_qualification_number, parse_unit_reference


def rules_for(qualification: str | None) -> list[QcfRules]:
    """The named qualification's rules (QCF_QUALIFICATION_NOT_FOUND if none ships), else all."""
    if qualification is not None:
        return [qcf_rules(parse_qualification_number(qualification))]
    return list(all_qcf_rules().values())


def evaluate_units(
    rules: Iterable[QcfRules], held: Iterable[UnitAchievement], exemptions: frozenset[str]
) -> list[QcfEvaluation]:
    """Each qualification's evaluation, claimable ones first."""
    catalogue = unit_catalogue()
    units = list(held)
    found = [evaluate_qcf(r, catalogue, units, exemptions) for r in rules]
    return sorted(found, key=lambda e: (not e.claimable, e.qualification))


def evaluate_credit(
    units: Iterable[UnitAchievement],
    *,
    exemptions: frozenset[str] = frozenset(),
    qualification: str | None = None,
    principal: Principal,
) -> list[QcfEvaluation]:
    """One qualification's evaluation when named, else every shipped one (claimable first)."""
    principal.require(VERIFY_ROLES)
    held = [UnitAchievement(parse_unit_reference(u.unit), u.achieved_on) for u in units]
    return evaluate_units(rules_for(qualification), held, exemptions)
