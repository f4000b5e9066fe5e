"""Verify Learner Details in the portal: each outcome in words, failed checks, bad input, and the
details kept out of URLs and out of the answer."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.store.tables import learners
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import unissued_uln
from tests.functional.portal_support import COLLEGE_ADMIN, post_form, sign_in

AWARDING_BODY = "ao@10009999"
NOAH = LearnerDetails(
    given_name="Noah",
    family_name="Okafor",
    date_of_birth=dt.date(2007, 11, 2),
    gender=1,
    postcode="B1 1AA",
)
REGISTRAR = Principal("user:registrar", "10004321", frozenset({Role.LRB}))


@pytest.fixture
def noah(uow_factory: SqlUnitOfWorkFactory) -> str:
    return register_learner(RegisterLearner(NOAH), principal=REGISTRAR, uow=uow_factory()).uln


def verify(client: TestClient, uln: str, given: str, family: str, **more: str) -> object:
    data = {"uln": uln, "given_name": given, "family_name": family} | more
    return post_form(client, "/portal/verify", "/portal/verify", data)


@pytest.mark.parametrize(
    ("given", "family", "more", "heading"),
    [
        ("Noah", "Okafor", {}, "These details match this ULN"),
        ("Noha", "Okafor", {"gender": "1"}, "Names are similar"),
        ("Liam", "Smith", {}, "The details do not match"),
    ],
)
def test_the_outcome_is_told_in_words(
    browser: TestClient, noah: str, given: str, family: str, more: dict[str, str], heading: str
) -> None:
    sign_in(browser, AWARDING_BODY)
    response = verify(browser, noah, given, family, **more)

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.text  # type: ignore[attr-defined]
    assert "location" not in response.headers  # type: ignore[attr-defined]


def test_a_wrong_date_of_birth_is_named_as_the_failed_check(browser: TestClient, noah: str) -> None:
    sign_in(browser, AWARDING_BODY)
    dob = {"date_of_birth-day": "3", "date_of_birth-month": "11", "date_of_birth-year": "2007"}
    response = verify(browser, noah, "Noah", "Okafor", **dob)
    page = response.text  # type: ignore[attr-defined]

    assert "The details do not match" in page
    assert "Date of birth: does not match" in page
    assert "Given name against the given name held: does not match" not in page
    assert "WSVRC005" in page
    assert "Okafor" not in page and "Noah" not in page  # the answer never shows the details


def test_swapped_names_are_pointed_out(browser: TestClient, noah: str) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    page = verify(browser, noah, "Okafor", "Noah").text  # type: ignore[attr-defined]

    assert "Names are similar" in page
    assert "wrong way round" in page


def test_an_unknown_uln_and_a_merged_uln(
    browser: TestClient, noah: str, uow_factory: SqlUnitOfWorkFactory, engine: sa.Engine
) -> None:
    sign_in(browser, AWARDING_BODY)
    missing = verify(browser, unissued_uln(), "Noah", "Okafor").text  # type: ignore[attr-defined]
    assert "ULN not found" in missing
    assert "WSVRC006" in missing

    old = register_learner(
        RegisterLearner(LearnerDetails("Ada", "Lovelace", dt.date(2008, 12, 10), 2, "LS6 2AB")),
        principal=REGISTRAR,
        uow=uow_factory(),
    ).uln
    with engine.begin() as conn:
        conn.execute(
            sa.update(learners)
            .where(learners.c.uln == old)
            .values(status="merged", master_uln=noah)
        )
    linked = verify(browser, old, "Noah", "Okafor").text  # type: ignore[attr-defined]
    assert "These details match this ULN" in linked
    assert f"has been merged into ULN {noah}" in linked


def test_bad_input_shows_the_error_summary(browser: TestClient) -> None:
    sign_in(browser, AWARDING_BODY)
    empty = verify(browser, "", "", "")
    assert empty.status_code == 422  # type: ignore[attr-defined]
    for anchor in ("#uln", "#given_name", "#family_name"):
        assert f'href="{anchor}"' in empty.text  # type: ignore[attr-defined]

    bad = verify(
        browser,
        "12345",
        "Noah",
        "Okafor",
        **{"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "2007"},
    )
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert 'href="#date_of_birth-day"' in bad.text  # type: ignore[attr-defined]

    wrong_uln = verify(browser, "1234567890", "Noah", "Okafor")
    assert wrong_uln.status_code == 422  # type: ignore[attr-defined]
    assert "Enter a real ULN" in wrong_uln.text  # type: ignore[attr-defined]

    bad_name = verify(browser, unissued_uln(), "N0ah!", "Okafor")
    assert bad_name.status_code == 422  # type: ignore[attr-defined]
    assert 'href="#given_name"' in bad_name.text  # type: ignore[attr-defined]


def test_verifying_needs_the_csrf_token(browser: TestClient) -> None:
    sign_in(browser, AWARDING_BODY)
    response = browser.post(
        "/portal/verify", data={"uln": unissued_uln(), "given_name": "A", "family_name": "B"}
    )
    assert response.status_code == 403
