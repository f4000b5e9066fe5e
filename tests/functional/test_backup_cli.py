"""`openlrs backup FILE` and `openlrs restore FILE`, driven as an operator would (SQLite; the
store-level round trip runs on both databases in tests/integration/operations/test_backup_restore.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from openlrs.cli import app
from openlrs.store.backup import fingerprints
from openlrs.store.engine import build_engine

runner = CliRunner()


def test_backup_then_restore_into_an_empty_database_and_refuse_a_full_one(
    tmp_path: Path,
) -> None:
    source = f"sqlite:///{tmp_path / 'live.db'}"
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    file = tmp_path / "backups" / "register.backup"
    live = {"OPENLRS_DATABASE_URL": source, "OPENLRS_VAR_DIR": str(tmp_path)}
    fresh = live | {"OPENLRS_DATABASE_URL": target}
    assert runner.invoke(app, ["migrate"], env=live).exit_code == 0
    assert runner.invoke(app, ["demo", "--learners", "20"], env=live).exit_code == 0

    backed_up = runner.invoke(app, ["backup", str(file)], env=live)
    assert backed_up.exit_code == 0, backed_up.output
    restored = runner.invoke(app, ["restore", str(file)], env=fresh)
    assert restored.exit_code == 0, restored.output
    again = runner.invoke(app, ["restore", str(file)], env=fresh)
    assert again.exit_code == 1 and "not empty" in again.output

    engines = build_engine(source), build_engine(target)
    assert fingerprints(engines[0]) == fingerprints(engines[1])
    assert fingerprints(engines[1])["learners"][0] > 0
    for engine in engines:
        engine.dispose()
