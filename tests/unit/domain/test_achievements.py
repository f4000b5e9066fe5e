"""Pure rules of the qualification register and learning events."""

from __future__ import annotations

import datetime as dt

import pytest

from openlrs.domain.errors import ValidationFailed
from openlrs.domain.plr.achievements import (
    AchievementDetails,
    ParticipationDetails,
    achievement_event,
    reinstated,
    require_awardable,
    validated_participation,
    withdrawn,
)
from openlrs.domain.plr.errors import LearningEventStateConflict, QualificationNotOwned
from openlrs.domain.plr.qualifications import (
    Availability,
    Qualification,
    Unit,
    validated_qualification,
)

OWNER, PARTNER, STRANGER = "10000001", "10000002", "10000003"


@pytest.mark.parametrize(
    ("availability", "awarders", "allowed"),
    [
        (Availability.PRIVATE, frozenset(), {OWNER}),
        (Availability.SHARED, frozenset(), {OWNER, PARTNER, STRANGER}),
        (Availability.RESTRICTED, frozenset({PARTNER}), {OWNER, PARTNER}),
    ],
)
def test_who_may_award_a_unit(
    availability: Availability, awarders: frozenset[str], allowed: set[str]
) -> None:
    unit = Unit("A/123/4567", "Unit", "2", 3, OWNER, availability, awarders)
    assert {u for u in (OWNER, PARTNER, STRANGER) if unit.may_be_awarded_by(u)} == allowed


def test_a_qualification_is_awardable_by_its_owners_or_by_anyone_when_shared() -> None:
    q = Qualification("123/4567/8", "Q", "GCSE", "2", frozenset({OWNER}))
    require_awardable(q, OWNER)
    with pytest.raises(QualificationNotOwned):
        require_awardable(q, STRANGER)
    require_awardable(
        Qualification("123/4567/8", "Q", "GCSE", "2", frozenset({OWNER}), True), STRANGER
    )


def test_a_qualification_is_normalised_or_every_problem_reported() -> None:
    q = validated_qualification(
        Qualification("12345678", "  GCSE  Maths ", "GCSE", "e1", frozenset({OWNER}))
    )
    assert (q.number, q.title, q.level) == ("123/4567/8", "GCSE Maths", "E1")
    with pytest.raises(ValidationFailed) as failed:
        validated_qualification(Qualification("1/2", "", "GCSE", "9", frozenset({"123"})))
    assert {e.field for e in failed.value.errors} == {"number", "title", "level", "owners"}


def test_withdraw_and_reinstate_round_trip_and_refuse_twice() -> None:
    q = Qualification("123/4567/8", "Q", "GCSE", "2", frozenset({OWNER}))
    event = achievement_event(
        "e1",
        "1234567890",
        OWNER,
        q,
        AchievementDetails(q.number, dt.date(2025, 1, 1)),
        source="api",
    )
    gone = withdrawn(event)
    assert reinstated(gone) == event
    with pytest.raises(LearningEventStateConflict):
        withdrawn(gone)
    with pytest.raises(LearningEventStateConflict):
        reinstated(event)


def test_participation_rules() -> None:
    today = dt.date(2025, 9, 1)
    ok = validated_participation(ParticipationDetails("6001234x", dt.date(2024, 9, 1)), today=today)
    assert ok.learning_aim == "6001234X"
    with pytest.raises(ValidationFailed) as failed:
        validated_participation(
            ParticipationDetails("60-1", dt.date(2024, 9, 1), dt.date(2024, 1, 1)), today=today
        )
    assert {e.code for e in failed.value.errors} == {"LEARNING_AIM_INVALID", "DATE_ORDER_INVALID"}
