"""The audit trail's record: who did what to which ULN, when. No other personal data belongs here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class AuditAction(StrEnum):
    LEARNER_READ = "learner.read"
    LEARNER_SEARCH = "learner.search"
    LEARNER_VERIFY = "learner.verify"
    LEARNER_REGISTER = "learner.register"
    LEARNER_REGISTER_REFUSED = "learner.register_refused"
    LEARNER_UPDATE = "learner.update"
    LEARNER_CHANGE_REQUEST = "learner.change_request"
    LEARNER_CHANGE_DECIDE = "learner.change_decide"
    LEARNER_CHANGE_READ = "learner.change_read"
    REGISTRATION_HELD = "learner.register_held"
    REGISTRATION_RESOLVED = "learner.register_resolved"
    BATCH_SUBMIT = "batch.submit"
    BATCH_APPROVE = "batch.approve"
    BATCH_SETTINGS = "batch.settings"
    ORGANISATION_CREATE = "organisation.create"
    ORGANISATION_UPDATE = "organisation.update"
    PROVIDER_DECIDE = "provider.decide"
    PROVIDER_UPDATE = "provider.update"
    PROVIDER_STANDING = "provider.standing"
    ACCOUNT_CREATE = "account.create"
    ACCOUNT_REVOKE = "account.revoke"
    ACCOUNT_UPDATE = "account.update"
    ACCOUNT_REINSTATE = "account.reinstate"
    TOKEN_ISSUE = "token.issue"
    TOKEN_REFUSED = "token.refused"
    PORTAL_SIGN_IN = "portal.sign_in"
    PORTAL_SIGN_IN_REFUSED = "portal.sign_in_refused"
    PORTAL_SIGN_OUT = "portal.sign_out"
    PORTAL_SECOND_FACTOR_ENABLE = "portal.second_factor_enable"
    PORTAL_PASSWORD_CHANGE = "portal.password_change"
    PORTAL_PASSWORD_RESET_ISSUE = "portal.password_reset_issue"
    PORTAL_PASSWORD_RESET = "portal.password_reset"
    QUALIFICATION_ADD = "qualification.add"
    ACHIEVEMENT_CREATE = "achievement.create"
    ACHIEVEMENT_UPDATE = "achievement.update"
    ACHIEVEMENT_WITHDRAW = "achievement.withdraw"
    ACHIEVEMENT_REINSTATE = "achievement.reinstate"
    PARTICIPATION_RECORD = "participation.record"
    PLR_READ = "plr.read"
    PLR_REPORT = "plr.report"
    PLR_QCF_CREDIT = "plr.qcf_credit"
    LEARNER_SHARING = "learner.sharing"
    LEARNER_LIST = "learner.list"
    CHALLENGE_RAISE = "challenge.raise"
    CHALLENGE_DECIDE = "challenge.decide"
    LEARNER_MERGE = "learner.merge"
    LEARNER_UNMERGE = "learner.unmerge"
    LEARNER_SPLIT = "learner.split"
    DIPLOMA_ACCOUNT_OPEN = "diploma.account_open"
    DIPLOMA_ACCOUNT_READ = "diploma.account_read"
    DIPLOMA_ACCOUNT_SEARCH = "diploma.account_search"
    DIPLOMA_ACCOUNT_LIST = "diploma.account_list"
    DIPLOMA_RESULT_SUBMIT = "diploma.result_submit"
    DIPLOMA_RESULT_WITHDRAW = "diploma.result_withdraw"
    DIPLOMA_WORK_EXPERIENCE = "diploma.work_experience"
    DIPLOMA_PLTS = "diploma.plts"
    DIPLOMA_CLAIM = "diploma.claim"
    DIPLOMA_AWARD = "diploma.award"
    DIPLOMA_CERTIFICATE = "diploma.certificate"
    DIPLOMA_TRANSCRIPT = "diploma.transcript"
    LEARNER_PLAN_READ = "learner_plan.read"
    LEARNER_PLAN_SAVE = "learner_plan.save"
    LEARNER_PLAN_NOTE = "learner_plan.note"
    RETENTION_APPLY = "retention.apply"
    LEARNER_ACTIVATION_ISSUE = "learner.activation_issue"
    LEARNER_ACTIVATE = "learner.activate"
    LEARNER_ACTIVATE_REFUSED = "learner.activate_refused"
    SHARE_CODE_CREATE = "share_code.create"
    SHARE_CODE_REVOKE = "share_code.revoke"
    SHARE_CODE_VIEW = "share_code.view"
    SHARE_CODE_REFUSED = "share_code.refused"


@dataclass(frozen=True)
class AuditEvent:
    actor: str
    ukprn: str | None
    action: AuditAction
    uln: str | None = None
    outcome: str | None = None
    detail: str | None = None
    occurred_at: dt.datetime | None = None
    id: int | None = None


def read_outcome(found: bool, status: str | None, master_uln: str | None) -> str:
    """The audit outcome of a read by ULN. Mirrored in SQL by `store.learners.pg.LEARNER_READ_AUDITED`."""
    if not found:
        return "not_found"
    return "linked" if status == "merged" and master_uln else "exact"
