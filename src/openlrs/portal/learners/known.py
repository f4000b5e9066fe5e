"""What a portal user has shown they know about learners, remembered for their session.

An organisation reads a learner's details or learning record only with the learner's given and
family name (and optionally date of birth) verifying against the ULN (domain/matching/
knowledge.py). Names never go in a URL, so the portal asks for them once on a form and keeps them,
for this session only, in a cookie that is encrypted and authenticated with a key derived from
the signing key and the session's own token (HMAC-SHA256 as a keystream, then encrypt-then-MAC):
the browser cannot read or forge it, and it is worthless after sign-out. Each page passes the
remembered names to the use case, which verifies them again (and audits a mismatch).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import Response

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.matching.knowledge import Knowledge
from openlrs.portal.forms import ANCHORS, date_from, text
from openlrs.portal.rendering import render_form
from openlrs.portal.security import SESSION_COOKIE, set_cookie

KNOWN_COOKIE = "openlrs_known"
_KEPT = 8
"""How many learners a session remembers (the most recent)."""


def _keys(request: Request) -> tuple[bytes, bytes] | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    signing: str = request.app.state.settings.signing_key
    base = hmac.new(signing.encode(), f"known|{token}".encode(), hashlib.sha256).digest()
    return (
        hmac.new(base, b"encrypt", hashlib.sha256).digest(),
        hmac.new(base, b"authenticate", hashlib.sha256).digest(),
    )


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    out = b"".join(
        hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(blocks)
    )
    return out[:length]


def _load(request: Request) -> dict[str, list[str | None]]:
    keys, raw = _keys(request), request.cookies.get(KNOWN_COOKIE)
    if keys is None or not raw:
        return {}
    try:
        blob = base64.urlsafe_b64decode(raw.encode())
    except ValueError:
        return {}
    nonce, body, tag = blob[:16], blob[16:-32], blob[-32:]
    expected = hmac.new(keys[1], nonce + body, hashlib.sha256).digest()
    if len(blob) < 48 or not hmac.compare_digest(tag, expected):
        return {}
    plain = bytes(a ^ b for a, b in zip(body, _stream(keys[0], nonce, len(body)), strict=True))
    try:
        found = json.loads(plain)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def recalled(request: Request, uln: str) -> Knowledge | None:
    """The names this session showed for `uln`, if any."""
    entry = _load(request).get(uln.strip())
    if not entry or len(entry) != 3:
        return None
    given, family, born = entry
    date_of_birth = dt.date.fromisoformat(born) if born else None
    return Knowledge(given or "", family or "", date_of_birth)


def remember(request: Request, response: Response, uln: str, knowledge: Knowledge) -> None:
    """Keep `knowledge` of `uln` for this session (replacing what was kept for it)."""
    keys = _keys(request)
    if keys is None:
        return
    kept = _load(request)
    kept.pop(uln, None)
    born = knowledge.date_of_birth.isoformat() if knowledge.date_of_birth else None
    kept[uln] = [knowledge.given_name, knowledge.family_name, born]
    kept = dict(list(kept.items())[-_KEPT:])
    plain = json.dumps(kept).encode()
    nonce = secrets.token_bytes(16)
    body = bytes(a ^ b for a, b in zip(plain, _stream(keys[0], nonce, len(plain)), strict=True))
    tag = hmac.new(keys[1], nonce + body, hashlib.sha256).digest()
    set_cookie(
        response, request, KNOWN_COOKIE, base64.urlsafe_b64encode(nonce + body + tag).decode()
    )


def knowledge_from(form: FormData) -> Knowledge:
    """The names (and optional date of birth) typed on the 'confirm who the learner is' form."""
    errors: list[FieldError] = []
    for name, label in (("given_name", "given name"), ("family_name", "family name")):
        if not text(form, name):
            errors.append(FieldError(name, "FIELD_REQUIRED", f"Enter the learner's {label}"))
    born = None
    try:
        born = date_from(form, "date_of_birth")
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return Knowledge(text(form, "given_name"), text(form, "family_name"), born)


NEXT = {
    "details": "/portal/learners/{uln}",
    "edit": "/portal/learners/{uln}/edit",
    "record": "/portal/learners/{uln}/learning-record",
}
"""Where the confirmation form goes on to: the page that asked for it."""


def confirm_page(
    request: Request,
    uln: str,
    then: str,
    *,
    wrong: bool = False,
    values: dict[str, str] | None = None,
    errors: list[FieldError] | None = None,
) -> Response:
    """The form asking for the learner's names before `then` (a key of NEXT) is shown."""
    return render_form(
        request,
        "learners/confirm_learner.html",
        errors,
        status=403 if wrong else 200,
        title="Confirm who the learner is",
        uln=uln,
        next=then if then in NEXT else "details",
        wrong=wrong,
        values=values or {},
        action=f"/portal/learners/{uln}/confirm",
        anchors=ANCHORS,
        back="/portal/",
    )
