"""`openlrs load-qualifications FILE` on both databases: a good file loads, a bad one loads nothing."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from openlrs.cli import app
from openlrs.store.plr.tables import qualifications, units

runner = CliRunner()
EXAMPLE = (
    Path(__file__).resolve().parents[2] / "docs" / "examples" / "register" / "qualifications.csv"
)


def test_the_register_file_loads_and_loading_again_replaces(
    database_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    env = {"OPENLRS_DATABASE_URL": database_url, "OPENLRS_VAR_DIR": str(tmp_path)}
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0

    first = runner.invoke(app, ["load-qualifications", str(EXAMPLE)], env=env)
    again = runner.invoke(app, ["load-qualifications", str(EXAMPLE)], env=env)
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,code,title,level,owners\nqualification,nope,T,9,1\n")
    refused = runner.invoke(app, ["load-qualifications", str(bad)], env=env)

    assert first.exit_code == 0, first.output
    assert "2 new" not in again.output and "replaced" in again.output
    assert refused.exit_code == 1 and "QUALIFICATION_NUMBER_INVALID" in refused.output
    with engine.connect() as conn:
        numbers = set(conn.execute(sa.select(qualifications.c.number)).scalars())
        shared = conn.execute(sa.select(units.c.availability)).scalar_one()
    assert numbers == {"601/2345/6", "500/1111/X"} and shared == "shared"
