"""Whether a submitted result can be held on an account at all (as opposed to counting)."""

from __future__ import annotations

from openlrs.domain.diploma.diploma_rules import FUNCTIONAL_SKILLS, Component, DiplomaRules
from openlrs.domain.diploma.errors import DiplomaResultInvalid
from openlrs.domain.diploma.results import ComponentResult

MAX_TEXT = {"reference": 64, "title": 200, "grade": 20, "barring_code": 20}
"""The longest each text field may be (the columns that hold them)."""


def check_shape(result: ComponentResult) -> None:
    """Refuse what no account could store: empty or over-long text, a level or GLH out of range.
    (The API's schema says the same; batch rows and other callers meet it here.)"""
    for name, longest in MAX_TEXT.items():
        value = getattr(result, name)
        if value is not None and not 0 < len(value) <= longest:
            raise DiplomaResultInvalid(f"{name} must be 1 to {longest} characters")
    if not result.title.strip() or not result.reference.strip():
        raise DiplomaResultInvalid("A result needs a reference and a title")
    if not 1 <= result.level <= 8:
        raise DiplomaResultInvalid("level must be from 1 to 8")
    if not 0 <= result.glh <= 5000 or (
        result.points is not None and not 0 <= result.points <= 10_000
    ):
        raise DiplomaResultInvalid("glh must be 0 to 5000 and points 0 to 10000")


def check_result(rules: DiplomaRules, result: ComponentResult) -> None:
    """Refuse a result that could never belong to this Diploma; a result that belongs but does not
    count (unclassified, wrong level, barred) is kept, and the evaluation says why."""
    check_shape(result)
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
