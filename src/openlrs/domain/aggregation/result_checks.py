"""Whether a submitted result can be held on an account at all (as opposed to counting)."""

from __future__ import annotations

from openlrs.domain.aggregation.diploma_rules import FUNCTIONAL_SKILLS, Component, DiplomaRules
from openlrs.domain.aggregation.errors import DiplomaResultInvalid
from openlrs.domain.aggregation.results import ComponentResult


def check_result(rules: DiplomaRules, result: ComponentResult) -> None:
    """Refuse a result that could never belong to this Diploma; a result that belongs but does not
    count (unclassified, wrong level, barred) is kept, and the evaluation says why."""
    if (
        result.component is Component.PRINCIPAL_LEARNING
        and result.qualification not in rules.principal_learning.qualifications
    ):
        allowed = ", ".join(sorted(rules.principal_learning.qualifications))
        raise DiplomaResultInvalid(
            f"{result.qualification} is not principal learning for {rules.line_title} "
            f"({rules.level.value}); expected {allowed}"
        )
    if result.component is Component.FUNCTIONAL_SKILL and result.subject not in FUNCTIONAL_SKILLS:
        raise DiplomaResultInvalid(
            f"A functional skill names its subject: {', '.join(FUNCTIONAL_SKILLS)}"
        )
    if result.component is not Component.FUNCTIONAL_SKILL and result.subject is not None:
        raise DiplomaResultInvalid("Only a functional skill has a subject")
    if result.component is Component.ASL and result.glh <= 0:
        raise DiplomaResultInvalid("An ASL result states its guided learning hours (glh)")
