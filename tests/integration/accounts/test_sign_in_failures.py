"""Failed sign-ins are kept per username and source on both engines."""

from __future__ import annotations

import datetime as dt

from openlrs.domain.accounts.portal_session import SignInFailures
from openlrs.store.uow import SqlUnitOfWorkFactory

LOCKED = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)


def test_failures_round_trip_per_username_and_source(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.portal_sessions.save_failures(SignInFailures("sam", "source-a", 4))
        uow.portal_sessions.save_failures(SignInFailures("sam", "source-a", 5, LOCKED))
        uow.portal_sessions.save_failures(SignInFailures("nobody", "source-a", 1))
        uow.commit()

    with uow_factory() as uow:
        assert uow.portal_sessions.failures("sam", "source-a") == SignInFailures(
            "sam", "source-a", 5, LOCKED
        )
        assert uow.portal_sessions.failures("sam", "source-b") == SignInFailures("sam", "source-b")
        assert uow.portal_sessions.failures("nobody", "source-a").failures == 1
        uow.portal_sessions.clear_failures("sam", "source-a")
        uow.commit()

    with uow_factory() as uow:
        assert uow.portal_sessions.failures("sam", "source-a").failures == 0
        assert uow.portal_sessions.failures("nobody", "source-a").failures == 1
