"""Demographic field rules: each rule's error code, normalisation, postcodes, prohibited text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.identifiers import make_upn
from openlrs.domain.learners.demographics import (
    DUMMY_POSTCODE,
    FIELD_RULE_CODES,
    FieldRules,
    age_on,
    check_field,
    is_dummy_postcode,
    is_prohibited_name,
    load_prohibited_terms,
    name_key,
    normalise_postcode,
    normalise_text,
    postcode_area,
    postcode_district,
    postcode_sector,
    prohibited_terms,
    validate_field,
    validate_learner_details,
)
from openlrs.domain.learners.learner import LearnerDetails

TODAY = dt.date(2024, 6, 1)
VALID_UPN = make_upn("123456789012")
BASE = LearnerDetails(
    given_name="Amelia",
    family_name="Smith",
    date_of_birth=dt.date(2005, 3, 14),
    gender=2,
    postcode="SW1A 1AA",
)
NAME_FIELDS = (
    "given_name",
    "family_name",
    "middle_names",
    "preferred_given_name",
    "previous_family_name",
    "family_name_at_16",
)


def learner(**changes: Any) -> LearnerDetails:
    return dataclasses.replace(BASE, **changes)


def errors_for(**changes: Any) -> list[FieldError]:
    try:
        validate_learner_details(learner(**changes), today=TODAY)
    except ValidationFailed as failure:
        return failure.errors
    return []


def years_ago(years: int, days: int = 0) -> dt.date:
    return TODAY.replace(year=TODAY.year - years) + dt.timedelta(days=days)


# --- every rule: a bad value and the exact code it yields -----------------------------------------

_NAME_CASES = [
    case
    for field in NAME_FIELDS
    for case in (
        (field, "A" * 36, "NAME_TOO_LONG"),
        (field, "J0hnny", "NAME_INVALID_CHARACTERS"),
        (field, "Smith_Jones", "NAME_INVALID_CHARACTERS"),
        (field, "-Annabel", "NAME_INVALID_CHARACTERS"),
        (field, "Annabel'", "NAME_INVALID_CHARACTERS"),
        (field, "Smith--Jones", "NAME_INVALID_CHARACTERS"),
        (field, "Mary - Jane", "NAME_INVALID_CHARACTERS"),
        (field, "'-'", "NAME_INVALID_CHARACTERS"),
        (field, "Baby Smith", "NAME_PROHIBITED"),
        (field, "UNKNOWN", "NAME_PROHIBITED"),
        (field, "Not Given", "NAME_PROHIBITED"),
        (field, "Emma\tLouise", "TEXT_INVALID_CHARACTERS"),
    )
]

BAD_CASES: list[tuple[str, object, str]] = [
    ("given_name", "", "FIELD_REQUIRED"),
    ("given_name", "   ", "FIELD_REQUIRED"),
    ("family_name", "", "FIELD_REQUIRED"),
    ("postcode", " ", "FIELD_REQUIRED"),
    ("date_of_birth", None, "FIELD_REQUIRED"),
    ("gender", None, "FIELD_REQUIRED"),
    *_NAME_CASES,
    ("title", "Dr3", "TITLE_INVALID"),
    ("title", "Prof" + "e" * 32, "TITLE_INVALID"),
    ("title", "...", "TITLE_INVALID"),
    ("gender", 3, "GENDER_INVALID"),
    ("gender", True, "GENDER_INVALID"),
    ("gender", "1", "GENDER_INVALID"),
    ("date_of_birth", TODAY + dt.timedelta(days=1), "DATE_OF_BIRTH_IN_FUTURE"),
    ("date_of_birth", years_ago(14, days=1), "DATE_OF_BIRTH_TOO_YOUNG"),
    ("date_of_birth", years_ago(100), "DATE_OF_BIRTH_TOO_OLD"),
    ("date_of_birth", "2001-02-03", "DATE_INVALID"),
    ("postcode", "SW1A 1AAX", "POSTCODE_INVALID"),
    ("postcode", "S W 1 A 1 A A", "POSTCODE_INVALID"),
    ("postcode", "QA1 1AA", "POSTCODE_INVALID"),
    ("postcode", "SW1A 1AC", "POSTCODE_INVALID"),
    ("postcode", "12345", "POSTCODE_INVALID"),
    ("postcode", "SW1A\x001AA", "TEXT_INVALID_CHARACTERS"),
    ("school_at_16", "S" * 255, "SCHOOL_AT_16_TOO_LONG"),
    ("address_line_1", "a" * 51, "ADDRESS_TOO_LONG"),
    ("address_line_2", "b" * 51, "ADDRESS_TOO_LONG"),
    ("town", "c" * 51, "ADDRESS_TOO_LONG"),
    ("county", "d" * 51, "ADDRESS_TOO_LONG"),
    ("place_of_birth", "e" * 36, "PLACE_OF_BIRTH_TOO_LONG"),
    ("notes", "n" * 4001, "NOTES_TOO_LONG"),
    ("notes", "line one\nline two", "TEXT_INVALID_CHARACTERS"),
    ("town", "Leeds\u202e", "TEXT_INVALID_CHARACTERS"),
    ("school_at_16", "Park\x85School", "TEXT_INVALID_CHARACTERS"),
    ("email", "no-at-sign.example.com", "EMAIL_INVALID"),
    ("email", "someone@localhost", "EMAIL_INVALID"),
    ("email", "some one@example.com", "EMAIL_INVALID"),
    ("email", "@school.org.uk", "EMAIL_INVALID"),
    ("email", "two@@example.com", "EMAIL_INVALID"),
    ("email", "someone@example..com", "EMAIL_INVALID"),
    ("email", "x" * 243 + "@example.com", "EMAIL_INVALID"),
    ("nationality", "UK", "NATIONALITY_INVALID"),
    ("nationality", "G1R", "NATIONALITY_INVALID"),
    ("nationality", "ÄBC", "NATIONALITY_INVALID"),
    ("scottish_candidate_number", "12345678", "SCOTTISH_CANDIDATE_NUMBER_INVALID"),
    ("scottish_candidate_number", "12345678A", "SCOTTISH_CANDIDATE_NUMBER_INVALID"),
    ("scottish_candidate_number", "١٢٣٤٥٦٧٨٩", "SCOTTISH_CANDIDATE_NUMBER_INVALID"),
    ("upn", "B123456789012", "UPN_INVALID"),
    ("upn", "A12345", "UPN_INVALID"),
    ("verification_type", 8, "VERIFICATION_TYPE_INVALID"),
    ("verification_type", None, "FIELD_REQUIRED"),
    ("other_verification_description", "v" * 101, "VERIFICATION_DESCRIPTION_TOO_LONG"),
    ("ability_to_share", 3, "ABILITY_TO_SHARE_INVALID"),
    ("ability_to_share", None, "FIELD_REQUIRED"),
    ("date_of_address_capture", TODAY + dt.timedelta(days=1), "DATE_OF_ADDRESS_CAPTURE_IN_FUTURE"),
    ("date_of_address_capture", "yesterday", "DATE_INVALID"),
]


@pytest.mark.parametrize(("field", "value", "code"), BAD_CASES)
def test_each_rule_yields_its_code(field: str, value: object, code: str) -> None:
    assert [(e.field, e.code) for e in errors_for(**{field: value})] == [(field, code)]


@pytest.mark.parametrize(("field", "value", "code"), BAD_CASES)
def test_messages_never_echo_the_value(field: str, value: object, code: str) -> None:
    text = str(value).strip()
    for error in errors_for(**{field: value}):
        assert error.message
        if len(text) >= 3:
            assert text not in error.message


def test_other_verification_needs_a_description() -> None:
    errors = errors_for(verification_type=999)
    assert [(e.field, e.code) for e in errors] == [
        ("other_verification_description", "VERIFICATION_DESCRIPTION_REQUIRED")
    ]
    assert errors_for(verification_type=999, other_verification_description="  ") == errors
    assert errors_for(verification_type=999, other_verification_description="Bank card") == []


def test_every_error_is_collected_at_once() -> None:
    errors = errors_for(
        given_name="Test",
        family_name="",
        date_of_birth=TODAY + dt.timedelta(days=30),
        gender=5,
        postcode="NOT A POSTCODE",
        email="nobody",
        nationality="Britain",
    )
    assert {(e.field, e.code) for e in errors} == {
        ("given_name", "NAME_PROHIBITED"),
        ("family_name", "FIELD_REQUIRED"),
        ("date_of_birth", "DATE_OF_BIRTH_IN_FUTURE"),
        ("gender", "GENDER_INVALID"),
        ("postcode", "POSTCODE_INVALID"),
        ("email", "EMAIL_INVALID"),
        ("nationality", "NATIONALITY_INVALID"),
    }


def test_one_field_can_break_more_than_one_rule() -> None:
    codes = [e.code for e in errors_for(given_name="X1" * 20)]
    assert codes == ["NAME_TOO_LONG", "NAME_INVALID_CHARACTERS"]


def test_validation_failed_message_names_codes_not_values() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_learner_details(learner(family_name="Qwzxv9", postcode="ZZZ"), today=TODAY)
    assert "Qwzxv9" not in str(caught.value)
    assert "NAME_INVALID_CHARACTERS" in str(caught.value)


def test_field_rule_codes_cover_every_field_and_every_code_yielded() -> None:
    fields = {f.name for f in dataclasses.fields(LearnerDetails)}
    assert set(FIELD_RULE_CODES) == fields
    for field, _, code in BAD_CASES:
        assert code in FIELD_RULE_CODES[field]
    for codes in FIELD_RULE_CODES.values():
        assert all(code.isupper() and " " not in code for code in codes)


# --- good values pass, at the boundaries too ------------------------------------------------------

GOOD_CASES: list[dict[str, object]] = [
    {"given_name": "Zoë", "family_name": "Nguyễn"},
    {"given_name": "Siân", "family_name": "D'Arcy"},
    {"given_name": "José", "family_name": "García-Márquez"},
    {"given_name": "Анна", "family_name": "Ólafsdóttir"},
    {"given_name": "王", "family_name": "李"},
    {"given_name": "A" * 35, "family_name": "B"},
    {"middle_names": "Mary Ann Louise", "preferred_given_name": "Mo"},
    {"family_name": "Testa", "given_name": "Babyface"},
    {"title": "Dr.", "previous_family_name": "Van der Berg", "family_name_at_16": "O'Brien"},
    {"gender": 0},
    {"gender": 1},
    {"gender": 9},
    {"date_of_birth": years_ago(14)},
    {"date_of_birth": years_ago(100, days=1)},
    {"postcode": DUMMY_POSTCODE},
    {"postcode": "gir 0aa"},
    {"postcode": "w1a 0ax"},
    {"postcode": "M1 1AE"},
    {"postcode": "B33 8TH"},
    {"postcode": "CR2 6XH"},
    {"postcode": "DN55 1PT"},
    {"postcode": "EC1A 1BB"},
    {"school_at_16": "S" * 254, "place_of_birth": "P" * 35, "notes": "n" * 4000},
    {"address_line_1": "a" * 50, "address_line_2": "b" * 50, "town": "Leeds", "county": "Yorks"},
    {"email": "firstname.o'neill+lrs@mail.example.co.uk"},
    {"nationality": "GBR", "scottish_candidate_number": "123456789", "upn": VALID_UPN},
    {"verification_type": 7, "ability_to_share": 2, "date_of_address_capture": TODAY},
    {"other_verification_description": "v" * 100, "verification_type": 999},
]


@pytest.mark.parametrize("changes", GOOD_CASES)
def test_good_values_pass(changes: dict[str, object]) -> None:
    assert errors_for(**changes) == []


# --- normalisation --------------------------------------------------------------------------------


def test_validated_copy_is_normalised() -> None:
    result = validate_learner_details(
        learner(
            given_name="  Zoe\u0308  ",
            family_name="O’Neill",
            middle_names="  Mary   Ann ",
            preferred_given_name="   ",
            postcode=" ec1a  1bb ",
            email="Someone@Example.COM",
            nationality="gbr",
            upn=VALID_UPN.lower(),
            town="",
            notes="  seen   passport ",
        ),
        today=TODAY,
    )
    assert result.given_name == "Zoë"
    assert unicodedata.is_normalized("NFC", result.given_name)
    assert result.family_name == "O'Neill"
    assert result.middle_names == "Mary Ann"
    assert result.preferred_given_name is None
    assert result.postcode == "EC1A 1BB"
    assert result.email == "Someone@example.com"
    assert result.nationality == "GBR"
    assert result.upn == VALID_UPN
    assert result.town is None
    assert result.notes == "seen passport"


def test_validated_copy_keeps_good_values() -> None:
    assert validate_learner_details(BASE, today=TODAY) == BASE


def test_minimum_age_is_configurable() -> None:
    young = learner(date_of_birth=years_ago(12))
    assert validate_learner_details(young, today=TODAY, min_age=12).date_of_birth == years_ago(12)
    with pytest.raises(ValidationFailed):
        validate_learner_details(young, today=TODAY)


def test_age_on_counts_whole_years_and_leap_days() -> None:
    leapling = dt.date(2008, 2, 29)
    assert age_on(leapling, dt.date(2022, 2, 28)) == 13
    assert age_on(leapling, dt.date(2022, 3, 1)) == 14
    assert age_on(dt.date(2010, 6, 1), TODAY) == 14
    assert age_on(dt.date(2010, 6, 2), TODAY) == 13


def test_validate_field_checks_one_field_for_updates() -> None:
    rules = FieldRules(today=TODAY)
    assert validate_field("postcode", "sw1a1aa", rules) == []
    assert [e.code for e in validate_field("email", "nobody", rules)] == ["EMAIL_INVALID"]
    assert check_field("postcode", "sw1a1aa", rules) == ("SW1A 1AA", [])
    with pytest.raises(ValueError):
        validate_field("shoe_size", 9, rules)


def test_normalise_text() -> None:
    assert normalise_text("  Zoe\u0308 \t Smith\u00a0 ") == "Zoë Smith"
    assert normalise_text("") == ""


@pytest.mark.parametrize(
    ("name", "key"),
    [("Zoë", "ZOE"), ("O'Neill", "ONEILL"), ("O’Neill", "ONEILL"), ("smith-jones", "SMITHJONES")],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


@given(st.text())
def test_name_key_is_idempotent(value: str) -> None:
    key = name_key(value)
    assert name_key(key) == key


@given(st.text())
def test_normalise_text_is_idempotent(value: str) -> None:
    assert normalise_text(normalise_text(value)) == normalise_text(value)


# --- postcodes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "standard"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" ec1a  1bb ", "EC1A 1BB"),
        ("zz999zz", DUMMY_POSTCODE),
        ("GIR0AA", "GIR 0AA"),
        ("m11ae", "M1 1AE"),
        ("W1A 0AX", "W1A 0AX"),
        ("sw1a 1aa x", None),
        ("SW1 1AAA", None),
        ("1W1 1AA", None),
        ("SWW1 1AA", None),
        ("", None),
        ("ＳＷ1Ａ 1ＡＡ", None),
    ],
)
def test_normalise_postcode(raw: str, standard: str | None) -> None:
    assert normalise_postcode(raw) == standard


def test_postcode_parts() -> None:
    assert postcode_district("sw1a1aa") == "SW1A"
    assert postcode_sector("sw1a1aa") == "SW1A 1"
    assert postcode_area("sw1a1aa") == "SW"
    assert postcode_area("W1A 0AX") == "W"
    assert postcode_district("M1 1AE") == "M1"
    assert postcode_district("nonsense") is None
    assert postcode_sector("nonsense") is None
    assert postcode_area("nonsense") is None
    assert is_dummy_postcode("zz99 9zz")
    assert not is_dummy_postcode("SW1A 1AA")


_OUTWARD = st.from_regex(
    r"\A([A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])\Z"
)
_INWARD = st.from_regex(r"\A[0-9][ABD-HJLNP-UW-Z]{2}\Z")


@given(_OUTWARD, _INWARD, st.text(" ", max_size=3), st.booleans())
def test_valid_postcodes_normalise_in_any_spacing_or_case(
    outward: str, inward: str, gap: str, lower: bool
) -> None:
    raw = f"{outward}{gap}{inward}"
    assert normalise_postcode(raw.lower() if lower else raw) == f"{outward} {inward}"


@given(st.text(alphabet="ABCDEGHJKMNPRSTUWXYZ0123456789 abgirz", max_size=10))
def test_normalise_postcode_is_idempotent(value: str) -> None:
    standard = normalise_postcode(value)
    if standard is not None:
        assert normalise_postcode(standard) == standard
        assert len(standard) <= 8 and standard.count(" ") == 1


@given(st.text(max_size=12))
def test_normalise_postcode_of_any_text_is_none_or_standard(value: str) -> None:
    standard = normalise_postcode(value)
    assert standard is None or normalise_postcode(standard) == standard


# --- prohibited text ------------------------------------------------------------------------------


def test_shipped_list_has_the_placeholders() -> None:
    terms = prohibited_terms()
    for word in ("unknown", "test", "xxx", "baby", "child", "not given", "n/a", "tbc", "learner"):
        assert word in terms
    assert prohibited_terms() is terms


@pytest.mark.parametrize(
    ("name", "prohibited"),
    [
        ("Baby Smith", True),
        ("Smith-Test", True),
        ("Not Known", True),
        ("n/a", True),
        ("Babyface", False),
        ("Testa", False),
        ("Knotgiven", False),
        ("Given", False),
    ],
)
def test_prohibited_matches_whole_values_and_whole_words(name: str, prohibited: bool) -> None:
    assert is_prohibited_name(name) is prohibited


def test_operators_can_load_their_own_list(tmp_path: Path) -> None:
    path = tmp_path / "prohibited.txt"
    path.write_text("\ufeff# our list\nPlaceholder  Person # a phrase\n\nzzz\n", encoding="utf-8")
    terms = load_prohibited_terms(path)
    assert terms == frozenset({"placeholder person", "zzz"})
    assert is_prohibited_name("Placeholder Person", terms)
    assert not is_prohibited_name("Test", terms)
    details = learner(given_name="Test", family_name="ZZZ")
    with pytest.raises(ValidationFailed) as caught:
        validate_learner_details(details, today=TODAY, prohibited=terms)
    assert [(e.field, e.code) for e in caught.value.errors] == [("family_name", "NAME_PROHIBITED")]
