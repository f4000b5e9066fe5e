"""`openlrs match-eval` over labelled CSV files."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from openlrs.cli import app

HEADER = "source_id,given_name,family_name,date_of_birth,gender,postcode,school_at_16\n"


def test_one_output_row_per_query_with_outcome_ids_and_scores(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    queries = tmp_path / "queries.csv"
    output = tmp_path / "out.csv"
    register.write_text(
        HEADER
        + "r1,Robert,Okafor,2009-03-12,1,LS6 2AB,Leeds Academy\n"
        + "r2,Amy,Patel,2008-07-01,2,M14 5RQ,\n"
        + "r3,Ava,Patel,2008-07-01,2,M14 5RQ,\n",
        encoding="utf-8",
    )
    queries.write_text(
        HEADER
        + "q1,Bob,Okafor,2009-03-12,1,LS6 2AB,Leeds Academy\n"  # a short form: the same person
        + "q2,Amelia,Patel,2008-07-01,2,M14 5RQ,\n"  # a third sister? a person decides
        + "q3,Zed,Quinton,1990-01-01,1,SW1A 1AA,\n"  # nobody
        + "q4,,Patel,not-a-date,2,M14 5RQ,\n",  # invalid: reported, not fatal
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        [
            "match-eval",
            "--register",
            str(register),
            "--queries",
            str(queries),
            "--output",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {row["query_id"]: row for row in csv.DictReader(output.open(encoding="utf-8"))}
    assert list(rows) == ["q1", "q2", "q3", "q4"]
    assert (rows["q1"]["outcome"], rows["q1"]["ids"]) == ("exact", "r1")
    assert float(rows["q1"]["scores"]) > 0
    assert rows["q2"]["outcome"] in ("possible", "no_match")
    assert rows["q3"]["outcome"] == "no_match"
    assert rows["q4"]["outcome"] == "invalid" and rows["q4"]["errors"]
