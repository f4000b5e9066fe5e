"""Who may change a learner's details, and what happens when someone else asks.

An organisation changes a learner's details directly only when the register records a relationship
between them: it registered the learner, or has them on roll (the register handed it their ULN for
a registration it sent). Anyone else's change becomes a change request, which the service desk or
the registering organisation accepts (then applied as an update) or rejects."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class RelationshipKind(StrEnum):
    REGISTERED = "registered"
    ON_ROLL = "on_roll"


class ChangeRequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ChangeRequest:
    """Proposed changes to a learner (field → new value, as validated), made against `version`."""

    uln: str
    ukprn: str
    requested_by: str
    changes: dict[str, Any]
    expected_version: int
    reference: str = ""
    status: ChangeRequestStatus = ChangeRequestStatus.PENDING
    decided_by: str | None = None
    decided_by_ukprn: str | None = None
    decided_at: dt.datetime | None = None
    applied_version: int | None = None
    created_at: dt.datetime | None = None
    fingerprint: str = field(default="", compare=False)


def changes_fingerprint(uln: str, changes: dict[str, Any]) -> str:
    """The same changes to the same learner give the same fingerprint (field order aside): a
    request repeated while the first is pending is that first request."""
    canonical = json.dumps({"uln": uln, "changes": changes}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
