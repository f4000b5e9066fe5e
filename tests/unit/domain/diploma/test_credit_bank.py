"""Worked examples for the QCF credit bank: an Award, a Certificate and a Diploma, each claimable
and each refused for the right reason."""

from __future__ import annotations

import datetime as dt

from openlrs.domain.diploma.credit_bank import QcfEvaluation, UnitAchievement, evaluate_qcf
from openlrs.domain.diploma.rule_files import qcf_rules, unit_catalogue

AWARD, CERTIFICATE, DIPLOMA = "600/1001/1", "600/1002/6", "600/1003/2"
ON = dt.date(2025, 6, 1)
EMPLOYMENT_RIGHTS = "Level 2 Award in Employment Rights and Responsibilities"


def _evaluate(
    qualification: str, *units: str, on: dt.date = ON, exemptions: frozenset[str] = frozenset()
) -> QcfEvaluation:
    achievements = [UnitAchievement(u, on) for u in units]
    return evaluate_qcf(qcf_rules(qualification), unit_catalogue(), achievements, exemptions)


def test_the_award_is_claimable_with_its_mandatory_units_and_enough_optional_credit() -> None:
    evaluation = _evaluate(AWARD, "A/601/0001", "A/601/0002", "A/601/0004", "A/601/0003")
    assert evaluation.size == "Award"
    assert evaluation.claimable, evaluation.missing
    assert evaluation.credit == 8
    assert "Total: 8 of the 8 credits needed" in evaluation.explanation


def test_the_award_one_credit_short_says_so() -> None:
    evaluation = _evaluate(AWARD, "A/601/0001", "A/601/0002", "A/601/0004")
    assert not evaluation.claimable
    assert evaluation.missing == ("1 more credit(s) needed in total",)


def test_the_award_counts_a_level_2_unit_but_not_beyond_the_optional_maximum() -> None:
    # Optional allows 4 credits: 3 (level 2) + 1 earns 4; the 2-credit unit is left out.
    evaluation = _evaluate(
        AWARD, "A/601/0001", "A/601/0002", "A/601/0003", "A/601/0004", "A/601/0005"
    )
    assert evaluation.claimable
    assert evaluation.credit == 9
    assert "A/601/0004 not counted: group Optional is at its maximum" in evaluation.explanation


def test_the_award_without_a_mandatory_unit_is_not_claimable_whatever_the_credit() -> None:
    evaluation = _evaluate(AWARD, "A/601/0001", "A/601/0003", "A/601/0004", "A/601/0005")
    assert not evaluation.claimable
    assert "Group Mandatory: 1 more unit(s) needed" in evaluation.missing


CERTIFICATE_PASS = ("F/602/0001", "F/602/0002", "F/602/0003", "F/602/0005", "F/602/0006")


def test_the_certificate_is_claimable() -> None:
    evaluation = _evaluate(CERTIFICATE, *CERTIFICATE_PASS)
    assert evaluation.size == "Certificate"
    assert evaluation.claimable and evaluation.credit == 15


def test_the_certificate_with_a_barred_pair_counts_one_and_falls_short() -> None:
    units = ("F/602/0001", "F/602/0002", "F/602/0003", "F/602/0004", "F/602/0005")
    evaluation = _evaluate(CERTIFICATE, *units)
    assert not evaluation.claimable
    assert evaluation.credit == 13
    assert "2 more credit(s) needed in total" in evaluation.missing
    assert any("barred: may not count with" in line for line in evaluation.explanation)


def test_the_certificate_accepts_an_equivalent_unit_and_an_exemption() -> None:
    units = ("T/500/9001", "F/602/0002", "F/602/0003", "F/602/0005")
    evaluation = _evaluate(CERTIFICATE, *units, exemptions=frozenset({EMPLOYMENT_RIGHTS}))
    assert evaluation.claimable, evaluation.missing
    how = {c.unit: c.how for c in evaluation.counted}
    assert how["F/602/0001"] == "equivalent unit T/500/9001"
    assert how["F/602/0006"] == f"exemption: {EMPLOYMENT_RIGHTS}"


def test_the_certificate_with_enough_credit_but_too_little_at_level_2_is_refused() -> None:
    # 15 credits, but the level 1 unit leaves 13 at level 2 where 14 are needed.
    units = ("F/602/0001", "F/602/0002", "F/602/0003", "F/602/0007", "F/602/0005")
    evaluation = _evaluate(CERTIFICATE, *units)
    assert (evaluation.credit, evaluation.credit_at_or_above_level) == (15, 13)
    assert evaluation.missing == ("1 more credit(s) needed at or above Level 2",)


DIPLOMA_PASS = ("K/603/0001", "K/603/0002", "K/603/0003", "K/603/0004", "K/603/0005")


def test_the_diploma_is_claimable() -> None:
    evaluation = _evaluate(DIPLOMA, *DIPLOMA_PASS)
    assert evaluation.size == "Diploma"
    assert evaluation.claimable and evaluation.credit == 37


def test_the_diploma_one_credit_short() -> None:
    units = ("K/603/0001", "K/603/0002", "K/603/0003", "K/603/0004", "K/603/0007")
    evaluation = _evaluate(DIPLOMA, *units)
    assert evaluation.credit == 36
    assert not evaluation.claimable
    assert "1 more credit(s) needed in total" in evaluation.missing


def test_the_diploma_refuses_units_outside_its_time_limit() -> None:
    old = [UnitAchievement("K/603/0005", dt.date(2018, 1, 1))]
    recent = [UnitAchievement(u, ON) for u in DIPLOMA_PASS[:4]]
    evaluation = evaluate_qcf(qcf_rules(DIPLOMA), unit_catalogue(), [*old, *recent])
    assert not evaluation.claimable
    assert evaluation.credit == 32
    assert any(
        "Outside the 5-year limit" in line and "K/603/0005" in line
        for line in evaluation.explanation
    )


def test_the_order_of_achievements_does_not_matter() -> None:
    forwards = _evaluate(CERTIFICATE, *CERTIFICATE_PASS)
    backwards = _evaluate(CERTIFICATE, *reversed(CERTIFICATE_PASS))
    assert forwards == backwards


def test_a_unit_from_another_qualification_is_named_as_not_part_of_it() -> None:
    evaluation = _evaluate(AWARD, "A/601/0001", "K/603/0001")
    assert "K/603/0001 is not part of this qualification" in evaluation.explanation
