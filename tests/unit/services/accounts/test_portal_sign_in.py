"""Portal sign-in: sessions, lockout, revocation and the TOTP second factor, on the fakes."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from openlrs.domain.accounts.organisations import Organisation, OrgType, Role
from openlrs.domain.accounts.portal_session import SessionRules, SessionStage, SignInFailures
from openlrs.domain.errors import AuthenticationFailed, SecondFactorInvalid, SignInLocked
from openlrs.services.accounts import portal_sign_in as auth
from openlrs.services.accounts.manage import create_user, revoke_account
from tests.builders import ADMIN, PROVIDER
from tests.unit.fakes import FakeUnitOfWorkFactory

RULES = SessionRules(max_failed_attempts=3)
USER = "registrar@college"
PASSWORD = "correct horse battery"


@pytest.fixture
def uow() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    with factory() as unit:
        unit.organisations.add(Organisation(PROVIDER, "Riverside College", OrgType.COLLEGE))
        unit.commit()
    create_user(PROVIDER, USER, PASSWORD, frozenset({Role.LRB}), principal=ADMIN, uow=factory())
    return factory


def test_a_session_token_is_random_and_stored_only_as_its_hash(uow: FakeUnitOfWorkFactory) -> None:
    first = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    second = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())

    assert first.token != second.token
    stored = uow.database.committed.portal_sessions
    assert first.token not in stored
    assert auth.hash_token(first.token) in stored
    principal = auth.session_principal(first.token, rules=RULES, uow=uow())
    assert principal.actor == f"user:{USER}"


def test_a_wrong_password_is_refused_and_the_nth_failure_locks(uow: FakeUnitOfWorkFactory) -> None:
    for _ in range(RULES.max_failed_attempts - 1):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(USER, "wrong", rules=RULES, uow=uow())
    with pytest.raises(SignInLocked):
        auth.sign_in(USER, "wrong", rules=RULES, uow=uow())

    with pytest.raises(SignInLocked):
        auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())


def test_a_success_resets_the_failure_count(uow: FakeUnitOfWorkFactory) -> None:
    for _ in range(RULES.max_failed_attempts - 1):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(USER, "wrong", rules=RULES, uow=uow())
    auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())

    with pytest.raises(AuthenticationFailed):
        auth.sign_in(USER, "wrong", rules=RULES, uow=uow())  # not locked: the count restarted


def test_revoking_the_account_ends_its_sessions_on_the_next_request(
    uow: FakeUnitOfWorkFactory,
) -> None:
    signed = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    revoke_account("user", USER, principal=ADMIN, uow=uow())

    with pytest.raises(AuthenticationFailed):
        auth.session_principal(signed.token, rules=RULES, uow=uow())


def test_signing_out_ends_the_session(uow: FakeUnitOfWorkFactory) -> None:
    signed = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    auth.sign_out(signed.token, uow=uow())

    with pytest.raises(AuthenticationFailed):
        auth.session_principal(signed.token, rules=RULES, uow=uow())


def test_an_expired_session_is_refused(uow: FakeUnitOfWorkFactory) -> None:
    signed = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    sessions = uow.database.committed.portal_sessions
    key = auth.hash_token(signed.token)
    old = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    sessions[key] = sessions[key].__class__(**{**sessions[key].__dict__, "expires_at": old})

    with pytest.raises(AuthenticationFailed):
        auth.session_principal(signed.token, rules=RULES, uow=uow())


def test_with_totp_on_a_password_alone_does_not_sign_in(uow: FakeUnitOfWorkFactory) -> None:
    principal = auth.session_principal(
        auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow()).token, rules=RULES, uow=uow()
    )
    secret = auth.begin_totp_enrolment(principal, uow=uow())
    assert auth.begin_totp_enrolment(principal, uow=uow()) == secret  # same key until confirmed
    auth.confirm_totp_enrolment(principal, pyotp.TOTP(secret).now(), uow=uow())

    signed = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    assert signed.stage is SessionStage.PASSWORD
    with pytest.raises(AuthenticationFailed):
        auth.session_principal(signed.token, rules=RULES, uow=uow())
    with pytest.raises(SecondFactorInvalid):
        auth.second_factor(signed.token, "000000", rules=RULES, uow=uow())


def test_a_totp_code_completes_sign_in_with_a_new_token_and_cannot_be_replayed(
    uow: FakeUnitOfWorkFactory,
) -> None:
    principal = auth.session_principal(
        auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow()).token, rules=RULES, uow=uow()
    )
    secret = auth.begin_totp_enrolment(principal, uow=uow())
    totp = pyotp.TOTP(secret)
    auth.confirm_totp_enrolment(
        principal, totp.at(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=totp.interval)), uow=uow()
    )

    signed = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    code = totp.now()
    full = auth.second_factor(signed.token, code, rules=RULES, uow=uow())

    assert full != signed.token
    assert auth.session_principal(full, rules=RULES, uow=uow()).actor == f"user:{USER}"
    again = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    with pytest.raises(SecondFactorInvalid):
        auth.second_factor(again.token, code, rules=RULES, uow=uow())


def test_an_unknown_username_gets_the_same_answers_as_a_known_one(
    uow: FakeUnitOfWorkFactory,
) -> None:
    """Same exception and words at every attempt, lockout included: nothing says who exists."""

    def answers(username: str) -> list[tuple[type[Exception], str]]:
        seen = []
        for _ in range(RULES.max_failed_attempts + 1):
            with pytest.raises((AuthenticationFailed, SignInLocked)) as refused:
                auth.sign_in(username, "wrong", source="192.0.2.1", rules=RULES, uow=uow())
            seen.append((type(refused.value), refused.value.detail))
        return seen

    assert answers(USER) == answers("nobody@nowhere")
    assert answers(USER)[-1][0] is SignInLocked


def test_failures_from_one_address_do_not_lock_the_user_out_from_another(
    uow: FakeUnitOfWorkFactory,
) -> None:
    for _ in range(RULES.max_failed_attempts):
        with pytest.raises((AuthenticationFailed, SignInLocked)):
            auth.sign_in(USER, "wrong", source="203.0.113.9", rules=RULES, uow=uow())
    with pytest.raises(SignInLocked):
        auth.sign_in(USER, PASSWORD, source="203.0.113.9", rules=RULES, uow=uow())

    signed = auth.sign_in(USER, PASSWORD, source="198.51.100.7", rules=RULES, uow=uow())

    assert signed.stage is SessionStage.FULL
    stored = uow.database.committed.sign_in_failures
    assert all("203.0.113.9" not in source for _, source in stored)  # addresses kept hashed


def test_each_failure_after_the_lockout_doubles_it_up_to_a_day() -> None:
    now = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
    rules = SessionRules(max_failed_attempts=3, lockout_minutes=15)
    failures = SignInFailures("sam", "source")
    lengths = []
    for _ in range(12):
        failures = failures.after_failure(rules, now)
        locked = failures.locked_until
        lengths.append(0 if locked is None else int((locked - now).total_seconds() // 60))

    assert lengths == [0, 0, 15, 30, 60, 120, 240, 480, 960, 1440, 1440, 1440]


def test_revoking_a_user_ends_their_sessions_at_once(uow: FakeUnitOfWorkFactory) -> None:
    signed = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    revoke_account("user", USER, principal=ADMIN, uow=uow())

    stored = uow.database.committed.portal_sessions[auth.hash_token(signed.token)]
    assert stored.revoked_at is not None  # ended when revoked, not only when next used


def test_a_second_factor_lockout_ends_every_session_of_the_user(
    uow: FakeUnitOfWorkFactory,
) -> None:
    """Whoever fails the code knew the password: the user's other sessions end too."""
    open_session = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    principal = auth.session_principal(open_session.token, rules=RULES, uow=uow())
    secret = auth.begin_totp_enrolment(principal, uow=uow())
    auth.confirm_totp_enrolment(principal, pyotp.TOTP(secret).now(), uow=uow())
    attempt = auth.sign_in(USER, PASSWORD, source="203.0.113.9", rules=RULES, uow=uow())

    for _ in range(RULES.max_failed_attempts - 1):
        with pytest.raises(SecondFactorInvalid):
            auth.second_factor(
                attempt.token, "000000", source="203.0.113.9", rules=RULES, uow=uow()
            )
    with pytest.raises(SignInLocked):
        auth.second_factor(attempt.token, "000000", source="203.0.113.9", rules=RULES, uow=uow())

    with pytest.raises(AuthenticationFailed):
        auth.session_principal(open_session.token, rules=RULES, uow=uow())
