"""The API's learner bodies and the domain record must name the same fields."""

from __future__ import annotations

import dataclasses

from openlrs.api.learners.schemas import LearnerIn, LearnerPatch, SearchIn
from openlrs.domain.learners.learner import LearnerDetails

DETAILS = {f.name for f in dataclasses.fields(LearnerDetails)}


def test_register_and_update_bodies_carry_every_learner_field_and_no_other() -> None:
    assert set(LearnerIn.model_fields) == DETAILS
    assert set(LearnerPatch.model_fields) == DETAILS


def test_search_fields_are_learner_fields() -> None:
    assert set(SearchIn.model_fields) <= DETAILS
