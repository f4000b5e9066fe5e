"""Recount how common each name is, for the matching engine's term-frequency adjustment.

Run by `openlrs demo` after seeding, by `openlrs refresh-name-frequencies`, and by batch workers
now and then; searches read the counts and never count themselves (decision 0011).
"""

from __future__ import annotations

from openlrs.domain.accounts.organisations import ADMIN_ROLES, Principal
from openlrs.services.ports import UnitOfWork


def refresh_name_frequencies(*, principal: Principal, uow: UnitOfWork) -> int:
    """Recount every name in one transaction; returns the register size counted."""
    principal.require(ADMIN_ROLES)
    with uow:
        total = uow.learners.refresh_name_frequencies()
        uow.commit()
    return total
