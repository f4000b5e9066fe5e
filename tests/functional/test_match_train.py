"""`openlrs match-train`: a new versioned model and a report of what changed, without labels."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from openlrs.cli import app
from openlrs.domain.matching.comparison import LEVELS
from openlrs.domain.matching.model_file import load_model


def test_match_train_writes_a_versioned_model_and_a_report(tmp_path: Path) -> None:
    output = tmp_path / "model.json"
    result = CliRunner().invoke(
        app,
        [
            "match-train",
            "--output", str(output),
            "--version", "2099-01-01.1",
            "--synthetic-learners", "1500",
            "--synthetic-queries", "300",
            "--random-pairs", "20000",
            "--seed", "3",
            "--auto-match-probability", "0.999",
            "--damping-strong", "6",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    model = load_model(output)
    assert model.version == "2099-01-01.1"
    assert 0 < model.prior < 1  # the share of blocked pairs that match: high in a small register
    assert round(model.thresholds.auto_match_probability, 6) == 0.999
    assert model.damping.strong == 6
    for field, levels in LEVELS.items():
        assert set(model.fields[field]) == set(levels)
    report = output.with_suffix(".md").read_text(encoding="utf-8")
    assert "## What changed" in report and "| upn | same |" in report
    assert "## Checked against the labels" in report  # synthetic data carries labels
