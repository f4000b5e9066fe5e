"""Learning-event data challenges: a provider says an event is wrong; the owning AO decides.

A challenge is routed to the organisation that recorded the event. While it is open the event is
shown "under challenge". The AO accepts it (correcting or withdrawing the event) or rejects it
with a reason; the challenge is kept with its decision, so the history stays readable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.plr_errors import ChallengeClosed

REASON_MAX = 1000


class ChallengeStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Resolution(StrEnum):
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Challenge:
    id: str
    event_id: str
    uln: str
    raised_by: str
    raised_by_ukprn: str
    owner_ukprn: str
    reason: str
    status: ChallengeStatus = ChallengeStatus.OPEN
    resolution: Resolution | None = None
    response: str | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    created_at: dt.datetime | None = None


def checked_text(field: str, text: str | None) -> str:
    """A reason or response: required, up to REASON_MAX printable characters (newlines allowed)."""
    cleaned = (text or "").strip()
    printable = all(c.isprintable() or c in "\r\n\t" for c in cleaned)
    if not cleaned or len(cleaned) > REASON_MAX or not printable:
        message = f"Enter the {field} in up to {REASON_MAX} characters"
        raise ValidationFailed([FieldError(field, "FIELD_INVALID", message)])
    return cleaned


def decided(
    challenge: Challenge,
    status: ChallengeStatus,
    *,
    by: str,
    at: dt.datetime,
    response: str | None,
    resolution: Resolution | None = None,
) -> Challenge:
    if challenge.status is not ChallengeStatus.OPEN:
        raise ChallengeClosed()
    return dataclasses.replace(
        challenge,
        status=status,
        resolution=resolution,
        response=response,
        decided_by=by,
        decided_at=at,
    )
