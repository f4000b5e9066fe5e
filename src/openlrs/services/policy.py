"""Settings-dependent rules the use cases apply, handed in by the composition root."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from openlrs.domain.learners.demographics import validate_learner_details
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.model import MatchModel
from openlrs.domain.matching.model_file import default_model


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True)
class RegisterPolicy:
    min_age: int = 14
    max_age: int = 100
    today: Callable[[], dt.date] = field(default=_today)
    model: MatchModel = field(default_factory=default_model)
    max_candidates: int = 1000

    def validated(self, details: LearnerDetails) -> LearnerDetails:
        """Every field rule applied with these age bounds: a normalised copy or ValidationFailed."""
        return validate_learner_details(
            details, today=self.today(), min_age=self.min_age, max_age=self.max_age
        )


DEFAULT_POLICY = RegisterPolicy()
