"""The routes the load falls on answer exactly as FastAPI's own handling would.

The load mix's endpoints have explicit Starlette routes (api/hot_route.py) tried before FastAPI's.
Each case here is sent to two apps on the same database: the real one, and one built the same way
without those routes (so FastAPI's routes for the same endpoints serve it). The answers must be
the same: status, content type, body and the headers that carry meaning."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from openlrs.api.app import create_api
from openlrs.api.deps import Caller, current_caller
from openlrs.api.hot_route import HotRoute
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Role
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import register_body, search_body, unissued_uln
from tests.functional.callers import SECRET_KEY, Register

JSON = {"Content-Type": "application/json"}
LEARNERS = "/api/v1/learners"
HEADERS = ("etag", "location", "www-authenticate", "allow", "retry-after")
_SEEDED = register_body(seed=12)
KNOWN = {
    "Learner-Given-Name": quote(str(_SEEDED["given_name"]), safe=""),
    "Learner-Family-Name": quote(str(_SEEDED["family_name"]), safe=""),
}
"""The names of the learner `pair` registers, as an organisation shows them."""
HOT = {
    ("GET", "/api/v1/learners/{uln}"),
    ("POST", "/api/v1/learners/search"),
    ("POST", "/api/v1/learners"),
    ("GET", "/api/v1/learners/{uln}/learning-events"),
}


def _without_hot_routes(app: FastAPI) -> FastAPI:
    app.router.routes[:] = [r for r in app.router.routes if not isinstance(r, HotRoute)]
    return app


@pytest.fixture
def general(settings: Settings, uow_factory: SqlUnitOfWorkFactory) -> Iterator[TestClient]:
    """The app without the hot routes, on the test's database."""
    app = _without_hot_routes(create_api(settings, uow_factory))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@dataclasses.dataclass(frozen=True)
class Pair:
    """The real app and the app without hot routes, on one database, an LRB caller's headers,
    and a learner it registered: shared by the many tests below that only send refused requests
    or reads (each would otherwise cost a database, four apps and an argon2 hash)."""

    api: TestClient
    general: TestClient
    lrb: dict[str, str]
    uln: str


