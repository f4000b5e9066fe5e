"""The per-request standing check may be cached, but never past a revocation or suspension."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from openlrs.domain.accounts.organisations import SYSTEM, OrgStatus, OrgType, Role
from openlrs.domain.errors import AuthenticationFailed, OrganisationNotActive
from openlrs.services.accounts import manage as accounts
from openlrs.services.accounts.authenticate import current_standing
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory

UKPRN = "10001234"


def _client(uow: SqlUnitOfWorkFactory) -> str:
    accounts.ensure_organisation(
        UKPRN, "Cache College", OrgType.COLLEGE, principal=SYSTEM, uow=uow()
    )
    return accounts.create_client(
        UKPRN, frozenset({Role.LRB}), principal=SYSTEM, uow=uow()
    ).client_id


def _eventually_refused(
    check: SqlUnitOfWorkFactory, client_id: str, error: type[Exception]
) -> None:
    """Another process learns of the change by NOTIFY; wait for it, bounded, never forever."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            current_standing("client", client_id, uow=check())
        except error:
            return
        time.sleep(0.05)
    pytest.fail("the other process's cache still trusted a revoked client")


def test_sqlite_has_no_cache(engine: sa.Engine) -> None:
    if engine.dialect.name == "sqlite":
        assert SqlUnitOfWorkFactory(engine).account_cache is None


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # NOTIFY is PostgreSQL's
@pytest.mark.parametrize("change", ["revoke", "suspend"])
def test_a_change_in_one_process_reaches_the_others(database_url: str, change: str) -> None:
    here = SqlUnitOfWorkFactory(build_engine(database_url, pool_size=2))
    elsewhere = SqlUnitOfWorkFactory(build_engine(database_url, pool_size=2))
    try:
        client_id = _client(here)
        current_standing("client", client_id, uow=elsewhere())  # starts the listener
        deadline = time.monotonic() + 15
        while (
            elsewhere.account_cache is not None
            and elsewhere.account_cache.get("client", client_id) is None
            and time.monotonic() < deadline
        ):
            current_standing("client", client_id, uow=elsewhere())  # cached once listening
            time.sleep(0.02)
        assert elsewhere.account_cache is not None
        assert elsewhere.account_cache.get("client", client_id) is not None
        if change == "revoke":
            accounts.revoke_account("client", client_id, principal=SYSTEM, uow=here())
            # The process that made the change refuses at once.
            with pytest.raises(AuthenticationFailed):
                current_standing("client", client_id, uow=here())
            _eventually_refused(elsewhere, client_id, AuthenticationFailed)
        else:
            accounts.set_organisation_status(
                UKPRN, OrgStatus.SUSPENDED, principal=SYSTEM, uow=here()
            )
            with pytest.raises(OrganisationNotActive):
                current_standing("client", client_id, uow=here())
            _eventually_refused(elsewhere, client_id, OrganisationNotActive)
    finally:
        here.close()
        elsewhere.close()
