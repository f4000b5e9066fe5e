"""Organisations, roles and the principal on whose behalf a use case runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from openlrs.domain.errors import NotAuthorised


class OrgType(StrEnum):
    SCHOOL = "school"
    COLLEGE = "college"
    TRAINING_PROVIDER = "training_provider"
    LOCAL_AUTHORITY = "local_authority"
    PRISON = "prison"
    HIGHER_EDUCATION = "higher_education"
    AWARDING_ORGANISATION = "awarding_organisation"
    SERVICE_DESK = "service_desk"


class OrgStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class Role(StrEnum):
    """What an account may do. `lrb` is a registration user; `lrb_admin` also manages its own
    organisation's accounts; `ao` is an awarding-organisation user; `admin` is the service desk."""

    LRB = "lrb"
    LRB_ADMIN = "lrb_admin"
    AO = "ao"
    ADMIN = "admin"


LEARNER_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.ADMIN})
VERIFY_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.AO, Role.ADMIN})
"""Who may verify learner details: registration bodies and awarding organisations."""
ORG_ADMIN_ROLES = frozenset({Role.LRB_ADMIN, Role.ADMIN})
ADMIN_ROLES = frozenset({Role.ADMIN})
"""The service desk."""


def parse_roles(text: str) -> frozenset[Role]:
    return frozenset(Role(part) for part in text.split() if part)


def format_roles(roles: frozenset[Role] | set[Role]) -> str:
    return " ".join(sorted(r.value for r in roles))


@dataclass(frozen=True)
class Organisation:
    ukprn: str
    name: str
    org_type: OrgType
    status: OrgStatus = OrgStatus.ACTIVE
    id: int | None = None


@dataclass(frozen=True)
class Principal:
    """Who is acting: an API client or a user, their organisation, and their roles."""

    actor: str
    ukprn: str
    roles: frozenset[Role]

    def require(self, allowed: frozenset[Role]) -> None:
        if not self.roles & allowed:
            raise NotAuthorised()

    def require_org_admin(self, ukprn: str) -> None:
        """Service desk for any organisation; an organisation's own admin for its own."""
        if Role.ADMIN in self.roles:
            return
        if Role.LRB_ADMIN in self.roles and self.ukprn == ukprn:
            return
        raise NotAuthorised()


SYSTEM = Principal(actor="system", ukprn="", roles=frozenset({Role.ADMIN}))


@dataclass(frozen=True)
class Account:
    """A user or API client as the register holds it (never with its secret)."""

    kind: str  # "user" or "client"
    login: str
    ukprn: str
    roles: frozenset[Role]
    revoked_at: dt.datetime | None = None
    secret_hash: str = ""
    organisation_status: OrgStatus = OrgStatus.ACTIVE

    @property
    def active(self) -> bool:
        return self.revoked_at is None
