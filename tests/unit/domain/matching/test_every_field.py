"""Every field a record carries is match evidence: UPN, middle names, address, place of birth."""

from __future__ import annotations

import dataclasses
import datetime as dt

from openlrs.domain.identifiers import make_upn
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.comparison import compare
from openlrs.domain.matching.engine import classify, is_exact_pattern
from openlrs.domain.matching.keys import blocking_keys, match_keys, pack, unpack
from openlrs.domain.matching.model import score
from openlrs.domain.matching.model_file import default_model
from openlrs.domain.matching.outcomes import MatchOutcome

MODEL = default_model()
UPN = make_upn("820200109123")
SIBLING_UPN = make_upn("820200109124")  # the same school's next number
ELSEWHERE_UPN = make_upn("351400109123")
BASE = LearnerDetails(
    "Siobhan",
    "Fitzgerald",
    dt.date(2009, 4, 17),
    2,
    "M14 5RT",
    upn=UPN,
    middle_names="Grace",
    address_line_1="12 Mill Lane",
    town="Manchester",
    place_of_birth="Salford",
)


def test_new_fields_compare_into_levels_and_missing_is_neutral() -> None:
    same = compare(BASE, BASE)
    assert (same.upn, same.middle_names, same.address, same.place_of_birth) == (
        "same",
        "same",
        "same_line",
        "same",
    )
    bare = dataclasses.replace(
        BASE, upn=None, middle_names=None, address_line_1=None, town=None, place_of_birth=None
    )
    vector = compare(BASE, bare)
    assert (vector.upn, vector.middle_names, vector.address, vector.place_of_birth) == (
        "missing",
        "missing",
        "missing",
        "missing",
    )
    for field in ("upn", "middle_names", "address", "place_of_birth"):
        assert MODEL.weight(field, "missing") == 0.0
    assert compare(BASE, dataclasses.replace(BASE, upn=SIBLING_UPN)).upn == "different_same_school"
    assert compare(BASE, dataclasses.replace(BASE, upn=ELSEWHERE_UPN)).upn == "different"
    moved = dataclasses.replace(BASE, given_name="Grace", middle_names="Siobhan")
    assert compare(BASE, moved).middle_names == "moved"


def test_a_matching_upn_lifts_and_a_sibling_upn_lowers_a_candidate() -> None:
    query = dataclasses.replace(BASE, postcode="EX4 4QJ", address_line_1=None, town=None)
    plain = score(query, dataclasses.replace(BASE, upn=None), MODEL).weight
    assert score(query, BASE, MODEL).weight > plain
    assert score(query, dataclasses.replace(BASE, upn=SIBLING_UPN), MODEL).weight < plain
    assert MODEL.weight("upn", "different_same_school") <= MODEL.weight("upn", "different")


def test_a_disagreeing_optional_field_lowers_a_weak_candidate_more_than_a_strong_one() -> None:
    strong_query = dataclasses.replace(BASE, place_of_birth="Exeter")
    strong_loss = (
        score(dataclasses.replace(BASE), BASE, MODEL).weight
        - score(strong_query, BASE, MODEL).weight
    )
    weak = dataclasses.replace(BASE, given_name="Sarah", date_of_birth=dt.date(2009, 4, 18))
    weak_loss = (
        score(weak, BASE, MODEL).weight
        - score(dataclasses.replace(weak, place_of_birth="Exeter"), BASE, MODEL).weight
    )
    assert weak_loss > strong_loss >= 0


def test_the_upn_is_a_blocking_key_and_survives_packing() -> None:
    assert f"upn:{UPN}" in blocking_keys(BASE)
    assert unpack(pack(match_keys(BASE))) == match_keys(BASE)
    old_format = pack(match_keys(BASE))[:21]
    old_format[0] = 1
    assert unpack(old_format).upn == ""


def test_a_upn_finds_a_misspelt_learner_and_never_overrides_names_and_birth_date() -> None:
    record = Learner("1000000001", BASE)
    misspelt = dataclasses.replace(
        BASE, given_name="Siobahn", family_name="Fitzgerld", postcode="EX4 4QJ"
    )
    found = classify(misspelt, [record], {}, MODEL)
    assert found.outcome is MatchOutcome.EXACT
    stranger = dataclasses.replace(
        BASE, given_name="Marcus", family_name="Okafor", date_of_birth=dt.date(2007, 11, 2)
    )
    assert classify(stranger, [record], {}, MODEL).outcome is not MatchOutcome.EXACT
    assert not is_exact_pattern(compare(stranger, BASE))


