"""Knowledge of the learner: what an organisation must show before it reads a learner's record.

The LRS answers a learning-record read (and a find by ULN) only when the caller sends the
learner's given and family name, optionally their date of birth and gender, and they verify
against the ULN's record with the Verify Learner Details comparison (exact or similar; a mismatch
is WSEC0208). The service desk, which maintains the register, needs no such proof; nor does a
learner reading their own record.
"""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.verification import (
    ClaimedDetails,
    VerificationOutcome,
    verify_details,
)

Knowledge = ClaimedDetails
"""The learner's given and family name (always), date of birth and gender (optionally)."""


def needs_knowledge(principal: Principal) -> bool:
    """Whether `principal` must show knowledge of a learner to read their record or details."""
    return Role.ADMIN not in principal.roles


def knowledge_verifies(knowledge: Knowledge | None, record: LearnerDetails) -> bool:
    """Whether the knowledge shown agrees with the learner's record (exact or similar, as in
    Verify Learner Details); no knowledge never verifies."""
    if knowledge is None or not knowledge.given_name.strip() or not knowledge.family_name.strip():
        return False
    outcome = verify_details(knowledge, record).outcome
    return outcome in (VerificationOutcome.EXACT, VerificationOutcome.SIMILAR)
