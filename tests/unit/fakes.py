"""In-memory stand-ins for `openlrs.store`: a unit of work over a `FakeDatabase`, no SQL.

Each unit of work copies the committed state when it begins, works on its copy and writes it back
on `commit`; anything not committed is dropped. The ULN counter, like a PostgreSQL sequence, is
never rolled back.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

from openlrs.domain.accounts.organisations import Account, Organisation, OrgStatus, OrgType, Role
from openlrs.domain.accounts.portal_session import (
    PasswordReset,
    PortalSession,
    SignInFailures,
    SignInState,
)
from openlrs.domain.audit import AuditEvent, read_outcome
from openlrs.domain.learner_plans.plan import LearnerPlan
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.domain.learners.current import CurrentLearner
from openlrs.domain.learners.demographics import name_key
from openlrs.domain.learners.held_registration import HeldRegistration, HeldStatus
from openlrs.domain.learners.learner import Learner
from openlrs.domain.matching.engine import Candidate
from openlrs.domain.matching.keys import blocking_keys
from openlrs.domain.matching.suspected_duplicate import SuspectedDuplicate
from openlrs.domain.notifications.messages import Message
from openlrs.services.accounts.ports import (
    AccountRepository,
    OrganisationRepository,
    PortalSessionRepository,
)
from openlrs.services.learners.ports import HeldRegistrationRepository, LearnerRepository, UlnIssuer
from openlrs.services.matching.ports import SuspectedDuplicateRepository
from openlrs.services.ports import AuditLog
from openlrs.services.providers.ports import ProviderRepository
from tests.unit.fake_diploma import DiplomaState, FakeDiplomaAccountRepository
from tests.unit.fake_duplicates import FakeSuspectedDuplicateRepository
from tests.unit.fake_learner_plans import FakeLearnerPlanRepository
from tests.unit.fake_learners import (
    FakeChangeRequestRepository,
    LearnerAccessState,
    note_relationship,
    relationships,
)
from tests.unit.fake_plr import (
    FakeChallengeRepository,
    FakeLearningEventRepository,
    FakeQualificationRepository,
    PlrState,
)
from tests.unit.fake_portal import FakePortalSessionRepository
from tests.unit.fake_providers import FakeProviderRepository, ProviderState
from tests.unit.fake_uln import FakeChangeFeed, FakeUlnMergeRepository, UlnState

PERMUTATION_KEY = bytes(range(32))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Tables:
    """Everything a unit of work can change; copied on begin, written back on commit."""

    learner_versions: dict[str, list[Learner]] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    accounts: dict[tuple[str, str], Account] = field(default_factory=dict)
    audit: list[AuditEvent] = field(default_factory=list)
    held: dict[int, HeldRegistration] = field(default_factory=dict)
    portal_sessions: dict[str, PortalSession] = field(default_factory=dict)
    sign_in: dict[str, SignInState] = field(default_factory=dict)
    sign_in_failures: dict[tuple[str, str], SignInFailures] = field(default_factory=dict)
    password_resets: dict[str, PasswordReset] = field(default_factory=dict)
    providers: ProviderState = field(default_factory=ProviderState)
    suspected_duplicates: dict[tuple[str, str], SuspectedDuplicate] = field(default_factory=dict)
    plr: PlrState = field(default_factory=PlrState)
    diploma: DiplomaState = field(default_factory=DiplomaState)
    uln: UlnState = field(default_factory=UlnState)
    learner_access: LearnerAccessState = field(default_factory=LearnerAccessState)
    notifications: list[Message] = field(default_factory=list)
    """The outbox: every message enqueued (the fakes keep no contact addresses)."""
    learner_plans: dict[str, LearnerPlan] = field(default_factory=dict)

    def load(self, other: Tables) -> None:
        """Replace this state with a deep copy of `other`, in place (repositories keep a reference)."""
        for name in (
            "learner_versions",
            "organisations",
            "accounts",
            "audit",
            "held",
            "portal_sessions",
            "sign_in",
            "sign_in_failures",
            "password_resets",
            "providers",
            "suspected_duplicates",
            "plr",
            "diploma",
            "uln",
            "learner_access",
            "notifications",
            "learner_plans",
        ):
            setattr(self, name, copy.deepcopy(getattr(other, name)))


@dataclass
class FakeDatabase:
    committed: Tables = field(default_factory=Tables)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    units_begun: int = 0
    commits: int = 0
    locks_taken: list[str] = field(default_factory=list)


class FakeLearnerRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    def _current(self) -> list[Learner]:
        return [versions[-1] for versions in self._tables.learner_versions.values()]

    def get(self, uln: str) -> Learner | None:
        versions = self._tables.learner_versions.get(uln)
        if not versions:
            return None
        linked = tuple(sorted(c.uln for c in self._current() if c.master_uln == uln))
        return dataclasses.replace(versions[-1], linked_ulns=linked)

    def get_many(self, ulns: Collection[str]) -> dict[str, Learner]:
        return {uln: found for uln in ulns if (found := self.get(uln))}

    def get_and_record(self, uln: str, event: AuditEvent) -> Learner | None:
        learner = self.get(uln)
        status = learner.status.value if learner else None
        outcome = read_outcome(learner is not None, status, learner.master_uln if learner else None)
        FakeAuditLog(self._tables).record(dataclasses.replace(event, uln=uln, outcome=outcome))
        return learner

    def name_frequencies(
        self, names: Collection[tuple[str, str]]
    ) -> dict[tuple[str, str], float | None]:
        return {(field, key): self._share(field, key) for field, key in names}

    def _share(self, field: str, key: str) -> float | None:
        current = self._current()
        if field == "full_name":
            count = sum(
                1
                for c in current
                if f"{name_key(c.details.given_name)} {name_key(c.details.family_name)}" == key
            )
        elif field in ("given_name", "family_name"):
            count = sum(1 for c in current if name_key(getattr(c.details, field)) == key)
        else:
            return None
        return count / len(current) if count else None

    def refresh_name_frequencies(self) -> int:
        return len(self._current())  # the fake counts names as it is asked

    def candidates(self, keys: Collection[str], *, limit: int) -> list[Candidate]:
        wanted = set(keys)
        found = [c for c in self._current() if blocking_keys(c.details) & wanted]
        return [Candidate.of(learner) for learner in found[:limit]]

    def add(self, learner: Learner, *, actor: str, ukprn: str | None) -> None:
        if learner.uln in self._tables.learner_versions:
            raise ValueError(f"duplicate ULN {learner.uln}")  # the SQL store's unique constraint
        now = learner.created_at or _now()  # as the SQL store: the service's stamp, if any
        stored = dataclasses.replace(
            learner, linked_ulns=(), registered_by_ukprn=ukprn, created_at=now, updated_at=now
        )
        self._tables.learner_versions[learner.uln] = [stored]
        if ukprn:
            self.note_relationship(learner.uln, ukprn, RelationshipKind.REGISTERED)

    def note_relationship(self, uln: str, ukprn: str, kind: RelationshipKind) -> None:
        note_relationship(self._tables.learner_access, uln, ukprn, kind)

    def relationships(self, ulns: Collection[str], ukprn: str) -> frozenset[RelationshipKind]:
        return relationships(self._tables.learner_access, ulns, ukprn)

    def current_learners(
        self, ukprn: str, *, after: str | None, limit: int
    ) -> list[CurrentLearner]:
        held = self._tables.learner_access.relationships
        ulns = sorted({u for u, o, _ in held if o == ukprn and (after is None or u > after)})
        found = []
        for uln in ulns[:limit]:
            details = self._tables.learner_versions[uln][-1].details
            found.append(
                CurrentLearner(
                    uln,
                    details.given_name,
                    details.family_name,
                    details.date_of_birth,
                    details.upn,
                    frozenset(k for u, o, k in held if u == uln and o == ukprn),
                    None,
                    len({o for u, o, _ in held if u == uln and o != ukprn}),
                )
            )
        return found

    def masters(self) -> dict[str, str | None]:
        return {c.uln: c.master_uln for c in self._current()}

    def replace(
        self, learner: Learner, *, expected_version: int, actor: str, ukprn: str | None
    ) -> bool:
        versions = self._tables.learner_versions.get(learner.uln)
        if not versions or versions[-1].version != expected_version:
            return False
        first = versions[0]
        versions.append(
            dataclasses.replace(
                learner,
                linked_ulns=(),
                registered_by_ukprn=first.registered_by_ukprn,
                created_at=first.created_at,
                updated_at=learner.updated_at or _now(),
            )
        )
        return True

    def history(self, uln: str) -> list[Learner]:
        return list(self._tables.learner_versions.get(uln, []))

    def lock(self, uln: str) -> Learner | None:
        return self.get(uln)

    def count(self) -> int:
        return len(self._tables.learner_versions)


class FakeUlnIssuer:
    def __init__(self, database: FakeDatabase) -> None:
        self._database = database

    def permutation_key(self) -> bytes:
        return PERMUTATION_KEY

    def next_counter(self) -> int:
        return next(self._database.counter)


class FakeOrganisationRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    def get(self, ukprn: str) -> Organisation | None:
        return self._tables.organisations.get(ukprn)

    def add(self, organisation: Organisation) -> Organisation:
        if organisation.ukprn in self._tables.organisations:
            raise ValueError(f"duplicate UKPRN {organisation.ukprn}")
        stored = dataclasses.replace(organisation, id=len(self._tables.organisations) + 1)
        self._tables.organisations[organisation.ukprn] = stored
        return stored

    def set_status(self, ukprn: str, status: OrgStatus) -> None:
        if (found := self._tables.organisations.get(ukprn)) is not None:
            self._tables.organisations[ukprn] = dataclasses.replace(found, status=status)

    def set_dfe_number(self, ukprn: str, dfe_number: str | None) -> None:
        if (found := self._tables.organisations.get(ukprn)) is not None:
            self._tables.organisations[ukprn] = dataclasses.replace(found, dfe_number=dfe_number)

    def count_active(self, org_type: OrgType) -> int:
        return sum(
            1
            for o in self._tables.organisations.values()
            if o.org_type is org_type and o.status is OrgStatus.ACTIVE
        )

    def list(self, *, after: str | None, limit: int) -> list[Organisation]:
        ukprns = sorted(u for u in self._tables.organisations if after is None or u > after)
        return [self._tables.organisations[u] for u in ukprns[:limit]]


class FakeAccountRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    def _joined(self, account: Account) -> Account | None:
        """The account with its organisation's standing; None without one, as an inner join."""
        organisation = self._tables.organisations.get(account.ukprn)
        if organisation is None:
            return None
        return dataclasses.replace(
            account,
            organisation_status=organisation.status,
            organisation_type=organisation.org_type,
        )

    def get(self, kind: str, login: str) -> Account | None:
        found = self._tables.accounts.get((kind, login))
        return None if found is None else self._joined(found)

    def add(self, account: Account) -> None:
        if (account.kind, account.login) in self._tables.accounts:
            raise ValueError(f"duplicate {account.kind} {account.login}")
        self._tables.accounts[account.kind, account.login] = account

    def revoke(self, kind: str, login: str, when: dt.datetime) -> None:
        found = self._tables.accounts.get((kind, login))
        if found is not None and found.revoked_at is None:
            self._tables.accounts[kind, login] = dataclasses.replace(found, revoked_at=when)

    def update(
        self,
        kind: str,
        login: str,
        *,
        roles: frozenset[Role] | None = None,
        secret_hash: str | None = None,
        reinstate: bool = False,
    ) -> None:
        found = self._tables.accounts.get((kind, login))
        if found is None:
            return
        changed = dataclasses.replace(
            found,
            roles=found.roles if roles is None else roles,
            secret_hash=found.secret_hash if secret_hash is None else secret_hash,
            revoked_at=None if reinstate else found.revoked_at,
        )
        self._tables.accounts[kind, login] = changed

    def list(self, kind: str, ukprn: str) -> list[Account]:
        found = [self._joined(a) for a in self._tables.accounts.values() if a.kind == kind]
        return [a for a in found if a is not None and a.ukprn == ukprn]


class FakeHeldRegistrationRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    def add(self, held: HeldRegistration) -> HeldRegistration:
        for open_entry in self._tables.held.values():
            if (
                held.fingerprint is not None
                and open_entry.status is HeldStatus.OPEN
                and (open_entry.ukprn, open_entry.fingerprint) == (held.ukprn, held.fingerprint)
            ):
                return open_entry
        stored = dataclasses.replace(held, id=len(self._tables.held) + 1, created_at=_now())
        self._tables.held[stored.id or 0] = stored
        return stored

    def get(self, held_id: int) -> HeldRegistration | None:
        return self._tables.held.get(held_id)

    def list(
        self, *, ukprn: str | None, status: HeldStatus | None, limit: int
    ) -> list[HeldRegistration]:
        found = [
            h
            for h in self._tables.held.values()
            if (ukprn is None or h.ukprn == ukprn) and (status is None or h.status is status)
        ]
        return found[:limit]

    def resolve(self, held_id: int, status: HeldStatus, uln: str, by: str) -> bool:
        held = self._tables.held.get(held_id)
        if held is None or held.status is not HeldStatus.OPEN:
            return False
        self._tables.held[held_id] = dataclasses.replace(
            held, status=status, resolved_uln=uln, resolved_by=by
        )
        return True


