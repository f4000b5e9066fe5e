"""The OpenAPI document, made honest in one place: every operation lists the failures it can answer,
each as `application/problem+json` with the Problem schema (api/problems.py), and no longer
FastAPI's JSON validation error, which the API never sends.

Which failures an operation can answer follows from what it is: every one may meet the rate limit
(429) and a database outage (503); one that needs a token, 401 and 403; one with parameters or a
body, 422; one with a path parameter, or a body naming something stored, 404; one with a body, 400
(not JSON or form data) and 413 (too large); one that writes, 409 (a conflict with what is stored).
What only some operations answer (428 a missing If-Match...) is declared on the route, in
`responses=`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI

from openlrs.api.operations.rate_limits import UNLIMITED_PATHS
from openlrs.api.problems import PROBLEM
from openlrs.domain.notices.deprecations import DEPRECATIONS, Deprecation

FAILURES = {
    400: "The body is not valid JSON (or form data)",
    401: "No valid access token",
    403: "The caller may not do this (role, organisation or the learner's choices)",
    404: "Nothing has that identifier",
    409: "A conflict with what is stored (a stale version, a duplicate, a state that forbids it)",
    412: "The version quoted no longer matches",
    413: "The request body is too large",
    415: "The body's media type is not accepted",
    422: "Some details are not valid (per-field errors in `errors`)",
    428: "Quote the version read in If-Match",
    429: "Too many requests: wait as long as Retry-After says",
    503: "The service is unavailable (the database cannot be reached): retry after Retry-After",
}
"""The description of each failure status, unless the route gives its own."""

_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
_NO_DATABASE = frozenset({"/healthz", "/livez", "/metrics"})
_WRITES = frozenset({"post", "put", "patch", "delete"})
_READS_BY_POST = frozenset(
    {
        "/api/v1/oauth/token",
        "/api/v1/learners/search",
        "/api/v1/learners/verify",
        "/api/v1/batches/validate",
        "/api/v1/diploma/qcf/evaluate",
    }
)
"""POSTs that change nothing, so cannot conflict with what is stored."""
_NAMES_IN_BODY = frozenset(
    {
        ("post", "/api/v1/diploma/accounts"),
        ("post", "/api/v1/diploma/results"),
        ("post", "/api/v1/diploma/qcf/evaluate"),
        ("post", "/api/v1/uln-challenges"),
    }
)
"""Operations whose body names a learner, account or qualification that may not exist (404)."""

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details, with the stable machine `code` of the failure.",
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "Stable, e.g. ULN_INVALID_CHECK_DIGIT"},
        "detail": {"type": "string"},
        "lrs_code": {"type": "string", "description": "The LRS web-service code, if it has one"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string"},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


def install(app: FastAPI, deprecations: Iterable[Deprecation] = DEPRECATIONS) -> None:
    """Serve the honest document at `app.openapi_url` (built once, on first request)."""

    generated = app.openapi
    announced = tuple(deprecations)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = honest(generated(), announced)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def honest(
    document: dict[str, Any], deprecations: Iterable[Deprecation] = DEPRECATIONS
) -> dict[str, Any]:
    """`document` with every operation's failures documented as problem+json, and the operations
    the deprecations registry names marked `deprecated` (with their sunset and replacement)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    _name_form_bodies(document)
    for schema in schemas.values():
        _mark_uploads_binary(schema)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for status in failures_of(path, method, operation):
                _document_failure(responses, status)
            operation["responses"] = dict(sorted(responses.items()))
    _mark_deprecated(document, deprecations)
    return document


def _mark_deprecated(document: dict[str, Any], deprecations: Iterable[Deprecation]) -> None:
    paths = document.get("paths", {})
    for d in deprecations:
        operation = paths.get(d.path, {}).get(d.method.lower())
        if operation is None:
            continue
        operation["deprecated"] = True
        notice = (
            f"Deprecated since {d.deprecated_on:%-d %B %Y}; it stops working on "
            f"{d.sunset_on:%-d %B %Y}. Use {d.replacement} instead."
            + (f" {d.note}" if d.note else "")
        )
        described = operation.get("description", "")
        operation["description"] = f"{described}\n\n{notice}" if described else notice


