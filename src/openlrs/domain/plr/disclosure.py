"""What a Personal Learning Record read may disclose to whom: one rule for the API, the portal,
reports, PDFs, QCF credit and the change feed.

- The service desk sees everything.
- A registration body (lrb, lrb_admin) sees the learner's details and every event, unless the
  learner has opted out of sharing (LEARNER_OPTED_OUT).
- An awarding organisation, which may not read learners' details (GET /learners/{uln} refuses
  it), gets the ULN and only the events it deposited itself, whatever the sharing choice: it
  keeps sight of its own deposits, and learns nothing of others'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal, Role
from openlrs.domain.plr.achievements import LearningEvent
from openlrs.domain.plr.errors import LearnerOptedOut


@dataclass(frozen=True)
class Disclosure:
    details: bool
    """The learner's name, date of birth, address and the rest; else the ULN only."""
    depositor: str | None
    """Only events this organisation deposited; None: every event."""

    def events(self, events: Iterable[LearningEvent]) -> tuple[LearningEvent, ...]:
        if self.depositor is None:
            return tuple(events)
        return tuple(e for e in events if e.ukprn == self.depositor)


EVERYTHING = Disclosure(details=True, depositor=None)


def plr_disclosure(principal: Principal, *, shares: bool) -> Disclosure:
    """What `principal` may see of a record whose learner `shares` it (or has opted out);
    LearnerOptedOut when it may see nothing."""
    roles = principal.roles
    if Role.ADMIN in roles:
        return EVERYTHING
    if shares and roles & LEARNER_ROLES:
        return EVERYTHING
    if Role.AO in roles:
        return Disclosure(details=False, depositor=principal.ukprn)
    raise LearnerOptedOut()
