"""Registering needs a search first: the search result carries a proof over the details searched."""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request

from openlrs.portal.forms import MANDATORY

_PROOF_FIELDS = (
    *[n for n in MANDATORY if n != "date_of_birth"],
    "date_of_birth-day",
    "date_of_birth-month",
    "date_of_birth-year",
)


def search_proof(request: Request, values: dict[str, str]) -> str:
    """An HMAC, bound to this session, over the searched mandatory fields (case and spaces aside)."""
    key: str = request.app.state.settings.signing_key
    canonical = "|".join(
        " ".join(values.get(n, "").split()).casefold().lstrip("0") for n in _PROOF_FIELDS
    )
    message = f"search|{request.state.csrf_token}|{canonical}"
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def searched(request: Request, values: dict[str, str], proof: str) -> bool:
    return hmac.compare_digest(search_proof(request, values), proof)
