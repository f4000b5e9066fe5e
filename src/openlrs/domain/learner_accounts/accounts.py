"""A learner's own account, the codes that open it, and the codes that share their record.

A learner is not an organisation's user: they sign in with their ULN, date of birth checks and a
password set on activation (then a TOTP code when they turned it on), under the portal's session
machinery with the username `learner:<ULN>`, and act with the role `learner` only, on their own
record only. An activation code is the only way in (a national identity provider could later sit
beside it: docs/decisions/0020-learners-own-door.md).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import DomainError, FieldError, NotAuthorised, ValidationFailed

USERNAME_PREFIX = "learner:"
"""The session username of a learner; no organisation user may have a name starting with it."""
LEARNER_ROLES = frozenset({Role.LEARNER})
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Code characters: capitals and digits without the look-alikes 0/O and 1/I."""
ACTIVATION_LENGTH = 12
"""60 bits: with argon2, a ULN and date of birth to match, and lockout, beyond guessing."""
SHARE_LENGTH = 20
"""100 bits: share codes are looked up by their hash alone, so they must be unguessable."""
SHARE_PERIODS = (7, 30, 90)
"""How many days a share code may last."""
MIN_PASSWORD = 10


class ActivationFailed(DomainError):
    code = "ACTIVATION_FAILED"
    title = "The ULN, date of birth or activation code is not right, or the code has expired"
    status = 401


class AccountNotActive(DomainError):
    code = "LEARNER_ACCOUNT_NOT_ACTIVE"
    title = "This learner account is not active"
    status = 401


class ShareCodeNotFound(DomainError):
    code = "SHARE_CODE_NOT_FOUND"
    title = "No record matches that code and date of birth"
    status = 404


class NoRelationship(DomainError):
    code = "NO_RELATIONSHIP"
    title = "Only an organisation that registered the learner or has them on roll can do this"
    status = 403


def username_of(uln: str) -> str:
    return f"{USERNAME_PREFIX}{uln}"


def is_learner_username(username: str) -> bool:
    return username.startswith(USERNAME_PREFIX)


def learner_principal(uln: str) -> Principal:
    return Principal(actor=username_of(uln), ukprn="", roles=LEARNER_ROLES)


def uln_of(principal: Principal) -> str:
    """The ULN of a signed-in learner; NotAuthorised for anyone else."""
    principal.require(LEARNER_ROLES)
    if not is_learner_username(principal.actor):
        raise NotAuthorised()
    return principal.actor.removeprefix(USERNAME_PREFIX)


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def shown(code: str) -> str:
    """A code as printed: in groups of four, e.g. ABCD-EFGH-JKLM."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalised(code: str) -> str:
    """A code as typed, without spaces, dashes or case."""
    return "".join(c for c in code.upper() if c.isalnum())[:64]


def checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD or len(password) > 200:
        message = f"Enter a password of at least {MIN_PASSWORD} characters"
        raise ValidationFailed([FieldError("password", "PASSWORD_TOO_SHORT", message)])
    return password


@dataclass(frozen=True)
class ActivationCode:
    uln: str
    code_hash: str
    issued_by: str
    issued_by_ukprn: str | None
    expires_at: dt.datetime
    used_at: dt.datetime | None = None
    id: int | None = None

    def usable(self, now: dt.datetime) -> bool:
        return self.used_at is None and now < self.expires_at


@dataclass(frozen=True)
class Issued:
    """A new activation code: `code` is shown once (and printed on the letter), never stored."""

    uln: str
    code: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class LearnerAccount:
    uln: str
    password_hash: str
    active: bool
    activated_at: dt.datetime


@dataclass(frozen=True)
class ShareCode:
    id: str
    uln: str
    code_hash: str
    label: str
    event_ids: tuple[str, ...] | None
    """The achievements it shows; None: the whole record."""
    expires_at: dt.datetime
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    def live(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
