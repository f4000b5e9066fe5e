"""Who may see and change a Diploma account, as one table (issue 21 item 11): a centre the accounts
it opened; an awarding organisation those naming it (their Diploma awarding body, or holding a
live result), sending results only for qualifications it owns or that are shared; the desk any.
A refused account is answered 404, as one that does not exist, so references cannot be probed;
a qualification the caller may not award is 403 QUALIFICATION_NOT_OWNED whatever the account.
Accounts are known by random references: counting (1, 2, 3...) finds nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Role
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import (
    AWARDING_UKPRN,
    NOT_OWNED,
    OTHER_UKPRN,
    OWN_UKPRN,
    OWNED,
    SHARED,
    post_qualifications,
    registered_learner,
    result_body,
)
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem

ACCOUNTS = "/api/v1/diploma/accounts"
UNREGISTERED = "600/0000/1"
"""A qualification the register does not know."""


@dataclass(frozen=True)
class Case:
    caller: str
    """centre (opened it), other_centre, dab (named on it), other_ao (not named), desk."""
    action: str
    """read, find, or submit (a result for `qualification`)."""
    qualification: str | None
    status: int
    code: str | None = None


CALLERS = {
    "centre": (Role.LRB, OWN_UKPRN),
    "other_centre": (Role.LRB, OTHER_UKPRN),
    "dab": (Role.AO, AWARDING_UKPRN),  # OWNED is its own; NOT_OWNED is other_ao's
    "other_ao": (Role.AO, OTHER_UKPRN),
    "desk": (Role.ADMIN, None),
}

TABLE = [
    Case("centre", "read", None, 200),
    Case("other_centre", "read", None, 404, "DIPLOMA_ACCOUNT_NOT_FOUND"),
    Case("dab", "read", None, 200),
    Case("other_ao", "read", None, 404, "DIPLOMA_ACCOUNT_NOT_FOUND"),
    Case("desk", "read", None, 200),
    Case("other_ao", "find", None, 200),  # an empty list: no account names it
    Case("dab", "submit", OWNED, 200),
    Case("dab", "submit", SHARED, 200),
    Case("dab", "submit", UNREGISTERED, 200),  # named on the account; the register is silent
    Case("dab", "submit", NOT_OWNED, 403, "QUALIFICATION_NOT_OWNED"),
    Case("other_ao", "submit", NOT_OWNED, 200),  # its own qualification: a first result
    Case("other_ao", "submit", OWNED, 403, "QUALIFICATION_NOT_OWNED"),
    Case("other_ao", "submit", UNREGISTERED, 404, "DIPLOMA_ACCOUNT_NOT_FOUND"),
    Case("centre", "submit", OWNED, 403),  # centres do not send results
]


def _open(api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory, seed: int) -> str:
    uln = registered_learner(uow_factory, seed).uln
    body = {
        "uln": uln,
        "line": "engineering",
        "level": "higher",
        "awarding_body_ukprn": AWARDING_UKPRN,
    }
    opened = api.post(ACCOUNTS, json=body, headers=register.headers(Role.LRB))
    assert opened.status_code == 201, opened.text
    reference: str = opened.json()["id"]
    return reference


@pytest.mark.parametrize("case", TABLE, ids=lambda c: f"{c.caller}-{c.action}-{c.qualification}")
def test_the_diploma_access_table(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory, case: Case
) -> None:
    post_qualifications(api, register)
    reference = _open(api, register, uow_factory, 9301)
    headers = register.headers(*CALLERS[case.caller])
    if case.action == "read":
        response = api.get(f"{ACCOUNTS}/{reference}", headers=headers)
    elif case.action == "find":
        uln = api.get(f"{ACCOUNTS}/{reference}", headers=register.headers(Role.LRB)).json()["uln"]
        response = api.get(ACCOUNTS, params={"uln": uln}, headers=headers)
        assert response.json() == []
    else:
        body = result_body("asl-1", qualification=case.qualification)
        response = api.post(f"{ACCOUNTS}/{reference}/results", json=body, headers=headers)
    if case.code is None:
        assert response.status_code == case.status, response.text
    else:
        assert_problem(response, case.status, case.code)


def test_a_component_body_sees_the_account_once_its_result_names_it(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    post_qualifications(api, register)
    reference = _open(api, register, uow_factory, 9302)
    other_ao = register.headers(Role.AO, OTHER_UKPRN)
    url = f"{ACCOUNTS}/{reference}"
    assert api.get(url, headers=other_ao).status_code == 404

    sent = api.post(
        f"{url}/results", json=result_body("asl-1", qualification=NOT_OWNED), headers=other_ao
    )

    assert sent.status_code == 200, sent.text
    assert api.get(url, headers=other_ao).status_code == 200


def test_account_references_cannot_be_counted_through(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    first, second = (_open(api, register, uow_factory, seed) for seed in (9303, 9304))
    desk = register.headers(Role.ADMIN)

    assert len(first) >= 22 and first != second and not first.isdigit()
    for guess in ("1", "2", "3"):
        assert_problem(
            api.get(f"{ACCOUNTS}/{guess}", headers=desk), 404, "DIPLOMA_ACCOUNT_NOT_FOUND"
        )
    assert api.get(f"{ACCOUNTS}/{first}", headers=desk).status_code == 200
