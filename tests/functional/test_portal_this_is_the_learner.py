""" "This is the learner" straight from a search's possible matches: a check page, then the
college has the learner on roll through the exceptions queue's same-person decision, and lands
on the learner's page; a ULN that is not one of the matches records nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.domain.learners.held_registration import HeldStatus
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.portal_support import COLLEGE_ADMIN, csrf_of, post_form, sign_in

SCHOOL = Principal("user:school", "10007777", frozenset({Role.LRB}))
SEARCHED = {
    "given_name": "Rosalynd",
    "family_name": "Featherstonehaugh",
    "date_of_birth-day": "3",
    "date_of_birth-month": "12",
    "date_of_birth-year": "2006",
    "gender": "2",
    "postcode": "CB3 9AB",
}


def _registered_elsewhere(uow_factory: SqlUnitOfWorkFactory) -> Learner:
    held = LearnerDetails("Rosalind", "Featherstonehaugh", dt.date(2006, 12, 3), 2, "CB2 1TN")
    return register_learner(RegisterLearner(held), principal=SCHOOL, uow=uow_factory())


def _choice_form(page: str, uln: str) -> dict[str, str]:
    forms = re.findall(
        r'<form method="post" action="/portal/learners/this-is-the-learner".*?</form>', page, re.S
    )
    chosen = next(f for f in forms if f'name="uln" value="{uln}"' in f)
    return dict(re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', chosen))


def _on_roll(uow_factory: SqlUnitOfWorkFactory, uln: str) -> frozenset[RelationshipKind]:
    uow = uow_factory()
    with uow:
        return uow.learners.relationships([uln], "10004321")


def test_a_college_says_a_possible_match_is_the_learner(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    learner = _registered_elsewhere(uow_factory)
    assert not _on_roll(uow_factory, learner.uln)
    sign_in(browser, COLLEGE_ADMIN)
    results: Any = post_form(
        browser, "/portal/learners/search", "/portal/learners/search", SEARCHED
    )
    assert "This is the learner" in results.text

    check = browser.post(
        "/portal/learners/this-is-the-learner", data=_choice_form(results.text, learner.uln)
    )
    assert check.status_code == 200
    assert "Check your answers before you say this is the learner" in check.text
    assert check.text.count("Change<span") == 2
    assert "Rosalynd Featherstonehaugh" in check.text

    confirm_form = dict(
        re.findall(
            r'<input type="hidden" name="([\w-]+)" value="([^"]*)"',
            check.text.split('action="/portal/learners/this-is-the-learner/confirm"', 1)[1],
        )
    )
    done = browser.post(
        "/portal/learners/this-is-the-learner/confirm", data=confirm_form, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/portal/learners/{learner.uln}"
    page = browser.get(done.headers["location"])
    assert page.status_code == 200
    assert "now has the learner" in page.text and "on roll" in page.text

    assert RelationshipKind.ON_ROLL in _on_roll(uow_factory, learner.uln)
    uow = uow_factory()
    with uow:
        held = uow.held.list(ukprn="10004321", status=None, limit=10)
    assert [(h.status, h.resolved_uln) for h in held] == [(HeldStatus.SAME_PERSON, learner.uln)]


def test_a_uln_that_is_not_a_possible_match_records_nothing(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    learner = _registered_elsewhere(uow_factory)
    other = register_learner(
        RegisterLearner(LearnerDetails("Amos", "Quill", dt.date(1990, 1, 5), 1, "LS1 4AB")),
        principal=SCHOOL,
        uow=uow_factory(),
    )
    sign_in(browser, COLLEGE_ADMIN)
    results: Any = post_form(
        browser, "/portal/learners/search", "/portal/learners/search", SEARCHED
    )
    form = _choice_form(results.text, learner.uln) | {"uln": other.uln}
    form["csrf_token"] = csrf_of(results.text)
    answer = browser.post("/portal/learners/this-is-the-learner/confirm", data=form)
    assert answer.status_code == 200  # the search's current results, to choose again
    assert not _on_roll(uow_factory, other.uln)
    assert not _on_roll(uow_factory, learner.uln)
