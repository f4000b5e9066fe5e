"""Turn a raw record into what the services take, applying exactly the rules the services apply.

Registration rows become `LearnerDetails` checked by `RegisterPolicy.validated` (the same call
`register_learner` and `update_learner` make); VLD rows become a `VerifyRequest` checked with the
same field rules. Every problem in a row is reported at once, each with the domain's stable code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from openlrs.batch.columns import SOURCE_LEARNER_ID, ULN, VERSION, BatchKind
from openlrs.batch.records import RawRecord
from openlrs.domain.errors import DomainError, FieldError, ValidationFailed, VersionRequired
from openlrs.domain.identifiers import is_temporary_uln, parse_uln
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.verification import ClaimedDetails, validated_claim
from openlrs.services.learners.verify import VerifyLearner
from openlrs.services.policy import RegisterPolicy

SOURCE_ID_MAX = 50
_DETAIL_FIELDS = frozenset(f.name for f in dataclasses.fields(LearnerDetails))
_CODES = frozenset({"gender", "verification_type", "ability_to_share"})
_DATES = frozenset({"date_of_birth", "date_of_address_capture"})
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class BatchRow:
    """One row as read: its cells, and either the validated inputs or every problem found.

    For registration rows `details` is set when valid; `uln` and `expected_version` are set when
    the row updates an existing learner, and `changes` then holds only the non-blank fields.
    """

    number: int
    source_learner_id: str | None
    values: dict[str, str]
    problems: tuple[FieldError, ...] = ()
    details: LearnerDetails | None = None
    uln: str | None = None
    expected_version: int | None = None
    verify: VerifyLearner | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def is_update(self) -> bool:
        return self.uln is not None and self.verify is None


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _typed(name: str, raw: str) -> object:
    """A cell as the domain expects it; anything unconvertible is passed on for the rule to name."""
    text = raw.strip()
    if name in _CODES and text.isascii() and text.isdigit():
        return int(text)
    if name in _DATES and _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return raw


def _source_id(values: dict[str, str], problems: list[FieldError]) -> str | None:
    raw = values.get(SOURCE_LEARNER_ID, "")
    text = raw.strip()
    if not text:
        return None
    if len(text) > SOURCE_ID_MAX or not text.isprintable():
        message = f"Source learner id must be up to {SOURCE_ID_MAX} printable characters"
        problems.append(FieldError(SOURCE_LEARNER_ID, "SOURCE_LEARNER_ID_INVALID", message))
    return text


def _uln(values: dict[str, str], problems: list[FieldError], *, required: bool) -> str | None:
    raw = values.get(ULN, "")
    if _blank(raw) or (not required and is_temporary_uln(raw)):
        if required:
            problems.append(FieldError(ULN, "FIELD_REQUIRED", "Enter the ULN"))
        return None
    try:
        return parse_uln(raw)
    except DomainError as exc:
        problems.append(FieldError(ULN, exc.code, exc.detail))
        return None


def _version(values: dict[str, str], uln: str | None, problems: list[FieldError]) -> int | None:
    text = values.get(VERSION, "").strip()
    if uln is None:
        return None
    if not (text.isascii() and text.isdigit() and int(text) >= 1):
        message = "Give the version you last read to update a learner (a whole number from 1)"
        problems.append(FieldError(VERSION, VersionRequired.code, message))
        return None
    return int(text)


def registration_row(
    record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None
) -> BatchRow:
    """A registration (blank ULN) or update (ULN and version) row, checked field by field."""
    values = record.values
    problems = list(record.problems)
    source_id = _source_id(values, problems)
    _check_unique(source_id, seen, problems)
    if record.problems:  # a ragged row's cells may sit under the wrong columns: check no further
        return BatchRow(record.number, source_id, values, tuple(problems))
    uln = _uln(values, problems, required=False)
    version = _version(values, uln, problems)
    supplied = {k: _typed(k, v) for k, v in values.items() if k in _DETAIL_FIELDS and not _blank(v)}
    details = None
    try:
        details = policy.validated(LearnerDetails(**_with_blanks(supplied)))
    except ValidationFailed as exc:
        problems.extend(exc.errors)
    if problems:
        return BatchRow(record.number, source_id, values, tuple(problems))
    assert details is not None
    changes = {k: getattr(details, k) for k in supplied} if uln else {}
    return BatchRow(record.number, source_id, values, (), details, uln, version, changes=changes)


def _with_blanks(supplied: dict[str, object]) -> dict[str, Any]:
    """Mandatory fields left blank are None, so the rules report FIELD_REQUIRED for them."""
    mandatory = ("given_name", "family_name", "date_of_birth", "gender", "postcode")
    return {name: None for name in mandatory} | supplied


def vld_row(record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None) -> BatchRow:
    """A VLD row: a valid ULN, both names, and optionally date of birth and gender."""
    values = record.values
    problems = list(record.problems)
    source_id = _source_id(values, problems)
    _check_unique(source_id, seen, problems)
    if record.problems:
        return BatchRow(record.number, source_id, values, tuple(problems))
    uln = _uln(values, problems, required=True)
    typed: dict[str, Any] = {
        name: None if _blank(values.get(name)) else _typed(name, values.get(name, ""))
        for name in ("given_name", "family_name", "date_of_birth", "gender")
    }
    claim = None
    try:  # the rules the VLD service applies, not the registration age bounds
        claim = validated_claim(ClaimedDetails(**typed), today=policy.today())
    except ValidationFailed as exc:
        problems.extend(exc.errors)
    if problems:
        return BatchRow(record.number, source_id, values, tuple(problems))
    assert uln is not None and claim is not None
    return BatchRow(record.number, source_id, values, (), uln=uln, verify=VerifyLearner(uln, claim))


def _check_unique(source_id: str | None, seen: set[str] | None, problems: list[FieldError]) -> None:
    if source_id is None or seen is None:
        return
    if source_id in seen:
        message = "Another row in this file has the same source learner id"
        problems.append(FieldError(SOURCE_LEARNER_ID, "SOURCE_LEARNER_ID_DUPLICATE", message))
    seen.add(source_id)


def _achievement_row(
    record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None
) -> BatchRow:
    from openlrs.batch.achievement_rows import achievement_row  # it builds on this module

    return achievement_row(record, policy, seen)


def _diploma_result_row(
    record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None
) -> BatchRow:
    from openlrs.batch.diploma_result_rows import diploma_result_row  # it builds on this module

    return diploma_result_row(record, policy, seen)


def _ctf_row(record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None) -> BatchRow:
    from openlrs.batch.ctf_rows import ctf_row  # it builds on this module

    return ctf_row(record, policy, seen)


def _participation_row(
    record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None
) -> BatchRow:
    from openlrs.batch.participation_rows import participation_row  # it builds on this module

    return participation_row(record, policy, seen)


ROW_VALIDATORS = {
    BatchKind.REGISTRATION: registration_row,
    BatchKind.VLD: vld_row,
    BatchKind.ACHIEVEMENT: _achievement_row,
    BatchKind.DIPLOMA_RESULT: _diploma_result_row,
    BatchKind.CTF: _ctf_row,
    BatchKind.PARTICIPATION: _participation_row,
}
