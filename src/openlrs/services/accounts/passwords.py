"""Portal passwords: change your own, a forced change after an administrator chose one, and
one-time reset links an administrator issues without ever knowing the new password.

A reset link's token is random and shown once; only its SHA-256 is stored, it expires, and it
works once. Using it, or changing a password, ends every other session of the user.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets

from openlrs.domain.accounts.organisations import ORG_ADMIN_ROLES, Principal, Role
from openlrs.domain.accounts.portal_session import (
    PasswordReset,
    SessionRules,
    SessionStage,
)
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import (
    AccountNotFound,
    AuthenticationFailed,
    FieldError,
    ValidationFailed,
)
from openlrs.services.accounts.credentials import hash_secret, verify_secret
from openlrs.services.accounts.portal_sign_in import hash_token, login_of, new_session
from openlrs.services.ports import UnitOfWork

MIN_LENGTH = 12


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_new_password(password: str, confirm: str, field: str = "password") -> None:
    """A new password long enough and typed the same twice (every problem at once)."""
    errors = []
    if len(password) < MIN_LENGTH:
        errors.append(
            FieldError(field, "PASSWORD_TOO_SHORT", "Enter a password of at least 12 characters")
        )
    if len(password) > 200:
        errors.append(FieldError(field, "PASSWORD_TOO_LONG", "Enter at most 200 characters"))
    if not confirm:
        errors.append(FieldError("confirm", "FIELD_REQUIRED", "Type the new password again"))
    elif password != confirm:
        errors.append(FieldError("confirm", "PASSWORD_MISMATCH", "Enter the same password twice"))
    if errors:
        raise ValidationFailed(errors)


def _set(uow: UnitOfWork, username: str, password: str, *, must_change: bool) -> None:
    uow.accounts.update("user", username, secret_hash=hash_secret(password))
    state = uow.portal_sessions.sign_in_state(username)
    uow.portal_sessions.save_sign_in_state(
        dataclasses.replace(state, must_change_password=must_change)
    )


def _audit(
    uow: UnitOfWork, actor: str, ukprn: str | None, action: AuditAction, detail: str
) -> None:
    uow.audit.record(AuditEvent(actor=actor[:100], ukprn=ukprn, action=action, detail=detail))


def change_password(
    principal: Principal, current: str, new: str, confirm: str, *, uow: UnitOfWork
) -> None:
    """A signed-in user changes their own password (knowing the current one)."""
    username = login_of(principal)
    with uow:
        account = uow.accounts.get("user", username)
        errors = []
        if account is None or not verify_secret(account.secret_hash, current):
            errors.append(
                FieldError("current", "PASSWORD_WRONG", "Enter your current password correctly")
            )
        try:
            check_new_password(new, confirm)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
        if errors:
            raise ValidationFailed(errors)
        _set(uow, username, new, must_change=False)
        _audit(uow, principal.actor, principal.ukprn, AuditAction.PORTAL_PASSWORD_CHANGE, "own")
        uow.commit()


def mark_for_change(username: str, *, uow: UnitOfWork) -> None:
    """The password was chosen by an administrator (a new user): change it at first sign-in."""
    with uow:
        state = uow.portal_sessions.sign_in_state(username)
        uow.portal_sessions.save_sign_in_state(
            dataclasses.replace(state, must_change_password=True)
        )
        uow.commit()


def finish_forced_change(
    token: str | None, new: str, confirm: str, *, rules: SessionRules, uow: UnitOfWork
) -> str:
    """A `change`-stage session sets its new password; answers with a new full session token."""
    check_new_password(new, confirm)
    with uow:
        session = uow.portal_sessions.get(hash_token(token)) if token else None
        if session is None or not session.live(_now()) or session.stage is not SessionStage.CHANGE:
            raise AuthenticationFailed("Your session has ended: sign in again")
        account = uow.accounts.get("user", session.username)
        if account is None or not account.active:
            raise AuthenticationFailed("Your session has ended: sign in again")
        if verify_secret(account.secret_hash, new):
            raise ValidationFailed(
                [
                    FieldError(
                        "password",
                        "PASSWORD_UNCHANGED",
                        "Enter a new password, not the one you were given",
                    )
                ]
            )
        _set(uow, session.username, new, must_change=False)
        uow.portal_sessions.revoke_all(session.username, _now())
        new_token = new_session(uow, session.username, SessionStage.FULL, rules)
        actor = f"user:{session.username}"
        _audit(uow, actor, account.ukprn, AuditAction.PORTAL_PASSWORD_CHANGE, "forced")
        uow.commit()
    return new_token


def issue_reset(username: str, *, hours: int, principal: Principal, uow: UnitOfWork) -> str:
    """An administrator issues a one-time reset link for a user of theirs: the token (to put in
    the link, shown once) is returned; the administrator never learns the new password."""
    principal.require(ORG_ADMIN_ROLES)
    token = secrets.token_urlsafe(32)
    with uow:
        account = uow.accounts.get("user", username)
        if account is None or (
            Role.ADMIN not in principal.roles and account.ukprn != principal.ukprn
        ):
            raise AccountNotFound()
        uow.portal_sessions.add_reset(
            PasswordReset(
                hash_token(token),
                username,
                principal.actor[:100],
                _now() + dt.timedelta(hours=hours),
            )
        )
        _audit(
            uow,
            principal.actor,
            principal.ukprn,
            AuditAction.PORTAL_PASSWORD_RESET_ISSUE,
            f"user {username}",
        )
        uow.commit()
    return token


def reset_is_usable(token: str, *, uow: UnitOfWork) -> bool:
    with uow:
        found = uow.portal_sessions.reset(hash_token(token))
        return found is not None and found.usable(_now())


def reset_password(token: str, new: str, confirm: str, *, uow: UnitOfWork) -> None:
    """Set a new password with a reset link: once, before it expires; every session ends."""
    with uow:
        found = uow.portal_sessions.reset(hash_token(token))
        now = _now()
        if found is None or not found.usable(now):
            raise AuthenticationFailed("This link has expired or has already been used")
        check_new_password(new, confirm)
        account = uow.accounts.get("user", found.username)
        if account is None or not account.active:
            raise AuthenticationFailed("This link has expired or has already been used")
        if not uow.portal_sessions.use_reset(found.token_hash, now):
            raise AuthenticationFailed("This link has expired or has already been used")
        _set(uow, found.username, new, must_change=False)
        uow.portal_sessions.revoke_all(found.username, now)
        actor = f"user:{found.username}"
        _audit(uow, actor, account.ukprn, AuditAction.PORTAL_PASSWORD_RESET, "reset link")
        uow.commit()
