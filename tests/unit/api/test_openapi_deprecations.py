"""The OpenAPI document marks the operations the deprecations registry names `deprecated`, with
their sunset and replacement; the others are left as they are."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openlrs.api.openapi_document import honest
from openlrs.domain.notices.deprecations import Deprecation

OLD_REPORT = Deprecation(
    method="GET",
    path="/api/v1/learners/{uln}/old-report",
    deprecated_on=dt.date(2027, 1, 4),
    sunset_on=dt.date(2027, 7, 5),
    replacement="GET /api/v1/learners/{uln}/learning-events/report",
    note="One report endpoint for both formats.",
)


def _document() -> dict[str, Any]:
    def operation(name: str) -> dict[str, Any]:
        return {"operationId": name, "description": "Read it.", "responses": {"200": {}}}

    return {
        "paths": {
            "/api/v1/learners/{uln}/old-report": {
                "get": operation("getOldReport"),
                "post": operation("postOldReport"),
            },
            "/api/v1/learners/{uln}/learning-events/report": {"get": operation("getReport")},
        }
    }


def test_a_registered_deprecation_marks_only_its_operation() -> None:
    paths = honest(_document(), (OLD_REPORT,))["paths"]
    old = paths["/api/v1/learners/{uln}/old-report"]
    assert old["get"]["deprecated"] is True
    assert "5 July 2027" in old["get"]["description"]
    assert "GET /api/v1/learners/{uln}/learning-events/report" in old["get"]["description"]
    assert old["get"]["description"].startswith("Read it.")
    assert "deprecated" not in old["post"]
    assert "deprecated" not in paths["/api/v1/learners/{uln}/learning-events/report"]["get"]


def test_an_entry_for_an_operation_the_api_does_not_have_changes_nothing() -> None:
    gone = Deprecation(
        "DELETE", "/api/v1/nowhere", dt.date(2027, 1, 1), dt.date(2027, 7, 1), "x", ""
    )
    paths = honest(_document(), (gone,))["paths"]
    assert not any("deprecated" in op for item in paths.values() for op in item.values())


def test_the_shipped_registry_deprecates_nothing_yet() -> None:
    paths = honest(_document())["paths"]
    assert not any("deprecated" in op for item in paths.values() for op in item.values())
