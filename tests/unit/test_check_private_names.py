"""tools/check_private_names.py: the `make lint` check that no module uses another package's
private names. Each case is a small tree written to a temporary folder."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "check_private_names.py"


def _checker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("check_private_names", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    src = tmp_path / "src"
    for name, text in files.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    tool = _checker()
    found: list[str] = []
    for path in sorted(src.rglob("*.py")):
        checker = tool.Checker(path, tool.package_of(path, [src]))
        checker.visit(tool.ast.parse(path.read_text()))
        found.extend(checker.problems)
    return found


@pytest.mark.parametrize(
    "code",
    [
        "from app.a.mod import _hidden\n",
        "from app.a import mod\nmod._hidden()\n",
        "import app.a.mod as mod\nx = getattr(mod, '_hidden')\n",
        "from lib import Base\nclass Mine(Base):\n    def f(self):\n        return self._internal\n",
    ],
)
def test_another_packages_private_names_are_reported(tmp_path: Path, code: str) -> None:
    assert _problems(tmp_path, {"app/b/user.py": code})


@pytest.mark.parametrize(
    "code",
    [
        "from app.b.other import _shared\n",  # the same package
        "from lib import Base\nclass Mine(Base):\n    def __init__(self):\n"
        "        self._own = 1\n    def f(self):\n        return self._own\n",
        "from lxml import etree\ndef f(e: etree._Element) -> etree._Element:\n    return e\n",
        "from typing import TYPE_CHECKING\nfrom lxml import etree\n"
        "if TYPE_CHECKING:\n    Alias = etree._Element\n",
        "from app.a.mod import __version__\n",
    ],
)
def test_own_names_dunders_and_annotations_are_allowed(tmp_path: Path, code: str) -> None:
    assert _problems(tmp_path, {"app/b/user.py": code}) == []


def test_the_source_tree_uses_no_private_names_of_other_packages() -> None:
    root = TOOL.parents[1]
    tool = _checker()
    assert tool.main([str(root / "src")]) == 0
