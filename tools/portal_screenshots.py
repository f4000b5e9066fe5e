"""Screenshots of the portal's shared layout and account pages for docs/portal.md.

    PYTHONPATH=src .venv/bin/python tools/portal_screenshots.py [docs/screenshots]

Seeds a throwaway SQLite database as `openlrs demo` does (with a few learners), serves the app on
a loopback port and drives Debian's Chromium (never a downloaded browser) through the pages, at a
desktop width and, for a few, a 320 px phone.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from openlrs.api.app import create_api
from openlrs.config import Settings
from openlrs.demo import DEMO_PASSWORD, seed_demo
from openlrs.portal.app import mount_portal
from openlrs.store.engine import build_engine
from openlrs.store.migrate import upgrade
from openlrs.store.uow import SqlUnitOfWorkFactory

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1024, "height": 768}
PHONE = {"width": 320, "height": 640}
PAGES = {
    "admin@10000001": [
        ("home-desk", "/portal/"),
        ("organisations", "/portal/organisations"),
        ("suspend-organisation", "/portal/organisations/10007777/suspend"),
        ("audit", "/portal/audit"),
    ],
    "lrb_admin@10004321": [
        ("home-college", "/portal/"),
        ("users", "/portal/users"),
        ("user", "/portal/organisations/10004321/users/jo.bloggs@10004321"),
        ("user-roles", "/portal/organisations/10004321/users/jo.bloggs@10004321/roles"),
        ("user-deactivate", "/portal/organisations/10004321/users/jo.bloggs@10004321/deactivate"),
        ("account", "/portal/account"),
        ("change-password", "/portal/account/password"),
        ("batches", "/portal/batches"),
        ("challenges", "/portal/challenges"),
        ("diploma-accounts", "/portal/diploma"),
    ],
    "": [
        ("sign-in", "/portal/sign-in"),
        ("forgotten-password", "/portal/sign-in/forgotten-password"),
        ("accessibility", "/portal/accessibility"),
        ("cookies", "/portal/cookies"),
        ("feedback", "/portal/feedback"),
    ],
}
PHONE_PAGES = {"home-college", "users", "batches", "audit", "organisations"}


def serve(app: object) -> tuple[uvicorn.Server, threading.Thread, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    ready = threading.Event()
    while not server.started and thread.is_alive():
        ready.wait(0.05)
    return server, thread, f"http://127.0.0.1:{sock.getsockname()[1]}"


def sign_in(page: Page, username: str) -> None:
    page.goto("/portal/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portal/")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{work}/demo.db"
        engine = build_engine(url)
        upgrade(engine)
        engine.dispose()
        settings = Settings(database_url=url, var_dir=Path(work) / "var", access_log=False)
        factory = SqlUnitOfWorkFactory(build_engine(url))
        seed_demo(factory, learners=12, seed=7)
        server, thread, base = serve(mount_portal(create_api(settings, factory), settings, factory))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for username, pages in PAGES.items():
                    for viewport, suffix in ((DESKTOP, ""), (PHONE, "-320")):
                        context = browser.new_context(base_url=base, viewport=viewport)  # type: ignore[arg-type]
                        page = context.new_page()
                        if username:
                            sign_in(page, username)
                        for name, path in pages:
                            if suffix and name not in PHONE_PAGES:
                                continue
                            page.goto(path)
                            page.screenshot(path=str(out / f"{name}{suffix}.png"), full_page=True)
                        context.close()
                browser.close()
        finally:
            server.should_exit = True
            thread.join()
            factory.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
