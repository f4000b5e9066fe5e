"""The UPN as evidence, as a school sees it through its CTF (the comparison itself is the match
model's, issue 28): a pupil whose UPN the register already holds is found even with a misspelt
name, and a UPN never ties together two people whose names and date of birth disagree.

Skipped until the match model compares UPNs (`domain/matching/comparison.LEVELS["upn"]`)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Principal, Role
from openlrs.domain.learners.demographics import is_dummy_postcode
from openlrs.domain.matching.comparison import LEVELS
from openlrs.services.accounts import manage as accounts
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.services.policy import RegisterPolicy
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_learner_details
from tests.builders.ctf import SCHOOL, CtfPupil, ctf_file, pupils

pytestmark = pytest.mark.skipif(
    "upn" not in LEVELS, reason="the match model does not compare UPNs yet (issue 28)"
)
TODAY = dt.date(2026, 9, 1)
POLICY = RegisterPolicy(today=lambda: TODAY)
UKPRN = "10007777"
USER = Principal("user:office@northgate", UKPRN, frozenset({Role.LRB}))


@pytest.fixture(autouse=True)
def school(uow_factory: SqlUnitOfWorkFactory) -> None:
    accounts.ensure_organisation(
        UKPRN, "Northgate", OrgType.SCHOOL, principal=SYSTEM, uow=uow_factory()
    )
    accounts.set_school_number(UKPRN, "".join(SCHOOL), principal=SYSTEM, uow=uow_factory())


def run(uow_factory: SqlUnitOfWorkFactory, content: bytes) -> list[tuple[str, str | None]]:
    command = SubmitBatch(kind="ctf", fmt="xml", filename="school.xml", content=content)
    job = batch_jobs.submit_batch(command, principal=USER, uow=uow_factory()).job
    BatchWorker(uow_factory, policy=POLICY).run(until_idle=True)
    _, rows = batch_jobs.batch_rows(job.id, principal=USER, uow=uow_factory(), failed_only=False)
    return [(r.outcome.outcome, r.outcome.uln) if r.outcome else ("pending", None) for r in rows]


def _people(count: int, seed: int) -> list:
    found = many_learner_details(count * 3, seed=seed, today=TODAY)
    return [p for p in found if not is_dummy_postcode(p.postcode) and len(p.given_name) >= 5][
        :count
    ]


def _misspelt(name: str) -> str:
    """Two letters swapped and one doubled: a typing slip, not another name."""
    return name[0] + name[2] + name[1] + name[3:] + name[-1]


def test_a_pupil_whose_upn_is_known_is_found_even_with_a_misspelt_name(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    people = _people(6, seed=2541)
    first = run(uow_factory, ctf_file(pupils(people)))
    slipped = [
        dataclasses.replace(p.details, given_name=_misspelt(p.details.given_name))
        for p in pupils(people)
    ]
    again = [
        dataclasses.replace(p, details=d) for p, d in zip(pupils(people), slipped, strict=True)
    ]

    found = run(uow_factory, ctf_file(again, version="23.0"))

    assert [o for o, _ in first] == ["registered"] * 6
    assert found == [("exact", uln) for _, uln in first]
    with uow_factory() as uow:
        assert uow.learners.count() == 6


def test_a_matching_upn_never_merges_a_pupil_whose_names_and_birth_date_disagree(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    registered, stranger = _people(2, seed=2542)
    [(outcome, uln)] = run(uow_factory, ctf_file(pupils([registered])))
    same_upn = CtfPupil(
        dataclasses.replace(stranger, date_of_birth=dt.date(2010, 2, 3), gender=registered.gender),
        pupils([registered])[0].upn,
    )

    [(second, other_uln)] = run(uow_factory, ctf_file([same_upn], qualifier="Partial"))

    assert outcome == "registered"
    assert second == "registered" and other_uln != uln
