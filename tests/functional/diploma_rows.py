"""Rows of the authorisation table (test_authorisation.py) for the Diploma endpoints.

Each row that needs an account makes it on first use through the use cases, opened by the walk's
centre (`world.centre`: the callers' own organisation when it is a registration body), one per
caller where the request changes it for good (claim, award, withdraw) and the caller may make it,
kept in the world's `made`; callers refused share one (a refusal never depends on the target).
Each kind of account has its own range of learner seeds, one seed per caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.identifiers import make_uln
from tests.builders import (
    AWARDING_UKPRN,
    awarded_diploma_account,
    complete_diploma_account,
    diploma_account,
    registered_learner,
    result_body,
    submit_result_body,
)

WORKERS = frozenset(Role) - {Role.AO_ADMIN}
"""Every role but ao_admin, which administers its organisation's accounts and nothing else."""
CENTRES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.ADMIN})
AWARDING = frozenset({Role.AO, Role.ADMIN})
DAB = frozenset({Role.AO})
ACCOUNTS = "/api/v1/diploma/accounts"

_SEEDS = {"shared": 9100, "awarded": 9200, "withdraw": 9300, "claim": 9400, "award": 9500}
"""The first learner seed of each kind of account; a new learner for an account takes 9600 on."""


Make = Callable[[Any, int, Principal], str]
"""(unit-of-work factory, learner seed, centre) -> a new account's id."""


def _centre(ctx: Any) -> Principal:
    return Principal("user:centre", ctx.world.centre, frozenset({Role.LRB}))


def _caller(ctx: Any, per_caller: frozenset[Role]) -> int:
    """0 for a shared account; the caller's own number when it may change the account for good."""
    return ctx.index + 1 if ctx.roles & per_caller else 0


def _once(kind: str, per_caller: frozenset[Role], make: Make) -> Callable[[Any], str]:
    def value(ctx: Any) -> str:
        caller = _caller(ctx, per_caller)
        key = (kind, caller)
        if key not in ctx.world.made:
            ctx.world.made[key] = make(ctx.world.uow_factory, _SEEDS[kind] + caller, _centre(ctx))
        return str(ctx.world.made[key])

    return value


def _withdrawable(ctx: Any) -> str:
    """An account per caller with a result from the caller's own organisation to withdraw."""
    key = ("withdraw", _caller(ctx, AWARDING))
    if key not in ctx.world.made:
        uow_factory = ctx.world.uow_factory
        account_id = diploma_account(
            uow_factory, seed=_SEEDS["withdraw"] + key[1], centre=_centre(ctx)
        )
        sender = Principal("user:sender", ctx.ukprn, AWARDING)
        submit_result_body(uow_factory, account_id, result_body("to-withdraw"), sender)
        ctx.world.made[key] = account_id
    return str(ctx.world.made[key])


_shared = _once("shared", frozenset(), lambda f, seed, c: diploma_account(f, seed=seed, centre=c))
_awarded = _once(
    "awarded", frozenset(), lambda f, seed, c: awarded_diploma_account(f, seed=seed, centre=c)
)


def _new_learner_body(ctx: Any) -> dict[str, str]:
    """A learner registered afresh for a caller who may open an account (else the world's)."""
    uow_factory = ctx.world.uow_factory
    uln = registered_learner(uow_factory, 9600 + ctx.index).uln if ctx.roles & CENTRES else None
    return {
        "uln": uln or ctx.world.uln,
        "line": "engineering",
        "level": "advanced",
        "awarding_body_ukprn": AWARDING_UKPRN,
    }


def _results_body(ctx: Any) -> dict[str, Any]:
    account_id = _shared(ctx)
    return {"results": [result_body(f"many-{ctx.index}") | {"account_id": account_id}]}


def diploma_rows(row: Callable[..., Any]) -> tuple[Any, ...]:
    """The rows, built with the table's own `Row` class."""
    return (
        row("GET", "/api/v1/diploma/rules", WORKERS, 200),
        row("POST", ACCOUNTS, CENTRES, 201, json=_new_learner_body),
        row("GET", ACCOUNTS, WORKERS, 200, query=f"?uln={make_uln('123456789')}"),
        row("GET", f"{ACCOUNTS}/{{account_id}}", WORKERS, 200, _shared),
        row(
            "POST",
            f"{ACCOUNTS}/{{account_id}}/results",
            AWARDING,
            200,
            _shared,
            json=lambda ctx: result_body(f"r{ctx.index}"),
        ),
        row("POST", "/api/v1/diploma/results", AWARDING, 200, json=_results_body),
        row(
            "POST",
            f"{ACCOUNTS}/{{account_id}}/results/withdraw",
            AWARDING,
            200,
            _withdrawable,
            json=lambda ctx: {"reference": "to-withdraw"},
        ),
        row(
            "PUT",
            f"{ACCOUNTS}/{{account_id}}/work-experience",
            CENTRES,
            200,
            _shared,
            json=lambda ctx: {"days": 10},
        ),
        row(
            "PUT",
            f"{ACCOUNTS}/{{account_id}}/plts",
            CENTRES,
            200,
            _shared,
            json=lambda ctx: {"skills": ["team_working"]},
        ),
        row(
            "POST",
            f"{ACCOUNTS}/{{account_id}}/claim",
            CENTRES,
            200,
            _once(
                "claim",
                CENTRES,
                lambda f, seed, c: complete_diploma_account(f, seed=seed, centre=c),
            ),
        ),
        row(
            "POST",
            f"{ACCOUNTS}/{{account_id}}/award",
            DAB,
            200,
            _once(
                "award",
                DAB,
                lambda f, seed, c: complete_diploma_account(f, seed=seed, claimed=True, centre=c),
            ),
            json=lambda ctx: {},
        ),
        row("GET", f"{ACCOUNTS}/{{account_id}}/certificate", WORKERS, 200, _awarded),
        row("GET", f"{ACCOUNTS}/{{account_id}}/transcript", WORKERS, 200, _awarded),
        row(
            "POST",
            "/api/v1/diploma/qcf/evaluate",
            WORKERS,
            200,
            json=lambda ctx: {"units": [{"unit": "A/601/0001", "achieved_on": "2025-06-01"}]},
        ),
    )
