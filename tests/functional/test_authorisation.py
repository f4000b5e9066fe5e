"""Who may call what: every endpoint of the app against every kind of caller, from one table.

A row names an endpoint (as the app declares it), the request to send, and which roles may make it.
`test_the_table_covers_every_endpoint` fails when the app gains an endpoint without a row here.
Each test walks the whole table for several callers and reports every mismatch at once; callers
share one database per test because every API client costs an argon2 hash.

`test_each_organisation_type_and_role_gets_what_the_rules_allow` walks it, one test per type of
organisation, for every role (ROLES_BY_ORG_TYPE): as a caller holding the role where the type may
hold it, and as a client whose grant was stored against the rule where it may not (that client
must get exactly what a caller with no role gets). The grant rules themselves are walked by
test_role_grants_api.py.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openlrs.api.app import create_api
from openlrs.api.deps import AUDIENCE, ISSUER
from openlrs.batch.worker import BatchWorker
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import (
    ROLES_BY_ORG_TYPE,
    SYSTEM,
    Account,
    OrgType,
    Principal,
    Role,
    roles_allowed,
)
from openlrs.domain.accounts.portal_session import SessionRules
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.services.accounts import manage as accounts
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.services.learner_accounts.activation import Activate, activate, issue_activation_code
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import (
    AWARDING_UKPRN,
    DESK_UKPRN,
    OTHER_UKPRN,
    OWN_UKPRN,
    many_learner_details,
    many_register_bodies,
    provider_application_body,
    register_body,
    search_body,
    unissued_uln,
)
from tests.functional.callers import SECRET_KEY, TOKEN_URL, Register, token_form
from tests.functional.diploma_rows import diploma_rows
from tests.functional.expectations import assert_problem

EVERY_ROLE = frozenset(Role)
WORKERS = EVERY_ROLE - {Role.AO_ADMIN}
"""Every role but ao_admin, which administers its organisation's accounts and nothing else."""
LEARNER_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.ADMIN})
ORG_ADMINS = frozenset({Role.LRB_ADMIN, Role.AO_ADMIN, Role.ADMIN})
OWN_ORG_ADMINS = frozenset({Role.LRB_ADMIN, Role.AO_ADMIN})
"""Admins of their own organisation only: another organisation's accounts are hidden from them."""
ADMIN = frozenset({Role.ADMIN})
PUBLIC = None

SUSPENDED_UKPRN = "10005555"
REVOKED_DESK_UKPRN = "10005556"
"""A second service desk (only a desk may hold admin), home of the revoked and expired callers."""
NO_APPLICATION = "PA0000000000"
NO_PROVIDER = "99999998"
ROLES_IN_ORDER = (Role.AO, Role.LRB, Role.AO_ADMIN, Role.LRB_ADMIN, Role.ADMIN, Role.LEARNER)
"""Roles walk the table in this order, so refusals run before the org admins change anything."""
HOMES: dict[OrgType, str] = {
    OrgType.SCHOOL: "10004401",
    OrgType.COLLEGE: OWN_UKPRN,
    OrgType.TRAINING_PROVIDER: "10004402",
    OrgType.LOCAL_AUTHORITY: "10004403",
    OrgType.PRISON: "10004404",
    OrgType.HIGHER_EDUCATION: "10004405",
    OrgType.AWARDING_ORGANISATION: AWARDING_UKPRN,
    OrgType.SERVICE_DESK: DESK_UKPRN,
}
"""The organisation of each type whose callers walk the table."""


@dataclasses.dataclass
class World:
    """What the rows' requests refer to: learners, accounts to revoke, a client for the token row.

    For callers refused before any use case runs the accounts to revoke need not exist: a refusal
    must never depend on whether its target exists."""

    uow_factory: SqlUnitOfWorkFactory
    uln: str
    new_learners: list[dict[str, Any]]
    token_client: tuple[str, str]
    centre: str = OWN_UKPRN
    """The registration body that has the learner on roll, sent the batch and opened the Diploma
    accounts: the callers' own organisation when it is a registration body."""
    own_client: str = "cl_own_target"
    other_client: str = "cl_other_target"
    own_user: str = "own.target@example.org"
    batch_id: str = ""
    other_user: str = "other.target@example.org"
    made: dict[tuple[str, int], int] = dataclasses.field(default_factory=dict)
    """What rows made on first use (diploma_rows.py), by kind and caller."""

    def version(self) -> int:
        with self.uow_factory() as uow:
            learner = uow.learners.get(self.uln)
        assert learner is not None
        return learner.version


@dataclasses.dataclass(frozen=True)
class Ctx:
    """One caller's walk through the table: `index` keeps the values it creates unique."""

    world: World
    index: int
    ukprn: str = OWN_UKPRN
    """The caller's own organisation."""
    org_type: OrgType = OrgType.COLLEGE
    """Its type."""
    roles: frozenset[Role] = frozenset()
    """The roles the caller holds (those its organisation's type allows)."""


def _fixed(value: str) -> Callable[[Ctx], str]:
    return lambda ctx: value


