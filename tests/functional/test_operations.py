"""Running it for real through the real app: metrics, rate limits, security headers, request
ids, readiness through shutdown and body limits on chunked uploads (docs/operations.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from prometheus_client.parser import text_string_to_metric_families
from starlette.routing import Mount

from openlrs.api.app import create_api
from openlrs.api.operations.security_headers import CSP
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Role
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_register_bodies, register_body, registration_csv, search_body
from tests.functional.callers import SECRET_KEY, TOKEN_URL, Register, token_form
from tests.functional.expectations import assert_problem
from tests.functional.portal_support import COLLEGE_ADMIN, portal_app, sign_in
from tests.functional.test_batches_api import drain, upload

METRICS_TOKEN = "metrics-token-for-tests-0123456789"


def _app(sqlite_template: Path, tmp_path: Path, **overrides: object) -> FastAPI:
    """The real app over a fresh SQLite register (these behaviours do not depend on the database)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "ops.db"
    path.write_bytes(sqlite_template.read_bytes())
    settings = Settings(
        database_url=f"sqlite:///{path}",
        secret_key=SECRET_KEY,
        var_dir=tmp_path / "var",
        **overrides,  # type: ignore[arg-type]
    )
    return create_api(settings, SqlUnitOfWorkFactory(build_engine(settings.database_url)))


@pytest.fixture
def ops_app(sqlite_template: Path, tmp_path: Path) -> FastAPI:
    return _app(sqlite_template, tmp_path, metrics_token=METRICS_TOKEN)


