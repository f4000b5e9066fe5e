"""The match model's file: a versioned JSON document (the shipped one is
`openlrs/data/match_model.json`), read and checked against the levels comparison produces, and
written back. `default_model` is the shipped model, read once."""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from openlrs.domain.matching.comparison import LEVELS
from openlrs.domain.matching.model import (
    FREQUENCY_FIELDS,
    Damping,
    LevelParameters,
    MatchModel,
    TermFrequency,
    Thresholds,
)

_SHIPPED = "data/match_model.json"


def _number(data: Mapping[str, Any], name: str, where: str) -> float:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"match model: {where}.{name} must be a number")
    return float(value)


def _levels(data: Mapping[str, Any] | None, field: str) -> dict[str, LevelParameters]:
    """One field's level parameters, checked against the levels comparison produces. A field
    the file does not mention at all (a model written before the field was compared) is neutral:
    every level m = u = 1."""
    if data is None:
        return {level: LevelParameters(1.0, 1.0) for level in LEVELS[field]}
    levels: dict[str, LevelParameters] = {}
    for level in LEVELS[field]:
        entry = data.get(level)
        if not isinstance(entry, dict):
            raise ValueError(f"match model: fields.{field}.{level} is missing")
        where = f"fields.{field}.{level}"
        m, u = _number(entry, "m", where), _number(entry, "u", where)
        if not (0 < m <= 1 and 0 < u <= 1):
            raise ValueError(f"match model: {where} m and u must be in (0, 1]")
        levels[level] = LevelParameters(m, u)
    return levels


def model_from_dict(data: Mapping[str, Any]) -> MatchModel:
    """Build and check a model from its JSON form; raises ValueError naming what is wrong."""
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise ValueError("match model: version must be a non-empty string")
    prior = _number(data, "prior", "model")
    if not 0 < prior < 1:
        raise ValueError("match model: prior must be between 0 and 1")
    fields = data.get("fields") or {}
    limits, tf = data.get("thresholds") or {}, data.get("term_frequency") or {}
    thresholds = Thresholds(*(_threshold(limits, f.name) for f in dataclasses.fields(Thresholds)))
    damping = data.get("damping") or {}
    if thresholds.possible > thresholds.auto_match or thresholds.margin < 0:
        raise ValueError("match model: need possible <= auto_match and margin >= 0")
    return MatchModel(
        version=version,
        prior=prior,
        fields={field: _levels(fields.get(field), field) for field in LEVELS},
        thresholds=thresholds,
        term_frequency=TermFrequency(
            fields=frozenset(str(f) for f in tf.get("fields", ())) & FREQUENCY_FIELDS,
            max_decrease=_number(tf, "max_decrease", "term_frequency"),
            max_increase=_number(tf, "max_increase", "term_frequency"),
            common=_number(tf, "common", "term_frequency"),
            rare=_number(tf, "rare", "term_frequency"),
            baseline={
                str(name): _number(tf.get("baseline_u") or {}, name, "term_frequency.baseline_u")
                for name in (tf.get("baseline_u") or {})
            },
        ),
        description=str(data.get("description", "")),
        damping=Damping(
            strong=_number(damping, "strong", "damping") if damping else math.inf,
            factor=_number(damping, "factor", "damping") if damping else 1.0,
        ),
    )


def _threshold(limits: Mapping[str, Any], name: str) -> float:
    """A threshold as a weight, from its weight or (`<name>_probability`) its probability."""
    if name != "margin" and f"{name}_probability" in limits and name not in limits:
        p = _number(limits, f"{name}_probability", "thresholds")
        if not 0 < p < 1:
            raise ValueError(f"match model: thresholds.{name}_probability must be in (0, 1)")
        return math.log2(p / (1 - p))
    return _number(limits, name, "thresholds")


def model_to_dict(model: MatchModel) -> dict[str, Any]:
    """The JSON form of a model, as `model_from_dict` reads it."""
    bounds = model.term_frequency
    return {
        "version": model.version,
        "description": model.description,
        "prior": model.prior,
        "fields": {
            field: {level: {"m": p.m, "u": p.u} for level, p in levels.items()}
            for field, levels in model.fields.items()
        },
        "thresholds": {
            "auto_match": model.thresholds.auto_match,
            "possible": model.thresholds.possible,
            "margin": model.thresholds.margin,
            "auto_match_probability_is": model.thresholds.auto_match_probability,
            "possible_probability_is": model.thresholds.possible_probability,
        },
        **(
            {"damping": {"strong": model.damping.strong, "factor": model.damping.factor}}
            if math.isfinite(model.damping.strong)
            else {}
        ),
        "term_frequency": {
            "fields": sorted(bounds.fields),
            "max_decrease": bounds.max_decrease,
            "max_increase": bounds.max_increase,
            "common": bounds.common,
            "rare": bounds.rare,
            **({"baseline_u": dict(bounds.baseline)} if bounds.baseline else {}),
        },
    }


def load_model(path: str | os.PathLike[str]) -> MatchModel:
    """Read a model file."""
    return model_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def save_model(model: MatchModel, path: str | os.PathLike[str]) -> None:
    """Write a model file, readable by `load_model`."""
    text = json.dumps(model_to_dict(model), indent=2, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


@functools.cache
def default_model() -> MatchModel:
    """The shipped model, read once per process."""
    text = resources.files("openlrs").joinpath(_SHIPPED).read_text(encoding="utf-8")
    return model_from_dict(json.loads(text))