@dataclasses.dataclass(frozen=True)
class Row:
    method: str
    route: str
    """The path as the app declares it, e.g. /api/v1/learners/{uln}."""
    allowed: frozenset[Role] | None
    """The roles allowed to make this request; None for a public endpoint."""
    success: int
    path_value: Callable[[Ctx], str] | None = None
    """What replaces the route's one {parameter}."""
    query: str = ""
    json: Callable[[Ctx], Any] | None = None
    form: Callable[[Ctx], dict[str, str]] | None = None
    files: Callable[[Ctx], dict[str, tuple[str, bytes]]] | None = None
    headers: Callable[[Ctx], dict[str, str]] | None = None
    label: str = ""
    hidden_from: frozenset[Role] = frozenset()
    """Roles refused with 404 rather than 403, so they cannot learn whether the target exists."""
    hidden_code: str = "ACCOUNT_NOT_FOUND"
    """The code of that 404."""

    @property
    def name(self) -> str:
        return f"{self.method} {self.route}{self.query}{f' ({self.label})' if self.label else ''}"

    def url(self, ctx: Ctx) -> str:
        path = self.route
        if self.path_value is not None:
            for value in self.path_value(ctx).split("|"):  # "a|b" fills two {parameters}
                head, _, rest = path.partition("{")
                path = head + value + rest.partition("}")[2]
        return path + self.query


def _fixed_form(value: dict[str, str]) -> Callable[[Ctx], dict[str, str]]:
    return lambda ctx: value


def _batch_file(body: dict[str, Any]) -> bytes:
    """A one-row registration file for a learner body."""
    names = ["given_name", "family_name", "date_of_birth", "gender", "postcode"]
    values = [str(body[name]) for name in names]
    return (",".join(names) + "\n" + ",".join(values) + "\n").encode()


AO_ONLY = frozenset({Role.AO})
PROVIDERS = frozenset({Role.LRB, Role.LRB_ADMIN})
NO_EVENT = "00000000-0000-0000-0000-000000000000"
NO_ULN = unissued_uln()
NO_REFERENCE = "00000000-0000-4000-8000-000000000000"


def _world_uln(ctx: Ctx) -> str:
    return ctx.world.uln


def _seeded_claim() -> dict[str, Any]:
    """The details of the learner `_world` registers (seed 4242), as a PLR event carries them."""
    (seeded,) = many_learner_details(1, seed=4242)
    return {
        "given_name": seeded.given_name,
        "family_name": seeded.family_name,
        "date_of_birth": seeded.date_of_birth.isoformat(),
    }


def _knowledge(ctx: Ctx) -> dict[str, str]:
    """The headers that show the caller knows the world's learner (their names)."""
    claim = _seeded_claim()
    return {
        "Learner-Given-Name": quote(claim["given_name"], safe=""),
        "Learner-Family-Name": quote(claim["family_name"], safe=""),
    }


def _own_ukprn(ctx: Ctx) -> str:
    return ctx.ukprn


def _first_role(org_type: OrgType) -> str:
    """A role an organisation of this type may hold: what an account made there is given."""
    return min(role.value for role in roles_allowed(org_type))


def _account_rows(
    ukprn: Callable[[Ctx], str], allowed: frozenset[Role], label: str, org_type: OrgType | None
) -> tuple[Row, ...]:
    """The account rows for the organisation `ukprn` names (of `org_type`, else the caller's)."""
    org = "/api/v1/organisations/{ukprn}"

    def grant(ctx: Ctx) -> list[str]:
        return [_first_role(org_type or ctx.org_type)]

    return (
        Row("GET", f"{org}/clients", allowed, 200, ukprn, label=label),
        Row(
            "POST",
            f"{org}/clients",
            allowed,
            201,
            ukprn,
            json=lambda ctx: {"roles": grant(ctx)},
            label=label,
        ),
        Row("GET", f"{org}/users", allowed, 200, ukprn, label=label),
        Row(
            "POST",
            f"{org}/users",
            allowed,
            201,
            ukprn,
            json=lambda ctx: {
                "username": f"new.user.{ctx.index}.{ukprn(ctx)}",
                "password": "correct horse battery staple",
                "roles": grant(ctx),
            },
            label=label,
        ),
    )


