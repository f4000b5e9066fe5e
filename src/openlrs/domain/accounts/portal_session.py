"""Portal sign-in: server-side sessions and each user's sign-in state (failures, second factor)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class SessionStage(StrEnum):
    """`password` sessions have passed the password but still owe a TOTP code; `change` sessions
    must choose a new password (an administrator set the last one); only `full` sessions may use
    the portal."""

    PASSWORD = "password"
    CHANGE = "change"
    FULL = "full"


@dataclass(frozen=True)
class PortalSession:
    """A signed-in browser. Only a hash of its random token is stored."""

    token_hash: str
    username: str
    stage: SessionStage
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None = None
    id: int | None = None

    def live(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass(frozen=True)
class SignInState:
    """Per-user second-factor state: the TOTP secret and the last time step used."""

    username: str
    totp_secret: str | None = None
    totp_enabled: bool = False
    last_totp_step: int | None = None
    must_change_password: bool = False
    """Set when an administrator chose the password: the user must change it after signing in."""


@dataclass(frozen=True)
class SignInFailures:
    """Consecutive failed sign-ins of one username (whether or not it exists) from one source.

    Keyed by both, so that failures from an attacker's address lock only that address out; the
    lock doubles with each further failure (exponential backoff), up to a day."""

    username: str
    source: str
    failures: int = 0
    locked_until: dt.datetime | None = None

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, rules: SessionRules, now: dt.datetime) -> SignInFailures:
        """One more failure: from the `max_failed_attempts`th on, locked for `lockout_minutes`,
        doubled for each failure beyond it."""
        failures = self.failures + 1
        beyond = failures - rules.max_failed_attempts
        if beyond < 0:
            return dataclasses.replace(self, failures=failures, locked_until=None)
        minutes = min(rules.lockout_minutes * 2 ** min(beyond, 16), rules.max_lockout_minutes)
        return dataclasses.replace(
            self, failures=failures, locked_until=now + dt.timedelta(minutes=minutes)
        )


@dataclass(frozen=True)
class SessionRules:
    """How long sessions last and when repeated failures lock an account."""

    idle_minutes: int = 30
    absolute_hours: int = 12
    max_failed_attempts: int = 5
    lockout_minutes: int = 15
    """The first lockout; each further failure from the same source doubles it."""
    max_lockout_minutes: int = 24 * 60

    def expiry(self, created_at: dt.datetime, now: dt.datetime) -> dt.datetime:
        return min(
            created_at + dt.timedelta(hours=self.absolute_hours),
            now + dt.timedelta(minutes=self.idle_minutes),
        )


@dataclass(frozen=True)
class PasswordReset:
    """A one-time password reset link: works once, until `expires_at`. Only a hash is stored."""

    token_hash: str
    username: str
    issued_by: str
    expires_at: dt.datetime
    used_at: dt.datetime | None = None

    def usable(self, now: dt.datetime) -> bool:
        return self.used_at is None and now < self.expires_at
