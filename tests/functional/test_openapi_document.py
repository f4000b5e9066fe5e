"""The OpenAPI document is one a supplier can generate a client from: valid OpenAPI 3.1, every
schema with one class-like name, every operation with an explicit camelCase operationId, and
openapi-python-client generates every operation from it without a warning."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from tests.functional.generated_client import GeneratedClient, snake_case

CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
"""FastAPI names a clashing model after its module (`openlrs__api__...__SearchOut`) and a form
body `Body_<operation>`; neither matches."""
CAMEL_CASE = re.compile(r"[a-z]+(?:[A-Z][a-z0-9]*)*")
"""FastAPI's default operationId, `<function>_<path>_<method>`, always has an underscore."""


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_the_document_is_valid_openapi_3_1(openapi_document: dict[str, Any]) -> None:
    assert openapi_document["openapi"].startswith("3.1")
    validate(openapi_document, cls=OpenAPIV31SpecValidator)


def test_every_schema_has_one_class_like_name(openapi_document: dict[str, Any]) -> None:
    schemas = openapi_document["components"]["schemas"]
    assert [name for name in schemas if not CLASS_NAME.fullmatch(name)] == []
    # one model per name: a second model of a name makes FastAPI rename both (caught above)
    titles = Counter(s.get("title", name) for name, s in schemas.items())
    assert [title for title, count in titles.items() if count > 1] == []


def test_every_operation_has_an_explicit_camel_case_operation_id(
    openapi_document: dict[str, Any],
) -> None:
    found = [(m, p, op.get("operationId", "")) for m, p, op in operations(openapi_document)]
    assert [(m, p, i) for m, p, i in found if not CAMEL_CASE.fullmatch(i)] == []
    counts = Counter(i for _, _, i in found)
    assert [i for i, n in counts.items() if n > 1] == []


def test_every_operation_has_a_capability_tag(openapi_document: dict[str, Any]) -> None:
    untagged = [(m, p) for m, p, op in operations(openapi_document) if len(op.get("tags", [])) != 1]
    assert untagged == []


def test_the_main_request_bodies_carry_examples(openapi_document: dict[str, Any]) -> None:
    schemas = openapi_document["components"]["schemas"]
    for name in ("SearchIn", "RegisterIn", "LearnerPatch"):
        assert schemas[name].get("examples"), name


def test_openapi_python_client_generates_every_operation_without_a_warning(
    openapi_document: dict[str, Any], generated_client: GeneratedClient
) -> None:
    assert generated_client.returncode == 0, generated_client.output  # --fail-on-warning
    assert "warning" not in generated_client.output.lower(), generated_client.output
    assert "unable to parse" not in generated_client.output.lower(), generated_client.output
    assert "not in path" not in generated_client.output.lower(), generated_client.output
    expected = {snake_case(op["operationId"]) for _, _, op in operations(openapi_document)}
    assert generated_client.operation_modules() == expected
