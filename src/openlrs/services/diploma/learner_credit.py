"""The learner's QCF credit bank: the unit achievements on their Personal Learning Record, as
credit, against the shipped qualifications' rules: which they can claim, and what is missing.

The record is read as the PLR read is (`read_plr`): a merged ULN followed to its master, an
opted-out learner refused to registration bodies, an awarding organisation shown its own
deposits only (domain/plr/disclosure.py), and every read audited (`plr.qcf_credit`),
refusals included. Withdrawn achievements do not count; credit comes from the unit catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.credit_bank import QcfEvaluation, UnitAchievement
from openlrs.domain.identifiers import parse_unit_reference
from openlrs.domain.matching.knowledge import Knowledge
from openlrs.domain.plr.achievements import EventStatus, EventType, LearningEvent, SubjectKind
from openlrs.domain.plr.roles import PLR_READ_ROLES
from openlrs.services.diploma.qcf_credit import evaluate_units, rules_for
from openlrs.services.plr.read import ReadPlr, read_plr
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class LearnerCredit:
    uln: str
    """The learner's current ULN: the master's when the one asked about was merged."""
    linked: bool
    units: tuple[LearningEvent, ...]
    """The unit achievements that were evaluated (achieved, not withdrawn)."""
    evaluations: tuple[QcfEvaluation, ...]


def learner_credit(
    uln: str,
    *,
    qualification: str | None = None,
    principal: Principal,
    uow: UnitOfWork,
    knowledge: Knowledge | None = None,
) -> LearnerCredit:
    """One qualification's evaluation when named, else every shipped one (claimable first)."""
    principal.require(PLR_READ_ROLES)
    rules = rules_for(qualification)  # a bad qualification is refused before the record is read
    query = ReadPlr(uln, event_type=EventType.ACHIEVEMENT, knowledge=knowledge)
    plr = read_plr(query, principal=principal, uow=uow, action=AuditAction.PLR_QCF_CREDIT)
    units: list[LearningEvent] = []
    held: list[UnitAchievement] = []
    for event in plr.events:  # whole qualifications, and withdrawn units, are not credit
        counts = event.subject_kind is SubjectKind.UNIT and event.status is EventStatus.ACHIEVED
        if counts and event.award_date is not None:
            units.append(event)
            held.append(UnitAchievement(parse_unit_reference(event.subject), event.award_date))
    evaluations = evaluate_units(rules, held, frozenset())
    return LearnerCredit(plr.uln, plr.linked, tuple(units), tuple(evaluations))
