"""Who does things in tests: the organisations' UKPRNs and the principals the use cases are called as.

The unit tier calls the use cases as these principals directly; the functional tier makes real
callers (tokens, sessions) in OWN_UKPRN and OTHER_UKPRN through tests/functional/callers.py."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal, Role

PROVIDER = "10000001"
OTHER_PROVIDER = "10000002"

LRB = Principal(actor="user:registrar", ukprn=PROVIDER, roles=frozenset({Role.LRB}))
LRB_ADMIN = Principal(actor="user:org-admin", ukprn=PROVIDER, roles=frozenset({Role.LRB_ADMIN}))
AO = Principal(actor="user:awarder", ukprn=OTHER_PROVIDER, roles=frozenset({Role.AO}))
ADMIN = Principal(actor="user:desk", ukprn="10000009", roles=frozenset({Role.ADMIN}))
OTHER_AO = Principal(actor="user:other-awarder", ukprn="10000003", roles=frozenset({Role.AO}))
OTHER_CENTRE = Principal("user:elsewhere", "10000003", frozenset({Role.LRB}))

DESK_UKPRN = "10000001"
"""The service desk, home of admin callers unless a test says otherwise."""
OWN_UKPRN = "10004321"
"""The organisation every other role's caller belongs to unless a test says otherwise."""
AWARDING_UKPRN = "10009999"
"""An awarding organisation: home of ao and ao_admin callers unless a test says otherwise (a
college cannot hold those roles)."""
OTHER_UKPRN = "10007777"
"""Another organisation, for checking that callers cannot reach beyond their own."""
