"""Data challenges. A learning-event challenge: a provider says an event is wrong; it is routed
to the organisation that recorded the event, shown "under challenge" while open, and the AO
accepts it (correcting or withdrawing the event) or rejects it with a reason.

A ULN challenge (`ChallengeKind.ULN_*`, no event, no owning organisation): a registration body
says a ULN was created in error, merged in error, or is shared by two people; the service desk
resolves it by merging, unmerging or splitting (`domain.uln_lifecycle`), or rejects it.
Decided challenges are kept with their decision, so the history stays readable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.plr.errors import ChallengeClosed

REASON_MAX = 1000


class ChallengeKind(StrEnum):
    LEARNING_EVENT = "learning_event"
    ULN_DUPLICATE = "uln_duplicate"
    """The ULN was created in error: the learner already had `related_uln`."""
    ULN_WRONGLY_MERGED = "uln_wrongly_merged"
    ULN_SHARED = "uln_shared"
    """Two people have been given the same ULN."""
    ULN_OTHER = "uln_other"


ULN_KINDS = frozenset(k for k in ChallengeKind if k is not ChallengeKind.LEARNING_EVENT)


class ChallengeStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Resolution(StrEnum):
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"
    UNMERGED = "unmerged"
    SPLIT = "split"


ULN_RESOLUTIONS: dict[ChallengeKind, frozenset[Resolution]] = {
    ChallengeKind.ULN_DUPLICATE: frozenset({Resolution.MERGED}),
    ChallengeKind.ULN_WRONGLY_MERGED: frozenset({Resolution.UNMERGED}),
    ChallengeKind.ULN_SHARED: frozenset({Resolution.SPLIT}),
    ChallengeKind.ULN_OTHER: frozenset({Resolution.MERGED, Resolution.UNMERGED, Resolution.SPLIT}),
}
"""How each kind of ULN challenge may be resolved when it is accepted."""


@dataclass(frozen=True)
class Challenge:
    id: str
    event_id: str | None
    """None for a ULN challenge."""
    uln: str
    raised_by: str
    raised_by_ukprn: str
    owner_ukprn: str | None
    """Who decides: the organisation that recorded the event; None for the service desk."""
    reason: str
    status: ChallengeStatus = ChallengeStatus.OPEN
    resolution: Resolution | None = None
    response: str | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    created_at: dt.datetime | None = None
    kind: ChallengeKind = ChallengeKind.LEARNING_EVENT
    related_uln: str | None = None
    """For a ULN challenge: the other ULN concerned (the one it duplicates, or its master)."""


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
