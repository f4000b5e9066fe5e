"""The Prometheus multiprocess directory, set up without importing prometheus_client: the
library reads PROMETHEUS_MULTIPROC_DIR when first imported, so this must run before that."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare_multiprocess_dir(path: Path) -> None:
    """Empty `path` and point this process and the workers it starts at it."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    os.environ[MULTIPROC_ENV] = str(path.resolve())
