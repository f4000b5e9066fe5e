"""XML batch files, parsed safely as a stream (batch/safe_xml.py: no DOCTYPE, entities or
network) and checked against the shipped schema (batch.xsd), one learner at a time.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from importlib import resources

from lxml import etree

from openlrs.batch.columns import COLUMNS, ROW_ELEMENT, BatchKind, kind_from_root
from openlrs.batch.file_errors import BatchKindUnknown, BatchXmlSchema
from openlrs.batch.records import RawRecord, describe
from openlrs.batch.safe_xml import SafeEvents, drop
from openlrs.batch.source import CheckedSource

SCHEMA_FILE = "batch.xsd"


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
        self._events = SafeEvents(source)
        root = self._events.root
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

    def __iter__(self) -> Iterator[RawRecord]:
        number = 0
        while (event := self._events.next()) is not None:
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
            drop(element)
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
