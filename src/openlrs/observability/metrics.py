"""Prometheus series for the API and the batch worker; safe with several server processes.

`openlrs serve` points PROMETHEUS_MULTIPROC_DIR at an empty directory before starting workers
(`observability.multiproc`), so every process writes its samples there and whichever process
answers `/metrics` reports the sum. Without it (tests, a single embedded process) the samples
live in this process. Labels never carry personal data: routes are templates
(`/api/v1/learners/{uln}`), never raw paths.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, event

from openlrs.observability.logs import get_logger
from openlrs.observability.multiproc import MULTIPROC_ENV
from openlrs.services import telemetry

REQUESTS = Counter(
    "openlrs_http_requests_total",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "openlrs_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route template and status",
    ["method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
MATCH_OUTCOMES = Counter(
    "openlrs_match_outcomes_total",
    "Matching outcomes (exact, possible, too_many, no_match, linked) by operation",
    ["operation", "outcome"],
)
ROWS_PROCESSED = Counter(
    "openlrs_batch_rows_processed_total", "Batch file rows processed, by outcome", ["outcome"]
)
RATE_LIMITED = Counter(
    "openlrs_rate_limited_total", "Requests refused with 429, by limit (client or ip)", ["limit"]
)
POOL_CHECKED_OUT = Gauge(
    "openlrs_db_pool_checked_out",
    "Database connections in use, summed over live processes",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "openlrs_db_pool_size",
    "Database connections each pool keeps, summed over live processes",
    ["pool"],
    multiprocess_mode="livesum",
)

log = get_logger("openlrs.metrics")

QueueProbe = Callable[[], tuple[int, float]]
"""Returns (jobs waiting, age in seconds of the oldest waiting job; 0 when none)."""


# prometheus_client chose how to store samples when first imported (just above): follow it.
_MULTIPROCESS = bool(os.environ.get(MULTIPROC_ENV))


def multiprocess_mode() -> bool:
    return _MULTIPROCESS


def process_exited(pid: int | None = None) -> None:
    """Drop a finished process's live gauges (pool use) from the sums."""
    if multiprocess_mode():
        multiprocess.mark_process_dead(pid or os.getpid())  # type: ignore[no-untyped-call]


def subscribe_to_services() -> None:
    """Count the outcomes the use cases report through `services.telemetry`."""
    telemetry.observe_match_outcomes(_count_match)
    telemetry.observe_rows_processed(_count_rows)


def _count_match(operation: str, outcome: str) -> None:
    MATCH_OUTCOMES.labels(operation, outcome).inc()


def _count_rows(outcome: str, rows: int) -> None:
    ROWS_PROCESSED.labels(outcome).inc(rows)


def watch_pool(engine: Engine, name: str) -> None:
    """Keep the in-use and size gauges of `engine`'s pool true through pool events."""
    size = getattr(engine.pool, "size", None)
    POOL_SIZE.labels(name).set(size() if callable(size) else 0)
    in_use = POOL_CHECKED_OUT.labels(name)
    event.listen(engine, "checkout", lambda *_: in_use.inc())
    event.listen(engine, "checkin", lambda *_: in_use.dec())


class QueueCollector(Collector):
    """Batch queue depth and oldest age, read from the database when scraped (one process
    answers the scrape, and the queue is the same for all of them)."""

    def __init__(self, probe: QueueProbe) -> None:
        self._probe = probe

    def collect(self) -> Iterable[GaugeMetricFamily]:
        try:
            depth, oldest = self._probe()
        except Exception:  # the database is down: the other series matter all the more
            log.warning("batch queue depth unavailable", exc_info=True)
            return
        yield GaugeMetricFamily(
            "openlrs_batch_queue_depth", "Batch jobs waiting to be processed", value=depth
        )
        yield GaugeMetricFamily(
            "openlrs_batch_queue_oldest_age_seconds",
            "Age of the oldest waiting batch job (0 when none wait)",
            value=oldest,
        )


def exposition(queue_probe: QueueProbe | None = None) -> bytes:
    """The text every scrape gets: all processes' samples, then the queue read now."""
    if multiprocess_mode():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        text = generate_latest(registry)
    else:
        text = generate_latest(REGISTRY)
    if queue_probe is not None:
        queue = CollectorRegistry()
        queue.register(QueueCollector(queue_probe))
        text += generate_latest(queue)
    return text
