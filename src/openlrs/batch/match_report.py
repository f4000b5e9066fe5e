"""`openlrs match-eval --report FILE.html`: precision and recall against the thresholds.

Self-contained HTML (inline SVG and CSS, no scripts or links to anywhere), so it opens offline.
Labels, when the files carry them, say which register rows are each query's person:
- a `true_id` column in the queries: the register `source_id`(s) of the same person (space-
  separated; empty = not in the register), as `bench/matching_quality.py`'s truth index; or
- a `person_id` column in both files: rows with the same value are the same person.
Without labels the report shows how the best scores are spread, and nothing more.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from openlrs.batch.clerical import ClericalLoad
from openlrs.batch.match_eval import InMemoryRegister, read_learners
from openlrs.batch.match_sweep import (
    CurvePoint,
    QueryScores,
    exact_curve,
    possible_curve,
    score_query,
    threshold_grid,
)
from openlrs.domain.matching.model import MatchModel
from openlrs.domain.matching.outcomes import MatchOutcome

_W, _H, _PAD = 640, 300, 44


def labels_of(register_csv: Path, queries_csv: Path) -> dict[str, frozenset[str]] | None:
    """query source_id -> register source_ids of the same person, or None without labels."""
    with queries_csv.open(newline="", encoding="utf-8-sig") as handle:
        queries = list(csv.DictReader(handle))
    columns = set(queries[0]) if queries else set()
    if "true_id" in columns:
        return {q.get("source_id", ""): frozenset((q["true_id"] or "").split()) for q in queries}
    with register_csv.open(newline="", encoding="utf-8-sig") as handle:
        register = list(csv.DictReader(handle))
    if "person_id" not in columns or not register or "person_id" not in register[0]:
        return None
    people: dict[str, set[str]] = defaultdict(set)
    for row in register:
        if row.get("person_id"):
            people[row["person_id"]].add(row.get("source_id", ""))
    return {
        q.get("source_id", ""): frozenset(people.get(q.get("person_id") or "", ())) for q in queries
    }


def score_files(
    register_csv: Path, queries_csv: Path, model: MatchModel, *, today: dt.date
) -> list[QueryScores]:
    """Every valid query's scored candidates, with its label when the files carry one."""
    register = InMemoryRegister()
    with register_csv.open(newline="", encoding="utf-8-sig") as handle:
        for source_id, details, _ in read_learners(handle, today=today):
            if details is not None:
                register.add(source_id, details)
    labels = labels_of(register_csv, queries_csv)
    tf = register.frequency()
    scored = []
    with queries_csv.open(newline="", encoding="utf-8-sig") as handle:
        for query_id, details, _ in read_learners(handle, today=today):
            if details is None:
                continue
            truth = None if labels is None else labels.get(query_id, frozenset())
            pool = register.candidates(details)
            scored.append(score_query(query_id, details, pool, model, tf, truth))
    return scored


def write_report(
    register_csv: Path, queries_csv: Path, report: Path, model: MatchModel, *, today: dt.date
) -> None:
    """Score the files and write the HTML report."""
    queries = score_files(register_csv, queries_csv, model, today=today)
    report.write_text(render(queries, model, source=queries_csv.name), encoding="utf-8")


def render(queries: Sequence[QueryScores], model: MatchModel, *, source: str = "") -> str:
    """The report as one HTML document."""
    limits = model.thresholds
    grid = threshold_grid(queries)
    labelled = any(q.truth is not None for q in queries)
    data: dict[str, object] = {
        "model": model.version,
        "queries": len(queries),
        "labelled": labelled,
        "auto_match": limits.auto_match,
        "possible": limits.possible,
        "top_scores": _histogram(queries),
    }
    parts = [_HEAD.format(title=html.escape(f"Match evaluation: {source}"))]
    parts.append(
        f"<p>Model <b>{html.escape(model.version)}</b>; {len(queries)} valid queries; "
        f"auto-match weight {limits.auto_match}, margin {limits.margin}, possible weight "
        f"{limits.possible} (dashed lines).</p>"
    )
    if labelled:
        exact = exact_curve(queries, grid)
        possible = possible_curve(queries, grid, limits.auto_match)
        data |= {"exact": _points(exact), "possible_curve": _points(possible)}
        parts += [
            "<h2>Exact matches by auto-match weight</h2>",
            "<p>Precision: exact answers that were the right person. Recall: labelled queries "
            "whose person the register holds, answered exact with that person. Raising the "
            "weight trades recall (more work for people) for precision (fewer wrong ULNs).</p>",
            _chart(exact, limits.auto_match),
            _table(exact, "exact answers"),
            "<h2>Possible matches by possible weight (auto-match fixed)</h2>",
            "<p>Recall: the right person answered exact or listed among the possibles. "
            "Precision: the share of listed candidates who are the right person.</p>",
            _chart(possible, limits.possible),
            _table(possible, "lists"),
        ]
    else:
        parts.append(
            "<p>No labels (<code>true_id</code> or <code>person_id</code> columns): "
            "precision and recall cannot be computed; the best scores are shown.</p>"
        )
    parts += ["<h2>Best score per query</h2>", _bars(data["top_scores"])]  # type: ignore[arg-type]
    payload = json.dumps(data).replace("</", "<\\/")
    parts.append(f'<script type="application/json" id="curve-data">{payload}</script>')
    parts.append("</body></html>")
    return "\n".join(parts)


