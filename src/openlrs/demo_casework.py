"""Demo casework, so the pages that show one case have one to show: a registration held for a
person to decide (the college's exceptions queue; it adds one learner, registered twice), a
change sent for approval (a school's edit of a learner the college registered), a logged
incident (the desk), and a learner plan (the college's). Seeded with the rest of the demo
content, through the same use cases."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import DomainError, RegistrationRefused
from openlrs.domain.learner_plans.plan import PlannedLearning
from openlrs.domain.learners.learner import Learner
from openlrs.services.desk.incidents import LogIncident, log_incident
from openlrs.services.learner_plans.plans import AddNote, SavePlan, add_note, save_plan
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.learners.update import UpdateLearner, update_learner
from openlrs.services.ports import UnitOfWorkFactory

log = logging.getLogger("openlrs.demo")

DESK = Principal("user:admin@10000001", "10000001", frozenset({Role.ADMIN}))
COLLEGE = Principal("user:lrb_admin@10004321", "10004321", frozenset({Role.LRB_ADMIN}))
SCHOOL = Principal("user:lrb@10007777", "10007777", frozenset({Role.LRB}))


def seed_casework(uow: UnitOfWorkFactory, learners: list[Learner]) -> None:
    """One case of each kind, about the first learners of the demo population."""
    for seed in (_held, _change_request, _plan):
        try:
            seed(uow, learners)
        except DomainError as exc:
            log.info("demo: %s skipped (%s)", seed.__name__, exc.code)
    log_incident(
        LogIncident(2, "Batch files from one college are slow to process"),
        principal=DESK,
        uow=uow(),
    )


def _held(uow: UnitOfWorkFactory, learners: list[Learner]) -> None:
    """The college registers a learner again without their UPN and with a new postcode (a new
    ULN: the register cannot tell), then once more with the old postcode: two learners could be
    this one, so the registration is held for a person to decide."""
    d = dataclasses.replace(
        learners[0].details, upn=None, school_at_16=None, address_line_1=None, town=None
    )
    moved = dataclasses.replace(d, postcode="HX1 1AA")
    register_learner(RegisterLearner(moved), principal=COLLEGE, uow=uow())
    with contextlib.suppress(RegistrationRefused):  # held: what the queue is for
        register_learner(RegisterLearner(d), principal=COLLEGE, uow=uow())


def _change_request(uow: UnitOfWorkFactory, learners: list[Learner]) -> None:
    """Northgate Academy, with no relationship with the learner, corrects their postcode: the
    change waits for the college (which registered them) to accept or reject it."""
    learner = learners[1]
    command = UpdateLearner(learner.uln, learner.version, {"postcode": "LS2 9JT"})
    update_learner(command, principal=SCHOOL, uow=uow())


def _plan(uow: UnitOfWorkFactory, learners: list[Learner]) -> None:
    learner = learners[2]
    today = dt.datetime.now(dt.UTC).date()
    planned = PlannedLearning(
        "Level 2 Certificate in Customer Service", today, today + dt.timedelta(days=180)
    )
    goals = ("Gain a level 2 qualification", "Find work in retail")
    save_plan(SavePlan(learner.uln, goals, (planned,)), principal=COLLEGE, uow=uow())
    add_note(
        AddNote(learner.uln, "Started the course; attending well."), principal=COLLEGE, uow=uow()
    )
