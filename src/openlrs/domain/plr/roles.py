"""Which roles may do what with Personal Learning Records and the qualification register."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Role

AWARDING_ROLES = frozenset({Role.AO})
"""Create, update, withdraw and reinstate achievements; decide challenges routed to them."""
PARTICIPATION_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN})
"""Providers report enrolments (participation) and raise data challenges."""
PLR_READ_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.AO, Role.ADMIN})
REGISTER_READ_ROLES = frozenset(Role) - {Role.LEARNER}
"""Everyone signed in may read the qualification and unit register."""
REGISTER_ADMIN_ROLES = frozenset({Role.ADMIN})
SHARING_ROLES = frozenset({Role.ADMIN})
"""The service desk records a learner's choice about sharing."""
CHALLENGE_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.AO, Role.ADMIN})
