"""Achievement rows a run at a time: a run of `create` rows (and rows that no longer validate)
shares one transaction, with the learners, stored events and register entries it needs read in a
few statements and its writes made a statement per kind, instead of a dozen round trips a row.

The guarantees are those of `process_row`: a row's outcome is committed with its effect, only if
the row is still pending (the run's rows are taken with a lock at its start), and a row that
fails leaves nothing behind. Other rows (update, withdraw, reinstate) keep a transaction each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast

from openlrs.domain.batches.job import RowOutcome, StoredRow
from openlrs.domain.errors import DomainError
from openlrs.domain.identifiers import parse_qualification_number, parse_uln, parse_unit_reference
from openlrs.domain.plr.achievements import EventType, SubjectKind, subject_kind_of
from openlrs.services.batches.achievements import AchievementRow
from openlrs.services.batches.processing import RowAction, refused_outcome
from openlrs.services.batches.run_unit_of_work import RunUnitOfWork
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class PlannedRow:
    """A stored row, its request (None when it no longer validates) and what doing it means."""

    row: StoredRow
    request: AchievementRow | None
    action: RowAction

    @property
    def runs_together(self) -> bool:
        return self.request is None or self.request.action == "create"


def in_runs(rows: Sequence[PlannedRow]) -> Iterator[list[PlannedRow]]:
    """The rows in file order: runs of rows that share a transaction, others one at a time."""
    run: list[PlannedRow] = []
    for planned in rows:
        if planned.runs_together:
            run.append(planned)
            continue
        if run:
            yield run
            run = []
        yield [planned]
    if run:
        yield run


def process_run(
    rows: Sequence[PlannedRow], worker: str, ukprn: str, *, uow: UnitOfWork, lease: dt.timedelta
) -> list[StoredRow]:
    """Do the rows still pending and record their outcomes, in one transaction; the rows done."""
    with uow:
        taken = set(uow.batches.take_rows([p.row.id for p in rows], worker, lease))
        mine = [p for p in rows if p.row.id in taken]
        ulns = sorted({parse_uln(p.request.uln) for p in mine if p.request is not None})
        uow.learners.lock_many(ulns)
        found = uow.learners.get_many(ulns)
        subjects = {s for p in mine if (s := _subject(p.request)) is not None}
        keys = {key for p in mine if (key := _natural_key(p.request, ukprn)) is not None}
        stored = uow.learning_events.by_natural_keys(keys)
        run = RunUnitOfWork(uow, found, set(ulns), {key: stored.get(key) for key in keys})
        run.know_register(subjects)
        outcomes: list[tuple[int, RowOutcome]] = []
        for planned in mine:
            try:
                outcome = planned.action(cast(UnitOfWork, run))
            except DomainError as error:
                run.drop_row(error)
                outcome = refused_outcome(error)
            else:
                run.keep_row()
            outcomes.append((planned.row.id, outcome))
        run.flush()
        uow.batches.complete_rows(outcomes, worker)
        uow.commit()
    return [p.row for p in mine]


def _subject(request: AchievementRow | None) -> tuple[SubjectKind, str] | None:
    """The register entry the row names, as `register_entry` looks it up."""
    if request is None:
        return None
    subject = request.details.subject
    try:
        if subject_kind_of(subject) is SubjectKind.UNIT:
            return SubjectKind.UNIT, parse_unit_reference(subject)
        return SubjectKind.QUALIFICATION, parse_qualification_number(subject)
    except DomainError:
        return None


def _natural_key(request: AchievementRow | None, ukprn: str) -> str | None:
    """The key the row's achievement would be stored under (see `LearningEvent.natural_key`),
    when the ULN sent is the learner's own; a merged ULN's row looks its key up itself."""
    subject = _subject(request)
    if request is None or subject is None:
        return None
    uln = parse_uln(request.uln)
    return f"{EventType.ACHIEVEMENT}|{ukprn}|{uln}|{subject[1]}|{request.details.award_date}"
