"""What achievement and participation rows share: ISO dates, the learner's claimed details (the
names, date of birth and gender the submitter holds, checked like any learner field) and the
shape of a checked row. Used by batch/achievement_rows.py and batch/participation_rows.py."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from openlrs.batch.records import RawRecord
from openlrs.batch.rows import BatchRow, _blank, _check_unique, _source_id
from openlrs.domain.errors import FieldError
from openlrs.domain.learners.demographics import FieldRules, check_field
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.services.policy import RegisterPolicy

ISO_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def row_date(
    values: dict[str, str], name: str, problems: list[FieldError], *, required: bool = True
) -> dt.date | None:
    """The cell as a YYYY-MM-DD date; None (with a problem appended when it is wrong, or missing
    and required) otherwise."""
    text = values.get(name, "").strip()
    if not text:
        if required:
            label = name.replace("_", " ")
            problems.append(FieldError(name, "FIELD_REQUIRED", f"Enter the {label}"))
        return None
    try:
        if ISO_DATE_PATTERN.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    problems.append(FieldError(name, "DATE_INVALID", "Give the date as YYYY-MM-DD"))
    return None


def claimed_details(
    values: dict[str, str], policy: RegisterPolicy, problems: list[FieldError]
) -> ClaimedDetails | None:
    """The learner as the row names them (names required; date of birth and gender optional),
    each field checked by the register's rules; None when any is wrong (problems appended)."""
    rules = FieldRules(today=policy.today(), min_age=0, max_age=200)
    claimed: dict[str, Any] = {}
    before = len(problems)
    for name in ("given_name", "family_name", "date_of_birth", "gender"):
        raw = values.get(name, "")
        if name in ("date_of_birth", "gender") and _blank(raw):
            claimed[name] = None
            continue
        typed: object = None if _blank(raw) else raw
        if name == "gender" and raw.strip().isascii() and raw.strip().isdigit():
            typed = int(raw.strip())
        if name == "date_of_birth":
            typed = row_date(values, name, problems)
            if typed is None:
                continue
        claimed[name], errors = check_field(name, typed, rules)
        problems.extend(errors)
    return None if len(problems) > before else ClaimedDetails(**claimed)


def checked_row(
    record: RawRecord,
    seen: set[str] | None,
    parse: Callable[[dict[str, str], list[FieldError]], object],
) -> BatchRow:
    """A row checked at upload: its source id (unique in the file), then `parse`'s problems."""
    values = record.values
    problems = list(record.problems)
    source_id = _source_id(values, problems)
    _check_unique(source_id, seen, problems)
    if not record.problems:
        parse(values, problems)
    return BatchRow(record.number, source_id, values, tuple(problems))
