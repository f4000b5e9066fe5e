"""Whether a learner shares their Personal Learning Record, in SQL: one source of truth, the
`ability_to_share` in the learner's details (2, declined, is an opt-out), given at registration
and changed as any other detail is (PUT /learners/{uln}/sharing records it as a new version).

A record is unshared when its learner, or any ULN merged into them, has declined."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, or_

from openlrs.domain.learners.learner import AbilityToShare
from openlrs.store.tables import learners

DECLINED = int(AbilityToShare.DECLINED)
_sharing = learners.alias("sharing")


def declined(details: ColumnElement[Any]) -> ColumnElement[bool]:
    """The learner row whose `details` column this is has declined to share."""
    declined_: ColumnElement[bool] = details["ability_to_share"].as_integer() == DECLINED
    return declined_


def opted_out(uln: Any) -> ColumnElement[bool]:
    """The learner `uln` (a value or a column), or a ULN merged into them, has declined."""
    return exists().where(
        or_(_sharing.c.uln == uln, _sharing.c.master_uln == uln), declined(_sharing.c.details)
    )


# The same on PostgreSQL, in raw SQL, for the PLR read's one statement (store/plr/pg.py).
PG_SHARED = (
    "(NOT EXISTS (SELECT 1 FROM learners s WHERE s.uln = %(uln)s"
    f" AND s.details->>'ability_to_share' = '{DECLINED}')"
    " AND NOT EXISTS (SELECT 1 FROM learners s WHERE s.master_uln = %(uln)s"
    f" AND s.details->>'ability_to_share' = '{DECLINED}'))"
)
