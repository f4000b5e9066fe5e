"""`openlrs validate FILE`: offline, every finding listed, exit 1 when any, 0 when clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openlrs.cli import app
from tests.unit.batch.conftest import CORPUS, EXAMPLES

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A database URL nobody can reach: the validator must not need one."""
    monkeypatch.setenv("OPENLRS_DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("OPENLRS_VAR_DIR", str(tmp_path))


@pytest.mark.parametrize("name", ["registration.csv", "registration.xml", "vld.csv", "vld.xml"])
def test_a_clean_file_exits_zero(name: str) -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLES / name)])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_findings_are_listed_in_a_table_and_exit_one() -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLES / "registration-with-errors.csv")])
    assert result.exit_code == 1
    for code in ("NAME_PROHIBITED", "DATE_OF_BIRTH_IN_FUTURE", "ROW_WRONG_LENGTH"):
        assert code in result.output
    assert "Unknown" not in result.output.replace("unknown", "")  # no cell values echoed


def test_json_output_lists_row_column_and_code() -> None:
    result = runner.invoke(app, ["validate", str(CORPUS / "vld-with-errors.csv"), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["kind"] == "vld" and not report["ok"]
    assert report["findings"][0] == {
        "row": 1,
        "column": "uln",
        "code": "FIELD_REQUIRED",
        "message": "Enter the ULN",
    }


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("xxe.xml", "BATCH_XML_UNSAFE"),
        ("billion-laughs.xml", "BATCH_XML_UNSAFE"),
        ("latin1.csv", "BATCH_ENCODING"),
        ("header-missing.csv", "BATCH_HEADER_MISSING"),
    ],
)
def test_file_level_failures_exit_one_with_their_code(name: str, code: str) -> None:
    result = runner.invoke(app, ["validate", str(CORPUS / name), "--json"])
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.output)["findings"]] == [code]


def test_kind_and_format_can_be_given(tmp_path: Path) -> None:
    path = tmp_path / "upload.dat"
    path.write_bytes((EXAMPLES / "vld.xml").read_bytes())
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0  # sniffed as XML
    result = runner.invoke(
        app, ["validate", str(path), "--format", "xml", "--kind", "registration"]
    )
    assert result.exit_code == 1 and "BATCH_KIND_UNKNOWN" in result.output


def test_the_size_limit_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENLRS_BATCH_MAX_ROWS", "2")
    result = runner.invoke(app, ["validate", str(EXAMPLES / "registration.csv"), "--json"])
    assert result.exit_code == 1 and "BATCH_TOO_MANY_ROWS" in result.output
