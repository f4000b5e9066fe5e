"""Load and validate the shipped rule files (`openlrs/data/diplomas/`, `openlrs/data/qcf/`).

The only I/O in the aggregation package: files read once per process through importlib.resources.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
from importlib import resources
from importlib.resources.abc import Traversable

from openlrs.domain.diploma.diploma_rules import (
    FUNCTIONAL_SKILLS,
    PLTS,
    AslRule,
    DiplomaLevel,
    DiplomaRules,
    GradedComponent,
)
from openlrs.domain.diploma.errors import (
    DiplomaNotOffered,
    QualificationRulesNotFound,
    RuleFileInvalid,
)
from openlrs.domain.diploma.qcf_rules import QcfRules, Unit
from openlrs.domain.diploma.qcf_schema import read_qcf_rules, read_units
from openlrs.domain.diploma.rule_schema import Fields, check
from openlrs.domain.identifiers import is_valid_qualification_number

DIPLOMA_SCHEMA = "openlrs-diploma-rules/1"
LEVEL_OF = {
    DiplomaLevel.FOUNDATION: 1,
    DiplomaLevel.HIGHER: 2,
    DiplomaLevel.PROGRESSION: 3,
    DiplomaLevel.ADVANCED: 3,
}
PASSING_GRADES = {1: ("A*", "A", "B"), 2: ("A*", "A", "B", "C"), 3: ("A*", "A", "B", "C", "D", "E")}
"""Principal learning grades that pass, by level; anything else is U."""


def _folder(name: str) -> Traversable:
    return resources.files("openlrs.data").joinpath(name)


def _json(file: Traversable) -> object:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise RuleFileInvalid(f"{file.name}: not valid JSON ({exc})") from exc


def _graded(value: object, where: str, *, require_qualifications: bool) -> GradedComponent:
    fields = Fields(value, where)
    qualifications = fields.strings("qualifications", [])
    check(bool(qualifications) or not require_qualifications, where, "name its qualifications")
    for number in qualifications:
        check(is_valid_qualification_number(number), where, f"{number} is not a QN")
    level = fields.count("level", minimum=1)
    points = fields.take("points", dict)
    check(bool(points), where, "list the points of each passing grade")
    for grade, value_ in points.items():
        check(type(value_) is int and value_ >= 0, where, f"points for {grade} must be >= 0")
        check(grade in PASSING_GRADES.get(level, ()), where, f"{grade} is not a pass at {level}")
    fields.done()
    return GradedComponent(frozenset(qualifications), level, dict(points))


def _thresholds(value: list[object], where: str) -> tuple[tuple[str, int], ...]:
    pairs = []
    for item in value:
        check(
            isinstance(item, list) and len(item) == 2 and isinstance(item[0], str),
            where,
            "each threshold is [grade, points]",
        )
        assert isinstance(item, list)
        check(type(item[1]) is int, where, "threshold points must be whole numbers")
        pairs.append((str(item[0]), int(item[1])))
    minima = [points for _, points in pairs]
    check(bool(pairs), where, "at least one threshold")
    check(all(a > b for a, b in itertools.pairwise(minima)), where, "best grade first")
    return tuple(pairs)


def read_diploma_rules(value: object, where: str) -> DiplomaRules:
    """Validate one Diploma rule file's content into `DiplomaRules`."""
    fields = Fields(value, where)
    check(fields.take("schema", str) == DIPLOMA_SCHEMA, where, f"schema must be {DIPLOMA_SCHEMA}")
    line = fields.take("line", str)
    try:
        level = DiplomaLevel(fields.take("level", str))
    except ValueError as exc:
        raise RuleFileInvalid(f"{where}.level: one of {', '.join(DiplomaLevel)}") from exc
    qcf_level = fields.count("qcf_level", minimum=1)
    check(
        qcf_level == LEVEL_OF[level],
        where,
        f"the {level.value} Diploma is at level {LEVEL_OF[level]}",
    )
    qualification = fields.take("qualification", str)
    check(
        is_valid_qualification_number(qualification) and "/" in qualification,
        where,
        "qualification: the Diploma's number, shaped 123/4567/8",
    )
    skills = fields.take("functional_skills", dict)
    check(
        sorted(skills) == sorted(FUNCTIONAL_SKILLS),
        where,
        "functional skills: english, mathematics, ict",
    )
    check(
        all(type(v) is int for v in skills.values()), where, "functional skill levels are numbers"
    )
    plts = fields.strings("plts")
    check(sorted(plts) == sorted(PLTS), where, f"plts must be the six: {', '.join(PLTS)}")
    asl_value = fields.optional("asl", dict)
    asl = None
    if asl_value is not None:
        asl_fields = Fields(asl_value, f"{where}.asl")
        try:
            earliest = dt.date.fromisoformat(asl_fields.take("earliest", str, "2005-01-01"))
        except ValueError as exc:
            raise RuleFileInvalid(f"{where}.asl.earliest: a date YYYY-MM-DD") from exc
        asl = AslRule(
            asl_fields.count("min_glh", minimum=1),
            asl_fields.count("min_level", minimum=1),
            earliest,
        )
        asl_fields.done()
    check(
        (asl is None) == (level is DiplomaLevel.PROGRESSION), where, "only Progression has no ASL"
    )
    rules = DiplomaRules(
        line=line,
        line_title=fields.take("line_title", str),
        level=level,
        qcf_level=qcf_level,
        qualification=qualification,
        principal_learning=_graded(
            fields.take("principal_learning", dict),
            f"{where}.principal_learning",
            require_qualifications=True,
        ),
        project=_graded(
            fields.take("project", dict), f"{where}.project", require_qualifications=False
        ),
        functional_skills=dict(skills),
        work_experience_days=fields.count("work_experience_days", minimum=1),
        plts=frozenset(plts),
        asl=asl,
        barring_codes=frozenset(fields.strings("barring_codes", [])),
        grade_thresholds=_thresholds(
            fields.take("grade_thresholds", list), f"{where}.grade_thresholds"
        ),
        illustrative=fields.take("illustrative", bool),
        note=fields.take("note", str, ""),
    )
    fields.done()
    check(
        rules.principal_learning.level == qcf_level,
        where,
        "principal learning at the Diploma's level",
    )
    check(rules.project.level == qcf_level, where, "the project at the Diploma's level")
    return rules


