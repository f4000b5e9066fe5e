"""UK postcodes: validate, put in standard form ("SW1A 1AA"), and cut into area/district/sector.

Formats follow the Royal Mail rules (A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA) with
their letter restrictions, plus the special GIR 0AA and the dummy ZZ99 9ZZ used when a learner
refuses to give a postcode.
"""

from __future__ import annotations

import re

DUMMY_POSTCODE = "ZZ99 9ZZ"
"""The recognised dummy postcode: allowed, but a weak record for matching."""

_SPECIAL = frozenset({"GIR0AA", DUMMY_POSTCODE.replace(" ", "")})

# Letters allowed in each position (Royal Mail / BS 7666): first not Q, V, X; second not I, J, Z;
# third (A9A) and fourth (AA9A) from short lists; inward letters never C, I, K, M, O, V.
_L1 = "A-PR-UWYZ"
_L2 = "A-HK-Y"
_L3 = "ABCDEFGHJKPSTUW"
_L4 = "ABEHMNPRVWXY"
_INWARD_LETTER = "ABD-HJLNP-UW-Z"
_OUTWARD = (
    rf"[{_L1}][0-9]{{1,2}}"  # A9, A99
    rf"|[{_L1}][0-9][{_L3}]"  # A9A
    rf"|[{_L1}][{_L2}][0-9]{{1,2}}"  # AA9, AA99
    rf"|[{_L1}][{_L2}][0-9][{_L4}]"  # AA9A
)
_POSTCODE = re.compile(rf"(?P<outward>{_OUTWARD})(?P<inward>[0-9][{_INWARD_LETTER}]{{2}})")


def normalise_postcode(value: str) -> str | None:
    """The postcode in standard form (upper case, one space before the inward code), else None.

    Any spacing and case are accepted on input; the dummy ZZ99 9ZZ and GIR 0AA are valid.
    """
    compact = "".join(value.split())
    if not compact.isascii() or not 5 <= len(compact) <= 7:
        return None
    compact = compact.upper()
    if compact in _SPECIAL or _POSTCODE.fullmatch(compact):
        return f"{compact[:-3]} {compact[-3:]}"
    return None


def is_dummy_postcode(value: str) -> bool:
    """True when the value is the dummy postcode in any spacing or case."""
    return normalise_postcode(value) == DUMMY_POSTCODE


def postcode_district(value: str) -> str | None:
    """The outward code ("SW1A" of "SW1A 1AA"), or None if the value is not a postcode."""
    postcode = normalise_postcode(value)
    return None if postcode is None else postcode.split(" ")[0]


def postcode_sector(value: str) -> str | None:
    """The outward code and first inward digit ("SW1A 1"), or None if not a postcode."""
    postcode = normalise_postcode(value)
    return None if postcode is None else postcode[:-2]


def postcode_area(value: str) -> str | None:
    """The leading letters of the outward code ("SW", "W"), or None if not a postcode."""
    district = postcode_district(value)
    if district is None:
        return None
    match = re.match(r"[A-Z]+", district)
    return match[0] if match else None
