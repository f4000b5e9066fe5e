"""Provider field rules, name keys, duplicate rules and search-query parsing."""

from __future__ import annotations

import dataclasses
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openlrs.domain.accounts.organisations import OrgType
from openlrs.domain.errors import ValidationFailed
from openlrs.domain.providers.duplicates import DuplicateRule, duplicate_reasons, find_duplicates
from openlrs.domain.providers.provider import (
    COMPANY_PREFIXES,
    Address,
    Contact,
    LegalStatus,
    Provider,
    ProviderDetails,
    ProviderStatus,
    application_reference,
    is_application_reference,
    normalise_charity_number,
    normalise_company_number,
    normalise_website,
    provider_name_key,
    public_view,
)
from openlrs.domain.providers.rules import validated_details
from openlrs.domain.providers.search import QueryKind, parse_query

DIGITS = st.text(alphabet=string.digits, min_size=6, max_size=6)


def details(**changes: object) -> ProviderDetails:
    base = ProviderDetails(
        legal_name="Riverside Training Ltd",
        provider_type=OrgType.TRAINING_PROVIDER,
        legal_status=LegalStatus.COMPANY,
        contact=Contact("Sam Patel", "sam@riverside.example", "0161 496 0000"),
        address=Address("1 Quay Street", "Manchester", "m3 3ja"),
        company_number="01234567",
        website="www.riverside.example",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def codes(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {e.field: e.code for e in exc.value.errors}


# --- company and charity numbers ------------------------------------------------------------------


@given(st.text(alphabet=string.digits, min_size=8, max_size=8))
def test_any_eight_digits_is_a_company_number(number: str) -> None:
    assert normalise_company_number(number) == number


@given(st.sampled_from(sorted(COMPANY_PREFIXES)), DIGITS)
def test_a_known_prefix_and_six_digits_is_a_company_number(prefix: str, digits: str) -> None:
    assert normalise_company_number(f" {prefix.lower()}{digits} ") == prefix + digits


@given(st.text(alphabet=string.digits, min_size=1, max_size=7))
def test_short_company_numbers_get_their_leading_zeros(number: str) -> None:
    assert normalise_company_number(number) == number.zfill(8)


@given(st.text(min_size=0, max_size=12))
def test_a_company_number_is_always_eight_ascii_characters_or_refused(text: str) -> None:
    result = normalise_company_number(text)
    assert result is None or (len(result) == 8 and result.isascii() and result[2:].isdigit())


@pytest.mark.parametrize("number", ["XX123456", "SC12345", "123456789", "SC1234567", "S1234567"])
def test_malformed_company_numbers_are_refused(number: str) -> None:
    assert normalise_company_number(number) is None


@given(st.text(alphabet=string.digits, min_size=6, max_size=8))
def test_england_and_wales_charity_numbers_are_six_to_eight_digits(number: str) -> None:
    assert normalise_charity_number(number) == number


@given(DIGITS)
def test_scottish_and_northern_irish_charity_numbers(digits: str) -> None:
    assert normalise_charity_number(f"sc{digits}") == f"SC{digits}"
    assert normalise_charity_number(f"NIC {digits}") == f"NIC{digits}"


@pytest.mark.parametrize("number", ["12345", "123456789", "SC12345", "NI123456", "NIC1234567"])
def test_malformed_charity_numbers_are_refused(number: str) -> None:
    assert normalise_charity_number(number) is None


# --- details --------------------------------------------------------------------------------------


def test_details_are_put_in_standard_form() -> None:
    clean = validated_details(
        details(legal_name="  Riverside   Training Ltd ", trading_names=("Riverside", "riverside"))
    )
    assert clean.legal_name == "Riverside Training Ltd"
    assert clean.address.postcode == "M3 3JA"
    assert clean.website == "https://www.riverside.example"
    assert clean.trading_names == ("Riverside",)  # the same name twice is kept once


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validated_details(
            details(
                legal_name=" ",
                company_number="ABC",
                contact=Contact("", "not an email"),
                address=Address("", "Leeds", "ZZ99 9ZZ"),
                website="ftp://x",
                provider_type=OrgType.SERVICE_DESK,
            )
        )
    assert codes(exc) == {
        "legal_name": "FIELD_REQUIRED",
        "company_number": "COMPANY_NUMBER_INVALID",
        "contact.name": "FIELD_REQUIRED",
        "contact.email": "EMAIL_INVALID",
        "address.line_1": "FIELD_REQUIRED",
        "address.postcode": "POSTCODE_INVALID",
        "website": "WEBSITE_INVALID",
        "provider_type": "PROVIDER_TYPE_INVALID",
    }


def test_a_company_needs_its_number_and_a_charity_its_number() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validated_details(details(legal_status=LegalStatus.CHARITABLE_COMPANY, company_number=None))
    assert codes(exc) == {"company_number": "FIELD_REQUIRED", "charity_number": "FIELD_REQUIRED"}
    sole = validated_details(details(legal_status=LegalStatus.SOLE_TRADER, company_number=None))
    assert sole.company_number is None


def test_name_keys_ignore_case_punctuation_and_legal_suffixes() -> None:
    assert provider_name_key("The Riverside College Ltd.") == "riverside college"
    assert provider_name_key("Smith & Jones Training LIMITED") == "smith and jones training"
    assert provider_name_key("Café Skills") == "cafe skills"


# --- duplicates -----------------------------------------------------------------------------------


def provider(
    reference: str, status: ProviderStatus = ProviderStatus.VERIFIED, **changes: object
) -> Provider:
    return Provider(reference, validated_details(details(**changes)), status, ukprn="10000100")


def test_the_same_company_number_is_a_duplicate_wherever_it_is() -> None:
    other = provider(
        "PA0000000001",
        legal_name="Something Else Ltd",
        address=Address("1 A St", "Leeds", "LS1 1AA"),
    )
    reasons = duplicate_reasons(validated_details(details()), other.details)
    assert [r.rule for r in reasons] == [DuplicateRule.SAME_COMPANY_NUMBER]
    assert "01234567" in reasons[0].detail


def test_a_near_identical_name_at_the_same_postcode_is_a_duplicate() -> None:
    other = provider(
        "PA0000000001", legal_name="Riverside Training Limited", company_number="07654321"
    )
    mine = validated_details(details(legal_name="Riverside Trainng Ltd", company_number="01111111"))
    reasons = duplicate_reasons(mine, other.details)
    assert [r.rule for r in reasons] == [DuplicateRule.SIMILAR_NAME_SAME_POSTCODE]


def test_a_trading_name_counts_and_a_different_district_does_not() -> None:
    other = provider(
        "PA0000000001",
        legal_name="RTL Group Ltd",
        trading_names=("Riverside Training",),
        company_number="07654321",
    )
    mine = validated_details(details(company_number="01111111"))
    assert [r.rule for r in duplicate_reasons(mine, other.details)] == [
        DuplicateRule.SIMILAR_NAME_SAME_POSTCODE
    ]
    far = validated_details(
        details(company_number="01111111", address=Address("2 B St", "Leeds", "LS1 1AA"))
    )
    assert duplicate_reasons(far, other.details) == ()


def test_rejected_applications_and_the_application_itself_are_not_duplicates() -> None:
    mine = provider("PA0000000001", ProviderStatus.APPLIED)
    rejected = provider("PA0000000002", ProviderStatus.REJECTED)
    live = provider("PA0000000003")
    found = find_duplicates(mine, [mine, rejected, live])
    assert [d.provider.reference for d in found] == ["PA0000000003"]


# --- search queries, references, the public view -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("10004321", QueryKind.UKPRN, "10004321"),
        ("m3 3ja", QueryKind.POSTCODE, "M3 3JA"),
        ("sw1a", QueryKind.DISTRICT, "SW1A"),
        ("The Riverside College", QueryKind.TEXT, "riverside college"),
        ("Leeds", QueryKind.TEXT, "leeds"),
    ],
)
def test_queries_are_recognised(text: str, kind: QueryKind, value: str) -> None:
    parsed = parse_query(text)
    assert (parsed.kind, parsed.value) == (kind, value)


@pytest.mark.parametrize("text", ["", "   ", "x" * 101, "!!!"])
def test_empty_or_huge_queries_are_refused(text: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_query(text)


@given(st.binary(min_size=8, max_size=8))
def test_application_references_have_one_shape(random_bytes: bytes) -> None:
    assert is_application_reference(application_reference(random_bytes))


def test_the_public_view_has_no_contact_or_notes() -> None:
    view = public_view(dataclasses.replace(provider("PA0000000001"), notes="desk only"))
    fields = {f.name for f in dataclasses.fields(view)}
    assert not fields & {"contact", "notes", "reference"}
    assert "sam@riverside.example" not in repr(view)


@given(st.text(max_size=60))
def test_any_text_is_standard_or_refused_never_an_error(text: str) -> None:
    for value in (
        normalise_company_number(text),
        normalise_charity_number(text),
        normalise_website(text),
    ):
        assert value is None or (value.isprintable() and " " not in value)
