"""Reading the audit trail: the service desk sees everything, an organisation admin its own."""

from __future__ import annotations

import pytest

from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import NotAuthorised
from openlrs.services.audit_trail import list_audit_events
from tests.builders import ADMIN, LRB, LRB_ADMIN, OTHER_PROVIDER, PROVIDER
from tests.unit.fakes import FakeUnitOfWork


@pytest.fixture
def trail(uow: FakeUnitOfWork) -> FakeUnitOfWork:
    """Three reads by PROVIDER and two by OTHER_PROVIDER, interleaved."""
    with uow:
        for n, ukprn in enumerate([PROVIDER, OTHER_PROVIDER, PROVIDER, OTHER_PROVIDER, PROVIDER]):
            uow.audit.record(
                AuditEvent(f"user:{n}", ukprn, AuditAction.LEARNER_READ, outcome="exact")
            )
        uow.commit()
    return uow


def test_an_organisation_admin_sees_only_its_own_events(trail: FakeUnitOfWork) -> None:
    events = list_audit_events(
        ukprn=None, uln=None, before_id=None, limit=50, principal=LRB_ADMIN, uow=trail
    )

    assert [(e.id, e.ukprn) for e in events] == [(5, PROVIDER), (3, PROVIDER), (1, PROVIDER)]


def test_an_organisation_admin_cannot_ask_for_another_organisation(trail: FakeUnitOfWork) -> None:
    with pytest.raises(NotAuthorised):
        list_audit_events(
            ukprn=OTHER_PROVIDER, uln=None, before_id=None, limit=50, principal=LRB_ADMIN, uow=trail
        )


def test_the_service_desk_sees_every_organisation_and_pages_back(trail: FakeUnitOfWork) -> None:
    first = list_audit_events(
        ukprn=None, uln=None, before_id=None, limit=2, principal=ADMIN, uow=trail
    )
    rest = list_audit_events(
        ukprn=None, uln=None, before_id=first[-1].id, limit=50, principal=ADMIN, uow=trail
    )

    assert [e.id for e in first + rest] == [5, 4, 3, 2, 1]


def test_a_registration_user_cannot_read_the_trail(trail: FakeUnitOfWork) -> None:
    with pytest.raises(NotAuthorised):
        list_audit_events(ukprn=None, uln=None, before_id=None, limit=50, principal=LRB, uow=trail)
