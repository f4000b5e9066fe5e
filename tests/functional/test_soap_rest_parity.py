"""The same search through SOAP (learnerByDemographics FUL) and REST (POST /api/v1/learners/search)
gets the same outcome and the same candidates, in the same order: one use case behind both doors.
Searches are generated around a register of related learners (name variants, swapped dates,
moved postcodes, another gender), so every outcome comes up."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import zeep
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openlrs.api.app import create_api
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Role
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.store.engine import build_engine
from openlrs.store.migrate import upgrade
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_learner_details
from tests.builders.learners import store_learner
from tests.functional.callers import SECRET_KEY, Caller, Register
from tests.functional.soap_support import LS, Account, web_service_account, zeep_client

GIVEN = ["Amelia", "Amelie", "Emily", "Olivia", "Oliver", "Isla", "Jack", "Jak", "Harry", "Mia"]
POSTCODES = ["LS6 2AB", "LS6 2AD", "M1 1AE", "ZZ99 9ZZ"]
BASES = many_learner_details(6, seed=2430)


@pytest.fixture(scope="module")
def doors(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[zeep.Client, Account, TestClient, Caller]]:
    path = tmp_path_factory.mktemp("parity") / "openlrs.db"
    url = f"sqlite:///{path}"
    engine = build_engine(url, pool_size=3)
    upgrade(engine)
    factory = SqlUnitOfWorkFactory(engine)
    for n, base in enumerate(BASES):  # each base and a cluster of near neighbours
        for k, name in enumerate(GIVEN[: 3 + n]):
            store_learner(
                factory(),
                dataclasses.replace(
                    base,
                    given_name=name,
                    postcode=POSTCODES[(k + n) % len(POSTCODES)],
                    email=None,
                    preferred_given_name=None,
                ),
            )
    settings = Settings(database_url=url, secret_key=SECRET_KEY, var_dir=path.parent / "var")
    with TestClient(create_api(settings, factory), raise_server_exceptions=False) as api:
        caller = Register(api, factory).caller(Role.LRB, "10004321")
        account = web_service_account(factory, "10004321", "parity")
        yield zeep_client(api, LS), account, api, caller
    factory.close()
    engine.dispose()


@st.composite
def searches(draw: st.DrawFn) -> LearnerDetails:
    base = draw(st.sampled_from(BASES))
    born = base.date_of_birth
    if draw(st.booleans()) and born.day <= 12:
        born = dt.date(born.year, born.day, born.month)  # day and month swapped
    return dataclasses.replace(
        base,
        given_name=draw(st.sampled_from(GIVEN)),
        postcode=draw(st.sampled_from(POSTCODES)),
        gender=draw(st.sampled_from([int(base.gender), 1, 2, 9])),
        date_of_birth=born,
        email=None,
        preferred_given_name=None,
    )


def rest_search(api: TestClient, caller: Caller, d: LearnerDetails) -> tuple[str, list[str]]:
    body: dict[str, Any] = {
        "given_name": d.given_name,
        "family_name": d.family_name,
        "date_of_birth": d.date_of_birth.isoformat(),
        "gender": int(d.gender),
        "postcode": d.postcode,
    }
    answer = api.post("/api/v1/learners/search", json=body, headers=caller.headers)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    return data["lrs_code"], [learner["uln"] for learner in data["learners"]]


def soap_search(client: zeep.Client, account: Account, d: LearnerDetails) -> tuple[str, list[str]]:
    answer = client.service.learnerByDemographics(
        FindType="FUL",
        **account.credentials,
        FamilyName=d.family_name,
        GivenName=d.given_name,
        DateOfBirth=d.date_of_birth.isoformat(),
        Gender=str(int(d.gender)),
        LastKnownPostCode=d.postcode,
    )
    return answer.ResponseCode, [learner.ULN for learner in answer.Learner]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(search=searches())
def test_soap_and_rest_find_the_same(
    doors: tuple[zeep.Client, Account, TestClient, Caller], search: LearnerDetails
) -> None:
    client, account, api, caller = doors
    assert soap_search(client, account, search) == rest_search(api, caller, search)


def test_the_generated_searches_reach_several_outcomes(
    doors: tuple[zeep.Client, Account, TestClient, Caller],
) -> None:
    client, account, _, _ = doors
    seen = set()
    for base in BASES[:3]:
        for name in GIVEN[:4]:
            for postcode in POSTCODES[:2]:
                d = dataclasses.replace(base, given_name=name, postcode=postcode, email=None)
                seen.add(soap_search(client, account, d)[0])
    assert {"WSRC0003", "WSRC0004"} <= seen, seen
