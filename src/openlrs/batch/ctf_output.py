"""A CTF run's output: the school's own file back, each pupil with the ULN found or issued.

The submitted file is read again with the parser every CTF is read with (it was accepted, so it
is within the limits), every pupil kept in its place, and `<UniqueLearnerNumber>` set (or added
after `<UPN>`, where the schema puts it) for each pupil whose row came to a ULN. The header's
`DestSchool` becomes the school itself and `DateTime` the time written, so its MIS imports it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from lxml import etree

from openlrs.batch.ctf_format import PUPIL, PUPILS, ROOT
from openlrs.domain.batches.job import StoredRow


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _local(element: etree._Element) -> str:
    return etree.QName(element.tag).localname if isinstance(element.tag, str) else ""


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if _local(c) == name), None)


def ctf_with_ulns(original: bytes, rows: Sequence[StoredRow], *, now: dt.datetime) -> bytes:
    """The file `original` with each pupil's ULN filled in from its row (rows in file order)."""
    tree = etree.parse(io.BytesIO(original), _parser())
    root = tree.getroot()
    assert _local(root) == ROOT
    _readdress(root, now)
    ulns = {row.number: row.outcome.uln for row in rows if row.outcome and row.outcome.uln}
    number = 0
    for data in (c for c in root if _local(c) == PUPILS):
        for pupil in (c for c in data if _local(c) == PUPIL):
            number += 1
            uln = ulns.get(number)
            if uln:
                _set_uln(pupil, uln)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _set_uln(pupil: etree._Element, uln: str) -> None:
    existing = _child(pupil, "UniqueLearnerNumber")
    if existing is None:
        existing = etree.Element(_sibling_tag(pupil, "UniqueLearnerNumber"))
        upn = _child(pupil, "UPN")
        if upn is not None:
            existing.tail = upn.tail
            upn.addnext(existing)
        else:
            pupil.insert(0, existing)
    existing.text = uln


def _sibling_tag(parent: etree._Element, name: str) -> str:
    namespace = etree.QName(parent).namespace
    return etree.QName(namespace, name).text if namespace else name


def _readdress(root: etree._Element, now: dt.datetime) -> None:
    header = _child(root, "Header")
    if header is None:
        return
    stamp = _child(header, "DateTime")
    if stamp is not None:
        stamp.text = now.strftime("%Y-%m-%dT%H:%M:%S")
    source, dest = _child(header, "SourceSchool"), _child(header, "DestSchool")
    if source is None or dest is None:
        return
    for name in ("LEA", "Estab"):
        given, wanted = _child(source, name), _child(dest, name)
        if given is not None and wanted is not None:
            wanted.text = given.text
