"""The retention policy: for each kind of data, how many days it is kept once it is finished
with (a batch processed, a session expired, a registration resolved). Learner records, learning
events and the audit trail are not on it: the register is kept for the learner's lifetime and the
audit trail is append-only in the database (docs/data-protection.md, decisions/0023).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class DataKind(StrEnum):
    BATCH_FILES = "batch_files"
    BATCH_OUTPUTS = "batch_outputs"
    SESSIONS = "sessions"
    ACTIVATION_CODES = "activation_codes"
    HELD_REGISTRATIONS = "held_registrations"
    NOTIFICATIONS = "notifications"
    LOGS = "logs"


DEFAULT_DAYS: Mapping[DataKind, int] = {
    DataKind.BATCH_FILES: 30,  # the uploaded file, once its job has finished
    DataKind.BATCH_OUTPUTS: 90,  # the job, its rows and results, once finished
    DataKind.SESSIONS: 7,  # portal sessions, after they expired
    DataKind.ACTIVATION_CODES: 30,  # learner account activation codes, after they expired
    DataKind.HELD_REGISTRATIONS: 365,  # held registrations, after they were resolved
    DataKind.NOTIFICATIONS: 90,  # e-mails sent or given up on
    DataKind.LOGS: 90,  # failed sign-in records
}


class RetentionSettingInvalid(ValueError):
    """A setting names a kind of data the policy does not know, or a period under a day: a
    mistake in the deployment's configuration, refused before anything is removed."""


@dataclass(frozen=True)
class RetentionPolicy:
    days: Mapping[DataKind, int]

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, int]) -> RetentionPolicy:
        """The defaults with some periods changed (settings name kinds by their value)."""
        days = dict(DEFAULT_DAYS)
        for name, value in overrides.items():
            try:
                kind = DataKind(name)
            except ValueError:
                known = ", ".join(kind.value for kind in DataKind)
                raise RetentionSettingInvalid(f"unknown kind {name!r} (known: {known})") from None
            if value < 1:
                raise RetentionSettingInvalid(f"the period of {name!r} must be at least one day")
            days[kind] = value
        return cls(days)

    def cutoff(self, kind: DataKind, now: dt.datetime) -> dt.datetime:
        """Data of `kind` finished with strictly before this moment is removed."""
        return now - dt.timedelta(days=self.days[kind])


@dataclass(frozen=True)
class RetentionReport:
    """What one run removed: rows per kind; None where this deployment holds no such data."""

    removed: Mapping[DataKind, int | None]

    @property
    def total(self) -> int:
        return sum(count or 0 for count in self.removed.values())

    def summary(self) -> str:
        return ", ".join(
            f"{kind.value}={'-' if count is None else count}"
            for kind, count in self.removed.items()
        )