ROWS: tuple[Row, ...] = (
    Row("GET", "/healthz", PUBLIC, 200),
    Row("GET", "/readyz", PUBLIC, 200),
    # Not by role: loopback or the metrics token only (test_operations.py); this caller has neither.
    Row("GET", "/metrics", PUBLIC, 403, label="remote caller without the metrics token"),
    Row("GET", "/api/v1/openapi.json", PUBLIC, 200),
    Row("GET", "/api/docs", PUBLIC, 200),
    # The SOAP services authenticate each message by its own credentials (web-service accounts),
    # never by a bearer token: the same for every caller here (tests/functional/test_soap_*.py).
    *(
        row
        for path in ("/LearnerService.svc", "/LearnerServiceR9.svc")
        for row in (
            Row("GET", path, PUBLIC, 200, query="?wsdl"),
            Row("POST", path, PUBLIC, 500, label="no message: the WSEC0001 fault"),
            Row("PUT", path, PUBLIC, 405),
            Row("DELETE", path, PUBLIC, 405),
            Row("PATCH", path, PUBLIC, 405),
        )
    ),
    Row("GET", "/docs/oauth2-redirect", PUBLIC, 200),
    Row("POST", TOKEN_URL, PUBLIC, 200, form=lambda ctx: token_form(*ctx.world.token_client)),
    # learners
    Row(
        "POST",
        "/api/v1/learners/search",
        LEARNER_ROLES,
        200,
        json=lambda ctx: search_body(ctx.world.new_learners[ctx.index]),
    ),
    Row(
        "GET",
        "/api/v1/learners/{uln}",
        LEARNER_ROLES,
        200,
        lambda ctx: ctx.world.uln,
        headers=_knowledge,
    ),
    Row(
        "POST",
        "/api/v1/learners/verify",
        WORKERS,
        200,
        json=lambda ctx: {"uln": ctx.world.uln, "given_name": "Amy", "family_name": "Patel"},
    ),
    Row(
        "POST",
        "/api/v1/learners",
        LEARNER_ROLES,
        201,
        json=lambda ctx: ctx.world.new_learners[ctx.index],
    ),
    Row(
        "PATCH",
        "/api/v1/learners/{uln}",
        LEARNER_ROLES,
        200,
        lambda ctx: ctx.world.uln,
        json=lambda ctx: {"notes": f"Passport checked ({ctx.index})"},
        headers=lambda ctx: {"If-Match": f'"{ctx.world.version()}"'},
    ),
    # exceptions queue (an id nobody holds: allowed roles get 404, the rest 401/403 first)
    # batches
    Row(
        "POST",
        "/api/v1/batches",
        LEARNER_ROLES,
        202,
        form=_fixed_form({"kind": "registration"}),
        files=lambda ctx: {"file": ("r.csv", _batch_file(ctx.world.new_learners[ctx.index]))},
    ),
    Row(
        "POST",
        "/api/v1/batches/validate",
        WORKERS,
        200,
        files=lambda ctx: {"file": ("r.csv", _batch_file(ctx.world.new_learners[ctx.index]))},
    ),
    Row("GET", "/api/v1/batches", WORKERS, 200),
    # the centre's batch: the ao caller belongs to another organisation, which cannot see it
    *(
        Row(
            "GET",
            f"/api/v1/batches/{{job_id}}{tail}",
            LEARNER_ROLES,
            200,
            lambda ctx: ctx.world.batch_id,
            hidden_from=AO_ONLY,
            hidden_code="BATCH_NOT_FOUND",
        )
        for tail in ("", "/output", "/errors")
    ),
    Row(
        "POST",
        "/api/v1/batches/{job_id}/approve",
        EVERY_ROLE,
        403,
        lambda ctx: ctx.world.batch_id,
        label="a system may not approve",
    ),
    Row(
        "PUT",
        "/api/v1/organisations/{ukprn}/batch-settings",
        ORG_ADMINS,
        200,
        _own_ukprn,
        json=lambda ctx: {"approval_required": False},
    ),
    Row("GET", "/api/v1/organisations/{ukprn}/learners", LEARNER_ROLES, 200, _own_ukprn),
    Row("GET", "/api/v1/exceptions", LEARNER_ROLES, 200),
    Row("GET", "/api/v1/exceptions/{held_id}", LEARNER_ROLES, 404, _fixed("999999")),
    Row(
        "POST",
        "/api/v1/exceptions/{held_id}/resolve",
        LEARNER_ROLES,
        404,
        _fixed("999999"),
        json=lambda ctx: {"decision": "different_person"},
    ),
    # change requests (a reference nobody holds: allowed roles get 404)
    Row("GET", "/api/v1/change-requests", LEARNER_ROLES, 200),
    Row("GET", "/api/v1/change-requests/{reference}", LEARNER_ROLES, 404, _fixed(NO_REFERENCE)),
    Row(
        "POST",
        "/api/v1/change-requests/{reference}/decision",
        LEARNER_ROLES,
        404,
        _fixed(NO_REFERENCE),
        json=lambda ctx: {"decision": "reject"},
    ),
    # organisations
    Row("GET", "/api/v1/organisations", ADMIN, 200),
    Row(
        "POST",
        "/api/v1/organisations",
        ADMIN,
        201,
        json=lambda ctx: {
            "ukprn": f"1001{ctx.index:04d}",
            "name": "Ashfield College",
            "org_type": "college",
        },
    ),
    Row("GET", "/api/v1/organisations/{ukprn}", EVERY_ROLE, 200, lambda ctx: ctx.ukprn),
    Row(
        "GET",
        "/api/v1/organisations/{ukprn}",
        ADMIN,
        200,
        _fixed(OTHER_UKPRN),
        label="another organisation",
    ),
    Row(
        "PATCH",
        "/api/v1/organisations/{ukprn}",
        ADMIN,
        200,
        _fixed(OTHER_UKPRN),
        json=lambda ctx: {"status": "active"},
    ),
    # users and API clients
    *_account_rows(_own_ukprn, ORG_ADMINS, "", None),
    *_account_rows(_fixed(OTHER_UKPRN), ADMIN, "another organisation", OrgType.COLLEGE),
    Row("DELETE", "/api/v1/clients/{client_id}", ORG_ADMINS, 200, lambda c: c.world.own_client),
    Row(
        "DELETE",
        "/api/v1/clients/{client_id}",
        ADMIN,
        200,
        lambda ctx: ctx.world.other_client,
        label="another organisation's",
        hidden_from=OWN_ORG_ADMINS,
    ),
    Row("DELETE", "/api/v1/users/{username}", ORG_ADMINS, 200, lambda c: c.world.own_user),
    Row(
        "DELETE",
        "/api/v1/users/{username}",
        ADMIN,
        200,
        lambda ctx: ctx.world.other_user,
        label="another organisation's",
        hidden_from=OWN_ORG_ADMINS,
    ),
    # provider register: applying, searching and reading are public; the desk verifies
    # (references and UKPRNs nobody holds: allowed roles get 404, the rest 401/403 first)
    Row(
        "POST",
        "/api/v1/providers/applications",
        PUBLIC,
        201,
        json=lambda ctx: provider_application_body(seed=100 + ctx.index),
    ),
    Row("GET", "/api/v1/providers/applications", ADMIN, 200),
    Row("GET", "/api/v1/providers/applications/{reference}", ADMIN, 404, _fixed(NO_APPLICATION)),
    Row(
        "POST",
        "/api/v1/providers/applications/{reference}/decision",
        ADMIN,
        404,
        _fixed(NO_APPLICATION),
        json=lambda ctx: {"decision": "approve"},
    ),
    Row("GET", "/api/v1/providers", PUBLIC, 200, query="?query=college"),
    Row("GET", "/api/v1/providers/changes", PUBLIC, 200, query="?since=0"),
    Row("GET", "/api/v1/providers/{ukprn}", PUBLIC, 404, _fixed(NO_PROVIDER)),
    Row(
        "PATCH",
        "/api/v1/providers/{ukprn}",
        ORG_ADMINS,
        404,
        _own_ukprn,
        json=lambda ctx: {"website": "https://www.example.ac.uk"},
        label="own organisation, not on the provider register",
    ),
    Row("POST", "/api/v1/providers/{ukprn}/deactivate", ADMIN, 404, _fixed(NO_PROVIDER)),
    Row("POST", "/api/v1/providers/{ukprn}/reactivate", ADMIN, 404, _fixed(NO_PROVIDER)),
    # audit
    Row("GET", "/api/v1/audit", ORG_ADMINS, 200),
    Row("GET", "/api/v1/audit", ADMIN, 200, query=f"?ukprn={OTHER_UKPRN}", label="another org's"),
    # suspected duplicates from the register audit (the service desk only)
    Row("GET", "/api/v1/suspected-duplicates", ADMIN, 200),
    # Diploma accounts and the QCF credit bank (issue 8; rows in diploma_rows.py)
    *diploma_rows(Row),
    # the Personal Learning Record (issue 9): unknown qualifications, events and challenges give
    # 404 to the roles allowed, after the role check
    Row(
        "POST",
        "/api/v1/qualifications",
        ADMIN,
        201,
        json=lambda ctx: {
            "number": f"300/{ctx.index:04d}/1",
            "title": "Certificate in Authorisation",
            "qualification_type": "VRQ",
            "level": "2",
            "owners": [OWN_UKPRN],
        },
    ),
    Row("GET", "/api/v1/qualifications", EVERY_ROLE, 200),
    Row("GET", "/api/v1/qualifications/{number}", EVERY_ROLE, 404, _fixed("999/9999/9")),
    Row(
        "POST",
        "/api/v1/units",
        ADMIN,
        201,
        json=lambda ctx: {
            "reference": f"A/300/{ctx.index:04d}",
            "title": "Unit in Authorisation",
            "level": "2",
            "credit": 3,
            "owner": OWN_UKPRN,
        },
    ),
    Row("GET", "/api/v1/units", EVERY_ROLE, 200),
    Row("GET", "/api/v1/units/{reference}", EVERY_ROLE, 404, _fixed("Z/999/9999")),
    Row(
        "POST",
        "/api/v1/learners/{uln}/achievements",
        AO_ONLY,
        404,
        _world_uln,
        json=lambda ctx: {
            "learner": {"given_name": "Ann", "family_name": "Smith"},
            "subject": "999/9999/9",
            "award_date": "2025-06-30",
        },
    ),
    Row(
        "PUT",
        "/api/v1/learners/{uln}/achievements/{event_id}",
        AO_ONLY,
        404,
        lambda ctx: f"{ctx.world.uln}|{NO_EVENT}",
        json=lambda ctx: {"award_date": "2025-06-30", "grade": "A"},
    ),
    Row(
        "POST",
        "/api/v1/learners/{uln}/achievements/{event_id}/withdraw",
        AO_ONLY,
        404,
        lambda ctx: f"{ctx.world.uln}|{NO_EVENT}",
    ),
    Row(
        "POST",
        "/api/v1/learners/{uln}/achievements/{event_id}/reinstate",
        AO_ONLY,
        404,
        lambda ctx: f"{ctx.world.uln}|{NO_EVENT}",
    ),
    Row(
        "POST",
        "/api/v1/learners/{uln}/participation",
        PROVIDERS,
        201,
        _world_uln,
        json=lambda ctx: {
            "learner": _seeded_claim(),
            "learning_aim": "60012345",
            "start_date": f"2024-09-{ctx.index + 1:02d}",
        },
    ),
    Row(
        "GET",
        "/api/v1/learners/{uln}/learning-events",
        WORKERS,
        200,
        _world_uln,
        headers=_knowledge,
    ),
    Row(
        "GET",
        "/api/v1/learners/{uln}/learning-events/report",
        WORKERS,
        200,
        _world_uln,
        query="?format=csv",
        headers=_knowledge,
    ),
    Row("GET", "/api/v1/learners/{uln}/qcf-credit", WORKERS, 200, _world_uln, headers=_knowledge),
    Row("GET", "/api/v1/learners/{uln}/sharing", ADMIN, 200, _world_uln),
    Row(
        "PUT",
        "/api/v1/learners/{uln}/sharing",
        ADMIN,
        200,
        _world_uln,
        json=lambda ctx: {"shares": True},
    ),
    Row(
        "POST",
        "/api/v1/learners/{uln}/learning-events/{event_id}/challenges",
        PROVIDERS | ADMIN,
        404,
        lambda ctx: f"{ctx.world.uln}|{NO_EVENT}",
        json=lambda ctx: {"reason": "The grade is wrong"},
    ),
    Row("GET", "/api/v1/challenges", WORKERS, 200),
    Row("GET", "/api/v1/challenges/{challenge_id}", WORKERS, 404, _fixed(NO_EVENT)),
    Row(
        "POST",
        "/api/v1/challenges/{challenge_id}/decision",
        AO_ONLY,
        404,
        _fixed(NO_EVENT),
        json=lambda ctx: {"decision": "reject", "response": "No"},
    ),
    # the ULN life cycle (issue 7): the service desk merges, unmerges and splits (404 for a ULN
    # never issued, after the role check); providers raise ULN challenges; everyone reads the feed
    Row(
        "POST",
        "/api/v1/learners/{uln}/merge",
        ADMIN,
        404,
        _fixed(NO_ULN),
        json=lambda ctx: {"master_uln": ctx.world.uln},
    ),
    Row("POST", "/api/v1/learners/{uln}/unmerge", ADMIN, 404, _fixed(NO_ULN)),
    Row(
        "POST",
        "/api/v1/learners/{uln}/split",
        ADMIN,
        404,
        _fixed(NO_ULN),
        json=lambda ctx: {"event_ids": [], "learner": register_body(4343)},
    ),
    Row(
        "POST",
        "/api/v1/uln-challenges",
        PROVIDERS | ADMIN,
        201,
        json=lambda ctx: {"kind": "uln_shared", "uln": ctx.world.uln, "reason": "Two people"},
    ),
    Row(
        "POST",
        "/api/v1/uln-challenges/{challenge_id}/resolution",
        ADMIN,
        404,
        _fixed(NO_EVENT),
        json=lambda ctx: {"decision": "reject", "response": "No"},
    ),
    Row("GET", "/api/v1/changes", WORKERS, 200),
    # the service desk, notices and notifications (issue 26)
    Row("GET", "/api/v1/desk/incidents", ADMIN, 200),
    Row(
        "POST",
        "/api/v1/desk/incidents",
        ADMIN,
        201,
        json=lambda ctx: {"category": 3, "summary": "Slow searches"},
    ),
    Row("GET", "/api/v1/desk/incidents/{incident_id}", ADMIN, 404, _fixed(NO_REFERENCE)),
    Row(
        "PATCH",
        "/api/v1/desk/incidents/{incident_id}",
        ADMIN,
        404,
        _fixed(NO_REFERENCE),
        json=lambda ctx: {"status": "responded"},
    ),
    Row("GET", "/api/v1/desk/deadlines", ADMIN, 200),
    Row("GET", "/api/v1/notices/maintenance", PUBLIC, 200),
    Row(
        "POST",
        "/api/v1/notices/maintenance",
        ADMIN,
        201,
        json=lambda ctx: {  # far ahead, and writes stay open: the walk goes on
            "starts_at": "2099-01-01T20:00:00Z",
            "ends_at": "2099-01-01T22:00:00Z",
            "read_only": False,
        },
    ),
    Row("DELETE", "/api/v1/notices/maintenance/{window_id}", ADMIN, 404, _fixed(NO_REFERENCE)),
    Row("GET", "/api/v1/notices/deprecations", PUBLIC, 200),
    Row("GET", "/api/v1/organisations/{ukprn}/contact-address", ORG_ADMINS, 200, _own_ukprn),
    Row(
        "PUT",
        "/api/v1/organisations/{ukprn}/contact-address",
        ORG_ADMINS,
        200,
        _own_ukprn,
        json=lambda ctx: {"contact_email": f"mis.{ctx.index}@example.ac.uk"},
    ),
    Row("GET", "/api/v1/notifications", ORG_ADMINS, 200),
    # learner plans (issue 23, decision 0026): providers with a relationship write, the desk reads
    Row("GET", "/api/v1/learners/{uln}/learner-plan", PROVIDERS | ADMIN, 404, _fixed(NO_ULN)),
    Row(
        "PUT",
        "/api/v1/learners/{uln}/learner-plan",
        PROVIDERS,
        200,
        _world_uln,
        json=lambda ctx: {
            "goals": [f"Goal {ctx.index}"],
            "planned_learning": [
                {"title": "English", "start_date": "2027-01-04", "end_date": "2027-03-26"}
            ],
        },
    ),
    Row(
        "POST",
        "/api/v1/learners/{uln}/learner-plan/progress-notes",
        PROVIDERS,
        201,
        _world_uln,
        json=lambda ctx: {"text": "Started well"},
    ),
)


