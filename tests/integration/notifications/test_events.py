"""Each event that owes an e-mail writes it in its own transaction: a batch that fails, a
challenge decided, a Diploma complete and awarded (the batch that finishes: test_outbox.py)."""

from __future__ import annotations

import pytest

from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import Organisation, OrgType, Principal, Role
from openlrs.domain.plr.event_challenges import ChallengeKind
from openlrs.services.uln.challenges import (
    RaiseUlnChallenge,
    UlnResolution,
    raise_uln_challenge,
    resolve_uln_challenge,
)
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import registered_learner
from tests.builders.diploma import awarded_diploma_account
from tests.builders.principals import AWARDING_UKPRN, OWN_UKPRN
from tests.integration.batches.test_batch_jobs import POLICY, UKPRN, submit

DESK = Principal("user:desk", "10000001", frozenset({Role.ADMIN}))


@pytest.fixture
def addressed(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        for ukprn, org_type in (
            (OWN_UKPRN, OrgType.COLLEGE),
            (AWARDING_UKPRN, OrgType.AWARDING_ORGANISATION),
            (UKPRN, OrgType.COLLEGE),
        ):
            if uow.organisations.get(ukprn) is None:
                uow.organisations.add(Organisation(ukprn, f"Organisation {ukprn}", org_type))
            uow.notifications.set_contact_address(ukprn, f"mis@{ukprn}.example.ac.uk")
        uow.commit()


def keys(uow_factory: SqlUnitOfWorkFactory) -> list[str]:
    with uow_factory() as uow:
        return sorted(n.key for n in uow.notifications.list(ukprn=None, limit=100))


def test_a_batch_that_cannot_be_read_owes_a_failed_email(
    uow_factory: SqlUnitOfWorkFactory, addressed: None
) -> None:
    job = submit(uow_factory, b"\x00\x01 not a batch file at all").job
    BatchWorker(uow_factory, policy=POLICY).run(until_idle=True)

    assert keys(uow_factory) == [f"batch-failed:{job.id}"]


def test_a_decided_challenge_owes_its_raiser_an_email(
    uow_factory: SqlUnitOfWorkFactory, addressed: None
) -> None:
    uln = registered_learner(uow_factory, 2621).uln
    raiser = Principal("user:registrar", OWN_UKPRN, frozenset({Role.LRB}))
    challenge = raise_uln_challenge(
        RaiseUlnChallenge(ChallengeKind.ULN_SHARED, uln, "Two people"),
        principal=raiser,
        uow=uow_factory(),
    )
    assert keys(uow_factory) == []
    resolve_uln_challenge(
        UlnResolution(challenge.id, accept=False, response="They are the same person"),
        principal=DESK,
        uow=uow_factory(),
    )

    assert keys(uow_factory) == [f"challenge-decided:{challenge.id}"]


def test_a_diploma_owes_its_centre_and_awarding_body_complete_and_awarded_emails(
    uow_factory: SqlUnitOfWorkFactory, addressed: None
) -> None:
    account = awarded_diploma_account(uow_factory, seed=2622)

    assert keys(uow_factory) == sorted(
        f"diploma-{what}:{account}:{ukprn}"
        for what in ("complete", "awarded")
        for ukprn in (OWN_UKPRN, AWARDING_UKPRN)
    )
