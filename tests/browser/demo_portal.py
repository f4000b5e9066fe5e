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
from typing import Any

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
    """Pages a crawl cannot reach by links alone (a learner found by a search, one case of each
    kind, a step of a journey): each user tries them all, and those refused are left out."""
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    """The names of the learners those pages are about, by ULN (a user names a learner before
    reading their record: issue 22)."""
    other_uln: str = ""
    """Another learner's ULN: the second of a merge the desk walks up to its last step."""


def _one(db: sqlite3.Connection, sql: str, *params: str) -> tuple[Any, ...]:
    found: tuple[Any, ...] = db.execute(sql, params).fetchone()
    return found


def _pages(path: Path) -> tuple[list[str], list[str], str]:
    """The pages about one case of each kind in the demo database, and the learners named."""
    with sqlite3.connect(path) as db:
        uln, event = _one(db, "SELECT uln, public_id FROM learning_events ORDER BY id LIMIT 1")
        (ukprn,) = _one(
            db, "SELECT ukprn FROM providers WHERE ukprn IS NOT NULL ORDER BY ukprn LIMIT 1"
        )
        (challenge,) = _one(
            db, "SELECT public_id FROM learning_event_challenges WHERE uln = ? LIMIT 1", uln
        )
        (planned,) = _one(db, "SELECT uln FROM learner_plans LIMIT 1")
        (held,) = _one(db, "SELECT id FROM held_registrations LIMIT 1")
        (change,) = _one(db, "SELECT reference FROM learner_change_requests LIMIT 1")
        (incident,) = _one(db, "SELECT public_id FROM incidents LIMIT 1")
        (other,) = _one(
            db,
            "SELECT uln FROM learners WHERE uln NOT IN (SELECT uln FROM learning_events)"
            " AND uln != ? ORDER BY id LIMIT 1",
            planned,
        )
    record = f"/portal/learners/{uln}/learning-record"
    pages = [
        f"/portal/learners/{uln}",
        f"/portal/learners/{uln}/edit",
        record,
        f"{record}/events/{event}/challenge",
        f"{record}/challenges/{challenge}",
        f"{record}/events/{event}/change",
        f"{record}/events/{event}/correct",
        f"{record}/events/{event}/withdraw",
        f"/portal/learners/{planned}/plan/learning",
        f"/portal/learners/{planned}/plan/notes",
        f"/portal/exceptions/{held}",
        f"/portal/change-requests/{change}",
        f"/portal/desk/incidents/{incident}",
        "/portal/organisations/10004321/users/jo.bloggs@10004321/deactivate",
        f"/portal/providers/{ukprn}",
        "/privacy",
    ]
    return pages, [uln, planned], other


def _names(factory: SqlUnitOfWorkFactory, ulns: list[str]) -> dict[str, tuple[str, str]]:
    with factory() as uow:
        found = [uow.learners.get(uln) for uln in ulns]
    return {x.uln: (x.details.given_name, x.details.family_name) for x in found if x is not None}


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
            pages, named, other = _pages(path)
            yield DemoPortal(base_url, factory, pages, _names(factory, named), other)
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