# --- the table covers the app ---------------------------------------------------------------------


def app_endpoints(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, HEAD aside, however its routers are nested."""
    try:
        from fastapi.routing import iter_route_contexts  # newer FastAPI nests included routers
    except ImportError:  # pragma: no cover - older FastAPI keeps one flat list
        routes: list[Any] = list(app.routes)
    else:
        routes = list(iter_route_contexts(app.routes))
    endpoints = set()
    for route in routes:
        path = getattr(route, "path_format", None) or getattr(route, "path", None)
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                endpoints.add((method, path))
    return endpoints


def test_the_table_covers_every_endpoint(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'unused.db'}"
    app = create_api(
        Settings(database_url=url, secret_key=SECRET_KEY),
        SqlUnitOfWorkFactory(build_engine(url, pool_size=1)),
    )
    endpoints = app_endpoints(app)
    documented = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert documented <= endpoints, "the route walk missed documented endpoints"
    covered = {(row.method, row.route) for row in ROWS}
    assert endpoints - covered == set(), "endpoints without a row in ROWS"
    assert covered - endpoints == set(), "rows for endpoints the app does not have"


def test_every_protected_endpoint_declares_the_bearer_scheme(tmp_path: Path) -> None:
    """The OpenAPI document says which operations need a token, whether the route reads it
    through `HTTPBearer` or (the hot routes, `deps.current_caller`) itself."""
    url = f"sqlite:///{tmp_path / 'unused.db'}"
    app = create_api(
        Settings(database_url=url, secret_key=SECRET_KEY),
        SqlUnitOfWorkFactory(build_engine(url, pool_size=1)),
    )
    paths = app.openapi()["paths"]
    undeclared = [
        f"{row.method} {row.route}"
        for row in ROWS
        if row.allowed is not PUBLIC
        and row.route in paths
        and {"HTTPBearer": []} not in paths[row.route][row.method.lower()].get("security", [])
    ]
    assert undeclared == []


# --- walking the table ----------------------------------------------------------------------------


def _world(
    register: Register,
    uow_factory: SqlUnitOfWorkFactory,
    *,
    callers: int,
    targets: bool,
    home: OrgType = OrgType.COLLEGE,
) -> World:
    """A learner on the register, one new learner per caller, and (if `targets`) accounts: the
    callers belong to the organisation of type `home` (HOMES)."""
    own = HOMES[home]
    accounts.ensure_organisation(own, "The callers' own", home, principal=SYSTEM, uow=uow_factory())
    for ukprn in (OWN_UKPRN, OTHER_UKPRN):
        register.organisation(ukprn)
    centre = own if Role.LRB in roles_allowed(home) else OWN_UKPRN
    (seeded,) = many_learner_details(1, seed=4242)
    learner = register_learner(RegisterLearner(seeded), principal=SYSTEM, uow=uow_factory())
    with uow_factory() as uow:  # every caller's organisation has them on roll: it may change them
        for ukprn in {centre, own}:
            uow.learners.note_relationship(learner.uln, ukprn, RelationshipKind.ON_ROLL)
        uow.commit()
    token_client = register.client(Role.LRB, OTHER_UKPRN)
    batch = batch_jobs.submit_batch(
        SubmitBatch(
            "registration", "csv", "seed.csv", _batch_file(many_register_bodies(1, seed=4244)[0])
        ),
        principal=Principal("user:seed", centre, frozenset({Role.LRB})),
        uow=uow_factory(),
    )
    BatchWorker(uow_factory).run(until_idle=True)
    world = World(
        uow_factory,
        learner.uln,
        many_register_bodies(callers, seed=4243),
        (token_client.client_id, token_client.client_secret),
        centre=centre,
        batch_id=batch.job.id,
    )
    if targets:
        role = Role(_first_role(home))
        world.own_client = register.client(role, own).client_id
        world.other_client = register.client(Role.LRB, OTHER_UKPRN).client_id
        for ukprn, username, roles in (
            (own, world.own_user, frozenset({role})),
            (OTHER_UKPRN, world.other_user, frozenset({Role.LRB})),
        ):
            accounts.create_user(
                ukprn, username, "long enough password", roles, principal=SYSTEM, uow=uow_factory()
            )
    return world


Expectation = Callable[[Row], tuple[int, str | None]]
"""A row -> the status one caller must get, and the problem code when it is refused."""


def _walk(
    api: TestClient, ctx: Ctx, headers: dict[str, str], expected: Expectation, who: str
) -> list[str]:
    """Send every row's request as one caller; describe each answer that is not as expected."""
    mismatches = []
    for row in ROWS:
        response = api.request(
            row.method,
            row.url(ctx),
            headers=headers | (row.headers(ctx) if row.headers else {}),
            json=row.json(ctx) if row.json else None,
            data=row.form(ctx) if row.form else None,
            files=row.files(ctx) if row.files else None,
        )
        status, code = expected(row)
        if response.status_code != status:
            got = f"{response.status_code}, not {status}: {response.text[:200]}"
            mismatches.append(f"{who} -> {row.name}: {got}")
        elif code is not None and (problem := _not_the_problem(response, code)):
            mismatches.append(f"{who} -> {row.name}: {problem}")
    return mismatches


def _not_the_problem(response: httpx.Response, code: str) -> str | None:
    """Why a refusal is not problem+json with `code`, or None when it is."""
    try:
        assert_problem(response, response.status_code, code)
    except (AssertionError, ValueError, KeyError) as exc:
        return f"not problem+json with code {code}: {exc}"
    if response.status_code == 401 and response.headers.get("www-authenticate") != "Bearer":
        return "a 401 without WWW-Authenticate: Bearer"
    return None


def _stored_against_the_rule(
    register: Register, uow_factory: SqlUnitOfWorkFactory, ukprn: str, roles: frozenset[Role]
) -> dict[str, str]:
    """The headers of a client in `ukprn` holding `roles`, stored straight into the register
    (the grant check bypassed, as a grant made before the rule or by hand), and its token."""
    names = "_".join(sorted(role.value for role in roles))
    client_id, secret = f"cl_against_rule_{ukprn}_{names}", "a secret stored by hand"
    with uow_factory() as uow:
        uow.accounts.add(
            Account("client", client_id, ukprn, roles, None, accounts.hash_secret(secret))
        )
        uow.commit()
    return {"Authorization": f"Bearer {register.token(client_id, secret)}"}


def _as_role(role: Role) -> Expectation:
    def expected(row: Row) -> tuple[int, str | None]:
        if row.allowed is PUBLIC or role in row.allowed:
            return row.success, None
        if role in row.hidden_from:
            return 404, row.hidden_code
        return 403, "NOT_AUTHORISED"

    return expected


def _as_no_role(row: Row) -> tuple[int, str | None]:
    """What a caller holding no role gets: the public rows, and a refusal everywhere else."""
    return (row.success, None) if row.allowed is PUBLIC else (403, "NOT_AUTHORISED")


@pytest.mark.parametrize("org_type", list(OrgType))
def test_each_organisation_type_and_role_gets_what_the_rules_allow(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory, org_type: OrgType
) -> None:
    """Every role against every endpoint, for callers of one type of organisation: the roles the
    type may hold give what the rows allow; a role it may not hold, stored against the rule,
    gives nothing (exactly what a caller with no role gets), alone or beside a role it may hold
    (the issue's college client holding `ao`)."""
    allowed = roles_allowed(org_type)
    held = [role for role in ROLES_IN_ORDER if role in allowed]
    against_the_rule = [role for role in ROLES_IN_ORDER if role not in allowed]
    assert set(held) | set(against_the_rule) == set(Role) and held
    world = _world(
        register, uow_factory, callers=len(ROLES_IN_ORDER) + 1, targets=True, home=org_type
    )
    ukprn = HOMES[org_type]
    mismatches = []
    index = 0
    for role in against_the_rule:  # refusals first, before the org admins change anything
        headers = _stored_against_the_rule(register, uow_factory, ukprn, frozenset({role}))
        ctx = Ctx(world, index, ukprn, org_type)
        who = f"{org_type.value} x {role.value} (stored against the rule)"
        mismatches += _walk(api, ctx, headers, _as_no_role, who)
        index += 1
    # A role the type may hold (not an admin's: those change things for good, and walk once)
    # with every role it may not hold stored beside it: exactly what the role alone gets.
    for role in [role for role in held if role not in ORG_ADMINS][:1]:
        roles = frozenset({role, *against_the_rule})
        headers = _stored_against_the_rule(register, uow_factory, ukprn, roles)
        ctx = Ctx(world, index, ukprn, org_type, frozenset({role}))
        stored = ", ".join(r.value for r in against_the_rule)
        who = f"{org_type.value} x {role.value} (with {stored} stored against the rule)"
        mismatches += _walk(api, ctx, headers, _as_role(role), who)
        index += 1
    for role in held:
        caller = register.caller(role, ukprn)
        assert caller.ukprn == ukprn
        ctx = Ctx(world, index, ukprn, org_type, frozenset({role}))
        mismatches += _walk(
            api, ctx, caller.headers, _as_role(role), f"{org_type.value} x {role.value}"
        )
        index += 1
    if mismatches:
        pytest.fail("\n".join(mismatches), pytrace=False)


def test_every_organisation_type_has_callers_in_the_walk() -> None:
    assert set(HOMES) == set(OrgType) == set(ROLES_BY_ORG_TYPE)
    assert len(set(HOMES.values())) == len(HOMES)
    assert set(ROLES_IN_ORDER) == set(Role)


def _signed(client_id: str, ukprn: str, *, issued: dt.datetime, key: str = SECRET_KEY) -> str:
    """A token with the claims api/deps.py issues, valid for an hour from `issued`."""
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": f"client:{client_id}",
        "org": ukprn,
        "iat": issued,
        "exp": issued + dt.timedelta(hours=1),
    }
    return jwt.encode(claims, key, algorithm="HS256")


