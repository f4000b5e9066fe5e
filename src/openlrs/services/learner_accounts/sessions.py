"""Learner sign-in: ULN and password, then a TOTP code when the learner turned it on.

Learners' sessions live in the portal's session table, under the username `learner:<ULN>`, and
go in their own cookie; they carry the role `learner` and nothing else, so they never open an
organisation's page or the API, and only ever the learner's own record. Lockout is the portal's
(per username and address, with backoff); the TOTP step is `portal_sign_in.second_factor`, which
works on any session username.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets

import pyotp

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.accounts.portal_session import PortalSession, SessionRules, SessionStage
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import (
    AuthenticationFailed,
    InvalidIdentifier,
    SecondFactorInvalid,
    SignInLocked,
)
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learner_accounts.accounts import (
    is_learner_username,
    learner_principal,
    uln_of,
    username_of,
)
from openlrs.services.accounts.credentials import DUMMY_HASH, verify_secret
from openlrs.services.accounts.portal_sign_in import SignedIn, hash_token, source_key
from openlrs.services.ports import UnitOfWork

TOUCH_AFTER = dt.timedelta(seconds=60)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_session(uow: UnitOfWork, username: str, stage: SessionStage, rules: SessionRules) -> str:
    token = secrets.token_urlsafe(32)
    now = _now()
    uow.portal_sessions.add(
        PortalSession(hash_token(token), username, stage, now, now, rules.expiry(now, now))
    )
    return token


def _audit(uow: UnitOfWork, username: str, action: AuditAction, outcome: str) -> None:
    uow.audit.record(AuditEvent(username, None, action, outcome=outcome))


def learner_sign_in(
    uln: str, password: str, *, source: str = "", rules: SessionRules, uow: UnitOfWork
) -> SignedIn:
    """Check the learner's password and start a session (stage `password` when a TOTP code is
    still owed). An unknown ULN, a wrong password and an inactive account get the same answer."""
    try:
        uln = parse_uln(uln)
    except InvalidIdentifier:
        uln = "0000000000"
    username, key = username_of(uln), source_key(source)
    with uow:
        failures = uow.portal_sessions.failures(username, key)
        if failures.locked(_now()):
            verify_secret(DUMMY_HASH, password)
            _audit(uow, username, AuditAction.PORTAL_SIGN_IN_REFUSED, "locked")
            uow.commit()
            raise SignInLocked()
        account = uow.learner_accounts.get(uln)
        ok = verify_secret(account.password_hash if account else DUMMY_HASH, password)
        if account is None or not ok or not account.active:
            counted = failures.after_failure(rules, _now())
            uow.portal_sessions.save_failures(counted)
            locked = counted.locked(_now())
            _audit(
                uow,
                username,
                AuditAction.PORTAL_SIGN_IN_REFUSED,
                "locked" if locked else "bad_credentials",
            )
            uow.commit()
            if locked:
                raise SignInLocked()
            raise AuthenticationFailed("Enter a correct ULN and password")
        state = uow.portal_sessions.sign_in_state(username)
        stage = SessionStage.PASSWORD if state.totp_enabled else SessionStage.FULL
        uow.portal_sessions.clear_failures(username, key)
        token = new_session(uow, username, stage, rules)
        _audit(uow, username, AuditAction.PORTAL_SIGN_IN, stage.value)
        uow.commit()
    return SignedIn(token, stage)


def learner_session(token: str | None, *, rules: SessionRules, uow: UnitOfWork) -> Principal:
    """The learner behind a session cookie (a full session of a learner username whose account
    is active); AuthenticationFailed otherwise."""
    with uow:
        session = uow.portal_sessions.get(hash_token(token)) if token else None
        now = _now()
        if session is None or not session.live(now) or not is_learner_username(session.username):
            raise AuthenticationFailed("Your session has ended: sign in again")
        if session.stage is not SessionStage.FULL:
            raise AuthenticationFailed("Enter your security code to finish signing in")
        principal = learner_principal(session.username.split(":", 1)[1])
        account = uow.learner_accounts.get(uln_of(principal))
        if account is None or not account.active:
            raise AuthenticationFailed("Your account is not active")
        if now - session.last_seen_at >= TOUCH_AFTER:
            expires = rules.expiry(session.created_at, now)
            uow.portal_sessions.save(
                dataclasses.replace(session, last_seen_at=now, expires_at=expires)
            )
            uow.commit()
    return principal


def learner_sign_out(token: str | None, *, uow: UnitOfWork) -> None:
    with uow:
        session = uow.portal_sessions.get(hash_token(token)) if token else None
        if session is None or session.revoked_at is not None:
            return
        if not is_learner_username(session.username):
            return
        uow.portal_sessions.save(dataclasses.replace(session, revoked_at=_now()))
        _audit(uow, session.username, AuditAction.PORTAL_SIGN_OUT, "signed_out")
        uow.commit()


def second_factor_on(principal: Principal, *, uow: UnitOfWork) -> bool:
    with uow:
        return uow.portal_sessions.sign_in_state(username_of(uln_of(principal))).totp_enabled


def begin_totp(principal: Principal, *, uow: UnitOfWork) -> str:
    """The TOTP secret to add to an authenticator app; on only once a code from it is confirmed."""
    username = username_of(uln_of(principal))
    with uow:
        state = uow.portal_sessions.sign_in_state(username)
        if state.totp_enabled:
            raise SecondFactorInvalid("Two-factor authentication is already on")
        if state.totp_secret:
            return state.totp_secret
        secret = pyotp.random_base32()
        uow.portal_sessions.save_sign_in_state(dataclasses.replace(state, totp_secret=secret))
        uow.commit()
    return secret


def confirm_totp(principal: Principal, code: str, *, uow: UnitOfWork) -> None:
    username = username_of(uln_of(principal))
    with uow:
        state = uow.portal_sessions.sign_in_state(username)
        if not state.totp_secret:
            raise SecondFactorInvalid()
        totp = pyotp.TOTP(state.totp_secret)
        now = int(_now().timestamp())
        step = now // totp.interval
        accepted = [
            s
            for s in (step, step - 1, step + 1)
            if secrets.compare_digest(totp.at(s * totp.interval), code.strip())
        ]
        if not accepted:
            raise SecondFactorInvalid()
        uow.portal_sessions.save_sign_in_state(
            dataclasses.replace(state, totp_enabled=True, last_totp_step=accepted[0])
        )
        _audit(uow, username, AuditAction.PORTAL_SECOND_FACTOR_ENABLE, "on")
        uow.commit()
