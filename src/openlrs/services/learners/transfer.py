"""A pupil arriving with a ULN (in a school's Common Transfer File) keeps it, when the register's
record agrees with the details the school holds; the school then has them on roll.

A ULN that is unknown, or whose record disagrees on names or date of birth, is not taken on
trust: the caller searches by details instead (services/learners/register.py), so a mistyped
ULN never ties a pupil to someone else.
"""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.services.learners.verify import VerifyLearner, verify_within
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWork

AGREES = frozenset({"exact", "similar"})


def keep_uln_within(
    uln: str,
    details: LearnerDetails,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy,
) -> str | None:
    """The ULN the pupil keeps (the master's, when `uln` was merged into it), with the caller's
    organisation recorded as having them on roll; None when the record does not agree. The
    check is audited like any Verify Learner Details (inside the caller's unit of work)."""
    claim = ClaimedDetails(
        details.given_name, details.family_name, details.date_of_birth, details.gender
    )
    found = verify_within(VerifyLearner(uln, claim), principal=principal, uow=uow, policy=policy)
    if found.outcome not in AGREES:
        return None
    uow.learners.note_relationship(found.uln, principal.ukprn, RelationshipKind.ON_ROLL)
    return found.uln
