"""Bad input gets a 4xx problem naming what is wrong, never a 500, and never echoes the value sent."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import hypothesis.strategies as st
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.learners.demographics import FIELD_RULE_CODES
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import MANDATORY, register_body, search_body
from tests.functional.callers import Caller, Register
from tests.functional.expectations import PROBLEM_JSON, assert_problem, field_codes

LEARNERS = "/api/v1/learners"
SEARCH = "/api/v1/learners/search"
MIB = 1_048_576
TODAY = dt.datetime.now(dt.UTC).date()


@pytest.fixture
def lrb(register: Register) -> Caller:
    return register.caller(Role.LRB)


def _json_headers(caller: Caller) -> dict[str, str]:
    return caller.headers | {"Content-Type": "application/json"}


def _learner_count(uow_factory: SqlUnitOfWorkFactory) -> int:
    with uow_factory() as uow:
        return uow.learners.count()


# --- bodies that are not a JSON object ------------------------------------------------------------


def test_a_body_that_is_not_json_is_400(
    api: TestClient, lrb: Caller, uow_factory: SqlUnitOfWorkFactory
) -> None:
    for path in (LEARNERS, SEARCH):
        for content in (b"{bad", b"{'given_name': 'Ann'}", b'{"given_name": "Ann",}', b"\x00"):
            response = api.post(path, content=content, headers=_json_headers(lrb))
            assert_problem(response, 400)
        empty = api.post(path, content=b"", headers=_json_headers(lrb))
        assert empty.status_code in (400, 422), empty.text
        assert_problem(empty, empty.status_code)
        plain = api.post(path, content=b"given_name=Ann", headers=lrb.headers)
        assert_problem(plain, 400)
    assert _learner_count(uow_factory) == 0


def test_json_that_is_not_an_object_is_refused_without_a_500(api: TestClient, lrb: Caller) -> None:
    for path in (LEARNERS, SEARCH):
        for value in ([register_body(seed=201)], "Ann Smith", 42, None, True, []):
            response = api.post(path, json=value, headers=lrb.headers)
            assert response.status_code in (400, 422), (value, response.text)
            assert_problem(response, response.status_code)
            if isinstance(value, str):
                assert value not in response.text


def test_bytes_that_are_not_utf8_are_a_4xx_problem(api: TestClient, lrb: Caller) -> None:
    body = (
        json.dumps(register_body(seed=202))
        .encode()
        .replace(b'"given_name": "', b'"given_name": "\xff\xfe')
    )
    for path in (LEARNERS, SEARCH):
        response = api.post(path, content=body, headers=_json_headers(lrb))
        assert 400 <= response.status_code < 500, response.text
        assert_problem(response, response.status_code)


def test_wrong_types_are_422_with_a_code_for_each_field(api: TestClient, lrb: Caller) -> None:
    body = register_body(seed=203) | {"gender": "x", "date_of_birth": "31/02/2008"}
    for path, sent in ((LEARNERS, body), (SEARCH, search_body(body))):
        response = api.post(path, json=sent, headers=lrb.headers)
        assert_problem(response, 422, "VALIDATION_FAILED")
        assert field_codes(response) == {
            "gender": {"FIELD_WRONG_TYPE"},
            "date_of_birth": {"FIELD_WRONG_TYPE"},
        }
        assert "31/02/2008" not in response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("gender", True),  # a boolean must never become 1 (male)
        ("gender", "2"),
        ("gender", 2.0),
        ("ability_to_share", False),
        ("date_of_birth", 1_200_000_000),  # a Unix timestamp is not a date
        ("date_of_birth", "2008-3-4"),
    ],
)
def test_values_are_not_quietly_converted(
    field: str, value: Any, api: TestClient, lrb: Caller
) -> None:
    body = register_body(seed=205) | {field: value}
    response = api.post(LEARNERS, json=body, headers=lrb.headers)
    assert_problem(response, 422, "VALIDATION_FAILED")
    assert field_codes(response) == {field: {"FIELD_WRONG_TYPE"}}


def test_unknown_fields_are_422_field_unknown(api: TestClient, lrb: Caller) -> None:
    body = register_body(seed=204)
    created = api.post(LEARNERS, json=body, headers=lrb.headers)
    assert created.status_code == 201, created.text
    uln = created.json()["uln"]
    for method, path, sent in (
        ("POST", LEARNERS, body | {"favourite_colour": "Blue", "uln": uln}),
        ("POST", SEARCH, search_body(body) | {"favourite_colour": "Blue"}),
        ("PATCH", f"{LEARNERS}/{uln}", {"favourite_colour": "Blue"}),
        ("PATCH", f"{LEARNERS}/{uln}", {"version": 7}),
    ):
        response = api.request(method, path, json=sent, headers=lrb.headers | {"If-Match": '"1"'})
        assert_problem(response, 422, "VALIDATION_FAILED")
        codes = field_codes(response)
        assert codes and all(c == {"FIELD_UNKNOWN"} for c in codes.values()), response.text
        assert "Blue" not in response.text


# --- size ---------------------------------------------------------------------------------------


def _padded(body: dict[str, Any], size: int) -> bytes:
    """`body` as JSON padded with trailing whitespace (still valid JSON) to `size` bytes."""
    text = json.dumps(body).encode()
    return text + b" " * (size - len(text))


def test_a_body_over_one_mebibyte_is_413_and_nothing_is_stored(
    api: TestClient, lrb: Caller, uow_factory: SqlUnitOfWorkFactory
) -> None:
    body = register_body(seed=205)
    oversized = _padded(body, MIB + 1)

    with_length = api.post(LEARNERS, content=oversized, headers=_json_headers(lrb))
    assert_problem(with_length, 413, "REQUEST_TOO_LARGE")

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(oversized), 64 * 1024):
            yield oversized[start : start + 64 * 1024]

    chunked = api.post(LEARNERS, content=chunks(), headers=_json_headers(lrb))
    assert_problem(chunked, 413, "REQUEST_TOO_LARGE")
    assert _learner_count(uow_factory) == 0

    just_fits = api.post(LEARNERS, content=_padded(body, MIB), headers=_json_headers(lrb))
    assert just_fits.status_code == 201, just_fits.text


# --- the field rules, reached through the API -----------------------------------------------------

BAD_VALUES: list[tuple[str, Any, str]] = [
    ("given_name", "   ", "FIELD_REQUIRED"),
    ("given_name", "Ann\tMarie", "TEXT_INVALID_CHARACTERS"),
    ("given_name", "Wolfeschlegelsteinhausenbergerdorffer", "NAME_TOO_LONG"),
    ("given_name", "J0hn", "NAME_INVALID_CHARACTERS"),
    ("given_name", "Test", "NAME_PROHIBITED"),
    ("given_name", "J\u043ehn", "NAME_MIXED_SCRIPTS"),
    ("family_name", "Smith\u202eevil", "TEXT_INVALID_CHARACTERS"),
    ("family_name", "Unknown", "NAME_PROHIBITED"),
    ("date_of_birth", (TODAY + dt.timedelta(days=30)).isoformat(), "DATE_OF_BIRTH_IN_FUTURE"),
    ("date_of_birth", (TODAY - dt.timedelta(days=365 * 5)).isoformat(), "DATE_OF_BIRTH_TOO_YOUNG"),
    ("date_of_birth", "1900-01-01", "DATE_OF_BIRTH_TOO_OLD"),
    ("date_of_birth", "31/02/2008", "FIELD_WRONG_TYPE"),
    ("gender", 5, "GENDER_INVALID"),
    ("gender", -1, "GENDER_INVALID"),
    ("postcode", "", "FIELD_REQUIRED"),
    ("postcode", "LS6\n2AB", "TEXT_INVALID_CHARACTERS"),
    ("postcode", "NOTAPOSTCODE", "POSTCODE_INVALID"),
    ("email", "learner.at.example.org", "EMAIL_INVALID"),
    ("email", "learner@example\u0000.org", "TEXT_INVALID_CHARACTERS"),
    ("title", "Dr 2", "TITLE_INVALID"),
    ("middle_names", "J4ne", "NAME_INVALID_CHARACTERS"),
    ("address_line_1", "1 " + "Long Street " * 5, "ADDRESS_TOO_LONG"),
    (
        "date_of_address_capture",
        (TODAY + dt.timedelta(days=2)).isoformat(),
        "DATE_OF_ADDRESS_CAPTURE_IN_FUTURE",
    ),
    ("place_of_birth", "Llanfairpwllgwyngyllgogerychwyrndrobwll", "PLACE_OF_BIRTH_TOO_LONG"),
    ("nationality", "British", "NATIONALITY_INVALID"),
    ("scottish_candidate_number", "12345", "SCOTTISH_CANDIDATE_NUMBER_INVALID"),
    ("upn", "A12345678901", "UPN_INVALID"),
    ("verification_type", 8, "VERIFICATION_TYPE_INVALID"),
    ("other_verification_description", "Seen " * 21, "VERIFICATION_DESCRIPTION_TOO_LONG"),
    ("ability_to_share", 3, "ABILITY_TO_SHARE_INVALID"),
    ("school_at_16", "The " + "Very " * 60 + "Long School", "SCHOOL_AT_16_TOO_LONG"),
    ("notes", "Note " * 801, "NOTES_TOO_LONG"),
]
MISSING: list[tuple[str, str]] = [(name, "FIELD_REQUIRED") for name in MANDATORY]
FULLY_COVERED = ("given_name", "date_of_birth", "gender", "postcode", "email")
"""Fields whose every rule code a case below reaches (DATE_INVALID aside: the schema's date type
refuses what is not a date first, as FIELD_WRONG_TYPE)."""


def _sent(value: Any) -> list[str]:
    """The personal text in a bad value that an error response must not repeat."""
    return [value] if isinstance(value, str) and len(value.strip()) >= 4 else []


def test_every_rule_of_a_few_fields_is_reached_through_the_api(
    api: TestClient, lrb: Caller
) -> None:
    base = register_body(seed=206)
    mismatches = []
    cases = [(f, v, c, base | {f: v}) for f, v, c in BAD_VALUES]
    cases += [(f, None, c, {k: v for k, v in base.items() if k != f}) for f, c in MISSING]
    cases.append(
        (
            "other_verification_description",
            None,
            "VERIFICATION_DESCRIPTION_REQUIRED",
            base | {"verification_type": 999},
        )
    )
    for field, value, code, body in cases:
        response = api.post(LEARNERS, json=body, headers=lrb.headers)
        if response.status_code != 422 or code not in field_codes(response).get(field, set()):
            mismatches.append(f"{field}={value!r}: {response.status_code} {response.text[:300]}")
            continue
        assert_problem(response, 422, "VALIDATION_FAILED")
        mismatches += [
            f"{field}: the response repeats {v!r}" for v in _sent(value) if v in response.text
        ]
    if mismatches:
        pytest.fail("\n".join(mismatches), pytrace=False)

    reached = {(f, c) for f, _, c, _ in cases}
    for name in FULLY_COVERED:
        missing = {c for c in FIELD_RULE_CODES[name] if c != "DATE_INVALID"} - {
            c for f, c in reached if f == name
        }
        assert missing == set(), f"no case reaches {sorted(missing)} for {name}"


def test_the_search_applies_the_same_rules(api: TestClient, lrb: Caller) -> None:
    base = search_body(register_body(seed=207))
    response = api.post(
        SEARCH,
        json=base | {"given_name": "Test", "postcode": "NOTAPOSTCODE", "gender": 5},
        headers=lrb.headers,
    )
    assert_problem(response, 422, "VALIDATION_FAILED")
    assert field_codes(response) == {
        "given_name": {"NAME_PROHIBITED"},
        "postcode": {"POSTCODE_INVALID"},
        "gender": {"GENDER_INVALID"},
    }
    assert "NOTAPOSTCODE" not in response.text


# --- anything at all ------------------------------------------------------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=60)
    | st.dates().map(dt.date.isoformat)
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
_FIELD_NAMES = st.sampled_from([*FIELD_RULE_CODES, "confirm_different_person"])
_BASE = register_body(seed=208)
_BODIES = (
    _JSON
    | st.dictionaries(_FIELD_NAMES | st.text(max_size=12), _JSON, max_size=8)
    | st.dictionaries(_FIELD_NAMES, _JSON, max_size=4).map(lambda changes: _BASE | changes)
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=_BODIES)
def test_no_body_makes_a_500(body: Any, api: TestClient, lrb: Caller) -> None:
    for path in (LEARNERS, SEARCH):
        response = api.post(path, json=body, headers=lrb.headers)
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith(PROBLEM_JSON)


# --- identifiers in paths, queries and forms ------------------------------------------------------

ODD_REQUESTS: list[tuple[str, str, dict[str, Any], set[int]]] = [
    ("GET", "/api/v1/learners/123%00456789", {}, {422}),
    ("GET", "/api/v1/learners/%EF%BC%91234567890", {}, {422}),
    ("GET", "/api/v1/learners/" + "1" * 300, {}, {422}),
    ("PATCH", "/api/v1/learners/%00", {"json": {"notes": "Seen"}}, {422, 428}),
    ("GET", "/api/v1/organisations/1000%004321", {}, {422}),
    ("GET", "/api/v1/organisations?after=1000%004321", {}, {422}),
    ("GET", "/api/v1/organisations?limit=100000", {}, {422}),
    ("GET", "/api/v1/organisations?limit=-1", {}, {422}),
    ("GET", "/api/v1/organisations/%00/clients", {}, {422}),
    ("POST", "/api/v1/organisations/%00/users", {"json": {"roles": ["lrb"]}}, {422}),
    ("DELETE", "/api/v1/clients/cl_%00", {}, {422}),
    ("DELETE", "/api/v1/clients/" + "c" * 300, {}, {404, 422}),
    ("DELETE", "/api/v1/users/pat%00jones", {}, {422}),
    ("DELETE", "/api/v1/users/%F0%9F%98%80", {}, {404, 422}),
    ("GET", "/api/v1/audit?uln=123%00", {}, {422}),
    ("GET", "/api/v1/audit?ukprn=1000%004321", {}, {422}),
    ("GET", "/api/v1/audit?before_id=99999999999999999999999", {}, {422}),
    ("GET", "/api/v1/audit?before_id=abc", {}, {422}),
    ("GET", "/api/v1/audit?limit=0", {}, {422}),
    (
        "POST",
        "/api/v1/oauth/token",
        {"data": {"grant_type": "client_credentials", "client_id": "cl\x00", "client_secret": "x"}},
        {401},
    ),
    (
        "POST",
        "/api/v1/oauth/token",
        {
            "data": {
                "grant_type": "client_credentials",
                "client_id": "c" * 5000,
                "client_secret": "x",
            }
        },
        {401},
    ),
    ("POST", "/api/v1/oauth/token", {"data": {"client_id": "cl"}}, {422}),
    (
        "POST",
        "/api/v1/oauth/token",
        {"headers": {"Authorization": "Basic %%%"}, "data": {"grant_type": "client_credentials"}},
        {401},
    ),
    ("PUT", "/api/v1/learners", {}, {405}),
    ("GET", "/api/v1/nowhere", {}, {404}),
]


def test_odd_identifiers_in_paths_queries_and_forms_are_4xx_problems(
    api: TestClient, register: Register
) -> None:
    admin = register.headers(Role.ADMIN)
    mismatches = []
    for method, url, options, statuses in ODD_REQUESTS:
        headers = admin | options.get("headers", {})
        kwargs = {k: v for k, v in options.items() if k != "headers"}
        response = api.request(method, url, headers=headers, **kwargs)
        if response.status_code not in statuses:
            sent = f"{method} {url[:60]} {str(options)[:60]}"
            mismatches.append(f"{sent}: {response.status_code} {response.text[:200]}")
        else:
            assert_problem(response, response.status_code)
    if mismatches:
        pytest.fail("\n".join(mismatches), pytrace=False)
