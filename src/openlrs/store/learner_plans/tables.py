"""Learner plans (issue 23): one plan per learner, each version kept, and its progress notes."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from openlrs.store.tables import metadata, timestamps

learner_plans = Table(
    "learner_plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uln", String(10), nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("content", JSON, nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_by_ukprn", String(8), nullable=False),
    *timestamps(),
)
"""The current version: `content` holds the goals and the planned learning with its dates."""

learner_plan_versions = Table(
    "learner_plan_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", ForeignKey("learner_plans.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content", JSON, nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("changed_by_ukprn", String(8), nullable=False),
    *timestamps(),
    UniqueConstraint("plan_id", "version", name="uq_learner_plan_versions_plan_version"),
)

learner_plan_notes = Table(
    "learner_plan_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", ForeignKey("learner_plans.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("written_by", String(100), nullable=False),
    Column("written_by_ukprn", String(8), nullable=False),
    *timestamps(),
)
"""Progress notes, only ever added."""