def _refused_callers(api: TestClient, register: Register) -> list[tuple[str, str, int, str]]:
    """(who, Authorization header, the status and code every protected endpoint must answer)."""
    now = dt.datetime.now(dt.UTC)
    # Admins, so that nothing but the fault named can explain a refusal.
    expired = register.client(Role.ADMIN, REVOKED_DESK_UKPRN)
    revoked = register.caller(Role.ADMIN, REVOKED_DESK_UKPRN)
    suspended = register.caller(Role.ADMIN, SUSPENDED_UKPRN)
    desk = register.headers(Role.ADMIN)
    response = api.delete(f"/api/v1/clients/{revoked.client_id}", headers=desk)
    assert response.status_code == 200, response.text
    response = api.patch(
        f"/api/v1/organisations/{SUSPENDED_UKPRN}", json={"status": "suspended"}, headers=desk
    )
    assert response.status_code == 200, response.text
    forged = _signed(revoked.client_id, revoked.ukprn, issued=now, key="another-" + SECRET_KEY)
    expired_token = _signed(expired.client_id, revoked.ukprn, issued=now - dt.timedelta(hours=2))
    refused = "AUTHENTICATION_FAILED"
    return [
        ("no token", "", 401, refused),
        ("malformed token", "Bearer not.a-jwt", 401, refused),
        ("not a bearer token", "Token abc", 401, refused),
        ("empty bearer token", "Bearer ", 401, refused),
        ("token signed with another key", f"Bearer {forged}", 401, refused),
        ("expired token", f"Bearer {expired_token}", 401, refused),
        ("revoked client", f"Bearer {revoked.token}", 401, refused),
        ("suspended organisation", f"Bearer {suspended.token}", 403, "ORGANISATION_NOT_ACTIVE"),
    ]


