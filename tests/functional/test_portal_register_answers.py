"""Registering: a Change button on every check-answers row that takes the answers back to their
field, a changed name searched again (not refused), and a possible match explained in words with
what was entered beside what is held."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.portal_support import COLLEGE_ADMIN, REGISTRAR, csrf_of, post_form, sign_in

NEW = {
    "given_name": "Rosalind",
    "family_name": "Featherstonehaugh",
    "date_of_birth-day": "3",
    "date_of_birth-month": "12",
    "date_of_birth-year": "2006",
    "gender": "2",
    "postcode": "CB2 1TN",
}
FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth-day",
    "gender",
    "postcode",
    "middle_names",
    "previous_family_name",
    "school_at_16",
    "email",
    "upn",
    "ability_to_share",
)


def _search(client: TestClient, details: dict[str, str]) -> str:
    page = post_form(client, "/portal/learners/search", "/portal/learners/search", details)
    return str(page.text)  # type: ignore[attr-defined]


def _proof(page: str) -> str:
    found = re.search(r'name="search_proof" value="(\w+)"', page)
    assert found
    return found.group(1)


def test_every_answer_has_a_change_button_back_to_its_field(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    results = _search(browser, NEW)
    form = NEW | {"search_proof": _proof(results), "csrf_token": csrf_of(results)}
    answers = browser.post("/portal/learners/register/check", data=form).text
    targets = re.findall(r'formaction="/portal/learners/register#([\w-]+)"', answers)
    assert targets == list(FIELDS)
    assert 'id="change-answers"' in answers

    back = browser.post("/portal/learners/register", data=form).text
    assert 'value="Featherstonehaugh"' in back and 'id="family_name"' in back


def test_a_changed_name_is_searched_again_not_refused(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    results = _search(browser, NEW)
    changed = NEW | {"given_name": "Rosalyn"}
    form = changed | {"search_proof": _proof(results), "csrf_token": csrf_of(results)}
    page = browser.post("/portal/learners/register/check", data=form)
    assert page.status_code == 200
    assert "searched again with the new details" in page.text
    assert _proof(page.text) != _proof(results)  # registering goes on with the new details


def test_a_possible_match_shows_entered_beside_held_in_words(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    held = LearnerDetails("Rosalind", "Featherstonehaugh", dt.date(2006, 12, 3), 2, "CB2 1TN")
    learner = register_learner(RegisterLearner(held), principal=REGISTRAR, uow=uow_factory())
    sign_in(browser, COLLEGE_ADMIN)
    page = _search(browser, NEW | {"given_name": "Rosalynd", "postcode": "CB3 9AB"})
    assert "What you entered and what the register holds" in page
    assert f"Held for ULN {learner.uln}" in page
    cells = re.findall(r'data-label="Same\?"[^>]*>\s*(\w+)', page)
    assert cells.count("Different") >= 2 and "Same" in cells
    assert "Match probability" not in page.split("<details")[0]  # the number only for support
