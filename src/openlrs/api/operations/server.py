"""`openlrs serve`: uvicorn with N worker processes behind one port, JSON logs, Prometheus
multiprocess metrics and a graceful shutdown (docs/operations.md)."""

from __future__ import annotations

import uvicorn

from openlrs.config import Settings
from openlrs.observability.logs import configure_logging
from openlrs.observability.multiproc import prepare_multiprocess_dir


def serve(settings: Settings, *, host: str, port: int, workers: int) -> None:
    # Before any worker starts: each imports prometheus_client with this directory set.
    prepare_multiprocess_dir(settings.var_dir / "prometheus")
    configure_logging(settings.log_level)
    uvicorn.run(
        "openlrs.bootstrap:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,  # our JSON logging, configured again in each worker by the app
        log_level=settings.log_level.lower(),
        access_log=False,  # the app writes its own access line, with the request id
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )
