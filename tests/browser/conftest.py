"""The real app (API + portal) served by uvicorn on a loopback port, driven by Debian's Chromium.

Never `playwright install`: the browser is /usr/bin/chromium (`make chromium` installs it).
Set OPENLRS_SCREENSHOTS=docs/screenshots to save a picture of each main page.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from openlrs.config import Settings
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.conftest import IN_CI
from tests.functional.callers import SECRET_KEY
from tests.functional.portal_support import portal_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = os.environ.get("OPENLRS_SCREENSHOTS")


@dataclass
class Portal:
    base_url: str
    uow_factory: SqlUnitOfWorkFactory


def _require(path: Path, why: str) -> None:
    if path.exists():
        return
    if IN_CI:
        pytest.fail(f"{path} is missing ({why}) and CI=true: failing, not skipping")
    pytest.skip(f"{path} is missing ({why})")


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright per test file, not per session: its sync API holds an asyncio loop running on
    the main thread, so every later test on the same xdist worker that runs a loop of its own
    (`asyncio.run`) would fail while it lives."""
    _require(Path(CHROMIUM), "make chromium installs it")
    _require(AXE, "make assets runs npm ci")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def portal(sqlite_template: Path, tmp_path: Path) -> Iterator[Portal]:
    """A fresh migrated SQLite database with the demo organisations and users, served over HTTP."""
    path = tmp_path / "openlrs.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    settings = Settings(
        database_url=url, secret_key=SECRET_KEY, var_dir=tmp_path / "var", access_log=False
    )
    factory = SqlUnitOfWorkFactory(build_engine(url))
    app = portal_app(settings, factory)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    while not server.started and thread.is_alive():
        started.wait(0.05)
    try:
        yield Portal(f"http://127.0.0.1:{port}", factory)
    finally:
        server.should_exit = True
        thread.join()
        sock.close()
        factory.close()


def _new_page(browser: Browser, portal: Portal, *, javascript: bool = True) -> Page:
    # bypass_csp lets axe-core be injected; the pages themselves still send their CSP.
    context = browser.new_context(
        base_url=portal.base_url, bypass_csp=True, java_script_enabled=javascript
    )
    return context.new_page()


@pytest.fixture
def page(browser: Browser, portal: Portal) -> Iterator[Page]:
    tab = _new_page(browser, portal)
    yield tab
    tab.context.close()


@pytest.fixture
def second_page(browser: Browser, portal: Portal) -> Iterator[Page]:
    """Another browser (its own cookies): a second user at the same time."""
    tab = _new_page(browser, portal)
    yield tab
    tab.context.close()


@pytest.fixture
def page_without_javascript(browser: Browser, portal: Portal) -> Iterator[Page]:
    tab = _new_page(browser, portal, javascript=False)
    yield tab
    tab.context.close()
