"""In-memory relationships and change requests (issue 21), for `tests.unit.fakes`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from openlrs.domain.learners.change_request import (
    ChangeRequest,
    ChangeRequestStatus,
    RelationshipKind,
)


@dataclass
class LearnerAccessState:
    relationships: set[tuple[str, str, RelationshipKind]] = field(default_factory=set)
    change_requests: dict[str, ChangeRequest] = field(default_factory=dict)


def note_relationship(
    state: LearnerAccessState, uln: str, ukprn: str, kind: RelationshipKind
) -> None:
    if ukprn:
        state.relationships.add((uln, ukprn, kind))


def relationships(
    state: LearnerAccessState, ulns: Collection[str], ukprn: str
) -> frozenset[RelationshipKind]:
    return frozenset(k for u, o, k in state.relationships if u in ulns and o == ukprn)


class FakeChangeRequestRepository:
    def __init__(
        self,
        state: Callable[[], LearnerAccessState],
        masters: Callable[[], dict[str, str | None]],
    ) -> None:
        self._current_state = state  # read afresh: a unit of work's tables are reloaded in place
        self._masters = masters  # each ULN's master ULN, read when listing

    @property
    def _state(self) -> LearnerAccessState:
        return self._current_state()

    def add(self, request: ChangeRequest) -> ChangeRequest:
        for stored in self._state.change_requests.values():
            if (
                stored.status is ChangeRequestStatus.PENDING
                and stored.ukprn == request.ukprn
                and stored.fingerprint == request.fingerprint
            ):
                return stored
        stored = dataclasses.replace(
            request, reference=str(uuid.uuid4()), created_at=dt.datetime.now(dt.UTC)
        )
        self._state.change_requests[stored.reference] = stored
        return stored

    def get(self, reference: str) -> ChangeRequest | None:
        return self._state.change_requests.get(reference)

    def list(
        self, *, ukprn: str | None, status: ChangeRequestStatus | None, limit: int
    ) -> list[ChangeRequest]:
        def visible(request: ChangeRequest) -> bool:
            if ukprn is None or request.ukprn == ukprn:
                return True
            ulns = {request.uln} | {u for u, m in self._masters().items() if m == request.uln}
            return RelationshipKind.REGISTERED in relationships(self._state, ulns, ukprn)

        found = [
            r
            for r in self._state.change_requests.values()
            if (status is None or r.status is status) and visible(r)
        ]
        return found[:limit]

    def decide(
        self,
        reference: str,
        status: ChangeRequestStatus,
        *,
        by: str,
        by_ukprn: str,
        applied_version: int | None,
    ) -> bool:
        stored = self._state.change_requests.get(reference)
        if stored is None or stored.status is not ChangeRequestStatus.PENDING:
            return False
        self._state.change_requests[reference] = dataclasses.replace(
            stored,
            status=status,
            decided_by=by,
            decided_by_ukprn=by_ukprn,
            decided_at=dt.datetime.now(dt.UTC),
            applied_version=applied_version,
        )
        return True