class FakeAuditLog:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    def record(self, event: AuditEvent) -> None:
        stored = dataclasses.replace(
            event, id=len(self._tables.audit) + 1, occurred_at=event.occurred_at or _now()
        )
        self._tables.audit.append(stored)

    def record_many(self, events: Iterable[AuditEvent]) -> None:
        for event in events:
            self.record(event)

    def list(
        self, *, ukprn: str | None, uln: str | None, before_id: int | None, limit: int
    ) -> list[AuditEvent]:
        found = [
            e
            for e in reversed(self._tables.audit)
            if (ukprn is None or e.ukprn == ukprn)
            and (uln is None or e.uln == uln)
            and (before_id is None or (e.id is not None and e.id < before_id))
        ]
        return found[:limit]


class FakeNotificationOutbox:
    """Enqueues only: delivery is tested against the SQL outbox (tests/integration)."""

    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    def enqueue(self, message: Message) -> bool:
        if any(m.key == message.key for m in self._tables.notifications):
            return False
        self._tables.notifications.append(message)
        return True


class FakeUnitOfWork:
    def __init__(self, database: FakeDatabase | None = None) -> None:
        self.database = database or FakeDatabase()
        self._tables = Tables()
        self._autocommit = False
        self.learners: LearnerRepository = FakeLearnerRepository(self._tables)
        self.uln_issuer: UlnIssuer = FakeUlnIssuer(self.database)
        self.organisations: OrganisationRepository = FakeOrganisationRepository(self._tables)
        self.accounts: AccountRepository = FakeAccountRepository(self._tables)
        self.audit: AuditLog = FakeAuditLog(self._tables)
        self.held: HeldRegistrationRepository = FakeHeldRegistrationRepository(self._tables)
        self.change_requests = FakeChangeRequestRepository(
            lambda: self._tables.learner_access, FakeLearnerRepository(self._tables).masters
        )
        self.portal_sessions: PortalSessionRepository = FakePortalSessionRepository(self._tables)
        self.providers: ProviderRepository = FakeProviderRepository(self._tables)
        self.suspected_duplicates: SuspectedDuplicateRepository = FakeSuspectedDuplicateRepository(
            self._tables
        )
        self.qualifications = FakeQualificationRepository(self._tables)
        self.learning_events = FakeLearningEventRepository(self._tables)
        self.challenges = FakeChallengeRepository(self._tables)
        self.diploma_accounts = FakeDiplomaAccountRepository(self._tables)
        self.uln_merges = FakeUlnMergeRepository(self._tables)
        self.changes = FakeChangeFeed(self._tables)
        self.notifications = FakeNotificationOutbox(self._tables)
        self.learner_plans = FakeLearnerPlanRepository(self._tables)

    def autocommit(self) -> Self:
        """For the next unit only: keep every change, as if each statement committed itself."""
        self._autocommit = True
        return self

    def __enter__(self) -> Self:
        self.database.units_begun += 1
        self._tables.load(self.database.committed)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._autocommit:
            self._autocommit = False
            self.commit()
        else:
            self.rollback()

    def commit(self) -> None:
        self.database.committed.load(self._tables)
        self.database.commits += 1

    def rollback(self) -> None:
        self._tables.load(self.database.committed)

    def lock_for_registration(self, keys: Iterable[str]) -> None:
        self.database.locks_taken.extend(keys)


class FakeUnitOfWorkFactory:
    """Units of work that all share one `FakeDatabase`, as the SQL ones share one engine."""

    def __init__(self, database: FakeDatabase | None = None) -> None:
        self.database = database or FakeDatabase()

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.database)
