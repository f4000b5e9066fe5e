"""`openlrs match-eval`: run the matching engine over a labelled register and query file (CSV).

Input CSVs have a header of snake_case learner field names: at least `source_id`, `given_name`,
`family_name`, `date_of_birth` (YYYY-MM-DD), `gender`, `postcode`; any other learner field is used
when present. Rows that fail validation are reported, not fatal. The output has one row per query:
`query_id, outcome, ids, scores, errors` (ids: register `source_id`s returned, best first).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from openlrs.domain.errors import ValidationFailed
from openlrs.domain.learners.demographics import validate_learner_details
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.engine import (
    Candidate,
    ScoredMatch,
    classify,
    needs_second_pass,
    rank,
)
from openlrs.domain.matching.keys import (
    blocking_keys,
    first_pass_keys,
    match_keys,
    second_pass_keys,
)
from openlrs.domain.matching.model import MatchModel, NameFrequency
from openlrs.reports.spreadsheet import SafeCsvWriter

_FIELDS = {f.name: f for f in dataclasses.fields(LearnerDetails)}
_INTS = {"gender", "verification_type", "ability_to_share"}
_DATES = {"date_of_birth", "date_of_address_capture"}
OUTPUT_COLUMNS = ("query_id", "outcome", "ids", "scores", "errors")


class InMemoryRegister:
    """Learners indexed by blocking key, with name frequencies for term-frequency adjustment."""

    def __init__(self) -> None:
        self.learners: list[Learner] = []
        self.index: dict[str, list[int]] = defaultdict(list)
        self.names: dict[str, Counter[str]] = {
            "given_name": Counter(),
            "family_name": Counter(),
            "full_name": Counter(),  # names that often go together (Mohammed Khan)
        }

    def add(self, source_id: str, details: LearnerDetails) -> None:
        position = len(self.learners)
        self.learners.append(Learner(uln=source_id, details=details))
        for key in blocking_keys(details):
            self.index[key].append(position)
        keys = match_keys(details)
        self.names["given_name"][keys.given_key] += 1
        self.names["family_name"][keys.family_key] += 1
        self.names["full_name"][f"{keys.given_key} {keys.family_key}"] += 1

    def frequency(self) -> Callable[[str, str], float | None]:
        total = max(len(self.learners), 1)

        def tf(field: str, key: str) -> float | None:
            count = self.names.get(field, Counter()).get(key)
            return count / total if count else None

        return tf

    def lookup(self, keys: frozenset[str]) -> list[Learner]:
        """The learners indexed under any of `keys`."""
        found: set[int] = set()
        for key in keys:
            found.update(self.index.get(key, ()))
        return [self.learners[i] for i in sorted(found)]

    def candidates(
        self,
        query: LearnerDetails,
        model: MatchModel | None = None,
        tf: NameFrequency | None = None,
    ) -> list[Learner]:
        """The learners a search fetches: the first pass's, and (given the model to judge the
        first pass by) the second pass's when the first found nothing strong."""
        if model is None:
            return self.lookup(blocking_keys(query))
        found = self.lookup(first_pass_keys(query))
        ranked = rank(match_keys(query), (Candidate.of(learner) for learner in found), model, tf)
        if needs_second_pass(ranked, model):
            known = {learner.uln for learner in found}
            found += [c for c in self.lookup(second_pass_keys(query)) if c.uln not in known]
        return found

    def search(self, query: LearnerDetails, model: MatchModel) -> ScoredMatch:
        tf = self.frequency()
        return classify(query, self.candidates(query, model, tf), {}, model, tf=tf)


def read_learners(
    handle: TextIO, *, today: dt.date
) -> Iterator[tuple[str, LearnerDetails | None, str]]:
    """(source_id, details or None, error codes) for each row; ages are not bounded here."""
    for number, row in enumerate(csv.DictReader(handle), start=2):
        source_id = (row.get("source_id") or "").strip() or f"row{number}"
        try:
            details = _details(row)
            yield (
                source_id,
                validate_learner_details(details, today=today, min_age=0, max_age=150),
                "",
            )
        except ValidationFailed as exc:
            yield source_id, None, " ".join(sorted({f"{e.field}:{e.code}" for e in exc.errors}))
        except (ValueError, TypeError):
            yield source_id, None, "ROW_MALFORMED"


def _details(row: dict[str, str]) -> LearnerDetails:
    values: dict[str, object] = {}
    for name, raw in row.items():
        if name not in _FIELDS or raw is None or not raw.strip():
            continue
        text = raw.strip()
        values[name] = (
            int(text) if name in _INTS else dt.date.fromisoformat(text) if name in _DATES else text
        )
    for required in ("given_name", "family_name", "date_of_birth", "gender", "postcode"):
        values.setdefault(required, "" if required not in _INTS | _DATES else None)
    return LearnerDetails(**values)  # type: ignore[arg-type]


def evaluate_files(
    register_csv: Path, queries_csv: Path, output_csv: Path, model: MatchModel, *, today: dt.date
) -> Counter[str]:
    """Write one output row per query and return counts of outcomes (and invalid rows)."""
    register = InMemoryRegister()
    counts: Counter[str] = Counter()
    with register_csv.open(newline="", encoding="utf-8-sig") as handle:
        for source_id, details, _errors in read_learners(handle, today=today):
            if details is None:
                counts["register_rows_invalid"] += 1
            else:
                register.add(source_id, details)
    with (
        queries_csv.open(newline="", encoding="utf-8-sig") as queries,
        output_csv.open("w", newline="", encoding="utf-8") as out,
    ):
        writer = SafeCsvWriter(out)
        writer.writerow(OUTPUT_COLUMNS)
        for query_id, details, errors in read_learners(queries, today=today):
            if details is None:
                counts["invalid"] += 1
                writer.writerow((query_id, "invalid", "", "", errors))
                continue
            result = register.search(details, model)
            counts[result.outcome.value] += 1
            writer.writerow(
                (
                    query_id,
                    result.outcome.value,
                    " ".join(learner.uln for learner in result.learners),
                    " ".join(f"{score.weight:.2f}" for score in result.scores),
                    "",
                )
            )
    return counts
