"""The routes the load falls on answer exactly as FastAPI's own handling would.

`FastLane` and `HotRoute` serve the common request directly and hand every other one to FastAPI.
Each case here is sent to the same endpoint three ways: at its real path (through the lane), and
at twin paths behind a `HotRoute` and behind a plain `APIRoute` (both through FastAPI's router);
the answers must be the same: status, content type and body."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from openlrs.api.hot_route import FastLane, HotRoute
from openlrs.api.learners import routes as routes_learners
from openlrs.api.plr import routes as routes_plr
from openlrs.domain.accounts.organisations import Role
from tests.functional.callers import Register
from tests.functional.factories import learner_body, search_body, unissued_uln

ENDPOINTS: list[tuple[str, str, Callable[..., Any]]] = [
    ("POST", "/search", routes_learners.search),
    ("GET", "/{uln}", routes_learners.get_learner),
    ("POST", "", routes_learners.register),
    ("GET", "/{uln}/learning-events", routes_plr.learning_events),
]
JSON = {"Content-Type": "application/json"}
LEARNERS = "/api/v1/learners"


@pytest.fixture
def twins(app: FastAPI) -> FastAPI:
    """The app with each hot endpoint also at /twin/hot/... and /twin/general/..."""
    for prefix, route_class in (("/twin/hot", HotRoute), ("/twin/general", APIRoute)):
        router = APIRouter(prefix=prefix)
        for method, path, endpoint in ENDPOINTS:
            router.add_api_route(path, endpoint, methods=[method], route_class_override=route_class)
        app.include_router(router)
    return app


def _answer(response: Any) -> tuple[int, str | None, Any]:
    kind = response.headers.get("content-type")
    body = response.json() if kind and "json" in kind else response.text
    return response.status_code, kind, body


def _alike(api: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    lane = api.request(method, LEARNERS + path, **kwargs)
    hot = api.request(method, "/twin/hot" + path, **kwargs)
    general = api.request(method, "/twin/general" + path, **kwargs)
    assert _answer(lane) == _answer(general), (method, path, kwargs)
    assert _answer(hot) == _answer(general), (method, path, kwargs)
    return lane


def test_the_load_mix_routes_are_served_directly() -> None:
    hot = {
        (method, route.path)
        for router in (routes_learners.router, routes_plr.router)
        for route in router.routes
        if isinstance(route, HotRoute) and route.hot
        for method in route.methods
    }
    assert hot == {
        ("POST", "/api/v1/learners/search"),
        ("GET", "/api/v1/learners/{uln}"),
        ("POST", "/api/v1/learners"),
        ("GET", "/api/v1/learners/{uln}/learning-events"),
    }


def test_the_lane_claims_no_other_operations_requests(app: FastAPI) -> None:
    """Every documented operation, with sample values in its path: the lane claims it only if it
    is that operation's own route (FastAPI's router would send it nowhere else)."""
    middleware = next(m for m in app.user_middleware if m.cls is FastLane)
    lane = FastLane(app, **middleware.kwargs)
    claimed = set()
    for path, operations in app.openapi()["paths"].items():
        for sample in ("1234567890", "search", "verify", "x"):
            concrete = re.sub(r"\{[^}]+\}", sample, path)
            for method in operations:
                found = lane.claim(method.upper(), concrete)
                if found is not None:
                    assert found[0].route.path == path, (method, concrete)
                    claimed.add((method.upper(), path))
    assert len(claimed) == 4


def test_a_request_under_a_root_path_is_left_to_the_router(
    twins: FastAPI, register: Register
) -> None:
    with TestClient(twins, root_path="/register") as api:
        response = api.get(f"{LEARNERS}/{unissued_uln()}", headers=register.headers(Role.LRB))
    assert response.status_code == 404


def test_other_endpoints_keep_fastapis_handling() -> None:
    """A sync endpoint, or one with dependencies of its own, is not served directly."""
    routes = {route.path: route for route in routes_learners.router.routes}
    verify = routes["/api/v1/learners/verify"]
    assert isinstance(verify, HotRoute) and not verify.hot


@pytest.mark.parametrize(
    ("headers", "content"),
    [
        pytest.param(JSON, None, id="no body"),
        pytest.param(JSON, b"{not json", id="malformed JSON"),
        pytest.param(JSON, b"[1, 2]", id="a JSON array"),
        pytest.param(JSON, b'"Smith"', id="a JSON string"),
        pytest.param(JSON, b"{}", id="every field missing"),
        pytest.param(JSON, b'{"given_name": 7, "date_of_birth": "31/02/2001"}', id="wrong types"),
        pytest.param({}, b'{"given_name": "Ann"}', id="no content type"),
        pytest.param({"Content-Type": "text/plain"}, b"{}", id="another content type"),
        pytest.param({"Content-Type": "application/json; charset=utf-8"}, b"{}", id="charset"),
        pytest.param({"Content-Type": "application/merge-patch+json"}, b"{}", id="a +json type"),
    ],
)
@pytest.mark.parametrize("path", ["/search", ""])
def test_bad_bodies_are_refused_alike(
    twins: FastAPI, api: TestClient, register: Register, path: str, headers: Any, content: Any
) -> None:
    auth = register.headers(Role.LRB)
    _alike(api, "POST", path, headers=auth | headers, content=content)


@pytest.mark.parametrize("token", [None, "Bearer not-a-token", "Basic dXNlcjpwYXNz"])
@pytest.mark.parametrize("content", [b"{not json", b"{}", b'{"given_name": "Ann"}'])
def test_unauthenticated_requests_are_refused_alike(
    twins: FastAPI, api: TestClient, token: str | None, content: bytes
) -> None:
    """FastAPI decodes the body before it asks for the token: malformed JSON is a 400 either
    way; a well-formed body without a valid token is a 401."""
    headers = JSON | ({"Authorization": token} if token else {})
    response = _alike(api, "POST", "/search", headers=headers, content=content)
    assert response.status_code == (400 if content == b"{not json" else 401)


def test_searches_and_lookups_answer_alike(
    twins: FastAPI, api: TestClient, register: Register
) -> None:
    auth = register.headers(Role.LRB)
    body = learner_body(seed=11)
    created = api.post(LEARNERS, json=body | {"confirm_different_person": True}, headers=auth)
    assert created.status_code == 201, created.text
    uln = created.json()["uln"]
    _alike(api, "POST", "/search", json=search_body(body), headers=auth)
    for found in (uln, f" {uln}", unissued_uln(), "12345", "not-a-uln"):
        _alike(api, "GET", f"/{found}", headers=auth)
    again = _alike(api, "POST", "", json=body, headers=auth)
    assert again.status_code == 409  # the same person, already registered


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("", {}),
        ("?type=achievement", {}),
        ("?type=nonsense", {}),
        ("?since=2020-01-01&until=2030-12-31", {}),
        ("?since=yesterday", {}),
        ("", {"If-None-Match": '"1"'}),
        ("", {"If-None-Match": 'W/"1"'}),
        ("", {"If-None-Match": '"99"'}),
    ],
)
def test_learning_record_reads_answer_alike(
    twins: FastAPI, api: TestClient, register: Register, query: str, headers: dict[str, str]
) -> None:
    lrb = register.headers(Role.LRB)
    created = api.post(LEARNERS, json=learner_body(seed=12), headers=lrb)
    uln = created.json()["uln"]
    _alike(api, "GET", f"/{uln}/learning-events{query}", headers=lrb | headers)