@pytest.fixture
def ops_api(ops_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(ops_app, raise_server_exceptions=False) as client:
        yield client


def _scrape(api: TestClient) -> str:
    response = api.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


# --- metrics ------------------------------------------------------------------------------------


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def _samples(api: TestClient) -> Samples:
    """Every sample of a scrape, by name and labels (counters only grow, so tests compare two)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(_scrape(api))
        for sample in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def _grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return _value(after, name, **labels) - _value(before, name, **labels)


def test_metrics_expose_the_named_series_by_route_template(
    ops_app: FastAPI, ops_api: TestClient
) -> None:
    register = Register(ops_api, ops_app.state.uow_factory)
    lrb = register.caller(Role.LRB)
    learner = register_body(seed=31)
    before = _samples(ops_api)

    created = ops_api.post("/api/v1/learners", json=learner, headers=lrb.headers)
    assert created.status_code == 201, created.text
    uln = created.json()["uln"]
    assert ops_api.get(f"/api/v1/learners/{uln}", headers=lrb.headers).status_code == 200
    search = ops_api.post("/api/v1/learners/search", json=search_body(learner), headers=lrb.headers)
    assert search.status_code == 200
    text = _scrape(ops_api)
    during = _samples(ops_api)

    route = {"method": "GET", "route": "/api/v1/learners/{uln}", "status": "200"}
    assert _grew(before, during, "openlrs_http_requests_total", **route) == 1
    assert _grew(before, during, "openlrs_http_request_duration_seconds_count", **route) == 1
    assert 'openlrs_http_request_duration_seconds_bucket{le="0.1",method="GET"' in text
    match = "openlrs_match_outcomes_total"
    assert _grew(before, during, match, operation="register", outcome="no_match") == 1
    assert _grew(before, during, match, operation="search", outcome="exact") == 1
    assert ("openlrs_db_pool_checked_out", (("pool", "main"),)) in during
    assert _value(during, "openlrs_db_pool_size", pool="main") >= 0
    assert _value(during, "openlrs_batch_queue_depth") == 0
    assert uln not in text, "a raw path (with its ULN) reached a label"
    assert learner["family_name"] not in text

    # The batch queue, read from the database at scrape time, and the rows a worker processed.
    bodies = many_register_bodies(3, seed=32)
    assert upload(ops_api, lrb, registration_csv(bodies[:2])).status_code == 202
    drain(ops_app.state.uow_factory)
    waiting = upload(ops_api, lrb, registration_csv(bodies[2:]))
    assert waiting.status_code == 202, waiting.text
    after = _samples(ops_api)

    assert _value(after, "openlrs_batch_queue_depth") == 1
    assert _value(after, "openlrs_batch_queue_oldest_age_seconds") >= 0
    rows = "openlrs_batch_rows_processed_total"
    assert _grew(during, after, rows, outcome="succeeded") == 2
    assert _grew(during, after, "openlrs_http_requests_total", **route) == 0


def test_metrics_answer_when_the_batch_queue_cannot_be_read(
    ops_app: FastAPI, ops_api: TestClient
) -> None:
    def broken() -> tuple[int, float]:
        raise OSError("the database is not answering")

    ops_app.state.queue_probe = broken
    samples = _samples(ops_api)
    assert ("openlrs_batch_queue_depth", ()) not in samples
    assert any(name == "openlrs_http_requests_total" for name, _ in samples)


def test_unmatched_paths_share_one_label(ops_api: TestClient) -> None:
    assert ops_api.get("/no/such/page/123456").status_code == 404
    text = _scrape(ops_api)
    assert 'route="unmatched",status="404"' in text
    assert "123456" not in text


def test_metrics_need_the_token_when_one_is_set(ops_api: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        assert_problem(ops_api.get("/metrics", headers=headers), 403, "NOT_AUTHORISED")


def test_without_a_token_metrics_are_for_loopback_callers_only(
    sqlite_template: Path, tmp_path: Path
) -> None:
    app = _app(sqlite_template, tmp_path)
    with TestClient(app, client=("127.0.0.1", 40000)) as local:
        assert local.get("/metrics").status_code == 200
    with TestClient(app, client=("203.0.113.9", 40000)) as remote:
        assert_problem(remote.get("/metrics"), 403, "NOT_AUTHORISED")


# --- rate limits --------------------------------------------------------------------------------


def test_a_client_over_its_limit_gets_429_and_other_clients_are_unaffected(
    sqlite_template: Path, tmp_path: Path
) -> None:
    # A refill so slow it never matters during the test: only the burst counts.
    app = _app(sqlite_template, tmp_path, rate_limit_per_client=0.001, rate_limit_client_burst=3)
    with TestClient(app, raise_server_exceptions=False) as api:
        register = Register(api, app.state.uow_factory)
        greedy = register.headers(Role.LRB)
        other = register.headers(Role.LRB_ADMIN)
        uln = "9999999999"
        for _ in range(3):
            assert api.get(f"/api/v1/learners/{uln}", headers=greedy).status_code != 429
        refused = api.get(f"/api/v1/learners/{uln}", headers=greedy)
        assert_problem(refused, 429, "RATE_LIMITED")
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.headers["X-Request-ID"]
        assert refused.headers["Content-Security-Policy"] == CSP
        assert api.get(f"/api/v1/learners/{uln}", headers=other).status_code != 429
        assert api.get("/healthz").status_code == 200, "probes are never limited"


def test_unauthenticated_callers_are_limited_per_ip(sqlite_template: Path, tmp_path: Path) -> None:
    app = _app(sqlite_template, tmp_path, rate_limit_per_ip=0.001, rate_limit_ip_burst=2)
    with (
        TestClient(app, client=("198.51.100.1", 1)) as one,
        TestClient(app, client=("198.51.100.2", 1)) as two,
    ):
        form = token_form("cl_nobody", "wrong")
        assert one.post(TOKEN_URL, data=form).status_code == 401
        assert one.post(TOKEN_URL, data=form).status_code == 401
        assert_problem(one.post(TOKEN_URL, data=form), 429, "RATE_LIMITED")
        assert two.post(TOKEN_URL, data=form).status_code == 401


# --- security headers ---------------------------------------------------------------------------


def _boom() -> None:
    raise RuntimeError("an unexpected failure")


@pytest.fixture
def whole_app(sqlite_template: Path, tmp_path: Path) -> FastAPI:
    """API and portal as `openlrs serve` runs them, each with a route that fails unexpectedly."""
    ops = _app(sqlite_template, tmp_path, max_body_bytes=1000)
    app = portal_app(ops.state.settings, ops.state.uow_factory)
    app.add_api_route("/api/v1/test-only/boom", _boom)
    portal = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/portal")
    portal.app.add_api_route("/test-only/boom", _boom)  # type: ignore[attr-defined]
    return app


API_PAGES = [
    ("GET", "/healthz", 200),
    ("GET", "/readyz", 200),
    ("GET", "/metrics", 403),  # not loopback, no token
    ("GET", "/api/v1/openapi.json", 200),
    ("GET", "/api/v1/learners/1234567890", 401),
    ("POST", "/api/v1/learners/search", 401),
    ("PUT", "/healthz", 405),
    ("GET", "/no/such/page", 404),
    ("GET", "/api/v1/test-only/boom", 500),
    ("GET", "/", 307),
]
PORTAL_PAGES = [
    ("GET", "/portal/sign-in", 200),
    ("GET", "/portal/learners/find", 303),  # not signed in
    ("GET", "/portal/no/such/page", 404),
    ("GET", "/portal/test-only/boom", 500),
    ("GET", "/portal/static/govuk-frontend.min.css", 200),
    ("GET", "/portal/static/govuk-frontend.min.js", 200),
    ("GET", "/portal/static/no-such.css", 404),
    ("GET", "/assets/images/favicon.svg", 200),
    ("GET", "/assets/no-such.svg", 404),
]
SIGNED_IN_PAGES = [
    ("GET", "/portal/", 200),
    ("GET", "/portal/learners/find", 200),
    ("GET", "/portal/learners/search", 200),
    ("GET", "/portal/batches", 200),
    ("GET", "/portal/learners/9999999999", 404),
]


def _assert_security_headers(response: Response, where: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp == CSP or csp.startswith("default-src 'self'; script-src 'self' 'nonce-"), where
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] == "no-referrer", where
    assert response.headers["X-Frame-Options"] == "DENY", where
    assert response.headers["X-Request-ID"], where
    assert "Strict-Transport-Security" not in response.headers, f"HSTS over plain http: {where}"


def test_the_csp_header_is_on_every_page_portal_and_api_errors_and_assets_included(
    whole_app: FastAPI,
) -> None:
    with TestClient(whole_app, raise_server_exceptions=False) as client:
        for method, path, status in API_PAGES + PORTAL_PAGES:
            response = client.request(method, path, follow_redirects=False)
            assert response.status_code == status, (method, path, response.text[:200])
            _assert_security_headers(response, f"{method} {path}")
        too_large = client.post("/api/v1/learners", content=b"x" * 2000)
        assert too_large.status_code == 413
        _assert_security_headers(too_large, "413")
        sign_in(client, COLLEGE_ADMIN)
        for method, path, status in SIGNED_IN_PAGES:
            response = client.request(method, path, follow_redirects=False)
            assert response.status_code == status, (method, path, response.text[:200])
            _assert_security_headers(response, f"{method} {path} (signed in)")


def test_the_api_docs_page_allows_only_its_own_inline_script_by_hash(ops_api: TestClient) -> None:
    response = ops_api.get("/api/docs")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "'sha256-" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_hsts_over_tls_or_when_settings_say_we_are_behind_it(
    sqlite_template: Path, tmp_path: Path
) -> None:
    app = _app(sqlite_template, tmp_path)
    with TestClient(app, base_url="https://testserver") as tls:
        assert "max-age=" in tls.get("/healthz").headers["Strict-Transport-Security"]
    behind = _app(sqlite_template, tmp_path / "b", behind_tls=True)
    with TestClient(behind) as plain:
        assert "Strict-Transport-Security" in plain.get("/healthz").headers


# --- request ids --------------------------------------------------------------------------------


def test_a_well_formed_request_id_is_echoed_and_a_bad_one_replaced(ops_api: TestClient) -> None:
    given = "req-4f1c2a9e-0001"
    assert ops_api.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given
    for bad in ("short", "has spaces in it", "<script>alert(1)</script>", "x" * 200):
        echoed = ops_api.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert echoed != bad and re.fullmatch(r"[0-9a-f]{32}", echoed)
    assert re.fullmatch(r"[0-9a-f]{32}", ops_api.get("/healthz").headers["X-Request-ID"])


# --- readiness through shutdown -----------------------------------------------------------------


def test_readyz_goes_unready_while_draining_and_healthz_stays_up(
    ops_app: FastAPI, ops_api: TestClient
) -> None:
    assert ops_api.get("/readyz").status_code == 200
    ops_app.state.readiness.begin_draining()
    assert ops_api.get("/readyz").status_code == 503
    assert ops_api.get("/healthz").status_code == 200


def test_readyz_is_unready_once_the_app_is_shutting_down(ops_app: FastAPI) -> None:
    with TestClient(ops_app) as api:
        assert api.get("/readyz").status_code == 200
    assert ops_app.state.readiness.draining


# --- body limits --------------------------------------------------------------------------------


def test_a_chunked_upload_over_the_limit_is_refused_with_413(
    sqlite_template: Path, tmp_path: Path
) -> None:
    app = _app(sqlite_template, tmp_path, max_body_bytes=1000)

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent with Transfer-Encoding: chunked
        yield b'{"given_name": "'
        for _ in range(50):
            yield b"a" * 100
        yield b'"}'

    with TestClient(app, raise_server_exceptions=False) as api:
        headers = Register(api, app.state.uow_factory).headers(Role.LRB)
        response = api.post(
            "/api/v1/learners",
            content=chunks(),
            headers=headers | {"Content-Type": "application/json"},
        )
    assert_problem(response, 413, "REQUEST_TOO_LARGE")