def _points(points: Sequence[CurvePoint]) -> list[dict[str, float | int | None]]:
    return [
        {"threshold": p.threshold, "precision": p.precision, "recall": p.recall, "n": p.answered}
        for p in points
    ]


def _histogram(queries: Sequence[QueryScores]) -> dict[str, int]:
    counts = Counter(int(q.ranked[0][1] // 2 * 2) if q.ranked else None for q in queries)
    no_candidate = counts.pop(None, 0)
    out = {
        f"{k} to {k + 2}": v for k, v in sorted((k, v) for k, v in counts.items() if k is not None)
    }
    return out | ({"no candidate": no_candidate} if no_candidate else {})


def _x(t: float, lo: float, hi: float) -> float:
    return _PAD + (t - lo) / ((hi - lo) or 1) * (_W - 2 * _PAD)


def _y(v: float) -> float:
    return _H - _PAD - v * (_H - 2 * _PAD)


def _chart(points: Sequence[CurvePoint], marker: float) -> str:
    lo, hi = points[0].threshold, points[-1].threshold
    lines = []
    for name, colour in (("precision", "#1d70b8"), ("recall", "#d4351c")):
        xy = [
            f"{_x(p.threshold, lo, hi):.1f},{_y(v):.1f}"
            for p in points
            if (v := getattr(p, name)) is not None
        ]
        lines.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(xy)}"/>'
        )
    ticks = "".join(
        f'<text x="{_x(t, lo, hi):.1f}" y="{_H - _PAD + 16}" text-anchor="middle">{t:g}</text>'
        for t in [p.threshold for p in points][:: max(1, len(points) // 10)]
    )
    mx = _x(marker, lo, hi)
    return (
        f'<svg viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" role="img">'
        f'<rect x="{_PAD}" y="{_PAD}" width="{_W - 2 * _PAD}" height="{_H - 2 * _PAD}" '
        'fill="none" stroke="#b1b4b6"/>'
        f'<text x="{_PAD - 6}" y="{_y(1) + 4:.1f}" text-anchor="end">1</text>'
        f'<text x="{_PAD - 6}" y="{_y(0) + 4:.1f}" text-anchor="end">0</text>'
        f"{ticks}{''.join(lines)}"
        f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{_PAD}" y2="{_H - _PAD}" stroke="#0b0c0c" '
        'stroke-dasharray="4 3"/>'
        f'<text x="{_W - _PAD}" y="{_PAD - 8}" text-anchor="end">'
        '<tspan fill="#1d70b8">precision</tspan> · <tspan fill="#d4351c">recall</tspan></text>'
        "</svg>"
    )


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def _table(points: Sequence[CurvePoint], answered: str) -> str:
    rows = "".join(
        f"<tr><td>{p.threshold:g}</td><td>{_fmt(p.precision)}</td><td>{_fmt(p.recall)}</td>"
        f"<td>{p.answered}</td></tr>"
        for p in points
    )
    return (
        "<details><summary>The numbers</summary><table><tr><th>weight</th><th>precision</th>"
        f"<th>recall</th><th>{answered}</th></tr>{rows}</table></details>"
    )


def _bars(histogram: dict[str, int]) -> str:
    most = max(histogram.values(), default=1)
    rows = "".join(
        f'<tr><td>{html.escape(k)}</td><td><div class="bar" style="width:{300 * v / most:.0f}px">'
        f"</div></td><td>{v}</td></tr>"
        for k, v in histogram.items()
    )
    return f"<table>{rows}</table>"


_HEAD = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:Arial,sans-serif;margin:2em;color:#0b0c0c;max-width:60em}}
table{{border-collapse:collapse}}td,th{{padding:2px 8px;border-bottom:1px solid #b1b4b6;
text-align:right}}.bar{{background:#1d70b8;height:12px}}svg text{{font-size:11px}}</style>
</head><body><h1>{title}</h1>"""


def clerical_load(register_csv: Path, queries_csv: Path, output_csv: Path) -> ClericalLoad | None:
    """The clerical load of `openlrs match-eval`'s answers (its output CSV), per error type when
    the queries carry an `errors` column (space-separated error types), for the labelled queries
    of people already in the register; None without labels."""
    labels = labels_of(register_csv, queries_csv)
    if labels is None:
        return None
    with queries_csv.open(newline="", encoding="utf-8-sig") as handle:
        kinds = {
            row.get("source_id", ""): (row.get("errors") or "").split() or ["no error given"]
            for row in csv.DictReader(handle)
        }
    load = ClericalLoad()
    with output_csv.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth = labels.get(row["query_id"])
            if not truth or row["outcome"] == "invalid":
                continue
            outcome = MatchOutcome(row["outcome"])
            ids = set(row["ids"].split())
            load.add(kinds.get(row["query_id"], []), outcome, right=bool(truth & ids))
    return load
