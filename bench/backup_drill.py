"""Backup and restore drill: populate a register, back it up, restore it into a fresh database and
prove with per-table row counts and checksums that every row came back.

Learners are registered through the service layer (so versions, match keys and audit rows are the
real ones), some get an achievement and an enrolment (learning events), some are updated (more
versions), searched (audit rows) and re-registered (held registrations); every table present is compared, whoever's it is, and on PostgreSQL the sequences
too (a restored register must not issue a ULN twice). Exits 1 if anything differs.

    python bench/backup_drill.py --database postgresql --learners 5000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Principal, Role
from openlrs.domain.errors import DomainError
from openlrs.domain.learners.learner import Learner
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails, ParticipationDetails
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.accounts import manage as accounts
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.learners.search import find_by_demographics
from openlrs.services.learners.update import UpdateLearner, update_learner
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import load_register
from openlrs.services.plr.record_participation import RecordParticipation, record_participation
from openlrs.store.backup import backup, fingerprints, restore
from openlrs.store.engine import build_engine
from openlrs.store.migrate import upgrade
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth import generate_learners

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TODAY = dt.date(2026, 11, 23)
UKPRN = "10004321"
WHO = Principal(actor="client:drill", ukprn=UKPRN, roles=frozenset({Role.LRB}))
AO = Principal(actor="client:drill-ao", ukprn="10000003", roles=frozenset({Role.AO}))
DESK = Principal(actor="user:drill-desk", ukprn="10000009", roles=frozenset({Role.ADMIN}))
QUALIFICATION = "100/0001/1"


def populate(uow: SqlUnitOfWorkFactory, learners: int, seed: int) -> dict[str, int]:
    """A small real register: accounts, learners, updates, searches, held registrations."""
    accounts.ensure_organisation(
        UKPRN, "Drill College", OrgType.COLLEGE, principal=SYSTEM, uow=uow()
    )
    accounts.create_client(UKPRN, frozenset({Role.LRB}), principal=SYSTEM, uow=uow())
    accounts.create_user(
        UKPRN, "drill.user@example.org", "correct horse battery staple",
        frozenset({Role.LRB_ADMIN}), principal=SYSTEM, uow=uow(),
    )  # fmt: skip
    rng = random.Random(seed)
    load_register(
        [Qualification(QUALIFICATION, "GCSE in Mathematics", "GCSE", "2", frozenset({AO.ukprn}))],
        principal=DESK,
        uow=uow(),
    )

    def record_events(learner: Learner, rng: random.Random) -> None:
        """An achievement (from the AO) and an enrolment (from the college): learning events."""
        d = learner.details
        claimed = ClaimedDetails(d.given_name, d.family_name, d.date_of_birth, d.gender)
        award = AchievementDetails(QUALIFICATION, dt.date(2025, 6, 30), rng.choice("456789"))
        post_achievement(PostAchievement(learner.uln, claimed, award), principal=AO, uow=uow())
        enrolment = ParticipationDetails("60012345", dt.date(2024, 9, 2))
        record_participation(
            RecordParticipation(learner.uln, claimed, enrolment), principal=WHO, uow=uow()
        )

    counts = {"registered": 0, "with events": 0, "updated": 0, "searched": 0, "refused": 0}
    people = list(generate_learners(learners, seed=seed, today=TODAY))
    for details in people:
        try:
            learner = register_learner(
                RegisterLearner(details, confirm_different_person=True), principal=WHO, uow=uow()
            )
        except DomainError:
            counts["refused"] += 1
            continue
        counts["registered"] += 1
        if rng.random() < 0.2:
            record_events(learner, rng)
            counts["with events"] += 1
        if rng.random() < 0.2:
            change = {"postcode": "SW1A 2AA"} if rng.random() < 0.5 else {"email": None}
            update_learner(UpdateLearner(learner.uln, 1, change), principal=WHO, uow=uow())
            counts["updated"] += 1
    for details in rng.sample(people, min(len(people), max(10, learners // 10))):
        find_by_demographics(details, principal=WHO, uow=uow())
        counts["searched"] += 1
    for details in people[: max(5, learners // 100)]:  # again, unconfirmed: refused or held
        try:
            register_learner(RegisterLearner(details), principal=WHO, uow=uow())
        except DomainError:
            counts["refused"] += 1
    return counts


def fresh(kind: str, workdir: Path, pg_admin: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'{uuid.uuid4().hex[:8]}.db'}"
    name = f"openlrs_drill_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq(pg_admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(pg_admin).set(database=name).render_as_string(hide_password=False)


def drop(url: str, pg_admin: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        with psycopg.connect(_libpq(pg_admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def drill(kind: str, learners: int, seed: int, workdir: Path, pg_admin: str) -> bool:
    source, target = fresh(kind, workdir, pg_admin), fresh(kind, workdir, pg_admin)
    try:
        engine = build_engine(source)
        upgrade(engine)
        uow = SqlUnitOfWorkFactory(engine)
        started = time.perf_counter()
        counts = populate(uow, learners, seed)
        print(f"[{kind}] populated in {time.perf_counter() - started:.1f} s: {counts}")
        before = fingerprints(engine)
        uow.close()
        file = workdir / f"drill-{kind}.backup"
        started = time.perf_counter()
        backup(source, file)
        took_backup = time.perf_counter() - started
        started = time.perf_counter()
        restore(target, file)
        took_restore = time.perf_counter() - started
        restored = build_engine(target)
        after = fingerprints(restored)
        restored.dispose()
        print(
            f"[{kind}] backup {file.stat().st_size:,} bytes in {took_backup:.1f} s, "
            f"restore {took_restore:.1f} s"
        )
        ok = True
        for name in sorted(set(before) | set(after)):
            was, now = before.get(name), after.get(name)
            same = "ok" if was == now else "DIFFERENT"
            ok &= was == now
            unit = "value" if name.startswith("sequence") else "rows"
            print(
                f"  {name:36} {was[0] if was else '-':>8} {unit:5} {same}  {now[1] if now else ''}"
            )
        print(f"[{kind}] {'PASS' if ok else 'FAIL'}: {len(before)} tables and sequences compared")
        return ok
    finally:
        drop(source, pg_admin)
        drop(target, pg_admin)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--pg-admin-url", default=PG_ADMIN, help="creates the drill's databases")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory() as tmp:
        results = [
            drill(kind, args.learners, args.seed, Path(tmp), args.pg_admin_url) for kind in kinds
        ]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