@pytest.fixture(scope="module")
def pair(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    var_dir = tmp_path_factory.mktemp("var")
    settings = Settings(database_url=module_database_url, secret_key=SECRET_KEY, var_dir=var_dir)
    engine = build_engine(module_database_url, pool_size=5)
    uow_factory = SqlUnitOfWorkFactory(engine)
    general_app = _without_hot_routes(create_api(settings, uow_factory))
    with (
        TestClient(create_api(settings, uow_factory), raise_server_exceptions=False) as api,
        TestClient(general_app, raise_server_exceptions=False) as general,
    ):
        lrb = Register(api, uow_factory).headers(Role.LRB)
        created = api.post(LEARNERS, json=register_body(seed=12), headers=lrb)
        assert created.status_code == 201, created.text
        yield Pair(api, general, lrb, created.json()["uln"])
    uow_factory.close()
    engine.dispose()


def _answer(response: Any) -> tuple[Any, ...]:
    kind = response.headers.get("content-type")
    body = response.json() if kind and "json" in kind else response.text
    headers = {name: response.headers.get(name) for name in HEADERS}
    return response.status_code, kind, body, headers


def _alike(api: TestClient, general: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    """The real app's answer, once checked to be the one the app without hot routes gives."""
    hot = api.request(method, LEARNERS + path, **kwargs)
    expected = general.request(method, LEARNERS + path, **kwargs)
    assert _answer(hot) == _answer(expected), (method, path, kwargs)
    return hot


def test_the_load_mix_routes_are_tried_first_and_documented(app: FastAPI) -> None:
    routes = app.router.routes
    hot = [route for route in routes if isinstance(route, HotRoute)]
    assert routes[: len(hot)] == hot
    assert {(method, route.path) for route in hot for method in route.methods or ()} == HOT
    documented = {
        (method.upper(), path) for path, ops in app.openapi()["paths"].items() for method in ops
    }
    assert documented >= HOT


def _route_taken(
    runner: asyncio.Runner, app: FastAPI, method: str, path: str
) -> tuple[str, str] | None:
    """The method and path of the route `app` gives an unauthenticated request (the method is
    "" for a route that only answers 405), or None for none."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("192.0.2.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        pass

    runner.run(app(scope, receive, send))
    route = scope.get("route")
    if isinstance(route, APIRoute | HotRoute):
        return (method if route.methods and method in route.methods else ""), route.path
    return None


def test_every_request_goes_to_the_route_fastapi_would_give_it(
    settings: Settings, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """Each documented path, with sample values, by every method: the hot routes take exactly
    the requests FastAPI's router sends to their endpoints, and leave the others as they were."""
    unlimited = settings.model_copy(update={"rate_limit_per_ip": 0, "rate_limit_per_client": 0})
    app = create_api(unlimited, uow_factory)
    general = _without_hot_routes(create_api(unlimited, uow_factory))
    taken = set()
    paths = {
        re.sub(r"\{[^}]+\}", sample, template)
        for template in app.openapi()["paths"]
        for sample in ("1234567890", "search", "verify", "learning-events", "x")
    }
    with asyncio.Runner() as runner:  # one event loop for the thousands of requests
        for path in sorted(paths):
            for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
                route = _route_taken(runner, app, method, path)
                assert route == _route_taken(runner, general, method, path), (method, path)
                taken.add(route)
    assert taken >= HOT


@pytest.mark.parametrize(
    ("headers", "content"),
    [
        pytest.param(JSON, None, id="no body"),
        pytest.param(JSON, b"{not json", id="malformed JSON"),
        pytest.param(JSON, b"[1, 2]", id="a JSON array"),
        pytest.param(JSON, b'"Smith"', id="a JSON string"),
        pytest.param(JSON, b"null", id="JSON null"),
        pytest.param(JSON, b"{}", id="every field missing"),
        pytest.param(JSON, b'{"given_name": 7, "date_of_birth": "31/02/2001"}', id="wrong types"),
        pytest.param(JSON, b'{"given_name": "Ann", "surprise": 1}', id="an unknown field"),
        pytest.param(JSON, b"\xff\xfe{}", id="not UTF-8"),
        pytest.param(JSON, '{"given_name": "Ann"}'.encode("utf-16"), id="UTF-16"),
        pytest.param({}, b'{"given_name": "Ann"}', id="no content type"),
        pytest.param({"Content-Type": "text/plain"}, b"{}", id="another content type"),
        pytest.param({"Content-Type": "application/json; charset=utf-8"}, b"{}", id="charset"),
        pytest.param({"Content-Type": "application/merge-patch+json"}, b"{}", id="a +json type"),
        pytest.param({"Content-Type": "Application/JSON"}, b"{}", id="capitals"),
        pytest.param({"Content-Type": "application/jsonx"}, b"{}", id="a near miss"),
        pytest.param({"Content-Type": "application/x-www-form-urlencoded"}, b"a=1", id="a form"),
    ],
)
@pytest.mark.parametrize("path", ["/search", "", "/search?debug=1"])
def test_bad_bodies_are_refused_alike(pair: Pair, path: str, headers: Any, content: Any) -> None:
    auth = pair.lrb
    response = _alike(pair.api, pair.general, "POST", path, headers=auth | headers, content=content)
    assert response.status_code in (400, 422)


@pytest.mark.parametrize("token", [None, "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer "])
@pytest.mark.parametrize("content", [b"{not json", b"{}", b'{"given_name": "Ann"}', None])
@pytest.mark.parametrize("path", ["/search", ""])
def test_unauthenticated_requests_are_refused_alike(
    pair: Pair, token: str | None, content: bytes | None, path: str
) -> None:
    """FastAPI decodes the body before it asks for the token, and validates it after: malformed
    JSON is a 400 either way; any other body without a valid token is a 401."""
    headers = JSON | ({"Authorization": token} if token else {})
    response = _alike(pair.api, pair.general, "POST", path, headers=headers, content=content)
    assert response.status_code == (400 if content == b"{not json" else 401)


@pytest.mark.parametrize("token", [None, "Bearer not-a-token"])
@pytest.mark.parametrize("path", ["/1234567890", "/1234567890/learning-events?type=nonsense"])
def test_unauthenticated_reads_are_refused_alike(pair: Pair, token: str | None, path: str) -> None:
    headers = {"Authorization": token} if token else {}
    assert _alike(pair.api, pair.general, "GET", path, headers=headers).status_code == 401


def test_searches_lookups_and_registrations_answer_alike(
    api: TestClient, general: TestClient, register: Register
) -> None:
    auth = register.headers(Role.LRB)
    body = register_body(seed=11)
    created = api.post(LEARNERS, json=body | {"confirm_different_person": True}, headers=auth)
    other = general.post(LEARNERS, json=register_body(seed=13), headers=auth)
    assert created.status_code == other.status_code == 201, (created.text, other.text)
    assert created.json().keys() == other.json().keys()
    assert created.headers.keys() == other.headers.keys()
    uln = created.json()["uln"]
    _alike(api, general, "POST", "/search", json=search_body(body), headers=auth)
    _alike(api, general, "POST", "/search?x=1", json=search_body(body), headers=auth)
    for found in (uln, f" {uln}", f"{uln}?x=1", unissued_uln(), "12345", "not-a-uln", "search"):
        _alike(api, general, "GET", f"/{found}", headers=auth)
    names = {
        "Learner-Given-Name": quote(str(body["given_name"]), safe=""),
        "Learner-Family-Name": "x",
    }
    for sent in (names, names | {"Learner-Given-Name": "%FF"}, {"Learner-Gender": "3"}):
        _alike(api, general, "GET", f"/{uln}", headers=auth | sent)
    again = _alike(api, general, "POST", "", json=body, headers=auth)
    assert again.status_code == 409  # the same person, already registered


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("", {}),
        ("?type=achievement", {}),
        ("?type=nonsense", {}),
        ("?type=achievement&type=nonsense", {}),
        ("?since=2020-01-01&until=2030-12-31", {}),
        ("?since=yesterday&until=tomorrow&type=x", {}),
        ("?since=", {}),
        ("?other=1", {}),
        ("", {"If-None-Match": '"1"'}),
        ("", {"If-None-Match": 'W/"1"'}),
        ("", {"If-None-Match": '"99"'}),
        ("", KNOWN),
        ("?type=achievement", KNOWN),
        ("", KNOWN | {"If-None-Match": '"1"'}),
        ("", KNOWN | {"Learner-Date-Of-Birth": "2001-02-03", "Learner-Gender": "9"}),
        ("", KNOWN | {"Learner-Date-Of-Birth": "yesterday", "Learner-Gender": "7"}),
        ("", {"Learner-Given-Name": "Zed", "Learner-Family-Name": "Nobody"}),
        ("", {"Learner-Given-Name": "%FF%FE", "Learner-Family-Name": "x"}),
        ("?since=yesterday", {"Learner-Family-Name": "%E2%80%99"}),
    ],
)
def test_learning_record_reads_answer_alike(
    pair: Pair, query: str, headers: dict[str, str]
) -> None:
    api, general, lrb = pair.api, pair.general, pair.lrb
    _alike(api, general, "GET", f"/{pair.uln}/learning-events{query}", headers=lrb | headers)
    _alike(api, general, "GET", f"/{unissued_uln()}/learning-events{query}", headers=lrb | headers)


