"""E-mails to an organisation's contact address about its work: a batch finished or failed, a
challenge it raised decided, a Diploma it handles complete or awarded.

Each message has an idempotency key naming its event (`batch-finished:<job id>`): the outbox holds
one row per key, whatever retries made the event, and the key is the e-mail's Message-ID, so a
re-sent message after a crash is recognisably the same one (decision 0024). No learner's personal
data goes in an e-mail: references and counts only (a ULN at most).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from openlrs.domain.errors import FieldError, ValidationFailed


class NotificationKind(StrEnum):
    BATCH_FINISHED = "batch_finished"
    BATCH_FAILED = "batch_failed"
    CHALLENGE_DECIDED = "challenge_decided"
    DIPLOMA_COMPLETE = "diploma_complete"
    DIPLOMA_AWARDED = "diploma_awarded"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    """Given up after MAX_ATTEMPTS: the desk sees it in the outbox."""


MAX_ATTEMPTS = 10
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=1)


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from 30 s, at most an hour."""
    wait: dt.timedelta = FIRST_RETRY * (2 ** min(20, max(0, attempts - 1)))
    return min(LONGEST_WAIT, wait)


@dataclass(frozen=True)
class Message:
    """What to say to an organisation about one event (the outbox finds the address)."""

    key: str
    kind: NotificationKind
    ukprn: str
    subject: str
    body: str


@dataclass(frozen=True)
class Notification:
    """A message in the outbox, addressed."""

    id: int
    key: str
    kind: NotificationKind
    ukprn: str
    to_address: str
    subject: str
    body: str
    status: NotificationStatus
    attempts: int
    next_attempt_at: dt.datetime

    @property
    def message_id(self) -> str:
        """The e-mail's Message-ID: the same for every attempt at this notification."""
        return f"<{self.key.replace(':', '.')}@openlrs>"


_SIGN_OFF = "\n\nThis is an automatic message from the Learning Records Service."


def batch_finished(job_id: str, ukprn: str, *, total: int, failed: int) -> Message:
    return Message(
        f"batch-finished:{job_id}",
        NotificationKind.BATCH_FINISHED,
        ukprn,
        "Your batch file has been processed",
        f"Batch {job_id} has been processed: {total} rows, {failed} with errors. The output "
        "and error files are ready to download from the portal or the API." + _SIGN_OFF,
    )


def batch_failed(job_id: str, ukprn: str, *, reason: str) -> Message:
    return Message(
        f"batch-failed:{job_id}",
        NotificationKind.BATCH_FAILED,
        ukprn,
        "Your batch file could not be processed",
        f"Batch {job_id} could not be processed: {reason}. Correct the file and send it again."
        + _SIGN_OFF,
    )


def challenge_decided(challenge_id: str, ukprn: str, *, accepted: bool) -> Message:
    outcome = "accepted" if accepted else "rejected"
    return Message(
        f"challenge-decided:{challenge_id}",
        NotificationKind.CHALLENGE_DECIDED,
        ukprn,
        f"Your data challenge has been {outcome}",
        f"Data challenge {challenge_id} has been {outcome}. Sign in to the portal to see the "
        "decision and its reasons." + _SIGN_OFF,
    )


def diploma_complete(account_id: str, ukprn: str) -> Message:
    return Message(
        f"diploma-complete:{account_id}:{ukprn}",
        NotificationKind.DIPLOMA_COMPLETE,
        ukprn,
        "A Diploma is complete and can be claimed",
        f"Diploma account {account_id} now meets the Diploma's rules and can be claimed."
        + _SIGN_OFF,
    )


def diploma_awarded(account_id: str, ukprn: str) -> Message:
    return Message(
        f"diploma-awarded:{account_id}:{ukprn}",
        NotificationKind.DIPLOMA_AWARDED,
        ukprn,
        "A Diploma has been awarded",
        f"The Diploma on account {account_id} has been awarded and is on the learner's record."
        + _SIGN_OFF,
    )


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def checked_address(address: str | None) -> str | None:
    """An organisation's contact address, checked (None or blank: no address)."""
    text = (address or "").strip()
    if not text:
        return None
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        raise ValidationFailed(
            [FieldError("contact_email", "EMAIL_INVALID", "Enter an email address")]
        )
    return text
