"""A VLD answer in words: the outcome, and each failed check as a sentence."""

from __future__ import annotations

from openlrs.domain.matching.verification import Check

OUTCOMES = {
    "exact": (
        "These details match this ULN",
        "The names, and the date of birth and gender where you gave them, match the learner's record.",
    ),
    "similar": (
        "Names are similar",
        "The names are close to the learner's record but not the same (a typing mistake, a short "
        "form or a changed family name). Check them with the learner.",
    ),
    "mismatch": (
        "The details do not match",
        "These details do not belong to this ULN. Check the ULN and the details with the learner.",
    ),
    "not_found": (
        "ULN not found",
        "The register holds no learner with this ULN. Check it with the learner.",
    ),
}

CHECKS = {
    Check.GIVEN_VS_GIVEN: "Given name against the given name held",
    Check.GIVEN_VS_FAMILY: "Given name against the family name held",
    Check.GIVEN_VS_PREVIOUS_FAMILY: "Given name against a previous family name held",
    Check.FAMILY_VS_GIVEN: "Family name against the given name held",
    Check.FAMILY_VS_FAMILY: "Family name against the family name held",
    Check.FAMILY_VS_PREVIOUS_FAMILY: "Family name against a previous family name held",
    Check.DATE_OF_BIRTH: "Date of birth",
    Check.GENDER: "Gender",
}
MAIN = (Check.GIVEN_VS_GIVEN, Check.FAMILY_VS_FAMILY, Check.DATE_OF_BIRTH, Check.GENDER)
"""The checks a person reads first; the cross-checks show swapped or changed names."""


def failed_main(failed: tuple[Check, ...]) -> list[str]:
    """The main checks that did not agree, as sentences."""
    return [f"{CHECKS[c]}: does not match" for c in MAIN if c in failed]


def all_checks(outcome: str, failed: tuple[Check, ...]) -> list[tuple[str, bool]]:
    """Every check and whether it agreed, as the LRS reports them (none for an exact match or an
    unknown ULN: there the cross-checks say nothing)."""
    if outcome in ("exact", "not_found"):
        return []
    return [(label, check not in failed) for check, label in CHECKS.items()]


def swapped(outcome: str, failed: tuple[Check, ...]) -> bool:
    """The given name agrees with the family name held and the family name with the given name."""
    crossed = {Check.GIVEN_VS_FAMILY, Check.FAMILY_VS_GIVEN}
    return outcome != "exact" and not crossed & set(failed)
