"""Web-service accounts: the credentials an MIS sends in every LRS-compatible SOAP message.

An account belongs to one organisation and is named by the message's UKPRN and UserName; its
OrgPassword (exactly 16 characters, as the LRS schema requires) is shown once and only its argon2
hash is kept. It holds roles like an API client (the same grant rules), is revoked like one, and is
checked on every message: a verified password is remembered (keyed by the stored hash, so a
revocation or a new password takes effect at once) so that only the first message pays for argon2.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import threading
from collections import OrderedDict
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Account, OrgStatus, Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import (
    AccountExists,
    AuthenticationFailed,
    FieldError,
    OrganisationNotActive,
    ValidationFailed,
)
from openlrs.domain.identifiers import parse_ukprn
from openlrs.services.accounts import credentials, manage
from openlrs.services.accounts.credentials import hash_secret, verify_secret
from openlrs.services.ports import UnitOfWork

KIND = "webservice"
PASSWORD_LENGTH = 16
"""The LRS schema's OrgPassword is exactly 16 characters."""
_ALPHABET = string.ascii_letters + string.digits
_USER_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,35}$")


@dataclass(frozen=True)
class NewWebServiceAccount:
    ukprn: str
    user_name: str
    password: str
    """Shown once, never stored."""
    roles: frozenset[Role]


def login_of(ukprn: str, user_name: str) -> str:
    return f"{ukprn}/{user_name}"


def user_name_of(account: Account) -> str:
    return account.login.partition("/")[2]


def new_password() -> str:
    """16 letters and digits: about 95 bits."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(PASSWORD_LENGTH))


def user_name_problems(user_name: str) -> list[FieldError]:
    """What is wrong with a new account's user name (nothing: an empty list)."""
    if _USER_NAME.match(user_name.strip()):
        return []
    message = "Enter a user name of up to 35 letters, digits, dots, hyphens or underscores"
    return [FieldError("user_name", "FIELD_INVALID", message)]


def create_web_service_account(
    ukprn: str,
    user_name: str,
    roles: frozenset[Role],
    *,
    principal: Principal,
    uow: UnitOfWork,
    password: str | None = None,
) -> NewWebServiceAccount:
    """A new account of the organisation with these roles; an organisation admin (or the desk)
    creates it, and the roles must be ones its organisation's type may hold."""
    ukprn = parse_ukprn(ukprn)
    user_name = user_name.strip()
    if problems := user_name_problems(user_name):
        raise ValidationFailed(problems)
    principal.require_org_admin(ukprn)
    manage.check_roles(principal, roles)
    password = password or new_password()
    login = login_of(ukprn, user_name)
    with uow:
        manage.grantable_here(uow, ukprn, roles)
        if uow.accounts.get(KIND, login) is not None:
            raise AccountExists()
        uow.accounts.add(Account(KIND, login, ukprn, roles, None, hash_secret(password)))
        uow.audit.record(
            AuditEvent(
                actor=principal.actor,
                ukprn=principal.ukprn,
                action=AuditAction.ACCOUNT_CREATE,
                detail=f"{KIND} {login}",
            )
        )
        uow.commit()
    return NewWebServiceAccount(ukprn, user_name, password, roles)


def list_web_service_accounts(
    ukprn: str, *, principal: Principal, uow: UnitOfWork
) -> list[Account]:
    return manage.list_accounts(KIND, ukprn, principal=principal, uow=uow)


def revoke_web_service_account(
    ukprn: str, user_name: str, *, principal: Principal, uow: UnitOfWork
) -> Account:
    return manage.revoke_account(KIND, login_of(ukprn, user_name), principal=principal, uow=uow)


class _Verified:
    """Passwords already checked against a stored hash: (login, hash, digest of the password)."""

    def __init__(self, size: int = 4096) -> None:
        self._seen: OrderedDict[tuple[str, str, str], None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._checking: dict[str, threading.Lock] = {}

    def checking(self, login: str) -> threading.Lock:
        """One argon2 check at a time per account: a burst of first messages (an MIS opening
        many connections) waits for the first check instead of running one each."""
        with self._lock:
            if len(self._checking) > self._size:
                self._checking.clear()
            return self._checking.setdefault(login, threading.Lock())

    def __contains__(self, key: tuple[str, str, str]) -> bool:
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                return True
            return False

    def add(self, key: tuple[str, str, str]) -> None:
        with self._lock:
            self._seen[key] = None
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)


_verified = _Verified()


def web_service_principal(
    ukprn: str | None, user_name: str, password: str, *, uow: UnitOfWork
) -> Principal:
    """The principal behind a message's credentials, in good standing, or AuthenticationFailed
    (unknown, wrong password, revoked: one answer) or OrganisationNotActive. Refusals are audited,
    never with the password."""
    login = login_of((ukprn or "").strip(), user_name.strip())
    with uow.autocommit():
        account = uow.accounts.get(KIND, login)
    digest = hashlib.sha256(password.encode()).hexdigest()
    key = (login, account.secret_hash if account else "", digest)
    ok = account is not None and key in _verified
    if not ok:
        with _verified.checking(login):
            ok = account is not None and key in _verified
            if not ok:
                stored = account.secret_hash if account else credentials.DUMMY_HASH
                ok = verify_secret(stored, password)
                if ok and account is not None:
                    _verified.add(key)
    if account is None or not ok or not account.active:
        with uow:
            uow.audit.record(
                AuditEvent(
                    actor=f"{KIND}:{login}"[:100],
                    ukprn=account.ukprn if account else None,
                    action=AuditAction.TOKEN_REFUSED,
                    outcome="revoked" if account and ok else None,
                )
            )
            uow.commit()
        raise AuthenticationFailed()
    if account.organisation_status is not OrgStatus.ACTIVE:
        raise OrganisationNotActive()
    return Principal(actor=f"{KIND}:{login}", ukprn=account.ukprn, roles=account.effective_roles)
