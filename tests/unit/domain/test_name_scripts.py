"""Names mixing scripts (homoglyphs such as a Cyrillic "о" in "John") are refused in every name
field; names in one script, accents and all, pass (issue 21, item 10)."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openlrs.domain.errors import ValidationFailed
from openlrs.domain.learners.demographics import validate_learner_details
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.learners.scripts import mixes_scripts, scripts_of
from tests.unit.domain.test_demographics import BASE, NAME_FIELDS, TODAY

# "John" and "Smith" each with one look-alike letter from another script.
HOMOGLYPH_NAMES = ("J\u043ehn", "Sm\u0456th", "\u0391melia", "Ma\u0433ia", "\u13aaaron")


def _codes(details: LearnerDetails) -> list[tuple[str, str]]:
    try:
        validate_learner_details(details, today=TODAY, prohibited=frozenset())
    except ValidationFailed as failed:
        return [(e.field, e.code) for e in failed.errors]
    return []


@pytest.mark.parametrize("field", NAME_FIELDS)
@pytest.mark.parametrize("name", HOMOGLYPH_NAMES)
def test_a_name_mixing_scripts_is_refused_in_every_name_field(field: str, name: str) -> None:
    assert _codes(dataclasses.replace(BASE, **{field: name})) == [(field, "NAME_MIXED_SCRIPTS")]


def test_the_message_says_what_to_do_without_repeating_the_name() -> None:
    with pytest.raises(ValidationFailed) as failed:
        validate_learner_details(
            dataclasses.replace(BASE, given_name="J\u043ehn"), today=TODAY, prohibited=frozenset()
        )
    message = failed.value.errors[0].message
    assert "one alphabet" in message and "J\u043ehn" not in message


@pytest.mark.parametrize(
    "name", ["Дмитрий", "Ελένη", "山田はなこ", "김민준", "محمد", "Zoë", "Nguyễn", "O'Brien-Ölçer"]
)
def test_a_name_in_one_script_passes(name: str) -> None:
    assert not mixes_scripts(name)


def test_letters_of_no_one_script_and_marks_are_ignored() -> None:
    assert scripts_of("\u02bcAbd") == {"LATIN"}
    assert scripts_of("Jose\u0301") == {"LATIN"}


_LATIN_LETTERS = st.characters(
    categories=("Lu", "Ll"),
    codec="utf-8",
).filter(lambda c: unicodedata.name(c, "").startswith("LATIN "))
_ACCENTS = st.sampled_from(["", "\u0301", "\u0300", "\u0308", "\u0302", "\u030c", "\u0327"])
_LETTER = st.tuples(_LATIN_LETTERS, _ACCENTS).map("".join)
_WORD = st.lists(_LETTER, min_size=1, max_size=8).map("".join)
_LATIN_NAME = (
    st.tuples(_WORD, st.lists(st.tuples(st.sampled_from([" ", "-", "'"]), _WORD), max_size=2))
    .map(lambda t: t[0] + "".join(sep + word for sep, word in t[1]))
    .map(lambda name: unicodedata.normalize("NFC", name))
    .filter(lambda name: len(name) <= 35)
)


@given(_LATIN_NAME, st.sampled_from(NAME_FIELDS))
def test_latin_names_with_accents_always_pass(name: str, field: str) -> None:
    assert _codes(dataclasses.replace(BASE, **{field: name})) == []
