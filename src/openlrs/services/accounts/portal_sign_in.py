"""Portal sign-in: password (then TOTP when enrolled), server-side sessions, lockout, sign-out.

Session tokens are random; only their SHA-256 is stored, so a copy of the table signs nobody in.
Every request checks the session and the account's standing, so a revoked user is signed out at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import pyotp

from openlrs.domain.accounts.organisations import OrgStatus, Principal
from openlrs.domain.accounts.portal_session import (
    PortalSession,
    SessionRules,
    SessionStage,
    SignInFailures,
)
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import (
    AuthenticationFailed,
    OrganisationNotActive,
    PasswordChangeRequired,
    SecondFactorInvalid,
    SignInLocked,
)
from openlrs.services.accounts.credentials import DUMMY_HASH, verify_secret
from openlrs.services.ports import UnitOfWork

TOUCH_AFTER = dt.timedelta(seconds=60)  # last-seen is written at most once a minute per session


@dataclass(frozen=True)
class SignedIn:
    """A new session: `token` goes in the cookie; `stage` says whether a TOTP code is still owed."""

    token: str
    stage: SessionStage


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _audit(
    uow: UnitOfWork,
    username: str,
    ukprn: str | None,
    action: AuditAction,
    outcome: str | None = None,
) -> None:
    actor = f"user:{username}"[:100]
    uow.audit.record(AuditEvent(actor=actor, ukprn=ukprn, action=action, outcome=outcome))


def new_session(uow: UnitOfWork, username: str, stage: SessionStage, rules: SessionRules) -> str:
    token = secrets.token_urlsafe(32)
    now = _now()
    uow.portal_sessions.add(
        PortalSession(hash_token(token), username, stage, now, now, rules.expiry(now, now))
    )
    return token


def source_key(address: str) -> str:
    """How a sign-in's source (the client address) is stored: hashed, never as sent."""
    return hashlib.sha256(f"sign-in-source|{address}".encode()).hexdigest()


def _failed(
    uow: UnitOfWork,
    failures: SignInFailures,
    rules: SessionRules,
    ukprn: str | None,
    outcome: str,
) -> bool:
    """Count a failure of this username from this source; True when it locks them out."""
    now = _now()
    counted = failures.after_failure(rules, now)
    uow.portal_sessions.save_failures(counted)
    locked = counted.locked(now)
    _audit(
        uow,
        failures.username,
        ukprn,
        AuditAction.PORTAL_SIGN_IN_REFUSED,
        outcome="locked" if locked else outcome,
    )
    uow.commit()
    return locked


def sign_in(
    username: str, password: str, *, source: str = "", rules: SessionRules, uow: UnitOfWork
) -> SignedIn:
    """Check a user's password and start a session (a new token every time: no fixation).

    Lockout is per username and `source` (the client address), with backoff, and the same for
    usernames that do not exist: an unknown user, a wrong password and a revoked user get the
    same answer after the same work (an argon2 verification), so nothing says which exist, and
    failures from one address never lock the user out from another."""
    username = username[:100]
    key = source_key(source)
    with uow:
        failures = uow.portal_sessions.failures(username, key)
        account = uow.accounts.get("user", username)
        ukprn = account.ukprn if account else None
        if failures.locked(_now()):
            verify_secret(DUMMY_HASH, password)  # the same work as any other attempt
            _audit(uow, username, ukprn, AuditAction.PORTAL_SIGN_IN_REFUSED, outcome="locked")
            uow.commit()
            raise SignInLocked()
        ok = verify_secret(account.secret_hash if account else DUMMY_HASH, password)
        if account is None or not ok or not account.active:
            outcome = "unknown" if account is None else "bad_credentials"
            if _failed(uow, failures, rules, ukprn, outcome):
                raise SignInLocked()
            raise AuthenticationFailed("Enter a correct username and password")
        if account.organisation_status is not OrgStatus.ACTIVE:
            raise OrganisationNotActive()
        state = uow.portal_sessions.sign_in_state(username)
        stage = SessionStage.FULL
        if state.totp_enabled:
            stage = SessionStage.PASSWORD
        elif state.must_change_password:
            stage = SessionStage.CHANGE
        uow.portal_sessions.clear_failures(username, key)
        token = new_session(uow, username, stage, rules)
        _audit(uow, username, account.ukprn, AuditAction.PORTAL_SIGN_IN, outcome=stage.value)
        uow.commit()
    return SignedIn(token, stage)


def _live_session(uow: UnitOfWork, token: str | None) -> PortalSession:
    session = uow.portal_sessions.get(hash_token(token)) if token else None
    if session is None or not session.live(_now()):
        raise AuthenticationFailed("Your session has ended: sign in again")
    return session


