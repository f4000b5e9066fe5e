"""XML batch files: the schema, safe parsing (XXE, entity bombs, external DTDs), limits."""

from __future__ import annotations

import pytest

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.file_errors import (
    BatchEncodingError,
    BatchFileTooLarge,
    BatchKindUnknown,
    BatchMalformed,
    BatchTooManyRows,
    BatchXmlSchema,
    BatchXmlUnsafe,
)
from tests.unit.batch.conftest import CORPUS, read

XML = BatchFormat.XML
LEARNER = (
    "<learner><given_name>Megan</given_name><family_name>Hughes</family_name>"
    "<date_of_birth>2007-06-01</date_of_birth><gender>2</gender><postcode>CF10 1AA</postcode>"
    "</learner>"
)


def batch(*learners: str, root: str = "registration_batch") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>{"".join(learners)}</{root}>'


def test_a_valid_learner_becomes_the_details_the_service_takes() -> None:
    [row] = read(batch(LEARNER), XML)
    assert row.valid and row.details is not None and row.details.postcode == "CF10 1AA"


def test_elements_in_any_order_and_absent_ones_are_blank() -> None:
    learner = "<learner><gender>2</gender><family_name>Hughes</family_name></learner>"
    [row] = read(batch(learner), XML)
    codes = {(p.field, p.code) for p in row.problems}
    assert codes == {
        ("given_name", "FIELD_REQUIRED"),
        ("date_of_birth", "FIELD_REQUIRED"),
        ("postcode", "FIELD_REQUIRED"),
    }


def test_the_kind_comes_from_the_root_element() -> None:
    learner = "<learner><uln>1234567805</uln><given_name>H</given_name><family_name>P</family_name></learner>"
    [row] = read(batch(learner, root="vld_batch"), XML)
    assert row.verify is not None
    with pytest.raises(BatchKindUnknown):
        read(batch(learner, root="vld_batch"), XML, kind=BatchKind.REGISTRATION)


@pytest.mark.parametrize("name", ["xxe.xml", "billion-laughs.xml", "external-dtd.xml"])
def test_any_doctype_is_refused_before_a_row_is_read(name: str) -> None:
    with pytest.raises(BatchXmlUnsafe):
        read((CORPUS / name).read_bytes(), XML)


def test_xxe_never_reads_the_file_even_when_a_row_would_come_first() -> None:
    data = (CORPUS / "xxe.xml").read_bytes()
    with pytest.raises(BatchXmlUnsafe) as caught:
        read(data, XML)
    assert "root:" not in str(caught.value)


def test_an_undeclared_entity_is_refused() -> None:
    with pytest.raises(BatchXmlUnsafe):
        read(batch(LEARNER.replace("Megan", "&foo;")), XML)


def test_character_references_are_ordinary_text() -> None:
    [row] = read(batch(LEARNER.replace("Megan", "Ren&#233;e")), XML)
    assert row.details is not None and row.details.given_name == "Renée"


@pytest.mark.parametrize(
    "learner",
    [
        "<learner><shoe_size>5</shoe_size></learner>",
        "<learner><given_name>A</given_name><given_name>B</given_name></learner>",
        "<learner><given_name>A<b>x</b></given_name></learner>",
        "<student><given_name>A</given_name></student>",
    ],
)
def test_structure_outside_the_schema_refuses_the_file(learner: str) -> None:
    with pytest.raises(BatchXmlSchema):
        read(batch(LEARNER, learner), XML)


@pytest.mark.parametrize("data", [batch(LEARNER)[:-8], batch(LEARNER).replace("</gender>", "")])
def test_malformed_xml_is_refused(data: str) -> None:
    with pytest.raises(BatchMalformed):
        read(data, XML)


def test_wrong_encoding_is_refused() -> None:
    with pytest.raises(BatchEncodingError):
        read(batch(LEARNER.replace("Megan", "Renée")).encode("latin-1"), XML)
    with pytest.raises(BatchEncodingError):
        read(batch(LEARNER).encode("utf-16"), XML)


def test_limits_on_rows_and_bytes() -> None:
    data = batch(*[LEARNER] * 3)
    assert len(read(data, XML, max_rows=3)) == 3
    with pytest.raises(BatchTooManyRows):
        read(data, XML, max_rows=2)
    with pytest.raises(BatchFileTooLarge):
        read(data, XML, max_bytes=len(data) - 1)


def test_the_schema_is_shipped_and_names_every_column() -> None:
    from lxml import etree

    from openlrs.batch.columns import COLUMNS, ROOT_ELEMENTS
    from openlrs.batch.xml_format import batch_schema

    schema = batch_schema()
    for kind, root in ROOT_ELEMENTS.items():  # the kinds XML carries (Diploma results: CSV only)
        learner = "".join(f"<{c}>x</{c}>" for c in reversed(COLUMNS[kind]))
        document = etree.fromstring(batch(f"<learner>{learner}</learner>", root=root).encode())
        assert schema.validate(document), kind
