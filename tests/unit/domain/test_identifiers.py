"""Identifier rules: ULN check digits and issuing, UKPRN, UPN, qualification and unit references."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from openlrs.domain.errors import (
    QualificationNumberInvalid,
    UkprnInvalid,
    UlnInvalid,
    UlnInvalidCheckDigit,
    UlnTemporary,
    UnitReferenceInvalid,
    UpnInvalid,
)
from openlrs.domain.identifiers import (
    TEMPORARY_ULN,
    UlnPermutation,
    is_temporary_uln,
    is_valid_qualification_number,
    is_valid_ukprn,
    is_valid_uln,
    is_valid_unit_reference,
    is_valid_upn,
    make_uln,
    make_upn,
    parse_qualification_number,
    parse_ukprn,
    parse_uln,
    parse_unit_reference,
    parse_upn,
    uln_check_digit,
    upn_check_letter,
)

KEY = b"test key for ULN permutation 01"
PERMUTATION = UlnPermutation(KEY)

bodies = st.integers(100_000_000, 999_999_999).map(str)
valid_ulns = bodies.filter(lambda b: uln_check_digit(b) is not None).map(make_uln)
counters = st.integers(0, UlnPermutation.capacity - 1).filter(UlnPermutation.counter_valid)
upn_rests = st.builds(
    lambda digits, last: digits + last,
    st.text("0123456789", min_size=11, max_size=11),
    st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUVWXYZ"),
)


# --- ULN check digit ------------------------------------------------------------------------------


@pytest.mark.parametrize("uln", ["1026893096", "1174112637"])
def test_reference_examples_are_valid(uln: str) -> None:
    assert is_valid_uln(uln)
    assert parse_uln(f" {uln}\n") == uln


def test_check_digit_by_hand() -> None:
    # 1026893096: 10*1 + 9*0 + 8*2 + 7*6 + 6*8 + 5*9 + 4*3 + 3*0 + 2*9 = 191;
    # 191 mod 11 = 4, so the check digit is 10 - 4 = 6
    assert uln_check_digit("102689309") == 6
    # 200000001: 10*2 + 2*1 = 22, which is 0 mod 11, so no ULN can begin with it
    assert uln_check_digit("200000001") is None
    with pytest.raises(UlnInvalid):
        make_uln("200000001")


@pytest.mark.parametrize("body", ["", "12345678", "1234567890", "12345678a", "１２３４５６７８９"])
def test_check_digit_needs_nine_ascii_digits(body: str) -> None:
    with pytest.raises(ValueError):
        uln_check_digit(body)


@given(bodies)
def test_make_uln_output_is_valid_or_refused(body: str) -> None:
    if uln_check_digit(body) is None:
        with pytest.raises(UlnInvalid):
            make_uln(body)
        assert not any(is_valid_uln(body + d) for d in "0123456789")
    else:
        uln = make_uln(body)
        assert uln.startswith(body)
        assert is_valid_uln(uln) == (uln != TEMPORARY_ULN)
        assert parse_uln(uln) == uln


@given(valid_ulns, st.integers(0, 9), st.sampled_from("0123456789"))
def test_any_single_digit_change_is_detected(uln: str, position: int, digit: str) -> None:
    assume(uln[position] != digit)
    changed = uln[:position] + digit + uln[position + 1 :]
    assert not is_valid_uln(changed)
    with pytest.raises(UlnInvalid):
        parse_uln(changed)


@given(valid_ulns, st.integers(0, 8))
def test_adjacent_transposition_is_detected(uln: str, position: int) -> None:
    a, b = uln[position], uln[position + 1]
    assume(a != b)
    swapped = uln[:position] + b + a + uln[position + 2 :]
    assert not is_valid_uln(swapped)


def test_temporary_uln_is_recognised_and_refused() -> None:
    assert TEMPORARY_ULN == "9999999999"
    assert is_temporary_uln(" 9999999999 ")
    assert not is_temporary_uln("1026893096")
    assert not is_valid_uln(TEMPORARY_ULN)
    with pytest.raises(UlnTemporary):
        parse_uln(" 9999999999")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "102689309",
        "10268930961",
        "10268930a6",
        "1026-893-096",
        "0123456785",
        "１０２６８９３０９６",
    ],
)
def test_malformed_ulns_are_refused_as_invalid(value: str) -> None:
    assert not is_valid_uln(value)
    with pytest.raises(UlnInvalid) as raised:
        parse_uln(value)
    assert type(raised.value) is UlnInvalid
    assert raised.value.detail != UlnInvalid.title


def test_wrong_check_digit_is_refused() -> None:
    with pytest.raises(UlnInvalidCheckDigit):
        parse_uln("1026893097")


@pytest.mark.parametrize("value", ["1026893097", "102689309", "10268930x6", "0123456785"])
def test_error_messages_do_not_repeat_the_value(value: str) -> None:
    with pytest.raises(UlnInvalid) as raised:
        parse_uln(value)
    assert value not in str(raised.value)
    assert value[:6] not in str(raised.value)


# --- ULN issuing ----------------------------------------------------------------------------------


def _issue(permutation: UlnPermutation, count: int) -> list[str]:
    """Issue `count` ULNs as the store does: from first_counter, advancing with next_counter."""
    counter, issued = permutation.first_counter, []
    for _ in range(count):
        issued.append(permutation.uln_for(counter))
        counter = permutation.next_counter(counter)
    return issued


def test_permutation_needs_a_real_key() -> None:
    with pytest.raises(ValueError):
        UlnPermutation(b"short")
    assert "test key" not in repr(PERMUTATION)


def test_first_counter_is_valid() -> None:
    assert UlnPermutation.first_counter == 0
    assert UlnPermutation.counter_valid(UlnPermutation.first_counter)
    assert UlnPermutation.next_counter(-1) == UlnPermutation.first_counter


def test_consecutive_counters_issue_distinct_valid_ulns() -> None:
    issued = _issue(PERMUTATION, 3000)
    assert all(is_valid_uln(uln) for uln in issued)
    assert len(set(issued)) == len(issued)
    assert all(not uln.startswith("999999999") for uln in issued)


@given(counters)
def test_issued_uln_is_valid_and_inverts(counter: int) -> None:
    uln = PERMUTATION.uln_for(counter)
    assert is_valid_uln(uln)
    assert PERMUTATION.counter_for(uln) == counter


@given(counters, counters)
def test_distinct_counters_give_distinct_ulns(first: int, second: int) -> None:
    assume(first != second)
    assert PERMUTATION.uln_for(first) != PERMUTATION.uln_for(second)


def test_different_keys_give_different_sequences() -> None:
    mine = _issue(PERMUTATION, 200)
    theirs = _issue(UlnPermutation(b"another key, also 32 bytes long"), 200)
    assert sum(a == b for a, b in zip(mine, theirs, strict=True)) <= 1
    assert len(set(mine) & set(theirs)) < 5


def test_issued_ulns_reveal_no_order() -> None:
    numbers = [int(uln) for uln in _issue(PERMUTATION, 1000)]
    steps = [b - a for a, b in itertools.pairwise(numbers)]
    assert numbers != sorted(numbers)
    assert numbers != sorted(numbers, reverse=True)
    assert len(set(steps)) > 990
    assert 0.35 < sum(step > 0 for step in steps) / len(steps) < 0.65
    assert sum(abs(step) < 1_000_000 for step in steps) < 20
    assert {str(n)[0] for n in numbers} == set("123456789")


@pytest.mark.parametrize("counter", [-1, 100_000_001, 899_999_998, 899_999_999, 900_000_000])
def test_invalid_counters_are_refused(counter: int) -> None:
    assert not UlnPermutation.counter_valid(counter)
    with pytest.raises(ValueError):
        PERMUTATION.uln_for(counter)


def test_temporary_body_is_never_a_counter() -> None:
    # Body 999999999 has a check digit (9999999998) but shares nine digits with the placeholder.
    assert uln_check_digit("999999999") == 8
    assert not UlnPermutation.counter_valid(999_999_999 - 100_000_000)


@given(st.integers(-1, UlnPermutation.capacity - 4))
def test_next_counter_is_the_next_valid_one(counter: int) -> None:
    following = UlnPermutation.next_counter(counter)
    assert following > counter
    assert UlnPermutation.counter_valid(following)
    assert not any(UlnPermutation.counter_valid(c) for c in range(counter + 1, following))


def test_next_counter_at_the_end_of_the_space() -> None:
    last = UlnPermutation.next_counter(UlnPermutation.capacity - 4)
    assert last == UlnPermutation.capacity - 3
    with pytest.raises(OverflowError):
        UlnPermutation.next_counter(last)


def test_counter_for_refuses_unissuable_ulns() -> None:
    with pytest.raises(ValueError):
        PERMUTATION.counter_for(make_uln("999999999"))
    with pytest.raises(UlnInvalid):
        PERMUTATION.counter_for("1026893097")


# --- UKPRN ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["10000000", "99999999", "10012345"])
def test_ukprn_in_range_is_valid(value: str) -> None:
    assert is_valid_ukprn(value)
    assert parse_ukprn(f" {value} ") == value


@pytest.mark.parametrize(
    "value", ["9999999", "100000000", "09999999", "", "1000000a", "1000 0000", "１００００００１"]
)
def test_ukprn_out_of_range_or_malformed_is_refused(value: str) -> None:
    assert not is_valid_ukprn(value)
    with pytest.raises(UkprnInvalid):
        parse_ukprn(value)


@given(st.integers(0, 10**9))
def test_ukprn_round_trip(number: int) -> None:
    text = str(number)
    assert is_valid_ukprn(text) == (10_000_000 <= number <= 99_999_999)
    if is_valid_ukprn(text):
        assert parse_ukprn(text) == text


# --- UPN ------------------------------------------------------------------------------------------


def test_upn_check_letter_by_hand() -> None:
    # 820200101001 weighted 2..13: 16+6+0+10+0+0+8+0+10+0+0+13 = 63; 63 mod 23 = 17 -> U
    assert upn_check_letter("820200101001") == "U"
    # temporary, last character A = 0: 63 - 13 = 50; 50 mod 23 = 4 -> E
    assert upn_check_letter("82020010100A") == "E"
    # last character Z = 22: 50 + 13*22 = 336; 336 mod 23 = 14 -> Q
    assert make_upn("82020010100z") == "Q82020010100Z"
    assert parse_upn(" u820200101001 ") == "U820200101001"


@given(upn_rests)
def test_upn_round_trip(rest: str) -> None:
    upn = make_upn(rest.lower())
    assert is_valid_upn(upn)
    assert is_valid_upn(upn.lower())
    assert parse_upn(upn.lower()) == upn


@given(upn_rests, st.sampled_from("ABCDEFGHJKLMNPQRTUVWXYZ"))
def test_upn_wrong_check_letter_is_refused(rest: str, letter: str) -> None:
    assume(letter != upn_check_letter(rest))
    assert not is_valid_upn(letter + rest)
    with pytest.raises(UpnInvalid):
        parse_upn(letter + rest)


@pytest.mark.parametrize(
    "value",
    ["", "U82020010100", "U8202001010011", "U8202001010A1", "E82020010100I", "U82020010100ſ"],
)
def test_malformed_upns_are_refused(value: str) -> None:
    assert not is_valid_upn(value)
    with pytest.raises(UpnInvalid):
        parse_upn(value)


@pytest.mark.parametrize("rest", ["82020010100O", "82020010100S", "8202001010", "82020010100ı"])
def test_upn_check_letter_needs_a_well_formed_rest(rest: str) -> None:
    with pytest.raises(UpnInvalid):
        upn_check_letter(rest)


# --- Qualification numbers and unit references ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("123/4567/8", "123/4567/8"),
        ("600/1234/X", "600/1234/X"),
        (" 600/1234/x ", "600/1234/X"),
        ("12345678", "123/4567/8"),
        ("6001234x", "600/1234/X"),
    ],
)
def test_qualification_numbers_are_normalised(value: str, expected: str) -> None:
    assert parse_qualification_number(value) == expected
    assert is_valid_qualification_number(value.strip())


@pytest.mark.parametrize(
    "value",
    [
        "",
        "123/45678",
        "1234567/8",
        "12/4567/8",
        "123/4567/Y",
        "123-4567-8",
        "123456789",
        "１２３/4567/8",
    ],
)
def test_malformed_qualification_numbers_are_refused(value: str) -> None:
    assert not is_valid_qualification_number(value)
    with pytest.raises(QualificationNumberInvalid):
        parse_qualification_number(value)


@given(st.text("0123456789", min_size=7, max_size=7), st.sampled_from("0123456789Xx"))
def test_qualification_number_round_trip(digits: str, last: str) -> None:
    slashed = parse_qualification_number(digits + last)
    assert slashed == f"{digits[:3]}/{digits[3:]}/{last.upper()}"
    assert parse_qualification_number(slashed) == slashed


@pytest.mark.parametrize(
    ("value", "expected"),
    [("A/123/4567", "A/123/4567"), ("t/500/1234", "T/500/1234"), (" y/600/0001\t", "Y/600/0001")],
)
def test_unit_references_are_normalised(value: str, expected: str) -> None:
    assert parse_unit_reference(value) == expected
    assert is_valid_unit_reference(value.strip())


@pytest.mark.parametrize(
    "value", ["", "A1234567", "AB/123/4567", "1/123/4567", "A/12/4567", "A/123/45678", "ı/123/4567"]
)
def test_malformed_unit_references_are_refused(value: str) -> None:
    assert not is_valid_unit_reference(value)
    with pytest.raises(UnitReferenceInvalid):
        parse_unit_reference(value)
