"""Share codes: a learner lets someone (an employer, a university) see chosen achievements or the
whole record for 7, 30 or 90 days, and can revoke it. The holder opens /check-a-record with the
code and the learner's date of birth: a read-only view, audited (the learner sees it under "who
has seen your record").

Codes are 20 random characters (100 bits), kept only as their SHA-256 (looked up like a session
token). Wrong guesses count towards the portal's lockout per address (and, for a real code with
a wrong date of birth, per code as well), so guessing is locked after a few tries; an expired
or revoked code, or a wrong date of birth, shows nothing, with one answer for all of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.accounts.portal_session import SessionRules
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import FieldError, LearnerNotFound, SignInLocked, ValidationFailed
from openlrs.domain.learner_accounts.accounts import (
    LEARNER_ROLES,
    SHARE_LENGTH,
    SHARE_PERIODS,
    ShareCode,
    ShareCodeNotFound,
    new_code,
    normalised,
    shown,
    uln_of,
)
from openlrs.domain.learners.learner import Learner
from openlrs.domain.plr.achievements import EventStatus, EventType, LearningEvent
from openlrs.services.accounts.portal_sign_in import source_key
from openlrs.services.plr.learner import current_learner
from openlrs.services.ports import UnitOfWork

ANY_SHARE_CODE = "share-code-check"
"""The lockout counter every failed check from an address counts towards."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def code_hash(code: str) -> str:
    return hashlib.sha256(f"share-code|{normalised(code)}".encode()).hexdigest()


@dataclass(frozen=True)
class NewShareCode:
    label: str
    days: int
    event_ids: tuple[str, ...] | None
    """The achievements to show; None: the whole record."""


@dataclass(frozen=True)
class Created:
    share: ShareCode
    code: str
    """Shown once, to give to the person; never stored."""


def create_share_code(command: NewShareCode, principal: Principal, *, uow: UnitOfWork) -> Created:
    principal.require(LEARNER_ROLES)
    errors: list[FieldError] = []
    label = " ".join(command.label.split())[:100]
    if not label:
        errors.append(FieldError("label", "FIELD_REQUIRED", "Enter who the code is for"))
    if command.days not in SHARE_PERIODS:
        errors.append(FieldError("days", "FIELD_REQUIRED", "Choose how long the code lasts"))
    if command.event_ids is not None and not command.event_ids:
        errors.append(FieldError("events", "FIELD_REQUIRED", "Choose at least one achievement"))
    if errors:
        raise ValidationFailed(errors)
    code = new_code(SHARE_LENGTH)
    with uow:
        learner, _ = current_learner(uln_of(principal), uow)
        if learner is None:
            raise LearnerNotFound()
        if command.event_ids is not None:
            mine = {e.id for e in uow.learning_events.for_learner(learner.uln)}
            if not set(command.event_ids) <= mine:
                raise ValidationFailed(
                    [FieldError("events", "FIELD_INVALID", "Choose achievements on your record")]
                )
        now = _now()
        share = ShareCode(
            id=str(uuid.uuid4()),
            uln=learner.uln,
            code_hash=code_hash(code),
            label=label,
            event_ids=command.event_ids,
            expires_at=now + dt.timedelta(days=command.days),
            created_at=now,
        )
        uow.learner_accounts.add_share(share)
        uow.audit.record(
            AuditEvent(
                principal.actor,
                None,
                AuditAction.SHARE_CODE_CREATE,
                uln=learner.uln,
                outcome="created",
                detail=share.id,
            )
        )
        uow.commit()
    return Created(share, shown(code))


def share_codes(principal: Principal, *, uow: UnitOfWork) -> list[ShareCode]:
    principal.require(LEARNER_ROLES)
    with uow:
        learner, _ = current_learner(uln_of(principal), uow)
        if learner is None:
            raise LearnerNotFound()
        return uow.learner_accounts.shares_of(learner.uln)


def revoke_share_code(share_id: str, principal: Principal, *, uow: UnitOfWork) -> None:
    """Revoke one of the learner's own codes (another learner's id: not found)."""
    principal.require(LEARNER_ROLES)
    with uow:
        learner, _ = current_learner(uln_of(principal), uow)
        if learner is None or not uow.learner_accounts.revoke_share(share_id, learner.uln, _now()):
            raise ShareCodeNotFound()
        uow.audit.record(
            AuditEvent(
                principal.actor,
                None,
                AuditAction.SHARE_CODE_REVOKE,
                uln=learner.uln,
                outcome="revoked",
                detail=share_id,
            )
        )
        uow.commit()


@dataclass(frozen=True)
class SharedView:
    learner: Learner
    events: tuple[LearningEvent, ...]
    whole_record: bool
    expires_at: dt.datetime


def _chosen(events: Collection[LearningEvent], share: ShareCode) -> tuple[LearningEvent, ...]:
    """The achievements the code shows (never a withdrawn one)."""
    kept = [e for e in events if e.status is not EventStatus.WITHDRAWN]
    if share.event_ids is None:
        return tuple(kept)
    wanted = set(share.event_ids)
    return tuple(e for e in kept if e.id in wanted)


def check_a_record(
    code: str,
    date_of_birth: dt.date | None,
    *,
    source: str = "",
    rules: SessionRules,
    uow: UnitOfWork,
) -> SharedView:
    """What a share code shows, to whoever holds it and knows the learner's date of birth."""
    key = source_key(source)
    digest = code_hash(code)
    with uow:
        now = _now()
        anywhere = uow.portal_sessions.failures(ANY_SHARE_CODE, key)
        share = uow.learner_accounts.share_by_hash(digest)
        this_code = uow.portal_sessions.failures(f"share:{share.id}", "") if share else None
        if anywhere.locked(now) or (this_code is not None and this_code.locked(now)):
            raise SignInLocked()
        learner = current_learner(share.uln, uow)[0] if share else None
        if (
            share is None
            or learner is None
            or not share.live(now)
            or learner.details.date_of_birth != date_of_birth
        ):
            locked = False
            for failures in (anywhere, this_code):
                if failures is None:
                    continue
                counted = failures.after_failure(rules, now)
                uow.portal_sessions.save_failures(counted)
                locked = locked or counted.locked(now)
            uow.audit.record(
                AuditEvent(
                    "public",
                    None,
                    AuditAction.SHARE_CODE_REFUSED,
                    outcome="locked" if locked else "no_match",
                )
            )
            uow.commit()
            raise SignInLocked() if locked else ShareCodeNotFound()
        events = uow.learning_events.for_learner(learner.uln, event_type=EventType.ACHIEVEMENT)
        uow.audit.record(
            AuditEvent(
                f"share:{share.id}",
                None,
                AuditAction.SHARE_CODE_VIEW,
                uln=learner.uln,
                outcome="viewed",
                detail=share.label,
            )
        )
        uow.commit()
    return SharedView(learner, _chosen(events, share), share.event_ids is None, share.expires_at)