def _accepted_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step `code` is valid for (this one or either neighbour), unless already used."""
    if not secret:
        return None
    totp = pyotp.TOTP(secret)
    now = _now()
    step = int(now.timestamp()) // totp.interval
    for offset in (0, -1, 1):
        candidate = step + offset
        if (last_step is None or candidate > last_step) and secrets.compare_digest(
            totp.at(candidate * totp.interval), code.strip()
        ):
            return candidate
    return None


def second_factor(
    token: str | None, code: str, *, source: str = "", rules: SessionRules, uow: UnitOfWork
) -> str:
    """Complete a password-stage session with a TOTP code; answers with a new full session token.

    Failures count towards the same lockout as passwords. Whoever fails here knew the password,
    so a lockout here also ends every session of the user."""
    key = source_key(source)
    with uow:
        session = _live_session(uow, token)
        if session.stage is not SessionStage.PASSWORD:
            raise AuthenticationFailed("Your session has ended: sign in again")
        state = uow.portal_sessions.sign_in_state(session.username)
        failures = uow.portal_sessions.failures(session.username, key)
        account = uow.accounts.get("user", session.username)
        ukprn = account.ukprn if account else None
        if failures.locked(_now()):
            raise SignInLocked()
        step = _accepted_step(state.totp_secret or "", code, state.last_totp_step)
        if step is None or not state.totp_enabled:
            if _failed(uow, failures, rules, ukprn, "second_factor"):
                uow.portal_sessions.revoke_all(session.username, _now())
                uow.commit()
                raise SignInLocked()
            raise SecondFactorInvalid()
        uow.portal_sessions.save(dataclasses.replace(session, revoked_at=_now()))
        uow.portal_sessions.save_sign_in_state(dataclasses.replace(state, last_totp_step=step))
        uow.portal_sessions.clear_failures(session.username, key)
        stage = SessionStage.CHANGE if state.must_change_password else SessionStage.FULL
        new_token = new_session(uow, session.username, stage, rules)
        _audit(uow, session.username, ukprn, AuditAction.PORTAL_SIGN_IN, outcome="second_factor")
        uow.commit()
    return new_token


def session_principal(token: str | None, *, rules: SessionRules, uow: UnitOfWork) -> Principal:
    """The user behind a session cookie, refused at once if the session or account has ended."""
    with uow:
        session = _live_session(uow, token)
        if session.stage is SessionStage.CHANGE:
            raise PasswordChangeRequired()
        if session.stage is not SessionStage.FULL:
            raise AuthenticationFailed("Enter your security code to finish signing in")
        account = uow.accounts.get("user", session.username)
        if account is None or not account.active:
            uow.portal_sessions.save(dataclasses.replace(session, revoked_at=_now()))
            uow.commit()
            raise AuthenticationFailed("Your account has been revoked")
        if account.organisation_status is not OrgStatus.ACTIVE:
            raise OrganisationNotActive()
        now = _now()
        if now - session.last_seen_at >= TOUCH_AFTER:
            expires = rules.expiry(session.created_at, now)
            uow.portal_sessions.save(
                dataclasses.replace(session, last_seen_at=now, expires_at=expires)
            )
            uow.commit()
    return Principal(
        actor=f"user:{account.login}", ukprn=account.ukprn, roles=account.effective_roles
    )


def sign_out(token: str | None, *, uow: UnitOfWork) -> None:
    with uow:
        session = uow.portal_sessions.get(hash_token(token)) if token else None
        if session is None or session.revoked_at is not None:
            return
        uow.portal_sessions.save(dataclasses.replace(session, revoked_at=_now()))
        account = uow.accounts.get("user", session.username)
        _audit(
            uow, session.username, account.ukprn if account else None, AuditAction.PORTAL_SIGN_OUT
        )
        uow.commit()


def login_of(principal: Principal) -> str:
    kind, _, login = principal.actor.partition(":")
    if kind != "user":
        raise AuthenticationFailed("Only users can do this")
    return login


def begin_totp_enrolment(principal: Principal, *, uow: UnitOfWork) -> str:
    """A TOTP secret for the user (shown as text), active only once a code from it is confirmed."""
    username = login_of(principal)
    secret = pyotp.random_base32()
    with uow:
        state = uow.portal_sessions.sign_in_state(username)
        if state.totp_enabled:
            raise SecondFactorInvalid("Two-factor authentication is already on")
        if state.totp_secret:
            return state.totp_secret  # the same key until a code confirms it
        uow.portal_sessions.save_sign_in_state(dataclasses.replace(state, totp_secret=secret))
        uow.commit()
    return secret


def confirm_totp_enrolment(principal: Principal, code: str, *, uow: UnitOfWork) -> None:
    username = login_of(principal)
    with uow:
        state = uow.portal_sessions.sign_in_state(username)
        step = _accepted_step(state.totp_secret or "", code, state.last_totp_step)
        if state.totp_secret is None or step is None:
            raise SecondFactorInvalid()
        uow.portal_sessions.save_sign_in_state(
            dataclasses.replace(state, totp_enabled=True, last_totp_step=step)
        )
        _audit(uow, username, principal.ukprn, AuditAction.PORTAL_SECOND_FACTOR_ENABLE)
        uow.commit()


def second_factor_enabled(principal: Principal, *, uow: UnitOfWork) -> bool:
    with uow:
        return uow.portal_sessions.sign_in_state(login_of(principal)).totp_enabled
