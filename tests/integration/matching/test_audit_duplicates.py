"""The whole-register duplicate audit on a small register with planted duplicates (both databases).

A few hundred synthetic learners, 20 noisy re-registrations under new ULNs (typos, a swapped date
of birth, nicknames, changed family names, moves...) and a handful of twins and namesakes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa

pytest.importorskip("splink", reason="the audit extra: pip install 'openlrs[audit]'")

from openlrs.batch.audit.output import CSV_COLUMNS, write_pairs
from openlrs.batch.audit.run import audit_register
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.domain.matching.model_file import default_model
from openlrs.domain.matching.suspected_duplicate import DuplicateStatus, SuspectedDuplicate
from openlrs.services.matching.suspected_duplicates import queue_suspected_duplicates
from openlrs.store.matching.register_reader import active_learner_chunks
from openlrs.store.matching.tables import suspected_duplicates
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth.errors import ErrorType
from openlrs.synth.planted import PlantedRegister, planted_register

TODAY = dt.date(2026, 11, 23)
FORCED = (
    ErrorType.TYPO,
    ErrorType.TYPO,
    ErrorType.DAY_MONTH_SWAP,
    ErrorType.DAY_MONTH_SWAP,
    ErrorType.NICKNAME,
    ErrorType.NICKNAME,
    ErrorType.FAMILY_NAME_CHANGE,
    ErrorType.HYPHENATION,
    ErrorType.DOB_DIGIT,
    ErrorType.PHONETIC_SPELLING,
    ErrorType.POSTCODE_ELSEWHERE,
    ErrorType.GIVEN_MIDDLE_SWAP,
)


def uln(position: int) -> str:
    return f"{9_000_000_000 + position}"


@pytest.fixture
def planted(uow_factory: SqlUnitOfWorkFactory) -> PlantedRegister:
    register = planted_register(300, 20, seed=41, today=TODAY, forced=FORCED, negatives=6)
    with uow_factory() as uow:
        for position, details in enumerate(register.records):
            uow.learners.add(Learner(uln(position), details), actor="test", ukprn=None)
        uow.commit()
    return register


def _audit(engine: sa.Engine) -> list[SuspectedDuplicate]:
    return list(audit_register(active_learner_chunks(engine, chunk_size=64), default_model()))


def _pair(pair: SuspectedDuplicate) -> frozenset[str]:
    return frozenset((pair.uln_a, pair.uln_b))


def test_the_audit_finds_planted_duplicates_with_few_false_positives(
    engine: sa.Engine, planted: PlantedRegister
) -> None:
    found = {_pair(p) for p in _audit(engine)}
    wanted = {frozenset((uln(a), uln(b))) for a, (b, _) in planted.duplicates.items()}
    look_alikes = {frozenset((uln(a), uln(b))) for a, (b, _) in planted.hard_negatives.items()}

    missed = wanted - found
    assert len(missed) <= 1, f"missed {len(missed)} of {len(wanted)}: {sorted(map(sorted, missed))}"
    others = found - wanted - look_alikes
    assert len(others) <= 3, f"{len(others)} unplanted pairs flagged"


def test_twins_are_suspected_but_never_merged(
    engine: sa.Engine, planted: PlantedRegister, uow_factory: SqlUnitOfWorkFactory
) -> None:
    twins = {
        frozenset((uln(a), uln(b)))
        for a, (b, kind) in planted.hard_negatives.items()
        if kind == "twin"
    }
    assert twins
    pairs = _audit(engine)
    queue_suspected_duplicates(pairs, uow=uow_factory())

    flagged = {_pair(p) for p in pairs} & twins
    assert flagged, "twins share a family name, date of birth and home: a person should look"
    with uow_factory() as uow:
        queued = uow.suspected_duplicates.list(status=None, after_id=None, limit=1000)
        for pair in flagged:
            for number in pair:
                learner = uow.learners.get(number)
                assert learner is not None
                assert learner.status is LearnerStatus.ACTIVE and learner.master_uln is None
    assert {p.status for p in queued} == {DuplicateStatus.OPEN}


def test_re_running_the_audit_never_repeats_or_reopens_a_pair(
    engine: sa.Engine, planted: PlantedRegister, uow_factory: SqlUnitOfWorkFactory
) -> None:
    first = queue_suspected_duplicates(_audit(engine), uow=uow_factory())
    with engine.begin() as conn:
        dismissed = conn.execute(sa.select(sa.func.min(suspected_duplicates.c.id))).scalar_one()
        conn.execute(
            sa.update(suspected_duplicates)
            .where(suspected_duplicates.c.id == dismissed)
            .values(status="dismissed")
        )

    again = queue_suspected_duplicates(_audit(engine), uow=uow_factory())

    with engine.connect() as conn:
        rows = conn.execute(sa.select(suspected_duplicates)).all()
    assert first == again == len(rows)
    assert len({(r.uln_a, r.uln_b) for r in rows}) == len(rows)
    assert all(r.uln_a < r.uln_b for r in rows)
    assert {r.id: r.status for r in rows}[dismissed] == "dismissed"


def test_the_csv_holds_ulns_and_comparison_levels_only(
    engine: sa.Engine, planted: PlantedRegister
) -> None:
    handle = io.StringIO()
    pairs = list(write_pairs(handle, _audit(engine)))
    text = handle.getvalue()

    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(pairs)
    for details in planted.records:
        for value in (details.family_name, details.postcode, details.date_of_birth.isoformat()):
            assert value not in text
    assert all(0.5 <= float(r["match_probability"]) <= 1 for r in rows)
