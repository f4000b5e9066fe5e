"""What is waiting for the signed-in user's organisation, for the home page: possible matches to
decide (and those waiting too long), batch files with failed rows, challenges to decide or just
decided, provider applications (the desk). Counts only: no reads of a learner's details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal, Role
from openlrs.domain.learners.held_registration import HeldStatus
from openlrs.domain.plr.event_challenges import ChallengeStatus
from openlrs.services.batches.jobs import list_batches
from openlrs.services.learners.exceptions_queue import list_held
from openlrs.services.plr.event_challenges import list_challenges
from openlrs.services.ports import UnitOfWorkFactory
from openlrs.services.providers.verify import verification_queue

OVERDUE_AFTER = dt.timedelta(days=5)
LIMIT = 200


@dataclass(frozen=True)
class Waiting:
    count: int
    text: str
    href: str
    overdue: bool = False


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def what_is_waiting(principal: Principal, uow: UnitOfWorkFactory) -> list[Waiting]:
    found: list[Waiting] = []
    now = dt.datetime.now(dt.UTC)
    if principal.roles & LEARNER_ROLES:
        held = list_held(status=HeldStatus.OPEN, limit=LIMIT, principal=principal, uow=uow())
        if held:
            text = _plural(len(held), "possible match to decide", "possible matches to decide")
            found.append(Waiting(len(held), text, "/portal/exceptions"))
        late = [h for h in held if h.created_at and now - h.created_at > OVERDUE_AFTER]
        if late:
            text = (
                _plural(len(late), "possible match", "possible matches")
                + " waiting more than 5 days"
            )
            found.append(Waiting(len(late), text, "/portal/exceptions", overdue=True))
    if principal.roles & {Role.LRB, Role.LRB_ADMIN, Role.AO}:
        batches = list_batches(principal=principal, uow=uow(), limit=20)
        failed = [b for b in batches if b.failed_rows]
        if failed:
            text = (
                _plural(len(failed), "recent batch file", "recent batch files")
                + " with failed rows"
            )
            found.append(Waiting(len(failed), text, "/portal/batches"))
    if Role.AO in principal.roles:
        open_ = list_challenges(principal=principal, uow=uow(), status=ChallengeStatus.OPEN)
        if open_:
            text = (
                _plural(len(open_), "problem", "problems")
                + " reported with your achievements to decide"
            )
            found.append(Waiting(len(open_), text, "/portal/challenges"))
    elif principal.roles & {Role.LRB, Role.LRB_ADMIN}:
        raised = list_challenges(principal=principal, uow=uow(), limit=LIMIT)
        decided = [c for c in raised if c.decided_at and now - c.decided_at < dt.timedelta(days=30)]
        if decided:
            text = _plural(len(decided), "problem you reported was", "problems you reported were")
            found.append(
                Waiting(len(decided), f"{text} decided in the last 30 days", "/portal/challenges")
            )
    if Role.ADMIN in principal.roles:
        waiting = verification_queue(after_id=None, limit=LIMIT, principal=principal, uow=uow())
        if waiting:
            text = (
                _plural(len(waiting), "provider application", "provider applications") + " to check"
            )
            found.append(Waiting(len(waiting), text, "/portal/provider-applications"))
    return found
