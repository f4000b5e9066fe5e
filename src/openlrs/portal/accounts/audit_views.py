"""How an audit event reads on the audit page: who, which organisation and what, in words (the
raw action, actor and outcome stay in a details component for support)."""

from __future__ import annotations

from openlrs.domain.audit import AuditEvent

ACTIONS = {
    "learner.read": "Looked up a learner",
    "learner.search": "Searched for a learner",
    "learner.verify": "Verified a learner's details",
    "learner.register": "Registered a learner",
    "learner.register_refused": "Registration refused",
    "learner.update": "Changed a learner's details",
    "learner.change_request": "Asked for a change to a learner's details",
    "learner.change_decide": "Decided a change to a learner's details",
    "learner.change_read": "Read a change request",
    "learner.register_held": "Registration held as an exception",
    "learner.register_resolved": "Resolved an exception",
    "batch.submit": "Uploaded a batch file",
    "batch.approve": "Approved a batch file",
    "batch.settings": "Changed batch file settings",
    "organisation.create": "Added an organisation",
    "organisation.update": "Changed an organisation",
    "provider.decide": "Decided a provider application",
    "provider.update": "Changed a provider's details",
    "provider.standing": "Changed a provider's standing",
    "account.create": "Added a user or API client",
    "account.revoke": "Deactivated a user or API client",
    "account.update": "Changed a user's roles",
    "account.reinstate": "Reactivated a user",
    "token.issue": "API client signed in",
    "token.refused": "API client sign-in refused",
    "portal.sign_in": "Signed in",
    "portal.sign_in_refused": "Sign-in refused",
    "portal.sign_out": "Signed out",
    "portal.second_factor_enable": "Turned on two-factor authentication",
    "portal.password_change": "Changed their password",
    "portal.password_reset_issue": "Created a password reset link",
    "portal.password_reset": "Reset their password with a link",
    "qualification.add": "Added a qualification or unit",
    "achievement.create": "Recorded an achievement",
    "achievement.update": "Corrected an achievement",
    "achievement.withdraw": "Withdrew an achievement",
    "achievement.reinstate": "Reinstated an achievement",
    "participation.record": "Recorded participation",
    "plr.read": "Read a learning record",
    "plr.report": "Printed a learning record",
    "plr.qcf_credit": "Read QCF credit",
    "learner.sharing": "Recorded a learner's sharing choice",
    "challenge.raise": "Raised a challenge",
    "challenge.decide": "Decided a challenge",
    "learner.merge": "Merged two ULNs",
    "learner.unmerge": "Reversed a merge",
    "learner.split": "Split a ULN",
    "diploma.account_open": "Opened a Diploma account",
    "diploma.account_read": "Read a Diploma account",
    "diploma.account_search": "Searched Diploma accounts",
    "diploma.account_list": "Listed Diploma accounts",
    "diploma.result_submit": "Sent a Diploma result",
    "diploma.result_withdraw": "Withdrew a Diploma result",
    "diploma.work_experience": "Recorded work experience",
    "diploma.plts": "Recorded personal, learning and thinking skills",
    "diploma.claim": "Claimed a Diploma",
    "diploma.award": "Awarded a Diploma",
    "diploma.certificate": "Printed a Diploma certificate",
    "diploma.transcript": "Printed a Diploma transcript",
}


def action_words(event: AuditEvent) -> str:
    value = event.action.value
    return ACTIONS.get(value) or value.replace(".", ": ").replace("_", " ").capitalize()


def actor_words(actor: str) -> str:
    """`user:jo@example` -> `jo@example`; an API client says so; the service itself by name."""
    kind, _, login = actor.partition(":")
    if kind == "user":
        return login
    if kind == "client":
        return f"API client {login}"
    return "The service" if kind in ("system", "") or not login else login
