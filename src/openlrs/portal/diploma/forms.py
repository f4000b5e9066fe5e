"""The Diploma pages' forms to use-case inputs. Only presence and number shape are checked here;
everything else (ULN, Diploma offered, result fits the rules, grade) is the use case's to say."""

from __future__ import annotations

from starlette.datastructures import FormData

from openlrs.domain.diploma.diploma_rules import Component
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.portal.forms import date_from, text
from openlrs.services.diploma.open_account import OpenDiplomaAccount
from openlrs.services.diploma.submit_result import SubmitDiplomaResult

OPEN_FIELDS = ("uln", "diploma", "awarding_body_ukprn")
RESULT_FIELDS = (
    "reference",
    "component",
    "subject",
    "qualification",
    "title",
    "level",
    "result_grade",
    "points",
    "glh",
    "barring_code",
    "achieved_on-day",
    "achieved_on-month",
    "achieved_on-year",
)
ANCHORS = {
    "achieved_on": "achieved_on-day",
    "component": "component",
    "skills": "skills",
    "diploma": "diploma",
}


def values_of(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """The fields as typed, to show back in the form."""
    return {name: text(form, name) for name in names}


def _required(form: FormData, labels: dict[str, str]) -> list[FieldError]:
    return [
        FieldError(name, "FIELD_REQUIRED", message)
        for name, message in labels.items()
        if not text(form, name)
    ]


def _whole_number(
    form: FormData, name: str, label: str, errors: list[FieldError], default: int | None = None
) -> int | None:
    raw = text(form, name)
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 6:
        errors.append(FieldError(name, "NUMBER_INVALID", f"{label} must be a whole number"))
        return default
    return int(raw)


def open_account_command(form: FormData) -> OpenDiplomaAccount:
    errors = _required(
        form,
        {
            "uln": "Enter the learner’s ULN",
            "diploma": "Select the Diploma",
            "awarding_body_ukprn": "Enter the UKPRN of the Diploma awarding body",
        },
    )
    if errors:
        raise ValidationFailed(errors)
    line, _, level = text(form, "diploma").partition("/")
    return OpenDiplomaAccount(text(form, "uln"), line, level, text(form, "awarding_body_ukprn"))


def result_command(account_id: str, form: FormData) -> SubmitDiplomaResult:
    errors = _required(
        form,
        {
            "reference": "Enter your reference for the result",
            "component": "Select what the result counts towards",
            "qualification": "Enter the qualification number",
            "title": "Enter the qualification title",
            "level": "Enter the level",
            "result_grade": "Enter the grade",
        },
    )
    achieved_on = None
    try:
        achieved_on = date_from(form, "achieved_on")
    except ValidationFailed as exc:
        errors += exc.errors
    else:
        if achieved_on is None:
            errors.append(FieldError("achieved_on", "FIELD_REQUIRED", "Enter the date achieved"))
    component = text(form, "component")
    if component and component not in set(Component):
        errors.append(
            FieldError("component", "FIELD_REQUIRED", "Select what the result counts towards")
        )
    level = _whole_number(form, "level", "The level", errors)
    points = _whole_number(form, "points", "Points", errors)
    glh = _whole_number(form, "glh", "Guided learning hours", errors, default=0)
    if errors:
        raise ValidationFailed(errors)
    assert achieved_on is not None and level is not None and glh is not None
    return SubmitDiplomaResult(
        account_id=account_id,
        reference=text(form, "reference"),
        component=Component(component),
        qualification=text(form, "qualification"),
        title=text(form, "title"),
        level=level,
        grade=text(form, "result_grade"),
        achieved_on=achieved_on,
        points=points,
        subject=text(form, "subject") or None,
        glh=glh,
        barring_code=text(form, "barring_code") or None,
    )


def work_experience_days(form: FormData) -> int:
    errors: list[FieldError] = []
    if not text(form, "days"):
        raise ValidationFailed([FieldError("days", "FIELD_REQUIRED", "Enter the days completed")])
    days = _whole_number(form, "days", "Days of work experience", errors)
    if errors or days is None:
        raise ValidationFailed(errors)
    return days


def plts_skills(form: FormData) -> frozenset[str]:
    return frozenset(v.strip() for v in form.getlist("skills") if isinstance(v, str) and v.strip())