def _name_form_bodies(document: dict[str, Any]) -> None:
    """FastAPI names a form body's schema `Body_<operationId>`; a generator makes a class of it,
    so it gets a class name too: `Body_submitBatch` becomes `SubmitBatchForm`."""
    schemas = document["components"]["schemas"]
    renamed: dict[str, str] = {}
    for old in [n for n in schemas if n.startswith("Body_")]:
        operation_id = old.removeprefix("Body_")
        new = f"{operation_id[:1].upper()}{operation_id[1:]}Form"
        schemas[new] = schemas.pop(old) | {"title": new}
        renamed[f"#/components/schemas/{old}"] = f"#/components/schemas/{new}"
    _replace_refs(document["paths"], renamed)


def _replace_refs(node: Any, renamed: dict[str, str]) -> None:
    if isinstance(node, dict):
        if node.get("$ref") in renamed:
            node["$ref"] = renamed[node["$ref"]]
        for value in node.values():
            _replace_refs(value, renamed)
    elif isinstance(node, list):
        for value in node:
            _replace_refs(value, renamed)


def _mark_uploads_binary(schema: dict[str, Any]) -> None:
    """An uploaded file (`contentMediaType` in OpenAPI 3.1) also as `format: binary`, which is
    what generators read as "send this as a file part"."""
    for prop in schema.get("properties", {}).values():
        if prop.get("contentMediaType") == GENERIC_BINARY:
            prop["format"] = "binary"


def failures_of(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    """The failure statuses `operation` (`method` at `path`) can answer."""
    declared = {int(s) for s in operation.get("responses", {}) if s.isdigit() and int(s) >= 400}
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    found = set(declared)
    if path not in UNLIMITED_PATHS:
        found.add(429)
    if path not in _NO_DATABASE:
        found.add(503)
    if operation.get("security"):
        found |= {401, 403}
    if parameters or has_body:
        found.add(422)
    if any(p.get("in") == "path" for p in parameters) or (method, path) in _NAMES_IN_BODY:
        found.add(404)
    if has_body:
        found |= {400, 413}
    if method in _WRITES and path not in _READS_BY_POST:
        found.add(409)
    if path == "/readyz":
        found.discard(503)  # answered as JSON status, declared on the route
    return found


def _document_failure(responses: dict[str, Any], status: int) -> None:
    entry = responses.setdefault(str(status), {})
    if not entry.get("description") or entry["description"] == "Validation Error":
        entry["description"] = FAILURES.get(status, "The request failed")
    entry["content"] = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    if status in (429, 503):
        entry["headers"] = _RETRY_AFTER


GENERIC_BINARY = "application/octet-stream"
"""Listed after a binary media type generators do not know (application/pdf): the same bytes, so
a generated client returns them instead of dropping the response (openapi-python-client knows
only JSON, text/* and this)."""


def file_responses(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that answers a file (with `response_class=Response`): its media
    types, in place of the JSON FastAPI would assume. A text file (CSV, XML) is a string, a binary
    one (PDF) a string of bytes; `GENERIC_BINARY` follows the binary ones, before the text ones, so
    a generator that knows only it reads every answer of the route as bytes."""
    text = {"schema": {"type": "string"}}
    binary = {"schema": {"type": "string", "format": "binary"}}
    binaries = [m for m in media_types if not is_text(m)]
    content = dict.fromkeys(binaries, binary)
    if binaries:
        content[GENERIC_BINARY] = binary
    content |= {m: text for m in media_types if is_text(m)}
    return {200: {"description": f"The file ({', '.join(media_types)})", "content": content}}


def is_text(media_type: str) -> bool:
    """Whether a file of `media_type` is text (CSV, XML) rather than bytes (PDF)."""
    return media_type.startswith("text/") or media_type.endswith(("/xml", "+xml"))
