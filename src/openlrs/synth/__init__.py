"""Synthetic learners for tests, the demo and benchmarks: realistic, deterministic, never real."""

from openlrs.synth.population import generate_learners

__all__ = ["generate_learners"]
