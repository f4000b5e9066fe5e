"""A release people can deploy: `python -m build` makes a wheel that carries the portal's assets
and the migrations, so on a machine with only that wheel `openlrs migrate && openlrs serve` serves
styled pages. Built from a copy of the sources (nothing is written into the checkout), installed
into a fresh virtual environment outside it, run from a folder outside it with a fresh SQLite
database. Offline: the build uses the running environment's setuptools (--no-isolation), and the
new environment sees the dependencies already installed here through a .pth file (the wheel is
installed with --no-deps) -- only openlrs itself comes from the wheel, which the test checks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import threading
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "openlrs" / "portal" / "static"
SOURCES = ("src", "pyproject.toml", "setup.py", "README.md")


def copy_sources(into: Path, *, with_assets: bool) -> Path:
    """The files a build reads, without node_modules, caches or anything built."""
    into.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc", ".built")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=ignore)
        else:
            shutil.copy2(source, into / name)
    if not with_assets:
        shutil.rmtree(into / "src" / "openlrs" / "portal" / "static", ignore_errors=True)
    return into


def build(sources: Path, outdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(outdir), str(sources)],
        capture_output=True,
        text=True,
        check=False,
        env=clean_env(),
    )


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without anything that would point Python at the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "OPENLRS_"))}
    return {**env, **extra}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (STATIC / "govuk-frontend.min.css").is_file():
        pytest.fail("the portal assets are not built: run `make assets` first")
    folder = tmp_path_factory.mktemp("release")
    done = build(copy_sources(folder / "sources", with_assets=True), folder / "dist")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = (folder / "dist").glob("openlrs-*.whl")
    return built


def test_the_wheel_carries_the_portal_assets_and_the_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "openlrs/portal/static/govuk-frontend.min.css",
        "openlrs/portal/static/govuk-frontend.min.js",
        "openlrs/portal/static/assets/fonts/bold-b542beb274-v2.woff2",
        "openlrs/portal/static/assets/images/favicon.ico",
        "openlrs/portal/templates/base.html",
        "openlrs/store/alembic/env.py",
        "openlrs/store/alembic/script.py.mako",
    ):
        assert required in names
    migrations = {
        n for n in names if re.fullmatch(r"openlrs/store/alembic/versions/\d{4}_\w+\.py", n)
    }
    in_checkout = list((ROOT / "src" / "openlrs" / "store" / "alembic" / "versions").glob("0*.py"))
    assert len(migrations) == len(in_checkout) > 0


def test_a_build_without_the_assets_fails_loudly(tmp_path: Path) -> None:
    done = build(copy_sources(tmp_path / "sources", with_assets=False), tmp_path / "dist")
    assert done.returncode != 0
    assert "GOV.UK Frontend assets are missing" in done.stdout + done.stderr
    assert not list((tmp_path / "dist").glob("*.whl"))


@pytest.fixture
def installed(wheel: Path, tmp_path: Path) -> Path:
    """A fresh virtual environment with the wheel installed; dependencies seen, not copied."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(),
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "dependencies-of-the-test-run.pth").write_text("\n".join(sorted(ours)) + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        env=clean_env(),
        cwd=tmp_path,
    )
    where = subprocess.run(
        [python, "-c", "import openlrs; print(openlrs.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(),
        cwd=tmp_path,
    ).stdout.strip()
    assert where.startswith(purelib), where  # openlrs from the wheel, not the checkout
    return env_dir / "bin"


@pytest.fixture
def serving(installed: Path, tmp_path: Path) -> Iterator[str]:
    """`openlrs migrate` then `openlrs serve` on a free port, from a folder outside the checkout;
    the address it listens on, read from its own startup log line."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    env = clean_env(
        OPENLRS_DATABASE_URL=f"sqlite:///{run_dir / 'openlrs.db'}",
        OPENLRS_VAR_DIR=str(run_dir / "var"),
        OPENLRS_EMBEDDED_WORKER="false",
    )
    migrated = subprocess.run(
        [installed / "openlrs", "migrate"], capture_output=True, text=True, env=env, cwd=run_dir
    )
    assert migrated.returncode == 0, migrated.stderr
    server = subprocess.Popen(
        [installed / "openlrs", "serve", "--host", "127.0.0.1", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=run_dir,
    )
    watchdog = threading.Timer(60, server.kill)  # never hang the suite on a server that won't start
    watchdog.start()
    try:
        assert server.stderr is not None
        address = None
        for line in server.stderr:  # blocks until the server says something (or exits)
            found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line)
            if found:
                address = found[1]
                break
        assert address, "openlrs serve stopped before listening"
        threading.Thread(target=server.stderr.read, daemon=True).start()  # keep the pipe drained
        yield address
    finally:
        watchdog.cancel()
        server.terminate()
        server.wait(timeout=30)


def test_pip_install_migrate_serve_gives_styled_pages(serving: str) -> None:
    with httpx.Client(base_url=serving, timeout=10) as client:
        assert client.get("/readyz").status_code == 200
        page = client.get("/portal/sign-in")
        assert page.status_code == 200
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text)
        assert stylesheet
        css = client.get(stylesheet[1])
        assert css.status_code == 200
        assert css.headers["content-type"].startswith("text/css")
        assert len(css.content) > 50_000 and b".govuk-header" in css.content
        font = re.search(r"/assets/fonts/[\w-]+\.woff2", css.text)
        assert font and client.get(font[0]).status_code == 200
