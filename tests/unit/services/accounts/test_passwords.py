"""Portal passwords on the fakes: reset links (hashed, single use, expiring, one at a time, ending
every session), the forced change after an administrator chose the password, and changing your
own; roles changed and a user reinstated by their administrator."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from openlrs.domain.accounts.organisations import Organisation, OrgType, Principal, Role
from openlrs.domain.accounts.portal_session import SessionRules, SessionStage
from openlrs.domain.errors import (
    AccountNotFound,
    AuthenticationFailed,
    NotAuthorised,
    PasswordChangeRequired,
    ValidationFailed,
)
from openlrs.services.accounts import manage, passwords
from openlrs.services.accounts import portal_sign_in as auth
from tests.builders import ADMIN, PROVIDER
from tests.unit.fakes import FakeUnitOfWorkFactory

RULES = SessionRules()
USER = "registrar@college"
PASSWORD = "correct horse battery"
NEW = "a password only I know"
COLLEGE_ADMIN = Principal("user:head@college", PROVIDER, frozenset({Role.LRB_ADMIN}))
OTHER_ADMIN = Principal("user:head@elsewhere", "10000099", frozenset({Role.LRB_ADMIN}))


@pytest.fixture
def uow() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    with factory() as unit:
        unit.organisations.add(Organisation(PROVIDER, "Riverside College", OrgType.COLLEGE))
        unit.commit()
    manage.create_user(
        PROVIDER, USER, PASSWORD, frozenset({Role.LRB}), principal=ADMIN, uow=factory()
    )
    return factory


def test_a_reset_link_is_stored_hashed_works_once_and_ends_every_session(
    uow: FakeUnitOfWorkFactory,
) -> None:
    signed = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    token = passwords.issue_reset(USER, hours=24, principal=COLLEGE_ADMIN, uow=uow())
    stored = uow.database.committed.password_resets
    assert token not in stored and auth.hash_token(token) in stored

    passwords.reset_password(token, NEW, NEW, uow=uow())

    with pytest.raises(AuthenticationFailed):
        auth.session_principal(signed.token, rules=RULES, uow=uow())
    assert auth.sign_in(USER, NEW, rules=RULES, uow=uow()).stage is SessionStage.FULL
    with pytest.raises(AuthenticationFailed):
        passwords.reset_password(token, "another new one", "another new one", uow=uow())
    assert not passwords.reset_is_usable(token, uow=uow())


def test_a_reset_link_expires_and_a_newer_one_replaces_it(uow: FakeUnitOfWorkFactory) -> None:
    first = passwords.issue_reset(USER, hours=24, principal=ADMIN, uow=uow())
    second = passwords.issue_reset(USER, hours=24, principal=ADMIN, uow=uow())
    assert not passwords.reset_is_usable(first, uow=uow())
    resets = uow.database.committed.password_resets
    key = auth.hash_token(second)
    resets[key] = dataclasses.replace(
        resets[key], expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    )
    with pytest.raises(AuthenticationFailed):
        passwords.reset_password(second, NEW, NEW, uow=uow())


def test_only_the_users_own_administrator_or_the_desk_issue_links(
    uow: FakeUnitOfWorkFactory,
) -> None:
    with pytest.raises(AccountNotFound):
        passwords.issue_reset(USER, hours=1, principal=OTHER_ADMIN, uow=uow())
    registrar = Principal(f"user:{USER}", PROVIDER, frozenset({Role.LRB}))
    with pytest.raises(NotAuthorised):
        passwords.issue_reset(USER, hours=1, principal=registrar, uow=uow())


def test_a_password_an_administrator_chose_must_be_changed_before_anything_else(
    uow: FakeUnitOfWorkFactory,
) -> None:
    passwords.mark_for_change(USER, uow=uow())
    signed = auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    assert signed.stage is SessionStage.CHANGE
    with pytest.raises(PasswordChangeRequired):
        auth.session_principal(signed.token, rules=RULES, uow=uow())
    with pytest.raises(ValidationFailed):
        passwords.finish_forced_change(signed.token, PASSWORD, PASSWORD, rules=RULES, uow=uow())

    token = passwords.finish_forced_change(signed.token, NEW, NEW, rules=RULES, uow=uow())

    assert auth.session_principal(token, rules=RULES, uow=uow()).actor == f"user:{USER}"
    with pytest.raises(AuthenticationFailed):
        auth.session_principal(signed.token, rules=RULES, uow=uow())
    assert auth.sign_in(USER, NEW, rules=RULES, uow=uow()).stage is SessionStage.FULL


def test_changing_your_password_reports_every_problem_at_once(
    uow: FakeUnitOfWorkFactory,
) -> None:
    me = Principal(f"user:{USER}", PROVIDER, frozenset({Role.LRB}))
    with pytest.raises(ValidationFailed) as refused:
        passwords.change_password(me, "wrong", "short", "other", uow=uow())
    assert [e.field for e in refused.value.errors] == ["current", "password", "confirm"]

    passwords.change_password(me, PASSWORD, NEW, NEW, uow=uow())
    assert auth.sign_in(USER, NEW, rules=RULES, uow=uow()).stage is SessionStage.FULL


def test_an_administrator_changes_roles_and_reinstates_a_user(
    uow: FakeUnitOfWorkFactory,
) -> None:
    changed = manage.change_roles(
        USER, frozenset({Role.LRB, Role.LRB_ADMIN}), principal=COLLEGE_ADMIN, uow=uow()
    )
    assert changed.roles == {Role.LRB, Role.LRB_ADMIN}
    with pytest.raises(NotAuthorised):
        manage.change_roles(USER, frozenset({Role.ADMIN}), principal=COLLEGE_ADMIN, uow=uow())
    with pytest.raises(AccountNotFound):
        manage.change_roles(USER, frozenset({Role.LRB}), principal=OTHER_ADMIN, uow=uow())

    manage.revoke_account("user", USER, principal=COLLEGE_ADMIN, uow=uow())
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
    assert manage.reinstate_user(USER, principal=COLLEGE_ADMIN, uow=uow()).active
    auth.sign_in(USER, PASSWORD, rules=RULES, uow=uow())
