"""Common Transfer Files through the batch queue on SQLite and PostgreSQL: each pupil found,
registered or held like any batch row; the output is the school's own file with ULNs; a school
keeps its pupils on roll, and a pupil on roll at two schools is dual registered, not duplicated."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.ctf_output import ctf_with_ulns
from openlrs.batch.reader import open_batch
from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Principal, Role
from openlrs.domain.batches.job import JobStatus
from openlrs.domain.identifiers import make_upn
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.domain.learners.demographics import is_dummy_postcode
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.accounts import manage as accounts
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.services.policy import RegisterPolicy
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_learner_details
from tests.builders.ctf import SCHOOL, CtfPupil, ctf_file, pupils, upn_for
from tests.builders.learners import store_learner

TODAY = dt.date(2026, 9, 1)
POLICY = RegisterPolicy(today=lambda: TODAY)
SCHOOL_UKPRN, OTHER_SCHOOL_UKPRN = "10007777", "10007778"
OTHER_SCHOOL = ("381", "4002")
USER = Principal("user:office@northgate", SCHOOL_UKPRN, frozenset({Role.LRB}))
OTHER_USER = Principal("user:office@southgate", OTHER_SCHOOL_UKPRN, frozenset({Role.LRB}))


@pytest.fixture(autouse=True)
def schools(uow_factory: SqlUnitOfWorkFactory) -> None:
    for ukprn, school in ((SCHOOL_UKPRN, SCHOOL), (OTHER_SCHOOL_UKPRN, OTHER_SCHOOL)):
        accounts.ensure_organisation(
            ukprn, f"School {ukprn}", OrgType.SCHOOL, principal=SYSTEM, uow=uow_factory()
        )
        accounts.set_school_number(ukprn, "".join(school), principal=SYSTEM, uow=uow_factory())


def run(uow_factory: SqlUnitOfWorkFactory, content: bytes, who: Principal = USER) -> str:
    command = SubmitBatch(kind="ctf", fmt="xml", filename="school.xml", content=content)
    job = batch_jobs.submit_batch(command, principal=who, uow=uow_factory()).job
    BatchWorker(uow_factory, policy=POLICY).run(until_idle=True)
    return job.id


def outcomes(uow_factory: SqlUnitOfWorkFactory, job_id: str, who: Principal = USER) -> list[str]:
    _, rows = batch_jobs.batch_rows(job_id, principal=who, uow=uow_factory(), failed_only=False)
    return [r.outcome.outcome if r.outcome else "pending" for r in rows]


def test_a_thousand_pupils_come_out_found_new_possible_and_rejected_in_the_right_mix(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    people = many_learner_details(1000, seed=2501, today=TODAY)
    known = [store_learner(uow_factory(), d) for d in people[:150]]
    content = pupils(people)
    for i in range(100, 150):  # these carry the ULN a previous school gave them
        content[i] = dataclasses.replace(content[i], uln=known[i].uln)
    # learners registered elsewhere (not on this school's roll, so no UPN of theirs here), sent
    # with only an initial: for a person to decide. (A brother or sister of a pupil in this file
    # carries a different UPN at the same school, evidence enough to register them.)
    addressed = [
        d
        for d in many_learner_details(40, seed=2503, today=TODAY)
        if not is_dummy_postcode(d.postcode)
    ]
    elsewhere = [store_learner(uow_factory(), d) for d in addressed[:10]]
    for i in range(150, 160):
        content[i] = CtfPupil(_near_miss(elsewhere[i - 150].details), upn_for(i))
    for i in range(990, 1000):  # a UPN whose check letter is wrong
        upn = content[i].upn
        content[i] = dataclasses.replace(content[i], upn=("A" if upn[0] != "A" else "B") + upn[1:])

    job_id = run(uow_factory, ctf_file(content, version="19.0"))

    summary = batch_jobs.batch_summary(job_id, principal=USER, uow=uow_factory())
    found = outcomes(uow_factory, job_id)
    assert found[:100] == ["exact"] * 100
    assert found[100:150] == ["found"] * 50
    assert set(found[150:160]) == {"possible"}
    assert found[990:] == ["VALIDATION_FAILED"] * 10
    assert summary == {"new": 830, "found": 150, "possible": 10, "rejected": 10, "pending": 0}
    with uow_factory() as uow:
        assert uow.learners.count() == 150 + 10 + 830
        kinds = uow.learners.relationships([known[0].uln], SCHOOL_UKPRN)
        assert kinds == {RelationshipKind.ON_ROLL}


def _near_miss(details: LearnerDetails) -> LearnerDetails:
    """A registered learner's details with the given name cut to its initial: the same family
    name, date of birth, sex and address could be the learner or a brother or sister, so a
    person decides (a possible match, never an exact one)."""
    return dataclasses.replace(details, given_name=details.given_name[0])


def test_the_same_file_again_and_a_fresh_export_of_it_change_nothing(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    people = many_learner_details(30, seed=2502, today=TODAY)
    # a pupil with no address matches only possibly without UPN evidence (issue 28's model)
    content = pupils([p for p in people if not is_dummy_postcode(p.postcode)][:20])
    first = run(uow_factory, ctf_file(content))
    with uow_factory() as uow:
        count = uow.learners.count()

    again = run(uow_factory, ctf_file(content))  # the very same bytes: the same job
    exported = run(uow_factory, ctf_file(content, version="23.0"))  # next year's MIS export

    assert again == first
    assert outcomes(uow_factory, exported) == ["exact"] * 20
    with uow_factory() as uow:
        assert uow.learners.count() == count == 20


def test_the_output_is_the_same_file_with_every_pupil_in_order_and_ulns_filled_in(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    people = many_learner_details(12, seed=2503, today=TODAY)
    people[5] = dataclasses.replace(people[5], date_of_birth=dt.date(2020, 1, 1))  # too young
    content = ctf_file(pupils(people), version="12.0")
    job_id = run(uow_factory, content)
    _, rows = batch_jobs.batch_rows(job_id, principal=USER, uow=uow_factory(), failed_only=False)
    original = batch_jobs.submitted_file(job_id, principal=USER, uow=uow_factory())

    output = ctf_with_ulns(original, rows, now=dt.datetime(2026, 9, 2, tzinfo=dt.UTC))
    reread = list(
        open_batch(io.BytesIO(output), kind=BatchKind.CTF, fmt=BatchFormat.XML, policy=POLICY)
    )

    assert [r.values["upn"] for r in reread] == [upn_for(i) for i in range(12)]
    ulns = [r.values.get("uln") for r in reread]
    assert ulns == [r.outcome.uln if r.outcome else None for r in rows]
    assert ulns[5] is None and all(u for i, u in enumerate(ulns) if i != 5)
    assert b"<DestSchool>\n      <LEA>380</LEA>" in output


def test_a_pupil_on_roll_at_two_schools_is_dual_registered_not_a_duplicate(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    people = many_learner_details(5, seed=2504, today=TODAY)
    first = run(uow_factory, ctf_file(pupils(people)))
    ulns = [r for r in _ulns(uow_factory, first)]
    other = [
        CtfPupil(d, make_upn(f"3814002{20:02d}{i:03d}"), uln=ulns[i] if i < 2 else None)
        for i, d in enumerate(people)
    ]

    second = run(uow_factory, ctf_file(other, school=OTHER_SCHOOL), OTHER_USER)

    assert outcomes(uow_factory, second, OTHER_USER) == ["found"] * 2 + ["exact"] * 3
    assert _ulns(uow_factory, second, OTHER_USER) == ulns
    with uow_factory() as uow:
        assert uow.learners.count() == 5
        for uln in ulns:
            assert uow.learners.relationships([uln], SCHOOL_UKPRN) == {RelationshipKind.REGISTERED}
            assert uow.learners.relationships([uln], OTHER_SCHOOL_UKPRN) == {
                RelationshipKind.ON_ROLL
            }


def _ulns(uow_factory: SqlUnitOfWorkFactory, job_id: str, who: Principal = USER) -> list[str]:
    _, rows = batch_jobs.batch_rows(job_id, principal=who, uow=uow_factory(), failed_only=False)
    return [r.outcome.uln for r in rows if r.outcome and r.outcome.uln]


def test_a_ctf_waits_for_approval_even_from_a_user_when_the_school_asks(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    admin = Principal("user:head@northgate", SCHOOL_UKPRN, frozenset({Role.LRB_ADMIN}))
    batch_jobs.set_approval_required(SCHOOL_UKPRN, True, principal=admin, uow=uow_factory())
    job_id = run(uow_factory, ctf_file(pupils(many_learner_details(3, seed=2505, today=TODAY))))

    waiting = batch_jobs.get_batch(job_id, principal=USER, uow=uow_factory())
    assert waiting.status is JobStatus.AWAITING_APPROVAL
    with uow_factory() as uow:
        assert uow.learners.count() == 0
    batch_jobs.approve_batch(job_id, principal=USER, uow=uow_factory())
    BatchWorker(uow_factory, policy=POLICY).run(until_idle=True)

    assert outcomes(uow_factory, job_id) == ["registered"] * 3


def test_a_file_from_another_school_fails_whole_and_writes_nothing(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    content = ctf_file(pupils(many_learner_details(3, seed=2506, today=TODAY)), school=OTHER_SCHOOL)

    job_id = run(uow_factory, content)

    failed = batch_jobs.get_batch(job_id, principal=USER, uow=uow_factory())
    assert (failed.status, failed.error_code) == (JobStatus.FAILED, "CTF_WRONG_SCHOOL")
    with uow_factory() as uow:
        assert uow.learners.count() == 0
