"""The service desk manages the qualification register: upload a register file (the format of
`openlrs load-qualifications`, batch/qualification_file.py), then see what changed. A file with
any problem loads nothing, and its problems are listed on the page with their line numbers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from openlrs.batch.qualification_file import read_register_file
from openlrs.domain.errors import FieldError
from openlrs.domain.plr.roles import REGISTER_ADMIN_ROLES
from openlrs.portal.drafts import read_draft, write_draft
from openlrs.portal.rendering import redirect, render, render_form
from openlrs.portal.security import UserDep
from openlrs.services.plr.qualification_register import load_register

router = APIRouter(prefix="/qualification-register")
BASE = "/portal/qualification-register"
DRAFT = "register_loaded"
SHOWN = 20
FIELDS = {
    "title": "title",
    "qualification_type": "type",
    "level": "level",
    "owners": "owners",
    "owner": "owner",
    "shared": "sharing",
    "availability": "availability",
    "awarders": "who may award it",
    "credit": "credit",
    "glh": "guided learning hours",
    "valid_from": "valid from",
    "valid_to": "valid to",
}
MAX_BYTES = 5 * 1024 * 1024


def _page(
    request: Request,
    errors: list[FieldError] | None = None,
    problems: list[list[str]] | None = None,
) -> Response:
    return render_form(
        request,
        "plr/register_upload.html",
        errors,
        title="Update the qualification register",
        problems=problems or [],
        back="/portal/",
    )


@router.get("")
async def page(request: Request, principal: UserDep) -> Response:
    principal.require(REGISTER_ADMIN_ROLES)
    return _page(request)


@router.post("")
async def upload(request: Request, principal: UserDep) -> Response:
    principal.require(REGISTER_ADMIN_ROLES)
    upload = (await request.form()).get("file")
    content = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    if not content or len(content) > MAX_BYTES:
        message = "Select a register file" if not content else "The file must be smaller than 5 MB"
        return _page(request, [FieldError("file", "FIELD_REQUIRED", message)])
    entries, problems = read_register_file(content)
    if problems:
        message = f"The file has {len(problems)} problems: nothing was loaded"
        rows = [[str(p.line), p.field or "Whole line", p.message] for p in problems[:SHOWN]]
        return _page(request, [FieldError("file", "REGISTER_FILE_INVALID", message)], rows)
    uow = request.app.state.uow_factory()
    loaded = await run_in_threadpool(load_register, entries, principal=principal, uow=uow)
    summary = {
        "added": loaded.added,
        "replaced": loaded.replaced,
        "changes": [
            [c.title, c.code, c.outcome, ", ".join(FIELDS.get(f, f) for f in c.fields)]
            for c in loaded.changes
            if c.outcome != "unchanged"
        ][:SHOWN],
        "unchanged": sum(1 for c in loaded.changes if c.outcome == "unchanged"),
    }
    return write_draft(redirect(f"{BASE}/loaded"), request, DRAFT, BASE, summary)


@router.get("/loaded")
async def loaded(request: Request, principal: UserDep) -> Response:
    principal.require(REGISTER_ADMIN_ROLES)
    found = read_draft(request, DRAFT)
    if "added" not in found:
        return redirect(BASE)
    outcome = {"added": "Added", "changed": "Changed"}
    rows = [
        [
            {"text": title},
            {"text": code},
            {"text": outcome.get(what, what) + (f": {changed}" if changed else "")},
        ]
        for title, code, what, changed in found["changes"]
    ]
    table = {
        "caption": "What changed",
        "captionClasses": "govuk-table__caption--m",
        "firstCellIsHeader": True,
        "head": [{"text": "Title"}, {"text": "Number"}, {"text": "Change"}],
        "rows": rows,
    }
    return render(
        request,
        "plr/register_loaded.html",
        title="Qualification register updated",
        found=found,
        table=table,
        back=BASE,
    )
