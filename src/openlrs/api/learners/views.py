"""Turning domain learners into API bodies and back."""

from __future__ import annotations

import dataclasses
from typing import Any

from openlrs.api.learners.schemas import LearnerIn, SearchIn
from openlrs.domain.learners.learner import Learner, LearnerDetails

_DETAIL_FIELDS = tuple(f.name for f in dataclasses.fields(LearnerDetails))


def learner_json(learner: Learner) -> dict[str, Any]:
    details = learner.details
    body = {name: getattr(details, name) for name in _DETAIL_FIELDS}  # flat: no deep copy
    body.update(
        uln=learner.uln,
        version=learner.version,
        status=learner.status.value,
        master_uln=learner.master_uln,
        linked_ulns=list(learner.linked_ulns),
        registered_by_ukprn=learner.registered_by_ukprn,
        created_at=learner.created_at,
        updated_at=learner.updated_at,
    )
    return body


def details_from(body: LearnerIn | SearchIn) -> LearnerDetails:
    fields = {f.name for f in dataclasses.fields(LearnerDetails)}
    return LearnerDetails(**{k: v for k, v in body.model_dump().items() if k in fields})
