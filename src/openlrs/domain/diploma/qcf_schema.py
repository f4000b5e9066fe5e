"""The QCF rule-file schema: the unit catalogue and one qualification's rules of combination."""

from __future__ import annotations

from openlrs.domain.diploma.levels import level_rank
from openlrs.domain.diploma.qcf_rules import Exemption, QcfRules, RuleGroup, Unit
from openlrs.domain.diploma.rule_schema import Fields, check
from openlrs.domain.identifiers import is_valid_qualification_number, is_valid_unit_reference

UNITS_SCHEMA = "openlrs-qcf-units/1"
QCF_SCHEMA = "openlrs-qcf-rules/1"


def _level(fields: Fields) -> int:
    text = fields.take("level", str)
    try:
        return level_rank(text)
    except ValueError:
        check(False, fields.where, f"level {text!r} is not E1-E3 or 1-8")
        raise


def read_units(value: object, where: str) -> dict[str, Unit]:
    fields = Fields(value, where)
    check(fields.take("schema", str) == UNITS_SCHEMA, where, f"schema must be {UNITS_SCHEMA}")
    units: dict[str, Unit] = {}
    for index, item in enumerate(fields.take("units", list)):
        unit_fields = Fields(item, f"{where}.units[{index}]")
        reference = unit_fields.take("reference", str)
        check(
            is_valid_unit_reference(reference), unit_fields.where, f"{reference} is not a unit ref"
        )
        check(reference not in units, unit_fields.where, f"{reference} listed twice")
        units[reference] = Unit(
            reference,
            unit_fields.take("title", str),
            _level(unit_fields),
            unit_fields.count("credit", minimum=1),
        )
        unit_fields.done()
    fields.done()
    return units


def _group(value: object, where: str) -> RuleGroup:
    fields = Fields(value, where)
    group = RuleGroup(
        name=fields.take("name", str),
        units=tuple(fields.strings("units")),
        min_credit=fields.count("min_credit", 0),
        max_credit=fields.optional("max_credit", int),
        min_units=fields.count("min_units", 0),
        max_units=fields.optional("max_units", int),
    )
    fields.done()
    check(
        group.max_credit is None or group.max_credit >= group.min_credit, where, "max < min credit"
    )
    check(group.max_units is None or group.max_units >= group.min_units, where, "max < min units")
    return group


def read_qcf_rules(value: object, where: str, catalogue: dict[str, Unit]) -> QcfRules:
    """Validate one qualification's rules against the schema and the unit catalogue."""
    fields = Fields(value, where)
    check(fields.take("schema", str) == QCF_SCHEMA, where, f"schema must be {QCF_SCHEMA}")
    number = fields.take("qualification", str)
    check(is_valid_qualification_number(number), where, f"{number} is not a qualification number")
    equivalences = fields.take("equivalences", dict, {})
    exemptions = []
    for index, item in enumerate(fields.take("exemptions", list, [])):
        exemption_fields = Fields(item, f"{where}.exemptions[{index}]")
        exemptions.append(
            Exemption(exemption_fields.take("achievement", str), exemption_fields.take("unit", str))
        )
        exemption_fields.done()
    rules = QcfRules(
        qualification=number,
        title=fields.take("title", str),
        level=_level(fields),
        total_credit=fields.count("total_credit", minimum=1),
        credit_at_or_above_level=fields.count("credit_at_or_above_level", 0),
        groups=tuple(
            _group(g, f"{where}.groups[{i}]") for i, g in enumerate(fields.take("groups", list))
        ),
        barred=tuple(frozenset(b) for b in fields.take("barred", list, [])),
        equivalences={
            unit: frozenset(others)
            for unit, others in equivalences.items()
            if isinstance(others, list)
        },
        exemptions=tuple(exemptions),
        time_limit_years=fields.optional("time_limit_years", int),
    )
    fields.take("illustrative", bool)
    fields.done()
    _cross_check(rules, where, catalogue, len(equivalences))
    return rules


def _cross_check(
    rules: QcfRules, where: str, catalogue: dict[str, Unit], equivalences: int
) -> None:
    units = rules.units()
    check(len(units) == len(set(units)), where, "a unit may be in one group only")
    check(all(u in catalogue for u in units), where, "every unit must be in units.json")
    check(equivalences == len(rules.equivalences), where, "equivalences map a unit to a list")
    for unit, others in rules.equivalences.items():
        check(unit in units, where, f"equivalence for {unit}, which is not in a group")
        check(all(is_valid_unit_reference(o) for o in others), where, "equivalents are unit refs")
    for barred in rules.barred:
        check(len(barred) >= 2 and barred <= set(units), where, "barred sets name 2+ of its units")
    for exemption in rules.exemptions:
        check(exemption.unit in units, where, f"exemption for {exemption.unit}, not in a group")
    check(rules.time_limit_years is None or rules.time_limit_years >= 1, where, "time limit >= 1")
    check(
        sum(catalogue[u].credit for u in units) >= rules.total_credit,
        where,
        "the groups cannot reach the total credit",
    )
