"""A portal over a `make run`-style demo database (organisations, users, learners and the demo
content), served once per test module, and the checks every page must pass."""

from __future__ import annotations

import re
import shutil
import socket
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Page

from openlrs.api.app import create_api
from openlrs.config import Settings
from openlrs.demo import seed_demo
from openlrs.domain.audit import AuditAction
from openlrs.portal.app import mount_portal
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.browser.conftest import Portal
from tests.functional.callers import SECRET_KEY

DEMO_LEARNERS = 12
NARROW = {"width": 320, "height": 720}

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
CODES = {
    "a UUID": UUID,
    "an LRS return code": re.compile(r"\b[A-Z]{4}\d{4}\b"),
    "an error code": re.compile(r"\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b"),
    "an actor id": re.compile(r"\b(?:user|client|system):\S"),
    "a role code": re.compile(r"(?<![\w@.-])(?:lrb|lrb_admin|ao_admin)(?![\w@])"),
    "an audit action": re.compile(
        r"(?<![\w.])(?:" + "|".join(re.escape(a.value) for a in AuditAction) + r")(?![\w.])"
    ),
}
UKPRN = re.compile(r"(?<![\w@/-])1\d{7}(?![\w/])")
"""An organisation's UKPRN where its name should be (usernames such as `ao@10009999` aside)."""
UKPRN_PAGES = ("/portal/providers",)
"""The public register of learning providers, where the UKPRN is what people look up."""


def serve(app: FastAPI) -> Iterator[str]:
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
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


@dataclass
class DemoPortal(Portal):
    pages: list[str] = field(default_factory=list)
    """Pages a crawl cannot reach by links alone (a learner found by a search, a provider found
    by a search): a learner with learning events, their record, a challenge to one of them, and
    a verified provider."""


def _pages(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        uln, event = db.execute(
            "SELECT uln, public_id FROM learning_events ORDER BY id LIMIT 1"
        ).fetchone()
        (ukprn,) = db.execute(
            "SELECT ukprn FROM providers WHERE ukprn IS NOT NULL ORDER BY ukprn LIMIT 1"
        ).fetchone()
    record = f"/portal/learners/{uln}/learning-record"
    return [
        f"/portal/learners/{uln}",
        record,
        f"{record}/events/{event}/challenge",
        f"/portal/providers/{ukprn}",
        "/privacy",
    ]


def demo_portal(template: Path, directory: Path, **settings: object) -> Iterator[DemoPortal]:
    """The demo database (as `openlrs demo` seeds it, with fewer learners) behind a server."""
    path = directory / "demo.db"
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    config = Settings(
        database_url=url,
        secret_key=SECRET_KEY,
        var_dir=directory / "var",
        access_log=False,
        **settings,  # type: ignore[arg-type]
    )
    factory = SqlUnitOfWorkFactory(build_engine(url))
    seed_demo(factory, learners=DEMO_LEARNERS, seed=7)
    app = mount_portal(create_api(config, factory), config, factory)
    try:
        for base_url in serve(app):
            yield DemoPortal(base_url, factory, _pages(path))
    finally:
        factory.close()


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    width: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def visible_codes(page: Page) -> list[str]:
    """Internal codes and ids in the page's visible text, outside details components.

    Removes the page's details elements first: run it last on a page."""
    text: str = page.evaluate(
        """() => { document.querySelectorAll('details, script, style').forEach(e => e.remove());
                   return document.body.innerText }"""
    )
    found = [f"{what}: {m.group(0)!r}" for what, rx in CODES.items() for m in rx.finditer(text)]
    path = page.url.split("/", 3)[-1]
    if not ("/" + path).startswith(UKPRN_PAGES):
        found += [f"a UKPRN: {m.group(0)!r}" for m in UKPRN.finditer(text)]
    return found
