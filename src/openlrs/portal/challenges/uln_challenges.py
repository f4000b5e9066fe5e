"""Raise a ULN data challenge: a registration body tells the service desk a ULN is a duplicate,
was merged in error, or is shared by two people. Only ULNs travel in the form and the answer."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from openlrs.domain.errors import FieldError, InvalidIdentifier, LearnerNotFound, ValidationFailed
from openlrs.domain.plr.event_challenges import ChallengeKind, checked_text
from openlrs.portal.forms import text
from openlrs.portal.rendering import redirect, render_form
from openlrs.portal.security import UserDep
from openlrs.services.uln.challenges import RaiseUlnChallenge, raise_uln_challenge

router = APIRouter(prefix="/uln-challenges")
FIELDS = ("kind", "uln", "related_uln", "reason")
TITLE = "Report a problem with a ULN"
KINDS = {
    ChallengeKind.ULN_DUPLICATE.value: "The learner already had another ULN (a duplicate)",
    ChallengeKind.ULN_WRONGLY_MERGED.value: "Two different learners were merged",
    ChallengeKind.ULN_SHARED.value: "Two learners have been given this one ULN",
    ChallengeKind.ULN_OTHER.value: "Something else",
}
ANCHORS = {"kind": "kind"}


def _form_page(
    request: Request, values: dict[str, str], errors: list[FieldError] | None = None
) -> Response:
    return render_form(
        request,
        "challenges/uln_challenge.html",
        errors,
        title=TITLE,
        values=values,
        kinds=KINDS,
        anchors=ANCHORS,
        back="/portal/",
    )


def _command(form: FormData) -> RaiseUlnChallenge:
    """The challenge asked for; every question left unanswered is reported at once, in the
    form's order (the other ULN only for a duplicate)."""
    kind = text(form, "kind")
    errors = []
    if kind not in KINDS:
        errors.append(FieldError("kind", "FIELD_REQUIRED", "Select what is wrong with the ULN"))
    if not text(form, "uln"):
        errors.append(FieldError("uln", "FIELD_REQUIRED", "Enter the ULN"))
    if kind == ChallengeKind.ULN_DUPLICATE.value and not text(form, "related_uln"):
        message = "Enter the other ULN the learner already had"
        errors.append(FieldError("related_uln", "FIELD_REQUIRED", message))
    try:
        checked_text("reason", text(form, "reason"))
    except ValidationFailed as exc:
        errors += [FieldError(e.field, e.code, "Enter what you found") if not text(form, "reason")
                   else e for e in exc.errors]  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    related = text(form, "related_uln") or None
    return RaiseUlnChallenge(ChallengeKind(kind), text(form, "uln"), text(form, "reason"), related)


@router.get("")
async def challenge_page(request: Request, principal: UserDep) -> Response:
    return _form_page(request, {name: "" for name in FIELDS})


@router.post("")
async def raise_challenge(request: Request, principal: UserDep) -> Response:
    form = await request.form()
    values = {name: text(form, name) for name in FIELDS}
    try:
        command = _command(form)
        challenge = await run_in_threadpool(
            raise_uln_challenge, command, principal=principal, uow=request.app.state.uow_factory()
        )
    except InvalidIdentifier as exc:
        field = "uln" if values["related_uln"] in ("", values["uln"]) else "related_uln"
        message = f"Enter a real ULN: {exc.title[0].lower()}{exc.title[1:]}"
        return _form_page(request, values, [FieldError(field, exc.code, message)])
    except LearnerNotFound:
        message = "No learner has this ULN: check both ULNs"
        return _form_page(request, values, [FieldError("uln", "LEARNER_NOT_FOUND", message)])
    except ValidationFailed as exc:
        return _form_page(request, values, exc.errors)
    return redirect(f"/portal/challenges/{challenge.id}", "uln_challenge_raised")
