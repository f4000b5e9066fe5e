"""XML batch files, parsed safely as a stream and checked against the shipped schema (batch.xsd).

lxml parses with entities unresolved, no DTD loading, no network and libxml2's size guards on;
any DOCTYPE is refused before the first row, so XXE and entity-expansion bombs never get further.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from lxml import etree

from openlrs.batch.columns import COLUMNS, ROW_ELEMENT, BatchKind, kind_from_root
from openlrs.batch.file_errors import (
    BatchEmpty,
    BatchEncodingError,
    BatchFileError,
    BatchKindUnknown,
    BatchMalformed,
    BatchXmlSchema,
    BatchXmlUnsafe,
)
from openlrs.batch.records import RawRecord, describe
from openlrs.batch.source import CheckedSource

SCHEMA_FILE = "batch.xsd"

if TYPE_CHECKING:  # lxml's element type is named only for the type checker
    _Events = Iterator[tuple[str, etree._Element]]


@cache
def batch_schema() -> etree.XMLSchema:
    """The schema shipped in the package (package data `openlrs/batch/schemas/batch.xsd`)."""
    text = resources.files("openlrs.batch").joinpath("schemas", SCHEMA_FILE).read_bytes()
    return etree.XMLSchema(etree.fromstring(text, _parser()))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class XmlBatch:
    """An XML batch whose root element has been read and checked; iterate it for the records."""

    def __init__(self, source: CheckedSource, kind: BatchKind | None) -> None:
        self._events: _Events = etree.iterparse(
            source,
            events=("start", "end"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )  # schema= is not passed: with resolve_entities=False lxml 6 then misses a truncated file
        root = self._root()
        found = kind_from_root(root.tag) if isinstance(root.tag, str) else None
        if found is None or (kind is not None and kind is not found):
            wanted = (
                f"<{kind}_batch>"
                if kind
                else "<registration_batch>, <vld_batch> or <achievement_batch>"
            )
            raise BatchKindUnknown(f"The root element must be {wanted}")
        self.kind = found
        self._root_tag = root.tag
        self.columns = list(COLUMNS[found])

    def _next(self) -> tuple[str, etree._Element] | None:
        try:
            return next(self._events, None)
        except etree.XMLSyntaxError as exc:
            raise _file_error(exc) from None

    def _root(self) -> etree._Element:
        event = self._next()
        if event is None:
            raise BatchEmpty("The file is empty")
        root = event[1]
        info = root.getroottree().docinfo
        if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
            raise BatchXmlUnsafe("Remove the <!DOCTYPE ...> declaration: DTDs are not accepted")
        return root

    def __iter__(self) -> Iterator[RawRecord]:
        number = 0
        while (event := self._next()) is not None:
            action, element = event
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # the root's end, or an element inside a learner
            if element.tag != ROW_ELEMENT:
                name = describe([str(element.tag)])
                raise BatchXmlSchema(f"After learner {number}: <{name}> is not a <learner>")
            if action != "end":
                continue
            number += 1
            self._check_schema(element, number)
            values = {str(child.tag): child.text or "" for child in element}
            element.clear()
            while element.getprevious() is not None:
                parent = element.getparent()
                assert parent is not None
                del parent[0]
            yield RawRecord(number, values)

    def _check_schema(self, learner: etree._Element, number: int) -> None:
        """Validate one <learner> against batch.xsd inside an otherwise empty root."""
        schema = batch_schema()
        document = etree.Element(self._root_tag)
        document.append(copy.deepcopy(learner))
        if not schema.validate(document):
            entry = schema.error_log.last_error
            message = entry.message if entry is not None else "does not follow the schema"
            raise BatchXmlSchema(f"Learner {number}: {message}")


def _file_error(exc: etree.XMLSyntaxError) -> BatchFileError:
    entry = exc.error_log.last_error if exc.error_log else None
    message = str(entry.message if entry is not None else exc.msg).strip()
    line = entry.line if entry is not None else exc.lineno
    lowered = message.lower()
    if "entity" in lowered or "doctype" in lowered or "dtd" in lowered:
        return BatchXmlUnsafe(f"Line {line}: entities and DTDs are not accepted")
    if "encoding" in lowered or "utf-8" in lowered:
        return BatchEncodingError(f"Line {line}: save the file as UTF-8")
    return BatchMalformed(f"Line {line}: {message}")
