"""Activation codes: an organisation with a relationship with the learner (it registered them or
has them on roll), or the service desk, issues a one-time code for a ULN; the learner activates
their account with ULN, date of birth and code, and chooses a password.

Codes are shown once and kept only as argon2 hashes; they expire after a configurable period. A
new code is also how a learner who forgot their password (or lost their second factor) gets back
in: activating again replaces the password, turns the second factor off and ends every session.
Failed activations count towards the portal's lockout, per ULN and per address.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal, Role
from openlrs.domain.accounts.portal_session import SessionRules, SessionStage
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import InvalidIdentifier, LearnerNotFound, SignInLocked
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learner_accounts.accounts import (
    ACTIVATION_LENGTH,
    ActivationCode,
    ActivationFailed,
    Issued,
    LearnerAccount,
    NoRelationship,
    checked_password,
    new_code,
    normalised,
    shown,
    username_of,
)
from openlrs.services.accounts.credentials import DUMMY_HASH, hash_secret, verify_secret
from openlrs.services.accounts.portal_sign_in import SignedIn, source_key
from openlrs.services.learner_accounts.sessions import new_session
from openlrs.services.plr.learner import current_learner
from openlrs.services.ports import UnitOfWork

ANY_ACTIVATION = "learner-activation"
"""The lockout counter every failed activation from an address also counts towards, whatever
ULN it named (so trying many ULNs from one address is locked too)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def issue_activation_code(
    uln: str, *, principal: Principal, uow: UnitOfWork, valid_days: int = 30
) -> Issued:
    """A new code for the learner (their current ULN, if merged), by the desk or an organisation
    that registered the learner or has them on roll; audited (the code itself never is)."""
    principal.require(LEARNER_ROLES)
    uln = parse_uln(uln)
    code = new_code(ACTIVATION_LENGTH)
    code_hash = hash_secret(code)  # argon2, outside the transaction
    with uow:
        learner, _ = current_learner(uln, uow)
        if learner is None:
            raise LearnerNotFound()
        if Role.ADMIN not in principal.roles:
            ulns = {uln, learner.uln, *learner.linked_ulns}
            if not uow.learners.relationships(ulns, principal.ukprn):
                raise NoRelationship()
        expires = _now() + dt.timedelta(days=valid_days)
        uow.learner_accounts.add_code(
            ActivationCode(
                learner.uln, code_hash, principal.actor, principal.ukprn or None, expires
            )
        )
        uow.audit.record(
            AuditEvent(
                principal.actor,
                principal.ukprn,
                AuditAction.LEARNER_ACTIVATION_ISSUE,
                uln=learner.uln,
                outcome="issued",
            )
        )
        uow.commit()
    return Issued(learner.uln, shown(code), expires)


@dataclass(frozen=True)
class Activate:
    uln: str
    date_of_birth: dt.date | None
    code: str
    password: str


def activate(
    command: Activate, *, source: str = "", rules: SessionRules, uow: UnitOfWork
) -> SignedIn:
    """Check ULN, date of birth and code (one generic refusal for any of them), set the password
    and sign the learner in. The code is used up; the second factor is off until set again."""
    password = checked_password(command.password)
    code = normalised(command.code)
    try:
        uln = parse_uln(command.uln)
    except InvalidIdentifier:
        uln = "0000000000"  # refused like any other mismatch
    username, key = username_of(uln), source_key(source)
    password_hash = hash_secret(password)
    with uow:
        mine = uow.portal_sessions.failures(username, key)
        anywhere = uow.portal_sessions.failures(ANY_ACTIVATION, key)
        now = _now()
        if mine.locked(now) or anywhere.locked(now):
            verify_secret(DUMMY_HASH, code)
            _refused(uow, uln, "locked")
            uow.commit()
            raise SignInLocked()
        learner, _ = current_learner(uln, uow) if uln != "0000000000" else (None, False)
        born_ok = learner is not None and learner.details.date_of_birth == command.date_of_birth
        codes = uow.learner_accounts.usable_codes(learner.uln, now) if learner else []
        matched = next((c for c in codes if verify_secret(c.code_hash, code)), None)
        if not codes:
            verify_secret(DUMMY_HASH, code)  # the same work whatever was wrong
        if learner is None or not born_ok or matched is None or matched.id is None:
            locked = False
            for failures in (mine, anywhere):
                counted = failures.after_failure(rules, now)
                uow.portal_sessions.save_failures(counted)
                locked = locked or counted.locked(now)
            _refused(uow, uln, "locked" if locked else "bad_details")
            uow.commit()
            raise SignInLocked() if locked else ActivationFailed()
        if not uow.learner_accounts.use_code(matched.id, now):
            raise ActivationFailed()
        username = username_of(learner.uln)
        uow.learner_accounts.save(LearnerAccount(learner.uln, password_hash, True, now))
        uow.portal_sessions.revoke_all(username, now)
        state = uow.portal_sessions.sign_in_state(username)
        uow.portal_sessions.save_sign_in_state(
            dataclasses.replace(state, totp_secret=None, totp_enabled=False)
        )
        uow.portal_sessions.clear_failures(username_of(uln), key)
        uow.portal_sessions.clear_failures(ANY_ACTIVATION, key)
        token = new_session(uow, username, SessionStage.FULL, rules)
        uow.audit.record(
            AuditEvent(username, None, AuditAction.LEARNER_ACTIVATE, uln=learner.uln, outcome="ok")
        )
        uow.commit()
    return SignedIn(token, SessionStage.FULL)


def _refused(uow: UnitOfWork, uln: str, outcome: str) -> None:
    uow.audit.record(
        AuditEvent(
            username_of(uln), None, AuditAction.LEARNER_ACTIVATE_REFUSED, uln=None, outcome=outcome
        )
    )
