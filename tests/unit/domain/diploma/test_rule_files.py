"""The shipped rule files load and validate; a malformed file is refused with the field named."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from openlrs.domain.diploma.errors import DiplomaNotOffered, RuleFileInvalid
from openlrs.domain.diploma.qcf_schema import read_qcf_rules
from openlrs.domain.diploma.rule_files import (
    all_diploma_rules,
    all_qcf_rules,
    diploma_rules,
    read_diploma_rules,
    unit_catalogue,
)


def _shipped(folder: str, name: str) -> dict[str, Any]:
    text = (
        resources.files("openlrs.data").joinpath(folder).joinpath(name).read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def test_every_line_is_shipped_at_all_four_levels_and_marked_illustrative() -> None:
    rules = all_diploma_rules()
    lines = {r.line for r in rules.values()}
    assert len(rules) == 4 * len(lines) >= 12
    assert all(r.illustrative and "ILLUSTRATIVE" in r.note for r in rules.values())
    numbers = {r.qualification for r in rules.values()}
    principal = {q for r in rules.values() for q in r.principal_learning.qualifications}
    assert len(numbers) == len(rules) and not numbers & principal


def test_the_qcf_rules_cover_an_award_a_certificate_and_a_diploma() -> None:
    assert sorted(r.size for r in all_qcf_rules().values()) == ["Award", "Certificate", "Diploma"]


def test_an_unknown_diploma_is_refused() -> None:
    with pytest.raises(DiplomaNotOffered):
        diploma_rules("engineering", "intermediate")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(surprise=1), "unknown field(s) surprise"),
        (lambda d: d.pop("work_experience_days"), "`work_experience_days` is required"),
        (lambda d: d.update(work_experience_days="ten"), "work_experience_days: expected int"),
        (lambda d: d["grade_thresholds"].reverse(), "best grade first"),
        (lambda d: d["principal_learning"]["points"].update(F=10), "F is not a pass at 3"),
        (lambda d: d.update(qcf_level=2), "the advanced Diploma is at level 3"),
        (lambda d: d.update(asl=None), "only Progression has no ASL"),
        (lambda d: d["plts"].pop(), "plts must be the six"),
        (lambda d: d.update(qualification="50039134"), "qualification: the Diploma's number"),
    ],
)
def test_a_malformed_diploma_file_is_refused_naming_the_problem(change: Any, message: str) -> None:
    data = copy.deepcopy(_shipped("diplomas", "engineering-advanced.json"))
    change(data)
    with pytest.raises(
        RuleFileInvalid, match=message.replace("*", r"\*").replace("(", r"\(").replace(")", r"\)")
    ):
        read_diploma_rules(data, "engineering-advanced.json")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["groups"][0]["units"].append("Z/999/9999"),
            "every unit must be in units.json",
        ),
        (lambda d: d["groups"][1]["units"].append("F/602/0001"), "a unit may be in one group only"),
        (lambda d: d.update(barred=[["F/602/0003"]]), "barred sets name 2\\+ of its units"),
        (lambda d: d.update(total_credit=99), "the groups cannot reach the total credit"),
        (lambda d: d["groups"][1].update(max_units=-1), "max < min units"),
    ],
)
def test_a_malformed_qcf_file_is_refused_naming_the_problem(change: Any, message: str) -> None:
    data = copy.deepcopy(_shipped("qcf", "600-1002-6.json"))
    change(data)
    with pytest.raises(RuleFileInvalid, match=message):
        read_qcf_rules(data, "600-1002-6.json", unit_catalogue())
