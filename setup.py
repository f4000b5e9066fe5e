"""Build hook: every sdist and wheel carries the portal's GOV.UK Frontend assets.

Before setuptools lists the package's files, the stylesheet, script, fonts and images are copied
from node_modules (installed by `npm ci`; package-lock.json pins them) into
src/openlrs/portal/static, as `make assets` does. A build from an sdist finds them already there.
With neither, the build stops: a wheel without them would serve unstyled pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
GOVUK = HERE / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATIC = HERE / "src" / "openlrs" / "portal" / "static"
REQUIRED = (
    "govuk-frontend.min.css",
    "govuk-frontend.min.js",
    "assets/manifest.json",
    "assets/images/favicon.ico",
    "assets/fonts/bold-b542beb274-v2.woff2",
    "assets/fonts/light-94a07e06a1-v2.woff2",
)


class PortalAssetsMissing(SystemExit):
    pass


def copy_portal_assets() -> None:
    if GOVUK.is_dir():
        STATIC.mkdir(parents=True, exist_ok=True)
        for name in ("govuk-frontend.min.css", "govuk-frontend.min.js"):
            shutil.copy2(GOVUK / name, STATIC / name)
        shutil.rmtree(STATIC / "assets", ignore_errors=True)
        shutil.copytree(GOVUK / "assets", STATIC / "assets")
    missing = [name for name in REQUIRED if not (STATIC / name).is_file()]
    if missing:
        raise PortalAssetsMissing(
            "error: the portal's GOV.UK Frontend assets are missing from "
            f"{STATIC} ({', '.join(missing)}) and node_modules has none to copy: "
            "run `npm ci` (or `make assets`) before building"
        )


class BuildWithPortalAssets(build_py):
    def finalize_options(self) -> None:
        copy_portal_assets()  # before the package data is listed
        super().finalize_options()


setup(cmdclass={"build_py": BuildWithPortalAssets})
