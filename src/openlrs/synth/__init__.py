"""Synthetic learners for tests, the demo and benchmarks: realistic, deterministic, never real."""

from openlrs.synth.errors import (
    DEFAULT_ERROR_MODEL,
    ErrorModel,
    ErrorType,
    apply,
    corrupt,
    reregistrations,
)
from openlrs.synth.hard_negatives import HardNegativeKind, hard_negatives, namesakes, twins
from openlrs.synth.population import generate_learners

__all__ = [
    "DEFAULT_ERROR_MODEL",
    "ErrorModel",
    "ErrorType",
    "HardNegativeKind",
    "apply",
    "corrupt",
    "generate_learners",
    "hard_negatives",
    "namesakes",
    "reregistrations",
    "twins",
]
