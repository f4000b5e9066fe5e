"""A Diploma account in words for the portal: labels for its requirements, components and status,
the offered Diplomas as form options, and which forms a user sees. What a user sees only mirrors
the rules; the use cases enforce them whatever is posted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.diploma.account import (
    AWARDING_ROLES,
    CENTRE_ROLES,
    AccountStatus,
    DiplomaAccount,
)
from openlrs.domain.diploma.diploma_rules import (
    FUNCTIONAL_SKILLS,
    PLTS,
    Component,
    DiplomaRules,
)
from openlrs.domain.diploma.evaluation import DiplomaEvaluation, RequirementStatus
from openlrs.domain.diploma.rule_files import all_diploma_rules

COMPONENTS = {
    Component.PRINCIPAL_LEARNING.value: "Principal learning",
    Component.PROJECT.value: "Project",
    Component.FUNCTIONAL_SKILL.value: "Functional skill",
    Component.ASL.value: "Additional and specialist learning (ASL)",
}
SUBJECTS = {"english": "English", "mathematics": "Mathematics", "ict": "ICT"}
assert set(SUBJECTS) == set(FUNCTIONAL_SKILLS)
SKILLS = {
    "independent_enquiry": "Independent enquiry",
    "creative_thinking": "Creative thinking",
    "reflective_learning": "Reflective learning",
    "team_working": "Team working",
    "self_management": "Self-management",
    "effective_participation": "Effective participation",
}
assert set(SKILLS) == set(PLTS)
REQUIREMENTS = {
    "principal_learning": "Principal learning",
    "project": "Project",
    "work_experience": "Work experience",
    "plts": "Personal, learning and thinking skills",
    "asl": "Additional and specialist learning",
}
REQUIREMENT_STATUS = {
    RequirementStatus.MET: ("Complete", "govuk-tag--green"),
    RequirementStatus.MISSING: ("Missing", "govuk-tag--grey"),
    RequirementStatus.NOT_MET: ("Not met", "govuk-tag--red"),
}
ACCOUNT_STATUS = {
    AccountStatus.OPEN: ("Open", "govuk-tag--blue"),
    AccountStatus.CLAIMED: ("Claimed", "govuk-tag--yellow"),
    AccountStatus.AWARDED: ("Awarded", "govuk-tag--green"),
}


def requirement_label(name: str) -> str:
    kind, _, subject = name.partition(":")
    if kind == "functional_skill":
        return f"Functional skills: {SUBJECTS.get(subject, subject)}"
    return REQUIREMENTS.get(name, name)


def tag(status: AccountStatus) -> dict[str, str]:
    text, classes = ACCOUNT_STATUS[status]
    return {"text": text, "classes": classes}


def diploma_options() -> list[dict[str, str]]:
    """Every shipped Diploma as a select option, `line/level`, in the order of the rule files."""
    return [{"value": key, "text": r.title} for key, r in all_diploma_rules().items()]


def requirement_rows(evaluation: DiplomaEvaluation) -> list[dict[str, Any]]:
    """Each requirement with its status tag and the sentence saying why."""
    rows = []
    for r in evaluation.requirements:
        text, classes = REQUIREMENT_STATUS[r.status]
        rows.append(
            {"label": requirement_label(r.name), "text": text, "classes": classes, "why": r.detail}
        )
    return rows


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def summary_rows(
    account: DiplomaAccount,
    evaluation: DiplomaEvaluation,
    rules: DiplomaRules,
    names: Callable[[str | None], str] = str,
) -> list[dict[str, Any]]:
    """The account at a glance, as the API's account body says it (as text: the macro escapes)."""
    if evaluation.achievable:
        achievable = "Yes"
    else:
        blocking = [
            requirement_label(r.name)
            for r in evaluation.requirements
            if r.status is RequirementStatus.NOT_MET
        ]
        achievable = f"No: a new result is needed for {', '.join(blocking)}"
    rows = [
        ("ULN", account.uln),
        ("Centre", names(account.centre_ukprn)),
        ("Diploma awarding body", names(account.awarding_body_ukprn)),
        ("Status", ACCOUNT_STATUS[account.status][0]),
        ("Complete", _yes_no(evaluation.complete)),
        ("Achievable", achievable),
        ("Trial grade", evaluation.trial_grade or "Not yet: needs principal learning and project"),
        ("Points (principal learning and project)", _points(evaluation.points)),
        ("Work experience", f"{account.work_experience_days} of {rules.work_experience_days} days"),
        ("PLTS completed", f"{len(account.plts)} of {len(PLTS)}"),
    ]
    if account.final_grade:
        rows.append(("Final grade", account.final_grade))
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


def _points(points: int | None) -> str:
    return "None yet" if points is None else str(points)


@dataclass(frozen=True)
class Permitted:
    """Which of the account page's forms to show this user."""

    record_evidence: bool
    claim: bool
    submit_results: bool
    award: bool
    documents: bool

    def may_withdraw(self, principal: Principal, awarding_body: str) -> bool:
        return self.submit_results and awarding_body == principal.ukprn


def permitted(principal: Principal, account: DiplomaAccount) -> Permitted:
    """The forms the use cases would accept from this user on this account now."""
    is_open = account.status is not AccountStatus.AWARDED
    centre = bool(principal.roles & CENTRE_ROLES) and (
        Role.ADMIN in principal.roles or account.centre_ukprn == principal.ukprn
    )
    return Permitted(
        record_evidence=centre and is_open,
        claim=centre and account.status is AccountStatus.OPEN,
        submit_results=bool(principal.roles & AWARDING_ROLES) and is_open,
        award=Role.AO in principal.roles
        and account.awarding_body_ukprn == principal.ukprn
        and account.status is AccountStatus.CLAIMED,
        documents=account.status is AccountStatus.AWARDED,
    )


def may_open_accounts(principal: Principal) -> bool:
    return bool(principal.roles & CENTRE_ROLES)
