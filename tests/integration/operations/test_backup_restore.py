"""Backup and restore round trip on SQLite and PostgreSQL: every row of every table comes back,
the ULN counter carries on where it was, and a restore never lands on a register by accident."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Principal, Role
from openlrs.domain.plr.achievements import ParticipationDetails
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.accounts import manage as accounts
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.learners.search import find_by_demographics
from openlrs.services.learners.update import UpdateLearner, update_learner
from openlrs.services.plr.post_achievement import post_achievement
from openlrs.services.plr.qualification_register import load_register
from openlrs.services.plr.record_participation import RecordParticipation, record_participation
from openlrs.store.backup import BackupError, backup, fingerprints, restore
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import (
    ADMIN,
    AO,
    OWNED,
    POLICY,
    achievement_command,
    claimed_details,
    many_learner_details,
    registration_file,
    registration_row,
)
from tests.conftest import PG_ADMIN_URL, require_postgres
from tests.integration.batches.test_batch_jobs import POLICY as BATCH_POLICY
from tests.integration.batches.test_batch_jobs import TODAY

UKPRN = "10004321"
WHO = Principal(actor="client:drill", ukprn=UKPRN, roles=frozenset({Role.LRB}))


def _populate(uow: SqlUnitOfWorkFactory) -> list[str]:
    """A small register with a row in every kind of table: accounts, learners and their versions,
    learning events (an achievement and a participation), a processed batch, the audit trail."""
    accounts.ensure_organisation(
        UKPRN, "Drill College", OrgType.COLLEGE, principal=SYSTEM, uow=uow()
    )
    accounts.create_client(UKPRN, frozenset({Role.LRB}), principal=SYSTEM, uow=uow())
    people = many_learner_details(12, seed=5)
    learners = [
        register_learner(RegisterLearner(d, True), principal=WHO, uow=uow()) for d in people
    ]
    update_learner(
        UpdateLearner(learners[0].uln, 1, {"postcode": "SW1A 2AA"}), principal=WHO, uow=uow()
    )
    find_by_demographics(people[1], principal=WHO, uow=uow())
    load_register(
        [Qualification(OWNED, "GCSE in Mathematics", "GCSE", "2", frozenset({AO.ukprn}))],
        principal=ADMIN,
        uow=uow(),
    )
    post_achievement(achievement_command(learners[2]), principal=AO, uow=uow(), policy=POLICY)
    enrolment = ParticipationDetails("60012345", dt.date(2024, 9, 2))
    record_participation(
        RecordParticipation(learners[3].uln, claimed_details(learners[3]), enrolment),
        principal=WHO,
        uow=uow(),
        policy=POLICY,
    )
    rows = [
        registration_row(p, f"S{i}")
        for i, p in enumerate(many_learner_details(3, seed=6, today=TODAY))
    ]
    command = SubmitBatch("registration", "csv", "drill.csv", registration_file(rows))
    batch_jobs.submit_batch(command, principal=WHO, uow=uow())
    BatchWorker(uow, policy=BATCH_POLICY).run(until_idle=True)
    return [learner.uln for learner in learners]


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
    assert before["learners"][0] == 15 and before["learner_versions"][0] == 16
    assert before["learning_events"][0] == 2 and before["batch_rows"][0] == 3
    assert before["audit_events"][0] >= 20

    file = tmp_path / "register.backup"
    backup(database_url, file)
    restore(empty_target, file)

    restored = build_engine(empty_target)
    try:
        assert fingerprints(restored) == before
        uow = SqlUnitOfWorkFactory(restored)
        (newcomer,) = many_learner_details(1, seed=999)
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


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_backup_drill_passes_on_a_small_register(kind: str) -> None:
    """bench/backup_drill.py as an operator runs it: populate, back up, restore into a fresh
    database, compare every table's checksum (and the sequences); it exits 1 on a difference."""
    if kind == "postgresql":
        require_postgres()
    drill = Path(__file__).resolve().parents[3] / "bench" / "backup_drill.py"
    command = [sys.executable, str(drill), "--database", kind, "--learners", "40"]
    done = subprocess.run(
        [*command, "--pg-admin-url", PG_ADMIN_URL], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"[{kind}] PASS" in done.stdout
    for table in ("learners", "learner_versions", "learning_events", "audit_events"):
        line = next(x for x in done.stdout.splitlines() if x.split()[:1] == [table])
        assert int(line.split()[1]) > 0 and " ok " in line, line
