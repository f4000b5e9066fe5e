"""Service levels as code (deploy/prometheus, docs/operations.md "Service levels"): the rules file
is what tools/slo_rules.py makes of the objectives, promtool accepts it and its unit tests pass,
and the API availability alert fires on what the app's own /metrics reported during an error
burst (the database unreachable: every API answer a 503), and not on healthy traffic."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from openlrs.api.deps import issue_token
from openlrs.bootstrap import build_app
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Principal, Role
from tests.functional.callers import SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy" / "prometheus" / "openlrs-slo.rules.yml"
RULE_TESTS = sorted((ROOT / "deploy" / "prometheus" / "tests").glob("*.test.yml"))
LATENCY = "openlrs_http_request_duration_seconds"
METRICS_TOKEN = "metrics-token-for-slo-tests-0123456789"
DESK = Principal("client:desk", "10000001", frozenset({Role.ADMIN}))
LEARNER = "/api/v1/learners/9000000019"
HEALTHY_MINUTES, BURST_MINUTES = 60, 60
Samples = dict[tuple[tuple[str, str], ...], float]


@pytest.fixture(scope="module")
def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("promtool is missing and CI=true (make promtool installs it)")
        pytest.skip("promtool is not installed (make promtool)")
    return found


def run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_rules_are_generated_checked_and_their_unit_tests_pass(promtool: str) -> None:
    run(sys.executable, str(ROOT / "tools" / "slo_rules.py"), "--check")
    assert "SUCCESS" in run(promtool, "check", "rules", str(RULES))
    assert len(RULE_TESTS) == 2
    run(promtool, "test", "rules", *map(str, RULE_TESTS))


def _app(database_url: str, var: Path) -> FastAPI:
    settings = Settings(
        database_url=database_url, secret_key=SECRET_KEY, var_dir=var, metrics_token=METRICS_TOKEN
    )
    return build_app(settings)


@pytest.fixture
def healthy(sqlite_template: Path, tmp_path: Path) -> Iterator[TestClient]:
    path = tmp_path / "register.db"
    path.write_bytes(sqlite_template.read_bytes())
    app = _app(f"sqlite:///{path}", tmp_path / "var")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.uow_factory.close()


@pytest.fixture
def database_down(tmp_path: Path) -> Iterator[TestClient]:
    folder = tmp_path / "a-folder-not-a-database"  # "unable to open database file"
    folder.mkdir()
    app = _app(f"sqlite:///{folder}", tmp_path / "var-down")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.uow_factory.close()


def scrape(client: TestClient) -> Samples:
    """The request counters of /metrics for the API and the portal, by their labels."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if sample.name == "openlrs_http_requests_total"
        and sample.labels["route"].startswith(("/api/", "/portal/"))
    }


def traffic(client: TestClient) -> None:
    """One minute's worth of callers: ten lookups and five portal pages."""
    token = issue_token(DESK, client.app.state.settings)  # type: ignore[attr-defined]
    for _ in range(10):
        client.get(LEARNER, headers={"Authorization": f"Bearer {token}"})
    for _ in range(5):
        client.get("/portal/sign-in")


def series(before: Samples, healthy: Samples, burst: Samples) -> str:
    """Promtool input: each scraped counter as if the healthy minute repeated for an hour, then
    the healthy and the failing minute together every minute for another hour."""
    lines = []
    for labels in sorted(burst):
        calm = healthy.get(labels, 0.0) - before.get(labels, 0.0)
        failing = burst[labels] - healthy.get(labels, 0.0)
        values, total = [], 0.0
        for minute in range(HEALTHY_MINUTES + BURST_MINUTES + 1):
            values.append(f"{total:g}")
            total += calm + (failing if minute >= HEALTHY_MINUTES else 0.0)
        selector = ", ".join(f'{name}="{value}"' for name, value in labels)
        lines.append(
            f"      - series: 'openlrs_http_requests_total{{job=\"openlrs\", {selector}}}'"
        )
        lines.append(f"        values: '{' '.join(values)}'")
    return "\n".join(lines)


PAGES = """\
          - exp_labels: {{ severity: page, service: api, slo: availability, window: {window} }}
            exp_annotations:
              summary: "api 5xx answers are using the 30-day error budget (0.5%) {burn}x too fast over {window} and {short}"
              runbook: docs/operations.md#service-levels
"""


def test_an_error_burst_fires_the_availability_alert_on_scraped_metrics(
    promtool: str, healthy: TestClient, database_down: TestClient, tmp_path: Path
) -> None:
    before = scrape(healthy)
    traffic(healthy)
    after_healthy = scrape(healthy)
    traffic(database_down)  # the same callers while the database cannot be reached
    after_burst = scrape(healthy)

    failed = {labels: n for labels, n in after_burst.items() if dict(labels)["status"] == "503"}
    assert sum(failed.values()) - sum(before.get(labels, 0) for labels in failed) >= 10

    rule_test = tmp_path / "burst.test.yml"
    rule_test.write_text(
        f"""rule_files:
  - {RULES}
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
{series(before, after_healthy, after_burst)}
    alert_rule_test:
      - alertname: OpenlrsApiAvailabilityBudgetBurn
        eval_time: {HEALTHY_MINUTES - 5}m
        exp_alerts: []
      - alertname: OpenlrsApiAvailabilityBudgetBurn
        eval_time: {HEALTHY_MINUTES + BURST_MINUTES}m
        exp_alerts:
{PAGES.format(window="1h", short="5m", burn=14.4)}{PAGES.format(window="6h", short="30m", burn=6)}
""",
        encoding="utf-8",
    )
    run(promtool, "test", "rules", str(rule_test))


def test_the_dashboard_asks_only_for_series_that_exist(promtool: str, tmp_path: Path) -> None:
    """Each query parses (promtool checks it as a rule) and names only series the rules record
    or openlrs exports."""
    dashboard = json.loads(
        (ROOT / "deploy" / "grafana" / "openlrs-service-levels.json").read_text()
    )
    queries = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    as_rules = "\n".join(
        f"      - record: dashboard:query{n}\n        expr: {json.dumps(query)}"
        for n, query in enumerate(queries)
    )
    rules_file = tmp_path / "dashboard.rules.yml"
    rules_file.write_text(f"groups:\n  - name: dashboard\n    rules:\n{as_rules}\n")
    run(promtool, "check", "rules", str(rules_file))

    recorded = set(re.findall(r"record: (\S+)", RULES.read_text()))
    exported = set(
        re.findall(
            r'"(openlrs_[a-z_]+)"', (ROOT / "src/openlrs/observability/metrics.py").read_text()
        )
    )
    exported |= {f"{LATENCY}_bucket", "ALERTS"}
    named = {
        name
        for query in queries
        for name in re.findall(r"\b((?:openlrs[:_]|ALERTS)[\w:]*)(?=[{\[)\s]|$)", query)
    }
    assert named and named <= recorded | exported, named - recorded - exported
