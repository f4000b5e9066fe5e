"""A bounded, reproducible schemathesis run over every operation of the API's OpenAPI document."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def operations(app: FastAPI) -> Iterator[Any]:
    schema = schemathesis.openapi.from_asgi(app.openapi_url or "", app)
    for result in schema.get_all_operations():
        yield result.ok()


def fuzz_operation(
    operation: Any,
    headers: dict[str, str],
    *,
    max_examples: int,
    mode: GenerationMode,
    known: dict[str, str] | None = None,
    seen: Counter[str] | None = None,
) -> list[str]:
    """The failures of `max_examples` generated requests (deterministic: derandomized, no
    example database); each failure named once by the check and what it said. `known` path
    parameters (a learner's ULN, say) are used as given, to reach past "not found"."""
    found: dict[str, str] = {}
    session = asgi.get_client(operation.app)

    names = {p.name for p in operation.path_parameters}
    fixed = {k: v for k, v in (known or {}).items() if k in names} or None

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        try:
            response = case.call(headers=headers, session=session)
        except Exception as error:
            key = f"{operation.label}: raised {type(error).__name__}"
            found.setdefault(
                key, f"{key}\n{str(error).splitlines()[0][:300]}\n{case.as_curl_command()}"
            )
            return
        if seen is not None:
            seen[f"{operation.label} {response.status_code}"] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, BaseExceptionGroup) as failure:  # each failure reported, not raised
            lines = [line for line in str(failure).splitlines() if line.strip()]
            key = f"{operation.label}: {lines[0] if lines else type(failure).__name__}"
            found.setdefault(key, "\n".join([operation.label, *lines[:12]]))

    with contextlib.suppress(Unsatisfiable):  # nothing to make invalid: no parameters, no body
        run()
    return list(found.values())