def test_a_request_under_a_root_path_is_answered_alike(
    app: FastAPI, settings: Settings, uow_factory: SqlUnitOfWorkFactory, register: Register
) -> None:
    general_app = _without_hot_routes(create_api(settings, uow_factory))
    auth = register.headers(Role.LRB)
    with (
        TestClient(app, root_path="/register") as api,
        TestClient(general_app, root_path="/register") as general,
    ):
        _alike(api, general, "GET", f"/{unissued_uln()}", headers=auth)


def test_dependency_overrides_apply_to_the_load_mix_routes(
    app: FastAPI, api: TestClient, register: Register
) -> None:
    """With overrides set, FastAPI's routes serve these endpoints, so the overrides apply."""

    async def refused() -> Caller:
        raise HTTPException(418, "Overridden")

    auth = register.headers(Role.LRB)
    app.dependency_overrides[current_caller] = refused
    try:
        assert api.get(f"{LEARNERS}/{unissued_uln()}", headers=auth).status_code == 418
        searched = api.post(f"{LEARNERS}/search", json=search_body(register_body()), headers=auth)
        assert searched.status_code == 418
    finally:
        app.dependency_overrides.clear()
    assert api.get(f"{LEARNERS}/{unissued_uln()}", headers=auth).status_code == 404
