"""Request bodies and answers of the ULN life-cycle endpoints and the change feed: ULNs, event
ids and statuses only, never a learner's details."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from openlrs.api.learners.schemas import LearnerIn, Strict
from openlrs.domain.learner_changes import ChangePage
from openlrs.services.uln.lifecycle import LifecycleDone


class MergeIn(Strict):
    master_uln: str = Field(description="The ULN that stays; the one in the path is linked to it")


class SplitIn(Strict):
    event_ids: list[str] = Field(description="The second person's learning events")
    learner: LearnerIn = Field(description="The second person's details, given a new ULN")


class UlnChallengeIn(Strict):
    kind: Literal["uln_duplicate", "uln_wrongly_merged", "uln_shared", "uln_other"]
    uln: str
    related_uln: str | None = Field(
        default=None, description="The other ULN concerned (required for uln_duplicate)"
    )
    reason: str


class UlnResolutionIn(Strict):
    decision: Literal["accept", "reject"]
    response: str
    resolution: Literal["merged", "unmerged", "split"] | None = None
    master_uln: str | None = Field(default=None, description="merged: which ULN stays")
    event_ids: list[str] = Field(default=[], description="split: the second person's events")
    learner: LearnerIn | None = Field(default=None, description="split: the second person")


def lifecycle_json(done: LifecycleDone) -> dict[str, Any]:
    return {
        "uln": done.learner.uln,
        "status": done.learner.status.value,
        "master_uln": done.learner.master_uln,
        "other_uln": done.other.uln,
        "moved_events": list(done.moved_events),
    }


def changes_json(page: ChangePage) -> dict[str, Any]:
    return {
        "changes": [
            {
                "position": c.position,
                "uln": c.uln,
                "kind": c.kind.value,
                "related_uln": c.related_uln,
                "event_id": c.event_id,
                "ukprn": c.ukprn,
                "occurred_at": c.occurred_at,
            }
            for c in page.changes
        ],
        "next_since": page.next_since,
    }
