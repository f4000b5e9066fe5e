"""Common Transfer Files as school MIS write them, in several CTF versions, built from learners.

Element names are the DfE's published ones (../shared/reference/common-transfer-file.md); each
version here adds what that year's files carry, and unknown blocks a reader must ignore.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from lxml import etree

from openlrs.domain.identifiers import make_upn
from openlrs.domain.learners.demographics import is_dummy_postcode
from openlrs.domain.learners.learner import LearnerDetails

SCHOOL = ("380", "4001")
"""LEA and Estab of the school the test organisations stand for (DfE number 3804001)."""
VERSIONS = ("8.0", "12.0", "19.0", "23.0")


@dataclasses.dataclass(frozen=True)
class CtfPupil:
    details: LearnerDetails
    upn: str
    uln: str | None = None


def upn_for(index: int, school: tuple[str, str] = SCHOOL) -> str:
    """A valid UPN: check letter, LEA, Estab, a 2-digit year and a 3-digit serial."""
    return make_upn(f"{school[0]}{school[1]}{10 + index // 1000:02d}{index % 1000:03d}")


def pupils(details: Sequence[LearnerDetails], school: tuple[str, str] = SCHOOL) -> list[CtfPupil]:
    return [CtfPupil(d, upn_for(i, school)) for i, d in enumerate(details)]


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _pupil(parent: etree._Element, pupil: CtfPupil, version: str) -> None:
    major = int(version.split(".")[0])
    d = pupil.details
    element = _sub(parent, "Pupil")
    _sub(element, "UPN", pupil.upn)
    if pupil.uln:
        _sub(element, "UniqueLearnerNumber", pupil.uln)
    if major >= 12:
        _sub(element, "UCI", "U" + pupil.upn[1:])
    _sub(element, "Surname", d.family_name)
    _sub(element, "Forename", d.given_name)
    _sub(element, "DOB", d.date_of_birth.isoformat())
    _sub(element, "Sex", "F" if d.gender == 2 else "M")
    if major >= 12:
        basic = _sub(element, "BasicDetails")
        if d.middle_names:
            _sub(basic, "MiddleNames", d.middle_names)
        if d.previous_family_name:
            _sub(basic, "FormerSurname", d.previous_family_name)
        _sub(basic, "Ethnicity", "WBRI")  # known to the DfE, ignored by openlrs
    if not is_dummy_postcode(d.postcode):
        address = _sub(element, "Address")
        if major >= 19:
            bs = _sub(address, "BS7666Address")
            _sub(bs, "Street", "High Street")
            _sub(bs, "Town", "Leeds")
            _sub(bs, "PostCode", d.postcode)
        else:
            _sub(address, "AddressLines")
            _sub(address, "PostCode", d.postcode)
    history = _sub(element, "SchoolHistory")
    school = _sub(history, "School")
    _sub(school, "LEA", SCHOOL[0])
    _sub(school, "Estab", SCHOOL[1])
    _sub(school, "EntryDate", "2021-09-01")
    if major >= 23:  # a block from a later year that this reader does not know
        _sub(_sub(element, "FutureBlock"), "Anything", "ignored")
    _sub(_sub(element, "Attendance"), "YearData")


def ctf_file(
    content: Sequence[CtfPupil],
    *,
    version: str = "19.0",
    qualifier: str = "Full",
    school: tuple[str, str] = SCHOOL,
    declaration: bytes = b'<?xml version="1.0" encoding="UTF-8"?>\n',
) -> bytes:
    """A CTF from `school` holding `content`, in the shape of CTF `version`."""
    root = etree.Element("CTfile")
    header = _sub(root, "Header")
    _sub(header, "DocumentName", "Common Transfer File")
    _sub(header, "CTFversion", version)
    _sub(header, "DateTime", "2026-07-01T10:00:00")
    _sub(header, "DocumentQualifier", qualifier)
    _sub(header, "SupplierID", "TESTMIS")
    source = _sub(header, "SourceSchool")
    _sub(source, "LEA", school[0])
    _sub(source, "Estab", school[1])
    _sub(source, "SchoolName", "Northgate Academy")
    _sub(source, "AcademicYear", "2025")
    dest = _sub(header, "DestSchool")
    _sub(dest, "LEA", "MMM")
    _sub(dest, "Estab", "MMMM")
    data = _sub(root, "CTFpupilData")
    for pupil in content:
        _pupil(data, pupil, version)
    return declaration + etree.tostring(root, encoding="utf-8", pretty_print=True)
