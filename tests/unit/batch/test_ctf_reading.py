"""Common Transfer Files: every version's pupils read the same, the header checked, unknown
elements ignored, bad pupils reported one by one, and hostile XML refused before any pupil."""

from __future__ import annotations

import dataclasses
import io

import pytest

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.ctf_format import CtfHeaderInvalid, CtfSchoolUnknown, CtfWrongSchool
from openlrs.batch.file_errors import (
    BatchEncodingError,
    BatchFileTooLarge,
    BatchKindUnknown,
    BatchXmlUnsafe,
)
from openlrs.batch.reader import BatchLimits, open_batch
from openlrs.batch.rows import BatchRow
from tests.builders import many_learner_details
from tests.builders.ctf import VERSIONS, CtfPupil, ctf_file, pupils, upn_for
from tests.unit.batch.conftest import POLICY

PEOPLE = [
    p if p.gender in (1, 2) else dataclasses.replace(p, gender=1)
    for p in many_learner_details(6, seed=2511)
]
HEADER = b"""<?xml version="1.0" encoding="UTF-8"?>
<CTfile><Header><CTFversion>19.0</CTFversion><DocumentQualifier>full</DocumentQualifier>
<SourceSchool><LEA>380</LEA><Estab>4001</Estab></SourceSchool></Header><CTFpupilData>"""


def read(content: bytes, school: str | None = "3804001", **limits: int) -> list[BatchRow]:
    stream = io.BytesIO(content)
    return list(
        open_batch(
            stream,
            kind=BatchKind.CTF,
            fmt=BatchFormat.XML,
            limits=BatchLimits(**limits),
            policy=POLICY,
            school_number=school,
        )
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_gives_the_same_pupils_with_their_upns(version: str) -> None:
    rows = read(ctf_file(pupils(PEOPLE), version=version))

    assert [r.problems for r in rows] == [()] * len(PEOPLE)
    for index, (row, person) in enumerate(zip(rows, PEOPLE, strict=True)):
        assert row.details is not None
        assert row.details.upn == upn_for(index)
        assert row.source_learner_id == upn_for(index)
        assert (row.details.given_name, row.details.family_name) == (
            person.given_name,
            person.family_name,
        )
        assert (row.details.date_of_birth, row.details.gender) == (
            person.date_of_birth,
            person.gender,
        )
        assert row.details.postcode == person.postcode
    if int(version.split(".")[0]) >= 12:
        assert [r.details.middle_names for r in rows if r.details] == [
            p.middle_names for p in PEOPLE
        ]


def test_a_partial_ctf_is_read_like_a_full_one_and_a_carried_uln_is_kept_aside() -> None:
    content = [CtfPupil(PEOPLE[0], upn_for(0), uln="1026893096")]
    [row] = read(ctf_file(content, qualifier="Partial"))
    assert row.valid and row.uln == "1026893096"
    [temporary] = read(ctf_file([CtfPupil(PEOPLE[0], upn_for(0), uln="9999999999")]))
    assert temporary.valid and temporary.uln is None


def test_bad_pupils_are_reported_one_by_one_and_never_fail_the_file() -> None:
    content = pupils(PEOPLE)
    wrong_letter = ("A" if content[1].upn[0] != "A" else "B") + content[1].upn[1:]
    content[1] = dataclasses.replace(content[1], upn=wrong_letter)
    content[3] = dataclasses.replace(content[3], uln="1026893097")  # wrong check digit
    content[4] = dataclasses.replace(content[4], upn=content[0].upn)  # the same UPN twice
    rows = read(ctf_file(content))

    assert [r.valid for r in rows] == [True, False, True, False, False, True]
    assert [p.code for p in rows[1].problems] == ["UPN_INVALID"]
    assert [p.code for p in rows[3].problems] == ["ULN_INVALID_CHECK_DIGIT"]
    assert [p.code for p in rows[4].problems] == ["SOURCE_LEARNER_ID_DUPLICATE"]


def test_a_pupil_without_sex_or_address_is_reported_or_given_the_dummy_postcode() -> None:
    pupil = (
        b"<Pupil><UPN>" + upn_for(0).encode() + b"</UPN><Surname>Okafor</Surname>"
        b"<Forename>Amelia</Forename><DOB>2009-05-17</DOB><Sex>X</Sex></Pupil>"
    )
    [row] = read(HEADER + pupil + b"</CTFpupilData></CTfile>")
    assert [p.code for p in row.problems] == ["GENDER_INVALID"]
    [fine] = read(HEADER + pupil.replace(b"<Sex>X", b"<Sex>F") + b"</CTFpupilData></CTfile>")
    assert fine.details is not None and fine.details.postcode == "ZZ99 9ZZ"


def test_namespaced_files_and_unknown_elements_are_read() -> None:
    content = ctf_file(pupils(PEOPLE[:2]), version="23.0").replace(
        b"<CTfile>", b'<CTfile xmlns="http://example.org/ctf">'
    )
    assert [r.valid for r in read(content)] == [True, True]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ((b"<CTFversion>19.0", b"<CTFversion>7.0"), CtfHeaderInvalid),
        ((b"<CTFversion>19.0", b"<CTFversion>latest"), CtfHeaderInvalid),
        ((b"<DocumentQualifier>Full", b"<DocumentQualifier>Some"), CtfHeaderInvalid),
        ((b"<LEA>380</LEA>\n      <Estab>", b"<LEA>38</LEA>\n      <Estab>"), CtfHeaderInvalid),
        ((b"<Header>", b"<Heading>"), CtfHeaderInvalid),
        ((b"<CTfile>", b"<registration_batch>"), BatchKindUnknown),
    ],
)
def test_a_header_openlrs_cannot_read_refuses_the_file(
    change: tuple[bytes, bytes], error: type[Exception]
) -> None:
    content = ctf_file(pupils(PEOPLE[:2])).replace(*change, 1)
    if change[0] == b"<Header>":
        content = content.replace(b"</Header>", b"</Heading>")
    with pytest.raises(error):
        read(content)


