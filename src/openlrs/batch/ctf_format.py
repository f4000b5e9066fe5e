"""Common Transfer Files (CTF) read as a stream: the header checked, each `<Pupil>` a record.

The same guards as every XML batch (batch/source.py, batch/safe_xml.py): size limit, UTF-8 only
(declared and actual), no DOCTYPE or entities, no network, libxml2's size guards on. Element
names are the DfE's and the same in every version; elements openlrs does not know are ignored,
and a pupil whose details are bad is reported on its own, never failing the file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from openlrs.batch.columns import CTF_COLUMNS, BatchKind
from openlrs.batch.file_errors import BatchEncodingError, BatchFileError, BatchKindUnknown
from openlrs.batch.records import RawRecord
from openlrs.batch.safe_xml import SafeEvents, drop
from openlrs.batch.source import CheckedSource

ROOT = "CTfile"
PUPILS = "CTFpupilData"
PUPIL = "Pupil"
OLDEST_VERSION = 8
"""CTF versions from 8.0 (2007) on share the element names openlrs reads."""
_VERSION = re.compile(r"([0-9]{1,2})\.[0-9]{1,2}")
_LEA = re.compile(r"[0-9]{3}")
_ESTAB = re.compile(r"[0-9]{4}")
QUALIFIERS = frozenset({"full", "partial"})


class CtfHeaderInvalid(BatchFileError):
    code = "CTF_HEADER_INVALID"
    title = "The Common Transfer File's header is missing or not one openlrs can read"


class CtfWrongSchool(BatchFileError):
    code = "CTF_WRONG_SCHOOL"
    title = "The Common Transfer File's source school is not your organisation"
    status = 403


class CtfSchoolUnknown(BatchFileError):
    code = "CTF_SCHOOL_UNKNOWN"
    title = "Your organisation has no DfE school number on record to check the file against"
    status = 403


@dataclass(frozen=True)
class CtfHeader:
    version: str
    qualifier: str
    """full or partial"""
    lea: str
    estab: str
    school_name: str = ""

    @property
    def school_number(self) -> str:
        return self.lea + self.estab


def _local(tag: object) -> str:
    """An element's name without any namespace; '' for comments and processing instructions."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(element: etree._Element | None) -> str:
    return "" if element is None or element.text is None else element.text.strip()


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _descendant_text(element: etree._Element | None, name: str) -> str:
    if element is None:
        return ""
    for found in element.iter():
        if _local(found.tag) == name and found.text and found.text.strip():
            return found.text.strip()
    return ""


def parse_header(header: etree._Element) -> CtfHeader:
    """The header's version, qualifier and source school, checked; CtfHeaderInvalid otherwise."""
    version = _text(_child(header, "CTFversion"))
    matched = _VERSION.fullmatch(version)
    if matched is None or int(matched.group(1)) < OLDEST_VERSION:
        raise CtfHeaderInvalid(
            f"CTFversion must be a CTF version from {OLDEST_VERSION}.0 on, like 19.0"
        )
    qualifier = _text(_child(header, "DocumentQualifier")).lower()
    if qualifier not in QUALIFIERS:
        raise CtfHeaderInvalid("DocumentQualifier must be full or partial")
    source = _child(header, "SourceSchool")
    lea, estab = _text(_child(source, "LEA")), _text(_child(source, "Estab"))
    if not (_LEA.fullmatch(lea) and _ESTAB.fullmatch(estab)):
        raise CtfHeaderInvalid("SourceSchool must give the LEA (3 digits) and Estab (4 digits)")
    name = _text(_child(source, "SchoolName"))[:200]
    return CtfHeader(version, qualifier, lea, estab, name)


def pupil_values(pupil: etree._Element) -> dict[str, str]:
    """The cells openlrs keeps of one `<Pupil>`; anything else in it is ignored."""
    basic = _child(pupil, "BasicDetails")
    values = {
        "upn": _text(_child(pupil, "UPN")),
        "uln": _text(_child(pupil, "UniqueLearnerNumber")),
        "family_name": _text(_child(pupil, "Surname")),
        "given_name": _text(_child(pupil, "Forename")),
        "date_of_birth": _text(_child(pupil, "DOB")),
        "sex": _text(_child(pupil, "Sex")),
        "middle_names": _text(_child(basic, "MiddleNames")),
        "preferred_given_name": _text(_child(basic, "PreferredForename")),
        "previous_family_name": _text(_child(basic, "FormerSurname")),
        "postcode": _descendant_text(_child(pupil, "Address"), "PostCode"),
    }
    values["source_learner_id"] = values["upn"]
    return {name: value for name, value in values.items() if value}


_DECLARED = re.compile(rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")


class DeclaredUtf8(io.RawIOBase):
    """The stream as it is, refusing a file whose XML declaration names another encoding (its
    bytes may all be ASCII, and so pass the UTF-8 check, yet mean something else)."""

    def __init__(self, source: CheckedSource) -> None:
        super().__init__()
        self._source = source
        self._first = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        count = self._source.readinto(buffer)
        if self._first and count:
            self._first = False
            declared = _DECLARED.match(bytes(buffer[: min(count, 200)]))
            if declared and declared.group(1).upper().replace(b"_", b"-") not in (
                b"UTF-8",
                b"UTF8",
            ):
                raise BatchEncodingError("The file must be UTF-8, and say so if it says at all")
        return count


class CtfBatch:
    """A CTF whose root has been checked; `header` is read before the first pupil is yielded."""

    def __init__(self, source: CheckedSource, school_number: str | None = None) -> None:
        """`school_number`: the uploading school's DfE number the header must name; '' when it
        has none (refused); None skips the check (offline validation)."""
        self.kind = BatchKind.CTF
        self.columns = list(CTF_COLUMNS)
        self._events = SafeEvents(DeclaredUtf8(source))
        self._school_number = school_number
        self.header: CtfHeader | None = None
        if _local(self._events.root.tag) != ROOT:
            raise BatchKindUnknown(f"A Common Transfer File's root element is <{ROOT}>")

    def _check_header(self, element: etree._Element) -> None:
        header = parse_header(element)
        if self._school_number == "":
            raise CtfSchoolUnknown(
                "Your organisation has no DfE school number on record: ask the service desk to"
                " add it before sending a Common Transfer File"
            )
        if self._school_number is not None and header.school_number != self._school_number:
            raise CtfWrongSchool(
                "SourceSchool's LEA and Estab are not your school's DfE number: upload your own"
                " school's file"
            )
        self.header = header

    def __iter__(self) -> Iterator[RawRecord]:
        number = 0
        while (event := self._events.next()) is not None:
            action, element = event
            if action != "end":
                continue
            name, depth = _local(element.tag), _depth(element)
            if depth == 1 and name == "Header":
                self._check_header(element)
                element.clear()
            elif depth == 2 and name == PUPIL:
                if self.header is None:
                    raise CtfHeaderInvalid("The <Header> must come before the pupils")
                number += 1
                values = pupil_values(element)
                drop(element)
                yield RawRecord(number, values)
            elif depth == 1:
                drop(element)
        if self.header is None:
            raise CtfHeaderInvalid("The file has no <Header>")


def _depth(element: etree._Element) -> int:
    depth = 0
    parent = element.getparent()
    while parent is not None:
        depth += 1
        parent = parent.getparent()
    return depth
