"""The QCF credit bank: which qualifications a learner's units let them claim, and what is missing.

Fed the learner's unit achievements (from the PLR once issue 9's learning events land; from the
caller until then), evaluated against every shipped qualification's rules of combination.
"""

from __future__ import annotations

from collections.abc import Iterable

from openlrs.domain.accounts import VERIFY_ROLES, Principal
from openlrs.domain.aggregation.credit_bank import QcfEvaluation, UnitAchievement, evaluate_qcf
from openlrs.domain.aggregation.rule_files import all_qcf_rules, qcf_rules, unit_catalogue
from openlrs.domain.identifiers import parse_qualification_number, parse_unit_reference


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
    if qualification is not None:
        rules = [qcf_rules(parse_qualification_number(qualification))]
    else:
        rules = list(all_qcf_rules().values())
    catalogue = unit_catalogue()
    found = [evaluate_qcf(r, catalogue, held, exemptions) for r in rules]
    return sorted(found, key=lambda e: (not e.claimable, e.qualification))
