"""The one safe way batch files are read as XML (batch/xml_format.py, batch/ctf_format.py).

lxml parses as a stream with entities unresolved, no DTD loading, no network, comments and
processing instructions dropped and libxml2's size guards on; any DOCTYPE is refused before the
first record, so XXE and entity-expansion bombs never get further. Parser errors become the
batch file errors a submitter reads, never lxml's own exceptions.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from lxml import etree

from openlrs.batch.file_errors import (
    BatchEmpty,
    BatchEncodingError,
    BatchFileError,
    BatchMalformed,
    BatchXmlUnsafe,
)

if TYPE_CHECKING:  # lxml's element type is named only for the type checker
    _Events = Iterator[tuple[str, etree._Element]]


class SafeEvents:
    """("start" | "end", element) events of a stream; `root` is the first element, checked."""

    def __init__(self, source: io.RawIOBase) -> None:
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
        self.root = self._root()

    def next(self) -> tuple[str, etree._Element] | None:
        """The next event, None at the end; a BatchFileError for a file that is not safe XML."""
        try:
            return next(self._events, None)
        except etree.XMLSyntaxError as exc:
            raise file_error(exc) from None

    def _root(self) -> etree._Element:
        event = self.next()
        if event is None:
            raise BatchEmpty("The file is empty")
        root = event[1]
        info = root.getroottree().docinfo
        if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
            raise BatchXmlUnsafe("Remove the <!DOCTYPE ...> declaration: DTDs are not accepted")
        return root


def drop(element: etree._Element) -> None:
    """Free a finished element and its earlier siblings: memory stays flat however long the file."""
    element.clear()
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def file_error(exc: etree.XMLSyntaxError) -> BatchFileError:
    """The batch file error for a parser error: unsafe, not UTF-8, or malformed, with its line."""
    entry = exc.error_log.last_error if exc.error_log else None
    message = str(entry.message if entry is not None else exc.msg).strip()
    line = entry.line if entry is not None else exc.lineno
    lowered = message.lower()
    if "entity" in lowered or "doctype" in lowered or "dtd" in lowered:
        return BatchXmlUnsafe(f"Line {line}: entities and DTDs are not accepted")
    if "encoding" in lowered or "utf-8" in lowered:
        return BatchEncodingError(f"Line {line}: save the file as UTF-8")
    if "huge" in lowered or "amplification" in lowered:
        return BatchXmlUnsafe(f"Line {line}: the document expands beyond safe limits")
    return BatchMalformed(f"Line {line}: {message}")
