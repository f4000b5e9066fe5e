"""The qualification and unit register file the service desk loads (`openlrs load-qualifications`).

CSV, UTF-8, with a header; one line per qualification or unit:
kind (qualification or unit), code (123/4567/8 or A/123/4567), title, qualification_type, level,
credit, glh, owners (UKPRNs, space-separated; a unit's first is its owner), shared (yes/no),
availability (private/shared/restricted, units), awarders (UKPRNs, restricted units),
valid_from, valid_to (YYYY-MM-DD). Every line is checked; any problem and nothing is loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from openlrs.batch.columns import column_name
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.plr.qualifications import (
    Availability,
    Qualification,
    Unit,
    validated_qualification,
    validated_unit,
)

COLUMNS = ("kind", "code", "title", "qualification_type", "level", "credit", "glh", "owners",
           "shared", "availability", "awarders", "valid_from", "valid_to")  # fmt: skip


@dataclass(frozen=True)
class LineProblem:
    line: int
    field: str
    code: str
    message: str


def _int(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise ValueError
    return int(text)


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text.strip()) if text.strip() else None


def _entry(cells: dict[str, str]) -> Qualification | Unit:
    kind = cells.get("kind", "").strip().lower()
    owners = cells.get("owners", "").split()
    try:
        credit, glh = _int(cells.get("credit", "")), _int(cells.get("glh", ""))
        valid_from, valid_to = _date(cells.get("valid_from", "")), _date(cells.get("valid_to", ""))
    except ValueError:
        message = "Numbers are whole numbers; dates are YYYY-MM-DD"
        raise ValidationFailed([FieldError("credit", "FIELD_INVALID", message)]) from None
    if kind == "unit":
        try:
            availability = Availability(cells.get("availability", "").strip().lower() or "private")
        except ValueError:
            message = "Availability is private, shared or restricted"
            raise ValidationFailed([FieldError("availability", "FIELD_INVALID", message)]) from None
        return validated_unit(
            Unit(cells.get("code", ""), cells.get("title", ""), cells.get("level", ""), credit or 0,
                 owners[0] if owners else "", availability,
                 frozenset(cells.get("awarders", "").split()))
        )  # fmt: skip
    if kind != "qualification":
        message = "Kind is qualification or unit"
        raise ValidationFailed([FieldError("kind", "FIELD_INVALID", message)])
    shared = cells.get("shared", "").strip().lower() in ("yes", "y", "true", "1")
    return validated_qualification(
        Qualification(cells.get("code", ""), cells.get("title", ""),
                      cells.get("qualification_type", ""), cells.get("level", ""),
                      frozenset(owners), shared, credit, glh, valid_from, valid_to)
    )  # fmt: skip


def read_register_file(content: bytes) -> tuple[list[Qualification | Unit], list[LineProblem]]:
    """Every entry of the file, checked, and every problem found (line 1 is the header)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [LineProblem(0, "", "FILE_ENCODING", "Save the file as UTF-8")]
    reader = csv.reader(io.StringIO(text))
    header = [column_name(h) for h in next(reader, [])]
    unknown = [h for h in header if h and h not in COLUMNS]
    if not header or "kind" not in header or "code" not in header or unknown:
        message = f"The header must name columns from: {', '.join(COLUMNS)}"
        return [], [LineProblem(1, "", "HEADER_INVALID", message)]
    entries: list[Qualification | Unit] = []
    problems: list[LineProblem] = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            entries.append(_entry(dict(zip(header, row, strict=False))))
        except ValidationFailed as exc:
            problems += [LineProblem(number, e.field, e.code, e.message) for e in exc.errors]
    return entries, problems
