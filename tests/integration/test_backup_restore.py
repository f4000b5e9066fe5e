"""Backup and restore round trip on SQLite and PostgreSQL: every row of every table comes back,
the ULN counter carries on where it was, and a restore never lands on a register by accident."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from openlrs.domain.accounts import SYSTEM, OrgType, Principal, Role
from openlrs.services import accounts
from openlrs.services.register_learner import RegisterLearner, register_learner
from openlrs.services.search_learners import find_by_demographics
from openlrs.services.update_learner import UpdateLearner, update_learner
from openlrs.store.backup import BackupError, backup, fingerprints, restore
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth import generate_learners
from tests.conftest import PG_ADMIN_URL
from tests.functional.factories import SYNTH_TODAY

UKPRN = "10004321"
WHO = Principal(actor="client:drill", ukprn=UKPRN, roles=frozenset({Role.LRB}))


def _populate(uow: SqlUnitOfWorkFactory) -> list[str]:
    accounts.ensure_organisation(
        UKPRN, "Drill College", OrgType.COLLEGE, principal=SYSTEM, uow=uow()
    )
    accounts.create_client(UKPRN, frozenset({Role.LRB}), principal=SYSTEM, uow=uow())
    people = list(generate_learners(12, seed=5, today=SYNTH_TODAY))
    ulns = [
        register_learner(RegisterLearner(d, True), principal=WHO, uow=uow()).uln for d in people
    ]
    update_learner(UpdateLearner(ulns[0], 1, {"postcode": "SW1A 2AA"}), principal=WHO, uow=uow())
    find_by_demographics(people[1], principal=WHO, uow=uow())
    return ulns


@pytest.fixture
def empty_target(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the same kind as `database_url`."""
    if make_url(database_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"openlrs_r_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_every_row_comes_back_and_uln_issuing_carries_on(
    database_url: str,
    uow_factory: SqlUnitOfWorkFactory,
    engine: sa.Engine,
    empty_target: str,
    tmp_path: Path,
) -> None:
    ulns = _populate(uow_factory)
    before = fingerprints(engine)
    assert before["learners"][0] == 12 and before["learner_versions"][0] == 13
    assert before["audit_events"][0] >= 14

    file = tmp_path / "register.backup"
    backup(database_url, file)
    restore(empty_target, file)

    restored = build_engine(empty_target)
    try:
        assert fingerprints(restored) == before
        uow = SqlUnitOfWorkFactory(restored)
        (newcomer,) = generate_learners(1, seed=999, today=SYNTH_TODAY)
        fresh = register_learner(RegisterLearner(newcomer, True), principal=WHO, uow=uow())
        assert fresh.uln not in ulns, "the restored register issued a ULN twice"
        uow.close()
    finally:
        restored.dispose()


def test_a_restore_refuses_a_database_that_is_not_empty_unless_told_to_replace(
    database_url: str, uow_factory: SqlUnitOfWorkFactory, engine: sa.Engine, tmp_path: Path
) -> None:
    _populate(uow_factory)
    before = fingerprints(engine)
    file = tmp_path / "register.backup"
    backup(database_url, file)
    with pytest.raises(BackupError, match="not empty"):
        restore(database_url, file)
    uow_factory.close()
    restore(database_url, file, replace=True)
    assert fingerprints(engine) == before


def test_a_file_that_is_not_a_backup_is_refused(database_url: str, tmp_path: Path) -> None:
    file = tmp_path / "not-a-backup"
    file.write_text("hello")
    with pytest.raises(BackupError, match="is not"):
        restore(database_url, file, replace=True)
