"""SOAP 1.1 envelopes: read a request safely, validate its body against the schemas, build answers.

Requests are parsed by lxml with entities unresolved, no DTD loaded, no network and no huge trees;
a document that declares a DOCTYPE at all is refused (that is where XXE and billion-laughs payloads
live, and no SOAP message needs one). Answers are built as lxml elements, never as strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SCHEMAS = Path(str(resources.files("openlrs.soap") / "schemas"))


class BadRequest(Exception):
    """The message is not a well-formed, schema-valid SOAP 1.1 request (WSEC0001)."""

    def __init__(self, details: str) -> None:
        super().__init__(details)
        self.details = details


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_body(content: bytes) -> etree._Element:
    """The operation element inside the envelope's Body, or BadRequest."""
    if not content.strip():
        raise BadRequest("The request has no body")
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:
        raise BadRequest(f"The request is not well-formed XML: {exc.msg}") from exc
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise BadRequest("A document type declaration is not allowed")
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise BadRequest("The request is not a SOAP 1.1 Envelope")
    body = root.find(f"{{{SOAP_ENV}}}Body")
    operations = [] if body is None else [c for c in body if isinstance(c.tag, str)]
    if len(operations) != 1:
        raise BadRequest("The SOAP Body must hold exactly one operation element")
    return operations[0]


@cache
def schema(*names: str) -> etree.XMLSchema:
    """The schema importing each of `names` (files of soap/schemas) and all they import."""
    root = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS})
    for name in names:
        document = etree.parse(str(SCHEMAS / name), _parser()).getroot()
        etree.SubElement(
            root,
            f"{{{XS}}}import",
            namespace=document.get("targetNamespace", ""),
            schemaLocation=(SCHEMAS / name).as_uri(),
        )
    return etree.XMLSchema(root)


def validate(operation: etree._Element, against: etree.XMLSchema) -> None:
    """BadRequest naming the first schema error, as the LRS's FurtherDetails do. The operation
    element is validated alone, as the root."""
    try:
        against.assertValid(operation)
    except etree.DocumentInvalid as exc:
        raise BadRequest(str(exc).split(", line ")[0] or "The request is not valid") from exc


def text(parent: etree._Element, name: str) -> str | None:
    """The trimmed text of an unqualified child, None when absent, empty or nil."""
    child = parent.find(name)
    if child is None or child.get(f"{{{XSI}}}nil") in ("true", "1"):
        return None
    value = (child.text or "").strip()
    return value or None


def qtext(parent: etree._Element, namespace: str, name: str) -> str | None:
    return text(parent, f"{{{namespace}}}{name}")


def add(parent: etree._Element, name: str, value: object | None) -> etree._Element | None:
    """Append <name>value</name> unless `value` is None (dates as YYYY-MM-DD)."""
    if value is None:
        return None
    child = etree.SubElement(parent, name)
    if isinstance(value, dt.date):
        child.text = value.isoformat()
    else:
        child.text = str(value)
    return child


def add_all(parent: etree._Element, fields: Iterable[tuple[str, object | None]]) -> None:
    for name, value in fields:
        add(parent, name, value)


def envelope(payload: etree._Element) -> bytes:
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"s": SOAP_ENV})
    etree.SubElement(root, f"{{{SOAP_ENV}}}Body").append(payload)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def fault_envelope(faultstring: str, detail: etree._Element, *, client: bool) -> bytes:
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"s": SOAP_ENV})
    fault = etree.SubElement(etree.SubElement(root, f"{{{SOAP_ENV}}}Body"), f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = "s:Client" if client else "s:Server"
    etree.SubElement(fault, "faultstring").text = faultstring
    etree.SubElement(fault, "detail").append(detail)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def served_document(name: str, base_url: str) -> bytes:
    """A WSDL or XSD of soap/schemas as served: each relative schemaLocation becomes this
    service's `?xsd=<name>` address, and the WSDL's address the service's own."""
    tree = etree.parse(str(SCHEMAS / name), _parser())
    for node in tree.iter(f"{{{XS}}}import", f"{{{XS}}}include"):
        location = node.get("schemaLocation")
        if location and location.endswith(".xsd"):
            node.set("schemaLocation", f"{base_url}?xsd={location.removesuffix('.xsd')}")
    for address in tree.iter("{http://schemas.xmlsoap.org/wsdl/soap/}address"):
        address.set("location", base_url)
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="utf-8"))
