"""Apply to be a learning provider (public, no sign-in): one question page at a time, check your
answers with Change links, then the application goes to the service desk. Each page is checked by
the same rules as the whole application (domain/providers/rules.py), keeping only its own fields'
problems; answers are kept in a signed cookie (portal/drafts.py), never in a URL."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import OrgType
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.providers.provider import Address, Contact, LegalStatus, ProviderDetails
from openlrs.domain.providers.rules import validated_details
from openlrs.portal.drafts import clear_draft, read_draft, write_draft
from openlrs.portal.forms import text
from openlrs.portal.rendering import redirect, render
from openlrs.portal.security import MaybeUserDep
from openlrs.services.providers.apply import apply_for_ukprn

router = APIRouter(prefix="/providers/apply")
BASE = "/portal/providers/apply"
DRAFT = "provider_application"
KINDS = {
    OrgType.COLLEGE: "Further education college",
    OrgType.SCHOOL: "School or academy",
    OrgType.TRAINING_PROVIDER: "Training provider",
    OrgType.PRISON: "Prison education (offender learning) provider",
    OrgType.LOCAL_AUTHORITY: "Local authority",
    OrgType.HIGHER_EDUCATION: "University or higher education provider",
    OrgType.AWARDING_ORGANISATION: "Awarding organisation",
}
LEGAL = {
    LegalStatus.COMPANY: "Company",
    LegalStatus.CHARITABLE_COMPANY: "Charitable company",
    LegalStatus.CHARITY: "Charity (not a company)",
    LegalStatus.LLP: "Limited liability partnership",
    LegalStatus.PARTNERSHIP: "Partnership",
    LegalStatus.SOLE_TRADER: "Sole trader",
    LegalStatus.PUBLIC_BODY: "Public body",
    LegalStatus.OTHER: "Other",
}


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    label: str
    hint: str = ""
    optional: bool = False
    width: str = ""
    choices: dict[Any, str] | None = None
    autocomplete: str = "off"

    @property
    def id(self) -> str:
        return self.name.replace(".", "-")


@dataclasses.dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: tuple[Field, ...]
    summary: str


STEPS = (
    Step(
        "organisation",
        "What is your organisation called?",
        (
            Field("legal_name", "Legal name", "As registered, for example with Companies House"),
            Field(
                "trading_names.0",
                "Trading name (optional)",
                "If you trade under another name",
                True,
            ),
            Field("website", "Website (optional)", "For example, www.example.ac.uk", True),
        ),
        "Organisation",
    ),
    Step(
        "kind",
        "What kind of provider are you?",
        (Field("provider_type", "What kind of provider are you?", choices=KINDS),),
        "Kind of provider",
    ),
    Step(
        "legal-status",
        "What is your organisation’s legal status?",
        (
            Field("legal_status", "Legal status", choices=LEGAL),
            Field(
                "company_number",
                "Company number",
                "Needed for a company or LLP",
                True,
                "govuk-input--width-10",
            ),
            Field(
                "charity_number",
                "Charity number",
                "Needed for a charity",
                True,
                "govuk-input--width-10",
            ),
        ),
        "Legal status",
    ),
    Step(
        "address",
        "What is your organisation’s address?",
        (
            Field("address.line_1", "Address line 1", autocomplete="address-line1"),
            Field(
                "address.line_2",
                "Address line 2 (optional)",
                optional=True,
                autocomplete="address-line2",
            ),
            Field(
                "address.town",
                "Town or city",
                width="govuk-!-width-two-thirds",
                autocomplete="address-level2",
            ),
            Field(
                "address.postcode",
                "Postcode",
                width="govuk-input--width-10",
                autocomplete="postal-code",
            ),
        ),
        "Address",
    ),
    Step(
        "contact",
        "Who should we contact about the application?",
        (
            Field("contact.name", "Full name", autocomplete="name"),
            Field(
                "contact.email",
                "Email address",
                "We will tell them the outcome",
                autocomplete="email",
            ),
            Field(
                "contact.phone",
                "Telephone number (optional)",
                optional=True,
                width="govuk-input--width-20",
                autocomplete="tel",
            ),
        ),
        "Contact",
    ),
)
BY_SLUG = {s.slug: s for s in STEPS}
REQUIRED = {
    "legal_name": "Enter your organisation’s legal name",
    "provider_type": "Select the kind of provider you are",
    "legal_status": "Select your organisation’s legal status",
    "address.line_1": "Enter the first line of the address",
    "address.town": "Enter the town or city",
    "address.postcode": "Enter a real UK postcode, like LS1 4AP",
    "contact.name": "Enter the name of the person we should contact",
    "contact.email": "Enter their email address, like name@example.org",
}


def _details(answers: dict[str, str]) -> ProviderDetails:
    """The application as the domain sees it (missing answers as empty text)."""

    def get(name: str) -> str:
        return answers.get(name, "")

    kind = get("provider_type")
    status = get("legal_status")
    return ProviderDetails(
        legal_name=get("legal_name"),
        provider_type=OrgType(kind)
        if kind in OrgType.__members__.values()
        else OrgType.SERVICE_DESK,
        legal_status=LegalStatus(status)
        if status in LegalStatus.__members__.values()
        else LegalStatus.OTHER,
        contact=Contact(get("contact.name"), get("contact.email"), get("contact.phone") or None),
        address=Address(
            get("address.line_1"),
            get("address.town"),
            get("address.postcode"),
            get("address.line_2") or None,
        ),
        trading_names=tuple(n for n in (get("trading_names.0"),) if n),
        company_number=get("company_number") or None,
        charity_number=get("charity_number") or None,
        website=get("website") or None,
    )


def _problems(answers: dict[str, str], step: Step | None = None) -> list[FieldError]:
    """Every problem with the answers (of `step` only, when given), in the order of the pages."""
    names = [f.name for s in (STEPS if step is None else (step,)) for f in s.fields]
    try:
        validated_details(_details(answers))
    except ValidationFailed as exc:
        found = [e for e in exc.errors if e.field in names]
        if "legal_status" in names and not answers.get("legal_status"):
            found.append(FieldError("legal_status", "FIELD_REQUIRED", ""))
        friendly = [
            FieldError(e.field, e.code, REQUIRED.get(e.field, e.message))
            if e.code in ("FIELD_REQUIRED", "PROVIDER_TYPE_INVALID", "POSTCODE_INVALID")
            or not e.message
            else e
            for e in found
        ]
        return sorted(friendly, key=lambda e: names.index(e.field))
    if "legal_status" in names and not answers.get("legal_status"):
        return [FieldError("legal_status", "FIELD_REQUIRED", REQUIRED["legal_status"])]
    return []


def _next(answers: dict[str, str]) -> str:
    for step in STEPS:
        if not answers.get(f"done:{step.slug}"):
            return f"{BASE}/{step.slug}"
    return f"{BASE}/check"


def _step_page(
    request: Request, step: Step, answers: dict[str, str], errors: list[FieldError], principal: Any
) -> Response:
    index = STEPS.index(step)
    back = f"{BASE}/{STEPS[index - 1].slug}" if index else BASE
    ids = {f.name: f.id for f in step.fields}
    return render(
        request,
        "providers/apply_step.html",
        422 if errors else 200,
        title=step.title,
        step=step,
        answers=answers,
        errors=[{"text": e.message, "href": f"#{ids[e.field]}"} for e in errors] or None,
        field_errors={ids[e.field]: {"text": e.message} for e in reversed(errors)},
        caption=f"Question {index + 1} of {len(STEPS)}",
        back=back,
    )


@router.get("")
async def start(request: Request, principal: MaybeUserDep) -> Response:
    return render(
        request,
        "providers/apply_start.html",
        title="Apply to be a learning provider",
        back="/portal/providers",
    )


@router.get("/new")
async def begin(request: Request) -> Response:
    return clear_draft(redirect(f"{BASE}/organisation"), DRAFT, BASE)


@router.get("/check")
async def check_page(request: Request, principal: MaybeUserDep) -> Response:
    answers = read_draft(request, DRAFT)
    if _next(answers) != f"{BASE}/check":
        return redirect(_next(answers))
    return _check(request, answers, [], principal)


def _value(field: Field, answers: dict[str, str]) -> str:
    value = answers.get(field.name, "")
    if field.choices:
        return str(field.choices.get(value, value))
    return value


def _check(
    request: Request, answers: dict[str, str], errors: list[FieldError], principal: Any
) -> Response:
    rows = []
    for step in STEPS:
        lines = [_value(f, answers) for f in step.fields if _value(f, answers)]
        rows.append(
            {
                "key": {"text": step.summary},
                "value": {"html": "<br>".join(_escape(line) for line in lines)},
                "actions": {
                    "items": [
                        {
                            "href": f"{BASE}/{step.slug}",
                            "text": "Change",
                            "visuallyHiddenText": step.summary.lower(),
                        }
                    ]
                },
            }
        )
    slug_of = {f.name: s.slug for s in STEPS for f in s.fields}
    return render(
        request,
        "providers/apply_check.html",
        422 if errors else 200,
        title="Check your answers before sending your application",
        rows=rows,
        errors=[{"text": e.message, "href": f"{BASE}/{slug_of[e.field]}"} for e in errors] or None,
        back=f"{BASE}/{STEPS[-1].slug}",
    )


def _escape(value: str) -> str:
    from markupsafe import escape

    return str(escape(value))


@router.post("/check")
async def send(request: Request, principal: MaybeUserDep) -> Response:
    answers = read_draft(request, DRAFT)
    if _next(answers) != f"{BASE}/check":
        return redirect(_next(answers))
    errors = _problems(answers)
    if errors:
        return _check(request, answers, errors, principal)
    uow = request.app.state.uow_factory()
    stored = await run_in_threadpool(apply_for_ukprn, _details(answers), uow=uow)
    done = {"sent": stored.reference, "email": answers.get("contact.email", "")}
    return write_draft(redirect(f"{BASE}/sent"), request, DRAFT, BASE, done)


@router.get("/sent")
async def sent(request: Request, principal: MaybeUserDep) -> Response:
    done = read_draft(request, DRAFT)
    if "sent" not in done:
        return redirect(BASE)
    return render(
        request,
        "providers/apply_sent.html",
        title="Application sent",
        reference=done["sent"],
        email=done.get("email", ""),
    )


@router.get("/{slug}")
async def step_page(request: Request, slug: str, principal: MaybeUserDep) -> Response:
    step = BY_SLUG.get(slug)
    if step is None:
        return render(request, "error.html", 404, title="Page not found", body="")
    return _step_page(request, step, read_draft(request, DRAFT), [], principal)


@router.post("/{slug}")
async def answer(request: Request, slug: str, principal: MaybeUserDep) -> Response:
    step = BY_SLUG.get(slug)
    if step is None:
        return render(request, "error.html", 404, title="Page not found", body="")
    form = await request.form()
    answers = read_draft(request, DRAFT) | {f.name: text(form, f.id) for f in step.fields}
    errors = _problems(answers, step)
    if errors:
        return _step_page(request, step, answers, errors, principal)
    answers[f"done:{step.slug}"] = "1"
    return write_draft(redirect(_next(answers)), request, DRAFT, BASE, answers)
