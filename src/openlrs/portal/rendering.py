"""Jinja2 with the govuk-frontend-jinja macros, and the context every page gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from openlrs.domain.errors import FieldError
from openlrs.portal.accounts.audit_views import actor_words
from openlrs.portal.layout import navigation, stacked
from openlrs.portal.learners.views import compare_details, likelihood
from openlrs.portal.notices.banner import maintenance_banner

HERE = Path(__file__).parent
STATIC = HERE / "static"
SERVICE_NAME = "Learning Records Service"
FLASH_COOKIE = "openlrs_flash"

FLASH_MESSAGES = {
    "signed_out": "You have signed out.",
    "user_added": "User {} added.",
    "contact_address_saved": "Contact address saved: notifications will go there.",
    "contact_address_removed": "Contact address removed: no notifications will be sent.",
    "user_revoked": "User {} deactivated: they have been signed out and cannot sign in.",
    "user_reactivated": "User {} reactivated: they can sign in again.",
    "user_roles": "Roles of {} changed.",
    "password_changed": "Your password has been changed.",
    "password_reset": "Your password has been changed. Sign in with your new password.",
    "web_service_revoked": "Web-service account {} revoked: it can no longer be used.",
    "org_suspended": "Organisation {} suspended.",
    "org_active": "Organisation {} reactivated.",
    "registered": "Learner registered with ULN {}.",
    "this_is_the_learner": "Your organisation now has the learner with ULN {} on roll.",
    "updated": "Learner details updated (version {}).",
    "change_requested": (
        "Your change has been sent for approval. The organisation that registered the learner,"
        " or the service desk, will accept or reject it."
    ),
    "change_accepted": "Change accepted: the learner's details are updated.",
    "change_rejected": "Change rejected: the learner's details are unchanged.",
    "resolved_same": "Exception resolved: the learner already has ULN {}.",
    "resolved_new": "Exception resolved: learner registered with new ULN {}.",
    "totp_enabled": "Two-factor authentication is now on.",
    "batch_submitted": "Batch file uploaded: it will be checked and processed in the background.",
    "batch_duplicate": "You have already sent this file: this is the batch it made.",
    "batch_approved": "Batch approved: it will now be processed.",
    "batch_approval_on": "Batch files sent by the systems of {} now wait for a user's approval.",
    "batch_approval_off": "Batch files sent by the systems of {} are now processed straight away.",
    "diploma_opened": "Diploma account opened.",
    "diploma_result": "Result saved: account {} has been re-checked.",
    "diploma_withdrawn": "Result withdrawn: account {} has been re-checked.",
    "diploma_evidence": "Evidence saved: account {} has been re-checked.",
    "diploma_claimed": "Diploma claimed on account {}: the Diploma awarding body can now award it.",
    "diploma_awarded": "Diploma awarded on account {}: it is on the learner’s record.",
    "achievement_corrected": "Achievement corrected: the learner's record shows the new details.",
    "achievement_withdrawn": "Achievement withdrawn.",
    "achievement_reinstated": "Achievement reinstated.",
    "provider_approved": "{} approved: it is on the register with a new UK provider reference number.",
    "provider_rejected": "{} rejected: the applicant will be told the reason.",
    "sharing_yes": "Recorded: the learner agrees to share their learning record.",
    "sharing_no": "Recorded: the learner does not want to share their learning record.",
    "merged": "ULNs merged: ULN {} is retired and now points to this learner.",
    "participation_recorded": "Enrolment recorded on the learner's learning record.",
    "plan_saved": "Learner plan saved.",
    "plan_learning_added": "Planned learning added to the learner plan.",
    "plan_note_added": "Progress note added to the learner plan.",
    "maintenance_scheduled": "Maintenance scheduled: every page shows it from 14 days before.",
    "maintenance_cancelled": "Maintenance called off.",
    "incident_logged": "Incident logged.",
    "incident_updated": "Incident updated.",
    "uln_challenge_raised": (
        "ULN problem reported: the service desk will look at it. Until then the ULN can be used"
        " as before."
    ),
    "challenge_decided": "Data challenge decided: the organisation that raised it can see the outcome.",
}

environment = Environment(
    loader=ChoiceLoader(
        [
            FileSystemLoader(HERE / "templates"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    ),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters["stacked"] = stacked
environment.globals.update(
    compare_details=compare_details, likelihood=likelihood, actor_words=actor_words
)


def error_list(
    errors: list[FieldError], anchors: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """Field errors as the error summary wants them, each linking to its field."""
    anchors = anchors or {}
    return [{"text": e.message, "href": f"#{anchors.get(e.field, e.field)}"} for e in errors]


def field_errors(errors: list[FieldError]) -> dict[str, dict[str, str]]:
    """The first error of each field, as a govuk macro's `errorMessage`."""
    found: dict[str, dict[str, str]] = {}
    for e in errors:
        found.setdefault(e.field, {"text": e.message})
    return found


def render_form(
    request: Request,
    template: str,
    errors: list[FieldError] | None = None,
    *,
    anchors: dict[str, str] | None = None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page with a form: with `errors`, 422, the error summary (each error linked to its field,
    through `anchors` where a field's id is not its name) and each field's inline message; else
    `status`."""
    errors = errors or []
    return render(
        request,
        template,
        422 if errors else status,
        errors=error_list(errors, anchors) if errors else None,
        field_errors=field_errors(errors),
        **context,
    )


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = request.state
    flash = None
    raw = request.cookies.get(FLASH_COOKIE, "")
    key, _, arg = raw.partition("|")
    if key in FLASH_MESSAGES:
        flash = FLASH_MESSAGES[key].format(arg)
    context.setdefault("field_errors", {})
    context.setdefault("errors", None)
    settings = getattr(request.app.state, "settings", None)
    principal = getattr(state, "principal", None)
    nav_items, account_items = navigation(principal, request.url.path)
    page = environment.get_template(template).render(
        request=request,
        serviceName=getattr(settings, "portal_service_name", SERVICE_NAME),
        serviceUrl="/portal/",
        brand=getattr(settings, "portal_brand", "neutral"),
        operator=getattr(settings, "portal_operator", ""),
        contact_email=getattr(settings, "portal_contact_email", None),
        organisation_name=getattr(request.app.state, "organisation_names", None),
        nav_items=nav_items,
        account_items=account_items,
        assetPath="/assets",
        cspNonce=getattr(state, "nonce", ""),
        csrf_token=getattr(state, "csrf_token", ""),
        principal=principal,
        flash=flash,
        maintenance_banner=maintenance_banner(request),
        **context,
    )
    response = HTMLResponse(page, status_code=status)
    if raw:
        response.delete_cookie(FLASH_COOKIE, path="/portal")
    return response


def redirect(url: str, flash: str | None = None, arg: str = "") -> Response:
    """POST-redirect-GET, optionally with a banner on the next page (keys, never personal data)."""
    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(
            FLASH_COOKIE, f"{flash}|{arg}", path="/portal", httponly=True, samesite="lax"
        )
    return response
