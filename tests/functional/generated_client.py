"""The served OpenAPI document, and a Python client generated from it with openapi-python-client
as a supplier would generate one (once a test session: generating takes about two seconds)."""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from openlrs.api.app import create_api
from openlrs.config import Settings
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.callers import SECRET_KEY

PACKAGE = "openlrs_client"
"""The generated package's name, imported from the session's temporary directory."""


def served_document(workdir: Path) -> dict[str, Any]:
    """/api/v1/openapi.json as the app serves it (building it touches no database)."""
    settings = Settings(
        database_url=f"sqlite:///{workdir / 'unused.db'}",
        secret_key=SECRET_KEY,
        var_dir=workdir / "var",
    )
    app = create_api(settings, SqlUnitOfWorkFactory(build_engine(settings.database_url)))
    document: dict[str, Any] = app.openapi()
    return document


@dataclasses.dataclass(frozen=True)
class GeneratedClient:
    """The generated package on `sys.path`, and how the generator exited and what it printed."""

    root: Path
    returncode: int
    output: str

    def module(self, name: str) -> ModuleType:
        """`openlrs_client.<name>`, e.g. `api.learners.search_learners` or `models`."""
        return importlib.import_module(f"{PACKAGE}.{name}")

    def operation_modules(self) -> set[str]:
        """The module generated for each operation (snake_case of its operationId)."""
        return {
            p.stem for p in (self.root / PACKAGE / "api").glob("*/*.py") if p.stem != "__init__"
        }


def generate_client(document: dict[str, Any], workdir: Path) -> GeneratedClient:
    """Run `openapi-python-client generate` (the venv's, with its ruff on PATH for the formatting
    it runs afterwards; exiting 1 on any warning) on `document`, and put the package on
    `sys.path`."""
    path = workdir / "openapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    tools = Path(sys.executable).parent
    env = os.environ | {"PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [
        str(tools / "openapi-python-client"),
        "generate",
        "--path",
        str(path),
        "--output-path",
        str(workdir / PACKAGE),
        "--meta",
        "none",
        "--fail-on-warning",
    ]
    run = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    output = run.stdout + run.stderr
    assert (workdir / PACKAGE / "client.py").exists(), output
    sys.path.insert(0, str(workdir))
    return GeneratedClient(workdir, run.returncode, output)


def snake_case(operation_id: str) -> str:
    """The module name openapi-python-client gives an operation: searchLearners, search_learners."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()
