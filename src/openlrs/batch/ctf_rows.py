"""A CTF pupil as a registration: the same field rules, with the CTF's own spellings.

`Sex` M/F becomes gender 1/2; a pupil without an address gets the register's dummy postcode
(ZZ99 9ZZ, as for any learner with no UK postcode); a `UniqueLearnerNumber` is kept aside, so
the pupil keeps it when the register's record agrees (services/learners/transfer.py).
"""

from __future__ import annotations

from openlrs.batch.columns import ULN
from openlrs.batch.records import RawRecord
from openlrs.batch.rows import BatchRow, registration_row
from openlrs.domain.errors import DomainError, FieldError
from openlrs.domain.identifiers import is_temporary_uln, parse_uln
from openlrs.domain.learners.demographics import DUMMY_POSTCODE
from openlrs.services.policy import RegisterPolicy

SEXES = {"M": "1", "F": "2"}


def ctf_row(record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None) -> BatchRow:
    """The pupil checked as a registration row; `uln` is the ULN the CTF carried, if any."""
    values = record.values
    problems: list[FieldError] = []
    cells = {k: v for k, v in values.items() if k not in (ULN, "sex")}
    sex = values.get("sex", "").strip().upper()
    if sex not in SEXES:
        problems.append(FieldError("sex", "GENDER_INVALID", "Sex must be M or F"))
    cells["gender"] = SEXES.get(sex, "0")
    cells.setdefault("postcode", DUMMY_POSTCODE)
    if not cells.get("upn"):
        problems.append(FieldError("upn", "FIELD_REQUIRED", "Every pupil in a CTF has a UPN"))
    uln = _carried_uln(values.get(ULN, ""), problems)
    checked = registration_row(RawRecord(record.number, cells), policy, seen)
    problems.extend(checked.problems)
    if problems:
        return BatchRow(record.number, checked.source_learner_id, values, tuple(problems))
    return BatchRow(record.number, checked.source_learner_id, values, (), checked.details, uln)


def _carried_uln(raw: str, problems: list[FieldError]) -> str | None:
    if not raw.strip() or is_temporary_uln(raw.strip()):
        return None
    try:
        return parse_uln(raw)
    except DomainError as exc:
        problems.append(FieldError("uln", exc.code, exc.detail))
        return None
