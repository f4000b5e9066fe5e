"""A component awarding body submits many results at once (a file from its MIS, say).

Each result is checked as `submit_diploma_result` checks it, and refused on its own without
stopping the others. The accounts are read, locked and written in a few set-based statements, and
each account touched is re-aggregated once with all of its new results: the same outcome as one
re-aggregation per result, because an evaluation never depends on the order results arrived in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.diploma.account import AWARDING_ROLES, DiplomaAccount
from openlrs.domain.diploma.errors import DiplomaAccountNotFound
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.results import ComponentResult
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.errors import DomainError, FieldError, ValidationFailed
from openlrs.domain.identifiers import parse_qualification_number
from openlrs.services.diploma.submit_result import SubmitDiplomaResult, accept_result, to_result
from openlrs.services.ports import UnitOfWork

_UNSEEN = frozenset({DiplomaAccountNotFound.code})
"""Refusals that mean the caller may not see the account: its ULN stays out of their trail."""

MAX_RESULTS = 5_000
"""The most results one call takes: one transaction holds their accounts' locks."""


@dataclass(frozen=True)
class ResultOutcome:
    """What became of one submitted result: accepted, or refused with the error's stable code."""

    account_id: str
    reference: str
    accepted: bool
    code: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class SubmittedResults:
    outcomes: tuple[ResultOutcome, ...]
    """One per submitted result, in the order submitted."""
    evaluations: Mapping[str, DiplomaEvaluation]
    """The new evaluation of every account that accepted a result, by account id."""


def submit_diploma_results(
    commands: Sequence[SubmitDiplomaResult], *, principal: Principal, uow: UnitOfWork
) -> SubmittedResults:
    """Hold every acceptable result on its account and re-aggregate each account once."""
    principal.require(AWARDING_ROLES)
    if len(commands) > MAX_RESULTS:
        message = f"At most {MAX_RESULTS:,} results at a time"
        raise ValidationFailed([FieldError("results", "TOO_MANY_RESULTS", message)])
    with uow:
        accounts = dict(
            uow.diploma_accounts.get_many({c.account_id for c in commands}, for_update=True)
        )
        register = {n: uow.qualifications.get(n) for n in _numbers(commands)}
        held: dict[tuple[str, str], ComponentResult] = {}
        outcomes = []
        for command in commands:
            try:
                result = to_result(command, principal.ukprn)
                found = accounts.get(command.account_id)
                account = accept_result(
                    found, result, principal, register.get(result.qualification)
                )
            except DomainError as error:
                outcome = ResultOutcome(
                    command.account_id, command.reference, False, error.code, error.detail
                )
            else:
                accounts[command.account_id] = account
                held[(command.account_id, result.reference)] = result
                outcome = ResultOutcome(command.account_id, command.reference, True)
            outcomes.append(outcome)
        uow.diploma_accounts.put_results([(key[0], result) for key, result in held.items()])
        changed = [accounts[i] for i in sorted({account_id for account_id, _ in held})]
        evaluations = {a.id: _evaluate(a) for a in changed if a.id is not None}
        uow.diploma_accounts.save_many([(a, evaluations[a.id]) for a in changed if a.id])
        uow.audit.record_many([_audit_event(o, accounts, principal) for o in outcomes])
        uow.commit()
    return SubmittedResults(tuple(outcomes), evaluations)


def _audit_event(
    outcome: ResultOutcome, accounts: Mapping[str, DiplomaAccount], principal: Principal
) -> AuditEvent:
    """One event per submitted result, refused ones included (with the refusal's code); the ULN
    only when the account exists and the caller may see it."""
    account = accounts.get(outcome.account_id)
    visible = outcome.accepted or outcome.code not in _UNSEEN
    return AuditEvent(
        principal.actor,
        principal.ukprn,
        AuditAction.DIPLOMA_RESULT_SUBMIT,
        uln=account.uln if account is not None and visible else None,
        outcome="accepted" if outcome.accepted else outcome.code,
        detail=f"account {outcome.account_id} result {outcome.reference}",
    )


def _numbers(commands: Sequence[SubmitDiplomaResult]) -> set[str]:
    """The well-formed qualification numbers named (a malformed one is refused on its row)."""
    numbers = set()
    for command in commands:
        try:
            numbers.add(parse_qualification_number(command.qualification))
        except DomainError:
            continue
    return numbers


def _evaluate(account: DiplomaAccount) -> DiplomaEvaluation:
    return account.evaluate(diploma_rules(account.line, account.level.value))