def test_a_twin_with_a_sibling_upn_is_never_exact() -> None:
    record = Learner("1000000001", BASE)
    twin = dataclasses.replace(BASE, given_name="Siobhain", upn=SIBLING_UPN, middle_names=None)
    assert classify(twin, [record], {}, MODEL).outcome is not MatchOutcome.EXACT


def _learner(uln: str, details: LearnerDetails) -> Learner:
    return Learner(uln=uln, details=details)


def test_given_and_middle_names_exchanged_nearby_is_exact_and_a_middle_name_alone_is_not() -> None:
    plain = dataclasses.replace(BASE, upn=None, address_line_1=None, town=None, place_of_birth=None)
    swapped = dataclasses.replace(plain, given_name="Grace", middle_names="Siobhan")
    result = classify(swapped, [_learner("1000000001", plain)], {}, MODEL)
    assert result.outcome is MatchOutcome.EXACT
    # the middle name alone (a twin may be named so), another middle name, or elsewhere: never exact
    one_name = dataclasses.replace(plain, given_name="Grace", middle_names=None)
    other_middle = dataclasses.replace(one_name, middle_names="Ruth")
    far = dataclasses.replace(swapped, postcode="EH6 5HP")
    for query in (one_name, other_middle, far):
        result = classify(query, [_learner("1000000001", plain)], {}, MODEL)
        assert result.outcome is not MatchOutcome.EXACT


def test_an_address_different_after_a_move_is_not_counted_twice() -> None:
    moved = dataclasses.replace(
        BASE, postcode="EH6 5HP", address_line_1="3 Leith Walk", town="Leith"
    )
    assert compare(BASE, moved).postcode == "different"
    assert compare(BASE, moved).address == "missing"  # neutral: the postcode says it already
    nearby = dataclasses.replace(BASE, address_line_1="3 Leith Walk", town="Leith")
    assert compare(BASE, nearby).address == "different"


def test_common_short_forms_missing_from_the_nickname_package_are_nicknames() -> None:
    for short, formal in [
        ("Izzy", "Isabella"),
        ("Lottie", "Charlotte"),
        ("Tilly", "Matilda"),
        ("Becky", "Rebecca"),
    ]:
        query = dataclasses.replace(BASE, given_name=short)
        assert compare(query, dataclasses.replace(BASE, given_name=formal)).given_name == "nickname"


def test_a_new_surname_in_the_same_household_is_exact_and_elsewhere_or_untied_is_not() -> None:
    plain = dataclasses.replace(BASE, upn=None)
    record = _learner("1000000001", plain)
    renamed = dataclasses.replace(plain, family_name="Okafor")
    assert classify(renamed, [record], {}, MODEL).outcome is MatchOutcome.EXACT
    far = dataclasses.replace(renamed, postcode="EH6 5HP", address_line_1=None, town=None)
    regendered = dataclasses.replace(renamed, gender=1)
    for query in (far, regendered):
        assert classify(query, [record], {}, MODEL).outcome is not MatchOutcome.EXACT
    # an email that disagrees says this may be someone else
    with_email = _learner("1000000001", dataclasses.replace(plain, email="siobhan@example.org"))
    other_email = dataclasses.replace(renamed, email="s.okafor@example.org")
    assert classify(other_email, [with_email], {}, MODEL).outcome is not MatchOutcome.EXACT


def test_names_given_as_separate_names_need_a_tie_and_another_name_never_passes() -> None:
    emily = dataclasses.replace(BASE, given_name="Emily")
    record = _learner("1000000001", emily)
    as_emma = dataclasses.replace(emily, given_name="Emma")
    assert compare(as_emma, emily).given_name == "somewhat_similar"
    assert classify(as_emma, [record], {}, MODEL).outcome is MatchOutcome.EXACT  # same UPN
    untied = dataclasses.replace(as_emma, upn=None)
    assert classify(untied, [record], {}, MODEL).outcome is not MatchOutcome.EXACT
    # a sibling's record carrying a copy of the learner's UPN: another name is never exact
    copied = dataclasses.replace(emily, given_name="Zebedee")
    assert classify(copied, [record], {}, MODEL).outcome is not MatchOutcome.EXACT