@functools.cache
def all_diploma_rules() -> dict[str, DiplomaRules]:
    """Every shipped Diploma, keyed `line/level`."""
    found: dict[str, DiplomaRules] = {}
    for file in sorted(_folder("diplomas").iterdir(), key=lambda f: f.name):
        if file.name.endswith(".json"):
            rules = read_diploma_rules(_json(file), file.name)
            check(rules.key not in found, file.name, f"{rules.key} is defined twice")
            found[rules.key] = rules
    return found


def diploma_rules(line: str, level: str) -> DiplomaRules:
    rules = all_diploma_rules().get(f"{line}/{level}")
    if rules is None:
        raise DiplomaNotOffered(f"No Diploma in {line!r} at level {level!r} is offered")
    return rules


@functools.cache
def unit_catalogue() -> dict[str, Unit]:
    """The QCF units the shipped qualifications draw on, by reference."""
    return read_units(_json(_folder("qcf").joinpath("units.json")), "units.json")


@functools.cache
def all_qcf_rules() -> dict[str, QcfRules]:
    """Every shipped QCF qualification's rules, by qualification number."""
    catalogue = unit_catalogue()
    found: dict[str, QcfRules] = {}
    for file in sorted(_folder("qcf").iterdir(), key=lambda f: f.name):
        if file.name.endswith(".json") and file.name != "units.json":
            rules = read_qcf_rules(_json(file), file.name, catalogue)
            check(rules.qualification not in found, file.name, "qualification defined twice")
            found[rules.qualification] = rules
    return found


def qcf_rules(qualification: str) -> QcfRules:
    rules = all_qcf_rules().get(qualification)
    if rules is None:
        raise QualificationRulesNotFound()
    return rules
