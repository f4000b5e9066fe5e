"""The PLR through the services: reads audited, versions, opt-out, participation, challenges."""

from __future__ import annotations

import datetime as dt

import pytest

from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import NotAuthorised
from openlrs.domain.plr.achievements import (
    AchievementDetails,
    EventStatus,
    EventType,
    ParticipationDetails,
)
from openlrs.domain.plr.errors import ChallengeClosed, ChallengeNotFound, LearnerOptedOut
from openlrs.domain.plr.event_challenges import ChallengeStatus, Resolution
from openlrs.services.plr.event_challenges import (
    Decision,
    RaiseChallenge,
    decide_challenge,
    list_challenges,
    raise_challenge,
)
from openlrs.services.plr.post_achievement import post_achievement
from openlrs.services.plr.read import ReadPlr, read_plr
from openlrs.services.plr.record_participation import RecordParticipation, record_participation
from openlrs.services.plr.report import plr_report
from openlrs.services.plr.sharing import SharingChoice, set_sharing
from tests.builders import (
    ADMIN,
    AO,
    AWARDED,
    LRB,
    OTHER_AO,
    POLICY,
    achievement_command,
    claimed_details,
    learner_details,
    load_qualifications,
    store_learner,
)
from tests.unit.fakes import FakeUnitOfWork


@pytest.fixture(autouse=True)
def _register(uow: FakeUnitOfWork) -> None:
    load_qualifications(uow)


def _audited(uow: FakeUnitOfWork, action: AuditAction) -> list[str | None]:
    with uow:
        found = uow.audit.list(ukprn=None, uln=None, before_id=None, limit=100)
    return [e.outcome for e in found if e.action is action]


