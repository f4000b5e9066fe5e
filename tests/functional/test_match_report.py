"""`openlrs match-eval --report`: a self-contained HTML report of precision/recall by threshold."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from openlrs.batch.match_eval import InMemoryRegister
from openlrs.batch.match_sweep import score_query
from openlrs.cli import app
from openlrs.domain.matching.engine import classify
from openlrs.domain.matching.model_file import default_model
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.synth import hard_negatives, reregistrations
from tests.builders import many_learner_details

TODAY = dt.date(2026, 11, 23)
FIELDS = ("given_name", "family_name", "date_of_birth", "gender", "postcode", "school_at_16")


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _row(source_id: str, details: object, **labels: str) -> dict[str, str]:
    values = {f: str(getattr(details, f) or "") for f in FIELDS}
    return {"source_id": source_id, **values, **labels}


def labelled_files(tmp_path: Path, label: str) -> tuple[Path, Path]:
    """A register of 400 and 150 queries: re-registrations (labelled) and hard negatives."""
    people = many_learner_details(400, seed=3, today=TODAY)
    register = [_row(f"r{i}", d, person_id=f"p{i}") for i, d in enumerate(people)]
    queries = []
    for n, (i, noisy, _) in enumerate(reregistrations(people, 120, seed=4)):
        labels = {"true_id": f"r{i}"} if label == "true_id" else {"person_id": f"p{i}"}
        queries.append(_row(f"q{n}", noisy, **labels))
    for n, (_, other, _) in enumerate(hard_negatives(people, 30, seed=5, today=TODAY)):
        labels = {"true_id": ""} if label == "true_id" else {"person_id": f"other{n}"}
        queries.append(_row(f"n{n}", other, **labels))
    if label == "none":
        register = [{k: v for k, v in r.items() if k != "person_id"} for r in register]
        queries = [{k: v for k, v in q.items() if k != "person_id"} for q in queries]
    _write(tmp_path / "register.csv", register)
    _write(tmp_path / "queries.csv", queries)
    return tmp_path / "register.csv", tmp_path / "queries.csv"


def run(tmp_path: Path, register: Path, queries: Path) -> str:
    report = tmp_path / "report.html"
    args = ["match-eval", "--register", str(register), "--queries", str(queries)]
    args += ["--output", str(tmp_path / "out.csv"), "--report", str(report)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.csv").exists()
    return report.read_text(encoding="utf-8")


def curve_data(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="curve-data">(.*?)</script>', page)
    assert found
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_a_labelled_evaluation_draws_precision_and_recall_by_threshold(tmp_path: Path) -> None:
    for label in ("true_id", "person_id"):
        page = run(tmp_path, *labelled_files(tmp_path, label))
        data = curve_data(page)

        assert data["labelled"] is True and 140 <= data["queries"] <= 150  # a few fail validation
        exact = data["exact"]
        assert isinstance(exact, list) and len(exact) > 10
        at_model = min(exact, key=lambda p: abs(p["threshold"] - data["auto_match"]))
        assert at_model["precision"] >= 0.99 and at_model["recall"] > 0.5
        recalls = [p["recall"] for p in exact]
        assert recalls == sorted(recalls, reverse=True)  # a higher bar never finds more
        assert "<svg" in page and "<polyline" in page and data["possible_curve"]


def test_an_unlabelled_evaluation_shows_the_score_distribution_only(tmp_path: Path) -> None:
    page = run(tmp_path, *labelled_files(tmp_path, "none"))
    data = curve_data(page)

    assert data["labelled"] is False and "exact" not in data
    assert sum(data["top_scores"].values()) == data["queries"]  # type: ignore[union-attr]


def test_the_report_refers_to_nothing_outside_itself(tmp_path: Path) -> None:
    page = run(tmp_path, *labelled_files(tmp_path, "true_id"))

    assert not re.search(r"(src|href)\s*=", page, re.IGNORECASE)
    assert "http://" not in page and "https://" not in page and "@import" not in page
    assert "<script" not in page.replace('<script type="application/json"', "")


def test_the_sweep_agrees_with_the_engine_at_the_models_thresholds(tmp_path: Path) -> None:
    model = default_model()
    people = many_learner_details(400, seed=3, today=TODAY)
    register = InMemoryRegister()
    for i, details in enumerate(people):
        register.add(f"r{i}", details)
    tf = register.frequency()
    noisy = [q for _, q, _ in reregistrations(people, 150, seed=4)]
    noisy += [q for _, q, _ in hard_negatives(people, 50, seed=5, today=TODAY)]
    for query in noisy:
        pool = register.candidates(query)
        engine = classify(query, pool, {}, model, tf=tf)
        swept = score_query("q", query, pool, model, tf, None).exact_at(model.thresholds.auto_match)
        expected = engine.learners[0].uln if engine.outcome is MatchOutcome.EXACT else None
        assert swept == expected