def test_callers_without_good_credentials_are_refused_everywhere_but_public_endpoints(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    callers = _refused_callers(api, register)
    world = _world(register, uow_factory, callers=len(callers), targets=False)
    mismatches = []
    for index, (who, authorization, status, code) in enumerate(callers):
        headers = {"Authorization": authorization} if authorization else {}

        def expected(row: Row, status: int = status, code: str = code) -> tuple[int, str | None]:
            return (row.success, None) if row.allowed is PUBLIC else (status, code)

        mismatches += _walk(api, Ctx(world, index), headers, expected, who)
    if mismatches:
        pytest.fail("\n".join(mismatches), pytrace=False)


def test_a_learners_session_opens_no_endpoint_of_the_api(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """The learner role on every endpoint (issue 22): a signed-in learner's session (its cookie,
    or its token sent as a bearer token) is no API credential; only public endpoints answer."""
    (details,) = many_learner_details(1, seed=4343)
    learner = register_learner(RegisterLearner(details), principal=SYSTEM, uow=uow_factory())
    issued = issue_activation_code(learner.uln, principal=SYSTEM, uow=uow_factory())
    command = Activate(learner.uln, details.date_of_birth, issued.code, "a long learner password")
    token = activate(command, rules=SessionRules(), uow=uow_factory()).token
    world = _world(register, uow_factory, callers=2, targets=False)
    mismatches = []
    for index, headers in enumerate(
        ({"Cookie": f"openlrs_learner={token}"}, {"Authorization": f"Bearer {token}"})
    ):

        def expected(row: Row) -> tuple[int, str | None]:
            return (row.success, None) if row.allowed is PUBLIC else (401, "AUTHENTICATION_FAILED")

        mismatches += _walk(api, Ctx(world, index), headers, expected, f"learner {index}")
    if mismatches:
        pytest.fail("\n".join(mismatches), pytrace=False)


def test_the_token_endpoint_refuses_bad_credentials(api: TestClient, register: Register) -> None:
    client = register.client(Role.LRB)
    for form in (
        token_form(client.client_id, "not the secret"),
        token_form("cl_nobody", client.client_secret),
        {"grant_type": "client_credentials", "client_id": client.client_id},
    ):
        response = api.post(TOKEN_URL, data=form)
        body = assert_problem(response, 401, "AUTHENTICATION_FAILED")
        assert "access_token" not in body
        assert client.client_secret not in response.text


def test_the_token_endpoint_accepts_http_basic_and_refuses_other_grants(
    api: TestClient, register: Register
) -> None:
    client = register.client(Role.LRB)
    basic = base64.b64encode(f"{client.client_id}:{client.client_secret}".encode()).decode()
    response = api.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "bearer"
    refused = api.post(TOKEN_URL, data={**token_form("a", "b"), "grant_type": "password"})
    assert_problem(refused, 400, "UNSUPPORTED_GRANT_TYPE")