def test_a_read_returns_events_and_a_version_and_is_audited(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    post_achievement(achievement_command(learner), principal=AO, uow=uow, policy=POLICY)

    plr = read_plr(ReadPlr(learner.uln, knowledge=claimed_details(learner)), principal=LRB, uow=uow)

    assert [e.subject for e in plr.events] == ["100/0001/1"]
    assert _audited(uow, AuditAction.PLR_READ) == ["exact"]
    same = read_plr(
        ReadPlr(learner.uln, if_none_match=plr.version, knowledge=claimed_details(learner)),
        principal=LRB,
        uow=uow,
    )
    assert same.not_modified and same.events == ()
    assert _audited(uow, AuditAction.PLR_READ) == ["not_modified", "exact"]


def test_the_version_moves_on_when_an_event_changes(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    before = read_plr(
        ReadPlr(learner.uln, knowledge=claimed_details(learner)), principal=LRB, uow=uow
    ).version
    post_achievement(achievement_command(learner), principal=AO, uow=uow, policy=POLICY)
    assert (
        read_plr(
            ReadPlr(learner.uln, knowledge=claimed_details(learner)), principal=LRB, uow=uow
        ).version
        != before
    )


def test_filters_by_type_and_date(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    post_achievement(achievement_command(learner), principal=AO, uow=uow, policy=POLICY)
    started = dt.date(2024, 9, 1)
    record_participation(
        RecordParticipation(
            learner.uln, claimed_details(learner), ParticipationDetails("60012345", started)
        ),
        principal=LRB,
        uow=uow,
        policy=POLICY,
    )

    by_type = read_plr(
        ReadPlr(
            learner.uln, event_type=EventType.PARTICIPATION, knowledge=claimed_details(learner)
        ),
        principal=LRB,
        uow=uow,
    )
    by_date = read_plr(
        ReadPlr(learner.uln, since=dt.date(2025, 1, 1), knowledge=claimed_details(learner)),
        principal=LRB,
        uow=uow,
    )

    assert [e.subject for e in by_type.events] == ["60012345"]
    assert [e.award_date for e in by_date.events] == [AWARDED]


def test_participation_is_completed_by_re_sending_it_with_an_end_date(
    uow: FakeUnitOfWork,
) -> None:
    learner = store_learner(uow, learner_details())
    started = dt.date(2024, 9, 1)
    first = record_participation(
        RecordParticipation(
            learner.uln, claimed_details(learner), ParticipationDetails("60012345", started)
        ),
        principal=LRB,
        uow=uow,
        policy=POLICY,
    )
    ended = ParticipationDetails("60012345", started, dt.date(2025, 7, 1))

    done = record_participation(
        RecordParticipation(learner.uln, claimed_details(learner), ended),
        principal=LRB,
        uow=uow,
        policy=POLICY,
    )

    assert first.event.status is EventStatus.ACTIVE
    assert (done.event.id, done.event.status) == (first.event.id, EventStatus.COMPLETED)
    with pytest.raises(NotAuthorised):
        record_participation(
            RecordParticipation(learner.uln, claimed_details(learner), ended),
            principal=AO,
            uow=uow,
            policy=POLICY,
        )


def test_an_opted_out_learner_is_hidden_from_others_but_still_receives_achievements(
    uow: FakeUnitOfWork,
) -> None:
    learner = store_learner(uow, learner_details())
    set_sharing(SharingChoice(learner.uln, False), principal=ADMIN, uow=uow)

    post_achievement(achievement_command(learner), principal=AO, uow=uow, policy=POLICY)

    with pytest.raises(LearnerOptedOut):
        read_plr(ReadPlr(learner.uln, knowledge=claimed_details(learner)), principal=LRB, uow=uow)
    with pytest.raises(LearnerOptedOut):
        plr_report(learner.uln, "csv", principal=LRB, uow=uow, knowledge=claimed_details(learner))
    depositor = read_plr(
        ReadPlr(learner.uln, knowledge=claimed_details(learner)), principal=AO, uow=uow
    )
    assert (depositor.learner, len(depositor.events)) == (None, 1)  # its own deposit, no details
    assert (
        read_plr(
            ReadPlr(learner.uln, knowledge=claimed_details(learner)), principal=OTHER_AO, uow=uow
        ).events
        == ()
    )
    assert (
        len(
            read_plr(
                ReadPlr(learner.uln, knowledge=claimed_details(learner)), principal=ADMIN, uow=uow
            ).events
        )
        == 1
    )
    assert "opted_out" in _audited(uow, AuditAction.PLR_READ)
    with pytest.raises(NotAuthorised):
        set_sharing(SharingChoice(learner.uln, True), principal=LRB, uow=uow)


def test_a_challenge_is_routed_to_the_owning_ao_and_rejected_with_a_reason(
    uow: FakeUnitOfWork,
) -> None:
    learner = store_learner(uow, learner_details())
    event = post_achievement(
        achievement_command(learner), principal=AO, uow=uow, policy=POLICY
    ).event

    raised = raise_challenge(
        RaiseChallenge(learner.uln, event.id, "The grade should be 8"), principal=LRB, uow=uow
    )

    assert raised.owner_ukprn == AO.ukprn
    assert [c.id for c in list_challenges(principal=AO, uow=uow)] == [raised.id]
    assert list_challenges(principal=OTHER_AO, uow=uow) == []
    assert (
        read_plr(ReadPlr(learner.uln, knowledge=claimed_details(learner)), principal=LRB, uow=uow)
        .events[0]
        .under_challenge
    )
    with pytest.raises(ChallengeNotFound):
        decide_challenge(Decision(raised.id, False, "no"), principal=OTHER_AO, uow=uow)

    rejected = decide_challenge(
        Decision(raised.id, False, "Checked the marks: 7 is right"), principal=AO, uow=uow
    )

    assert rejected.status is ChallengeStatus.REJECTED
    assert (
        not read_plr(
            ReadPlr(learner.uln, knowledge=claimed_details(learner)), principal=LRB, uow=uow
        )
        .events[0]
        .under_challenge
    )
    with pytest.raises(ChallengeClosed):
        decide_challenge(Decision(raised.id, False, "again"), principal=AO, uow=uow)


@pytest.mark.parametrize("resolution", [Resolution.CORRECTED, Resolution.WITHDRAWN])
def test_an_accepted_challenge_corrects_or_withdraws_the_event(
    uow: FakeUnitOfWork, resolution: Resolution
) -> None:
    learner = store_learner(uow, learner_details())
    event = post_achievement(
        achievement_command(learner), principal=AO, uow=uow, policy=POLICY
    ).event
    raised = raise_challenge(RaiseChallenge(learner.uln, event.id, "Wrong"), principal=LRB, uow=uow)
    correction = AchievementDetails(event.subject, AWARDED, "8")

    decide_challenge(
        Decision(raised.id, True, "Agreed", resolution, correction), principal=AO, uow=uow
    )

    (after,) = read_plr(
        ReadPlr(learner.uln, knowledge=claimed_details(learner)), principal=LRB, uow=uow
    ).events
    if resolution is Resolution.CORRECTED:
        assert (after.grade, after.status) == ("8", EventStatus.ACHIEVED)
    else:
        assert after.status is EventStatus.WITHDRAWN
    with uow:
        assert len(uow.challenges.for_event(event.id)) == 1  # kept, with its decision
        history = uow.learning_events.history(event.id)
    assert [e.under_challenge for e in history] == [False, True, False]


def test_the_report_comes_as_pdf_and_csv(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    post_achievement(achievement_command(learner), principal=AO, uow=uow, policy=POLICY)

    pdf = plr_report(learner.uln, "pdf", principal=LRB, uow=uow, knowledge=claimed_details(learner))
    csv = plr_report(learner.uln, "csv", principal=LRB, uow=uow, knowledge=claimed_details(learner))

    assert pdf.content.startswith(b"%PDF") and pdf.media_type == "application/pdf"
    assert b"100/0001/1" in csv.content and csv.filename == f"plr-{learner.uln}.csv"
    assert _audited(uow, AuditAction.PLR_REPORT) == ["exact", "exact"]
