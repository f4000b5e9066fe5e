"""Write deploy/prometheus/openlrs-slo.rules.yml from the service level objectives below.

The objectives are the source (docs/operations.md "Service levels" states them in words); the
rules file is generated so every window and burn rate stays consistent, and committed so
Prometheus and promtool read it as is. `python tools/slo_rules.py --check` fails when the
committed file differs from what the objectives give (tests/functional/operations runs it).

Burn-rate alerts follow the multiwindow, multi-burn-rate pattern of Google's SRE workbook
(chapter 5): page when the month's budget would be gone in about two days (14.4x over 1 h,
confirmed over 5 min) or five days (6x over 6 h, confirmed over 30 min); open a ticket when it
is burning steadily (1x over 3 days, confirmed over 6 h).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

RULES = Path(__file__).resolve().parent.parent / "deploy" / "prometheus" / "openlrs-slo.rules.yml"
REQUESTS = "openlrs_http_requests_total"
LATENCY = "openlrs_http_request_duration_seconds"
WINDOWS = ("5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d")
BURNS = (  # (severity, burn rate, long window, short window, for)
    ("page", 14.4, "1h", "5m", "2m"),
    ("page", 6, "6h", "30m", "15m"),
    ("ticket", 1, "3d", "6h", "1h"),
)
BATCH_DEADLINE_HOURS = 48


@dataclass(frozen=True)
class Objective:
    service: str  # api or portal: the first segment of the route template
    slo: str  # availability or latency
    target: float  # fraction of good requests over 30 days
    slow_above: str = ""  # latency: a histogram bucket bound, as the exposition writes it

    @property
    def budget(self) -> float:
        return round(1 - self.target, 6)

    @property
    def name(self) -> str:
        return f"Openlrs{self.service.capitalize()}{self.slo.capitalize()}BudgetBurn"


OBJECTIVES = (
    Objective("api", "availability", 0.995),
    Objective("portal", "availability", 0.995),
    Objective("api", "latency", 0.99, slow_above="0.5"),
    Objective("portal", "latency", 0.95, slow_above="1.0"),
)


def _selector(objective: Objective, extra: str = "") -> str:
    return f'{{route=~"/{objective.service}/.*"{extra}}}'


def _bad_ratio(objective: Objective, window: str) -> str:
    every = f"sum(rate({REQUESTS}{_selector(objective)}[{window}]))"
    if objective.slo == "availability":
        errors = _selector(objective, ', status=~"5.."')
        bad = f"(sum(rate({REQUESTS}{errors}[{window}])) or vector(0))"  # none yet: 0
        return f"{bad} / {every}"
    fast = _selector(objective, f', le="{objective.slow_above}"')
    good = f"sum(rate({LATENCY}_bucket{fast}[{window}]))"
    total = f"sum(rate({LATENCY}_count{_selector(objective)}[{window}]))"
    return f"1 - {good} / {total}"


def _record(objective: Objective, window: str) -> str:
    return f"openlrs:slo_{objective.slo}_bad:ratio_rate{window}"


def _labels(objective: Objective, indent: str) -> str:
    return (
        f"{indent}labels:\n{indent}  service: {objective.service}\n{indent}  slo: {objective.slo}\n"
    )


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def objective_group(objective: Objective) -> str:
    """Its ratios over every window, then its alerts: one group, so the alerts read ratios
    recorded in the same evaluation (rules within a group run in order; groups do not)."""
    selector = f'{{service="{objective.service}", slo="{objective.slo}"}}'
    out = [f"  - name: openlrs-slo-{objective.service}-{objective.slo}\n    rules:\n"]
    for window in WINDOWS:
        out.append(f"      - record: {_record(objective, window)}\n")
        out.append(f"        expr: {_quoted(_bad_ratio(objective, window))}\n")
        out.append(_labels(objective, "        "))
    out.append("      - record: openlrs:slo_error_budget_remaining:ratio30d\n")
    expr = f"1 - {_record(objective, '30d')}{selector} / {objective.budget}"
    out.append(f"        expr: {_quoted(expr)}\n")
    out.append(_labels(objective, "        "))
    what = "5xx answers" if objective.slo == "availability" else "slow answers"
    for severity, burn, long, short, wait in BURNS:
        limit = round(burn * objective.budget, 6)
        expr = (
            f"{_record(objective, long)}{selector} > {limit}"
            f" and {_record(objective, short)}{selector} > {limit}"
        )
        summary = (
            f"{objective.service} {what} are using the 30-day error budget "
            f"({objective.budget:.1%}) {burn}x too fast over {long} and {short}"
        )
        out.append(_alert(objective.name, expr, wait, severity, summary, objective, window=long))
    return "".join(out)


def _alert(
    name: str,
    expr: str,
    wait: str,
    severity: str,
    summary: str,
    objective: Objective,
    window: str = "",
) -> str:
    out = [f"      - alert: {name}\n        expr: {_quoted(expr)}\n        for: {wait}\n"]
    out.append(f"        labels:\n          severity: {severity}\n")
    out.append(f"          service: {objective.service}\n          slo: {objective.slo}\n")
    if window:
        out.append(f'          window: "{window}"\n')
    out.append(f"        annotations:\n          summary: {_quoted(summary)}\n")
    out.append("          runbook: docs/operations.md#service-levels\n")
    return "".join(out)


def batch_group() -> str:
    """Files processed within 48 hours of upload: the oldest waiting file's age, read from the
    queue at each scrape, against the deadline."""
    hours = BATCH_DEADLINE_HOURS
    batch = Objective("batch", "processing", 1.0)
    out = ["  - name: openlrs-slo-batch-processing\n    rules:\n"]
    out.append("      - record: openlrs:batch_oldest_wait:seconds\n")
    out.append('        expr: "max(openlrs_batch_queue_oldest_age_seconds)"\n')
    out.append("      - record: openlrs:batch_within_deadline:bool\n")
    out.append(f'        expr: "openlrs:batch_oldest_wait:seconds <= bool {hours * 3600}"\n')
    for name, above, wait, severity, summary in (
        ("OpenlrsBatchQueueStalled", 3600, "15m", "ticket", "a batch file has waited over 1 hour"),
        (
            "OpenlrsBatchDeadlineAtRisk",
            hours * 1800,
            "5m",
            "page",
            f"a batch file has used half of its {hours} hours",
        ),
        (
            "OpenlrsBatchDeadlineMissed",
            hours * 3600,
            "0m",
            "page",
            f"a batch file has waited over {hours} hours",
        ),
    ):
        expr = f"openlrs:batch_oldest_wait:seconds > {above}"
        out.append(_alert(name, expr, wait, severity, summary, batch))
    return "".join(out)


def up_group() -> str:
    out = ["  - name: openlrs-up\n    rules:\n"]
    expr = 'absent(up{job="openlrs"} == 1)'
    summary = "no openlrs process answers the scrape"
    out.append(_alert("OpenlrsDown", expr, "5m", "page", summary, OBJECTIVES[0]))
    return "".join(out)


def rules_file() -> str:
    header = "# Generated by tools/slo_rules.py from its OBJECTIVES: edit those, then run it.\n"
    return (
        header
        + "groups:\n"
        + "".join(map(objective_group, OBJECTIVES))
        + batch_group()
        + up_group()
    )


def main(argv: list[str]) -> int:
    text = rules_file()
    if "--check" in argv:
        if RULES.read_text(encoding="utf-8") != text:
            print(f"{RULES} is out of date: run python tools/slo_rules.py", file=sys.stderr)
            return 1
        return 0
    RULES.parent.mkdir(parents=True, exist_ok=True)
    RULES.write_text(text, encoding="utf-8")
    print(f"wrote {RULES}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
