"""Organisations, roles and the principal on whose behalf a use case runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from openlrs.domain.errors import NotAuthorised, RoleNotAllowed


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
    organisation's accounts; `ao` is an awarding-organisation user; `ao_admin` manages an awarding
    organisation's own accounts (and nothing more: its holder also holds `ao` to award);
    `admin` is the service desk. `learner` is a learner signed in to their own pages (issue 22):
    no type of organisation may hold it, so no API client or organisation user ever does."""

    LRB = "lrb"
    LRB_ADMIN = "lrb_admin"
    AO = "ao"
    AO_ADMIN = "ao_admin"
    ADMIN = "admin"
    LEARNER = "learner"


_REGISTRATION_BODY = frozenset({Role.LRB, Role.LRB_ADMIN})
ROLES_BY_ORG_TYPE: Mapping[OrgType, frozenset[Role]] = {
    OrgType.SCHOOL: _REGISTRATION_BODY,
    OrgType.COLLEGE: _REGISTRATION_BODY,
    OrgType.TRAINING_PROVIDER: _REGISTRATION_BODY,
    OrgType.LOCAL_AUTHORITY: _REGISTRATION_BODY,
    OrgType.PRISON: _REGISTRATION_BODY,
    OrgType.HIGHER_EDUCATION: _REGISTRATION_BODY,
    OrgType.AWARDING_ORGANISATION: frozenset({Role.AO, Role.AO_ADMIN}),
    OrgType.SERVICE_DESK: frozenset({Role.ADMIN}),
}
"""Which roles an account may hold, by the type of its organisation: checked wherever a role is
granted, and again on every request (an account's effective roles are its stored roles
intersected with these)."""


def roles_allowed(org_type: OrgType) -> frozenset[Role]:
    return ROLES_BY_ORG_TYPE.get(org_type, frozenset())


def check_grant(org_type: OrgType, roles: frozenset[Role]) -> None:
    """Refuse roles an organisation of this type may not hold (RoleNotAllowed, 422)."""
    refused = roles - roles_allowed(org_type)
    if refused:
        raise RoleNotAllowed(
            f"An organisation of type {org_type.value} cannot hold the role(s) "
            + ", ".join(sorted(r.value for r in refused))
        )


LEARNER_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.ADMIN})
VERIFY_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.AO, Role.ADMIN})
"""Who may verify learner details: registration bodies and awarding organisations."""
ORG_ADMIN_ROLES = frozenset({Role.LRB_ADMIN, Role.AO_ADMIN, Role.ADMIN})
"""Who manages an organisation's accounts: its own admin (lrb_admin, ao_admin), or the desk."""
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
    dfe_number: str | None = None
    """A school's DfE number: LEA (3 digits) then establishment (4 digits), as in its CTFs."""


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
        if self.roles & ORG_ADMIN_ROLES and self.ukprn == ukprn:
            return
        raise NotAuthorised()


SYSTEM = Principal(actor="system", ukprn="", roles=frozenset({Role.ADMIN}))


@dataclass(frozen=True)
class Account:
    """A user or API client as the register holds it (never with its secret)."""

    kind: str  # "user", "client" or "webservice" (an LRS-compatible SOAP account)
    login: str
    ukprn: str
    roles: frozenset[Role]
    revoked_at: dt.datetime | None = None
    secret_hash: str = ""
    organisation_status: OrgStatus = OrgStatus.ACTIVE
    organisation_type: OrgType | None = None
    """Filled in by the repository (the organisation's type); None only before it is stored."""

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @cached_property
    def effective_roles(self) -> frozenset[Role]:
        """The stored roles its organisation's type allows: a grant that breaks the rule (made
        before the rule, or by hand) gives nothing. Computed once per (cached) account."""
        if self.organisation_type is None:
            return frozenset()
        return self.roles & roles_allowed(self.organisation_type)
