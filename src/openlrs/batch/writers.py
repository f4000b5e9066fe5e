"""Write batch files as a stream: input files (for tests, demos and benchmarks), output files
(every row with its outcome) and error files (only the failed rows), in CSV or XML.

CSV output cells that a spreadsheet would run as a formula get a leading apostrophe
(reports/spreadsheet.py, the one rule for every CSV the service writes). Input files are written
as given, so they read back to the same values.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO

from lxml import etree

from openlrs.batch.columns import COLUMNS, ROOT_ELEMENTS, ROW_ELEMENT, BatchFormat, BatchKind
from openlrs.batch.results import OUTPUT_COLUMNS, RowResult, messages_text
from openlrs.reports.spreadsheet import safe_row

if TYPE_CHECKING:
    from _csv import Writer

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """Text XML 1.0 can carry: characters it cannot hold become U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


@contextmanager
def _csv_writer(stream: BinaryIO, *, bom: bool) -> Iterator[Writer]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig" if bom else "utf-8", newline="")
    try:
        yield csv.writer(text)
        text.flush()
    finally:
        text.detach()


def write_batch(
    rows: Iterable[Mapping[str, str]],
    stream: BinaryIO,
    *,
    kind: BatchKind,
    fmt: BatchFormat,
    columns: Sequence[str] | None = None,
) -> None:
    """An input file of `kind` holding `rows` (column -> cell; missing columns are blank)."""
    names = list(columns or COLUMNS[kind])
    if fmt is BatchFormat.CSV:
        with _csv_writer(stream, bom=False) as writer:
            writer.writerow(names)
            for row in rows:
                writer.writerow([row.get(name, "") for name in names])
        return
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(ROOT_ELEMENTS[kind]):
            for row in rows:
                xf.write(_learner_element(row, names), pretty_print=True)


def write_output(
    results: Iterable[RowResult],
    stream: BinaryIO,
    *,
    kind: BatchKind,
    fmt: BatchFormat,
    columns: Sequence[str] | None = None,
    errors_only: bool = False,
) -> int:
    """The output file (every result) or, with `errors_only`, the error file; rows written."""
    names = list(columns or COLUMNS[kind])
    chosen = (r for r in results if not (errors_only and r.succeeded))
    if fmt is BatchFormat.CSV:
        return _write_csv_output(chosen, stream, names)
    suffix = "errors" if errors_only else "output"
    return _write_xml_output(chosen, stream, names, f"{kind}_{suffix}")


def write_errors(
    results: Iterable[RowResult],
    stream: BinaryIO,
    *,
    kind: BatchKind,
    fmt: BatchFormat,
    columns: Sequence[str] | None = None,
) -> int:
    """The error file: only the rows that failed, with why."""
    return write_output(results, stream, kind=kind, fmt=fmt, columns=columns, errors_only=True)


def _write_csv_output(results: Iterable[RowResult], stream: BinaryIO, names: list[str]) -> int:
    count = 0
    with _csv_writer(stream, bom=True) as writer:
        writer.writerow([*OUTPUT_COLUMNS, *names])
        for r in results:
            ours = [str(r.row), r.outcome, r.lrs_code or "", r.uln or "", messages_text(r.messages)]
            writer.writerow(safe_row((*ours, *(r.values.get(n, "") for n in names))))
            count += 1
    return count


def _write_xml_output(
    results: Iterable[RowResult], stream: BinaryIO, names: list[str], root: str
) -> int:
    count = 0
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(root):
            for r in results:
                xf.write(_result_element(r, names), pretty_print=True)
                count += 1
    return count


def _result_element(result: RowResult, names: list[str]) -> etree._Element:
    element = etree.Element("result", row=str(result.row))
    for tag, value in (("outcome", result.outcome), ("lrs_code", result.lrs_code)):
        etree.SubElement(element, tag).text = value or ""
    etree.SubElement(element, "returned_uln").text = result.uln or ""
    messages = etree.SubElement(element, "messages")
    for m in result.messages:
        child = etree.SubElement(messages, "message", column=m.field, code=m.code)
        child.text = xml_text(m.message)
    element.append(_learner_element(result.values, names))
    return element


def _learner_element(row: Mapping[str, str], names: list[str]) -> etree._Element:
    element = etree.Element(ROW_ELEMENT)
    for name in names:
        value = row.get(name, "")
        if value:
            etree.SubElement(element, name).text = xml_text(value)
    return element
