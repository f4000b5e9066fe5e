"""ULN, UKPRN, UPN, qualification numbers and unit references: parse, validate and issue.

`is_valid_*` judge the value exactly as given (letters in either case); `parse_*` also strip
surrounding whitespace, return the canonical form or raise the identifier's typed error. Error
details describe only the value's shape, never the value itself.
"""

from __future__ import annotations

import hmac
import re
from typing import ClassVar

from openlrs.domain.errors import (
    DfeNumberInvalid,
    QualificationNumberInvalid,
    UkprnInvalid,
    UlnInvalid,
    UlnInvalidCheckDigit,
    UlnTemporary,
    UnitReferenceInvalid,
    UpnInvalid,
)

# --- ULN ------------------------------------------------------------------------------------------

TEMPORARY_ULN = "9999999999"
"""The placeholder providers may submit before a ULN is known; never issued, never a person."""

_ULN_BODY_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def _is_ascii_digits(value: str) -> bool:
    """True when every character is one of 0-9 (str.isdigit alone accepts other scripts' digits)."""
    return value.isascii() and value.isdigit()


def uln_check_digit(body: str) -> int | None:
    """The check digit for a 9-digit ULN body, or None when the body can never form a valid ULN."""
    if len(body) != 9 or not _is_ascii_digits(body):
        raise ValueError("a ULN body is exactly 9 digits")
    remainder = sum(w * int(c) for w, c in zip(_ULN_BODY_WEIGHTS, body, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def is_temporary_uln(value: str) -> bool:
    """True for the temporary placeholder 9999999999 (surrounding whitespace ignored)."""
    return value.strip() == TEMPORARY_ULN


def _uln_shape_problem(value: str) -> str | None:
    """Describe what is wrong with the ULN's shape, or None when it is 10 digits not starting 0."""
    if not _is_ascii_digits(value):
        return "The ULN must contain only the digits 0 to 9"
    if len(value) != 10:
        return f"The ULN must be 10 digits; the value given has {len(value)}"
    if value[0] == "0":
        return "The ULN cannot begin with 0"
    return None


def is_valid_uln(value: str) -> bool:
    """True for a well-formed ULN with the right check digit; the temporary ULN is not valid."""
    if _uln_shape_problem(value) is not None or value == TEMPORARY_ULN:
        return False
    return uln_check_digit(value[:9]) == int(value[9])


def parse_uln(value: str) -> str:
    """Return the ULN with surrounding whitespace removed, or raise the reason it is not one."""
    uln = value.strip()
    problem = _uln_shape_problem(uln) if uln else "The ULN is empty"
    if problem is not None:
        raise UlnInvalid(problem)
    if uln == TEMPORARY_ULN:
        raise UlnTemporary()
    if uln_check_digit(uln[:9]) != int(uln[9]):
        raise UlnInvalidCheckDigit()
    return uln


def make_uln(body: str) -> str:
    """The ULN formed by a 9-digit body and its check digit; UlnInvalid if it cannot form one."""
    if len(body) != 9 or not _is_ascii_digits(body) or body[0] == "0":
        raise UlnInvalid("A ULN body must be 9 digits not beginning with 0")
    check = uln_check_digit(body)
    if check is None:
        raise UlnInvalid("No check digit exists for this ULN body")
    return f"{body}{check}"


# --- ULN issuing ----------------------------------------------------------------------------------

_BODY_MIN = 100_000_000
_BODY_COUNT = 900_000_000
_TEMPORARY_BODY_INDEX = 999_999_999 - _BODY_MIN
_HALF_BITS = 15  # the Feistel domain is [0, 2**30), the smallest even-bit power of 2 >= 900M
_HALF_MASK = (1 << _HALF_BITS) - 1
_ROUNDS = 8


class UlnPermutation:
    """A keyed bijection from issuing counters onto ULNs, so issued ULNs reveal no order.

    A counter is an index into the 900,000,000 ULN bodies 100000000..999999999 (counter n stands
    for body 100000000 + n). Only *valid* counters may be issued: those whose body has a check digit
    and is not 999999999 (so no issued ULN differs from the temporary 9999999999 only in its last
    digit). About 10 in 11 counters are valid. `uln_for` maps each valid counter to a distinct
    valid ULN by a Feistel permutation of [0, 2**30) keyed with HMAC-SHA256, cycle-walking
    (re-applying the permutation) until it lands on a valid counter: a bijection of the valid
    counters.

    The issuer keeps one monotonically increasing counter: start at `first_counter` (0), issue
    `uln_for(counter)`, then advance with `counter = next_counter(counter)`. Never issue a counter
    twice and never reuse the key for another purpose; changing the key changes every ULN.
    """

    __slots__ = ("_key",)

    capacity: ClassVar[int] = _BODY_COUNT
    """Counters lie in [0, capacity); only `counter_valid` ones may be issued."""
    first_counter: ClassVar[int] = 0
    """The first valid counter (body 100000000, check digit 0)."""

    def __init__(self, key: bytes) -> None:
        """Derive the round key from a secret of at least 16 bytes."""
        if not isinstance(key, bytes) or len(key) < 16:
            raise ValueError("the ULN permutation key must be at least 16 bytes")
        self._key = hmac.digest(key, b"openlrs/uln-permutation/v1", "sha256")

    def __repr__(self) -> str:
        """Never show the key."""
        return "UlnPermutation(key=<secret>)"

    @staticmethod
    def counter_valid(counter: int) -> bool:
        """True when the counter's body forms a ULN and is not the temporary ULN's body."""
        if not 0 <= counter < _BODY_COUNT or counter == _TEMPORARY_BODY_INDEX:
            return False
        return uln_check_digit(str(_BODY_MIN + counter)) is not None

    @staticmethod
    def next_counter(counter: int) -> int:
        """The smallest valid counter greater than `counter` (pass -1 for the first one)."""
        candidate = max(counter + 1, 0)
        while candidate < _BODY_COUNT:
            if UlnPermutation.counter_valid(candidate):
                return candidate
            candidate += 1
        raise OverflowError("every ULN has been issued")

    def uln_for(self, counter: int) -> str:
        """The ULN issued for a valid counter; ValueError if the counter is not valid."""
        if not self.counter_valid(counter):
            raise ValueError("the counter is not a valid ULN counter; advance with next_counter")
        index = self._permute(counter)
        while not self.counter_valid(index):
            index = self._permute(index)
        return make_uln(str(_BODY_MIN + index))

    def counter_for(self, uln: str) -> int:
        """The counter that issues this ULN (inverse of `uln_for`); ValueError if never issuable."""
        index = int(parse_uln(uln)[:9]) - _BODY_MIN
        if not self.counter_valid(index):
            raise ValueError("this ULN is outside the issuable range")
        counter = self._unpermute(index)
        while not self.counter_valid(counter):
            counter = self._unpermute(counter)
        return counter

    def _round(self, number: int, half: int) -> int:
        """The keyed round function: 15 pseudo-random bits of HMAC-SHA256(round, half)."""
        digest = hmac.digest(self._key, bytes((number, half >> 8, half & 0xFF)), "sha256")
        return int.from_bytes(digest[:4], "big") & _HALF_MASK

    def _permute(self, value: int) -> int:
        """One pass of the Feistel network over [0, 2**30)."""
        left, right = value >> _HALF_BITS, value & _HALF_MASK
        for number in range(_ROUNDS):
            left, right = right, left ^ self._round(number, right)
        return (left << _HALF_BITS) | right

    def _unpermute(self, value: int) -> int:
        """The inverse of `_permute`."""
        left, right = value >> _HALF_BITS, value & _HALF_MASK
        for number in reversed(range(_ROUNDS)):
            left, right = right ^ self._round(number, left), left
        return (left << _HALF_BITS) | right


# --- UKPRN ----------------------------------------------------------------------------------------


def is_valid_ukprn(value: str) -> bool:
    """True for 8 digits from 10000000 to 99999999."""
    return len(value) == 8 and _is_ascii_digits(value) and value[0] != "0"


def parse_ukprn(value: str) -> str:
    """Return the UKPRN with surrounding whitespace removed, or raise UkprnInvalid."""
    ukprn = value.strip()
    if not is_valid_ukprn(ukprn):
        raise UkprnInvalid()
    return ukprn


def parse_dfe_number(value: str) -> str:
    """A school's DfE number (LEA then establishment: `380` + `4001`, or `380/4001`), as 7
    digits; DfeNumberInvalid otherwise."""
    number = value.strip().replace("/", "", 1)
    if len(number) != 7 or not _is_ascii_digits(number):
        raise DfeNumberInvalid()
    return number


# --- UPN ------------------------------------------------------------------------------------------

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
"""Check letters for remainders 0..22 (no I, O or S)."""
_UPN_REST = re.compile(r"[0-9]{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]")


def upn_check_letter(rest: str) -> str:
    """The check letter for a UPN's last 12 characters (11 digits, then a digit or letter).

    Characters 2..13 are weighted 2..13 and the sum taken mod 23. A letter in position 13 (a
    temporary UPN) counts as its index in the check-letter table: A=0, B=1, ... H=7, J=8, ... Z=22,
    as the DfE rule does.
    """
    rest = rest.upper()
    if not rest.isascii() or not _UPN_REST.fullmatch(rest):
        raise UpnInvalid("A UPN is a check letter, 11 digits, then a digit or letter")
    values = [int(c) for c in rest[:11]] + [_upn_value(rest[11])]
    total = sum(weight * v for weight, v in zip(range(2, 14), values, strict=True))
    return _UPN_LETTERS[total % 23]


def _upn_value(char: str) -> int:
    """The numeric value of a UPN's 13th character: a digit, or a letter's table index."""
    return int(char) if char.isdigit() else _UPN_LETTERS.index(char)


def make_upn(rest: str) -> str:
    """The UPN formed by a check letter and the given 12 characters (upper-cased)."""
    return upn_check_letter(rest) + rest.upper()


def is_valid_upn(value: str) -> bool:
    """True for a 13-character UPN (case ignored) whose check letter is right."""
    upn = value.upper()
    if not upn.isascii() or len(upn) != 13 or not _UPN_REST.fullmatch(upn[1:]):
        return False
    return upn[0] == upn_check_letter(upn[1:])


def parse_upn(value: str) -> str:
    """Return the UPN upper-cased with surrounding whitespace removed, or raise UpnInvalid."""
    upn = value.strip().upper()
    if not upn.isascii() or len(upn) != 13 or not _UPN_REST.fullmatch(upn[1:]):
        raise UpnInvalid("A UPN is 13 characters: a letter, 11 digits, then a digit or letter")
    if upn[0] != upn_check_letter(upn[1:]):
        raise UpnInvalid("The UPN's check letter is wrong")
    return upn


# --- Qualification numbers and unit references ---------------------------------------------------

_QUALIFICATION = re.compile(r"([0-9]{3})(/?)([0-9]{4})\2([0-9X])")
_UNIT_REFERENCE = re.compile(r"([A-Z])/([0-9]{3})/([0-9]{4})")


def _match_ascii(pattern: re.Pattern[str], value: str) -> re.Match[str] | None:
    """Match the upper-cased value, refusing non-ASCII text that upper-cases into ASCII."""
    return pattern.fullmatch(value.upper()) if value.isascii() else None


def parse_qualification_number(value: str) -> str:
    """Return `123/4567/8` (last character a digit or X), accepting the compact `12345678` too."""
    match = _match_ascii(_QUALIFICATION, value.strip())
    if match is None:
        raise QualificationNumberInvalid()
    return f"{match[1]}/{match[3]}/{match[4]}"


def is_valid_qualification_number(value: str) -> bool:
    """True for `123/4567/8` or `12345678`, the last character a digit or X (either case)."""
    return _match_ascii(_QUALIFICATION, value) is not None


def parse_unit_reference(value: str) -> str:
    """Return a unit reference shaped `A/123/4567`, its letter upper-cased."""
    match = _match_ascii(_UNIT_REFERENCE, value.strip())
    if match is None:
        raise UnitReferenceInvalid()
    return match[0]


def is_valid_unit_reference(value: str) -> bool:
    """True for a unit reference shaped `A/123/4567` (the letter in either case)."""
    return _match_ascii(_UNIT_REFERENCE, value) is not None