def test_the_source_school_must_be_the_uploading_school() -> None:
    content = ctf_file(pupils(PEOPLE[:2]))
    with pytest.raises(CtfWrongSchool):
        read(content, school="3814002")
    with pytest.raises(CtfSchoolUnknown):
        read(content, school="")
    assert len(read(content, school=None)) == 2  # offline validation: no school to check


XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE CTfile [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CTfile><Header/><CTFpupilData><Pupil><Surname>&secret;</Surname></Pupil></CTFpupilData></CTfile>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile [
 <!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CTfile><Header/><CTFpupilData><Pupil><Surname>&lol9;</Surname></Pupil></CTFpupilData></CTfile>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile SYSTEM "http://example.org/ctf.dtd"><CTfile/>"""


@pytest.mark.parametrize("content", [XXE, LAUGHS, EXTERNAL], ids=["xxe", "laughs", "external"])
def test_any_doctype_is_refused_before_a_pupil_is_read(content: bytes) -> None:
    with pytest.raises(BatchXmlUnsafe) as caught:
        read(content)
    assert "root:" not in str(caught.value)


def test_an_undeclared_entity_is_refused() -> None:
    with pytest.raises(BatchXmlUnsafe):
        read(ctf_file(pupils(PEOPLE[:1])).replace(b"<Surname>", b"<Surname>&x;"))


class EndlessFile(io.RawIOBase):
    """A 200 MB upload that is never held in memory: a valid start, then whitespace on demand."""

    def __init__(self, size: int) -> None:
        self.left, self.served = size, 0
        self.head = HEADER

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        size = min(len(buffer), self.left)
        chunk = (self.head + b" " * size)[:size]
        self.head = self.head[size:]
        buffer[:size] = chunk
        self.left -= size
        self.served += size
        return size


def test_a_200_mb_file_is_refused_at_the_limit_without_reading_the_rest() -> None:
    endless = EndlessFile(200 * 1024 * 1024)
    with pytest.raises(BatchFileTooLarge):
        list(
            open_batch(
                io.BufferedReader(endless),
                kind=BatchKind.CTF,
                fmt=BatchFormat.XML,
                limits=BatchLimits(max_bytes=2 * 1024 * 1024),
                policy=POLICY,
            )
        )
    assert endless.served <= 3 * 1024 * 1024


@pytest.mark.parametrize(
    "content",
    [
        ctf_file(pupils(PEOPLE[:1])).replace(b"</Forename>", "é</Forename>".encode("latin-1")),
        ctf_file(pupils(PEOPLE[:1])).decode().encode("utf-16"),
        ctf_file(pupils(PEOPLE[:1]), declaration=b'<?xml version="1.0" encoding="ISO-8859-1"?>'),
    ],
    ids=["latin-1 bytes", "utf-16", "declared latin-1"],
)
def test_a_file_not_in_utf8_is_refused(content: bytes) -> None:
    with pytest.raises(BatchEncodingError):
        read(content)
