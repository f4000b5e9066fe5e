"""Business failures of Diploma aggregation and the credit bank, each with a stable code."""

from __future__ import annotations

from openlrs.domain.errors import DomainError


class RuleFileInvalid(DomainError):
    """A shipped rule file does not satisfy its schema: a packaging fault, found at load time."""

    code = "RULE_FILE_INVALID"
    title = "A rule-of-combination file is not valid"
    status = 500


class DiplomaNotOffered(DomainError):
    code = "DIPLOMA_NOT_OFFERED"
    title = "No Diploma has that line of learning and level"
    status = 422


class QualificationRulesNotFound(DomainError):
    code = "QCF_QUALIFICATION_NOT_FOUND"
    title = "No QCF qualification has rules of combination under that number"
    status = 404


class DiplomaAccountNotFound(DomainError):
    code = "DIPLOMA_ACCOUNT_NOT_FOUND"
    title = "No Diploma account with that id is visible to you"
    status = 404


class DiplomaAccountExists(DomainError):
    code = "DIPLOMA_ACCOUNT_EXISTS"
    title = "The learner already has an account for that Diploma"
    status = 409


class DiplomaAccountClosed(DomainError):
    code = "DIPLOMA_ACCOUNT_CLOSED"
    title = "The Diploma has been awarded; the account can no longer change"
    status = 409


class DiplomaResultNotFound(DomainError):
    code = "DIPLOMA_RESULT_NOT_FOUND"
    title = "The account has no live result with that reference from your organisation"
    status = 404


class DiplomaResultInvalid(DomainError):
    code = "DIPLOMA_RESULT_INVALID"
    title = "The result cannot count towards this Diploma"
    status = 422


class DiplomaNotComplete(DomainError):
    code = "DIPLOMA_NOT_COMPLETE"
    title = "The rules of combination are not yet satisfied"
    status = 409


class DiplomaClaimState(DomainError):
    code = "DIPLOMA_CLAIM_STATE"
    title = "The account is not in a state that allows this"
    status = 409


class DiplomaGradeInvalid(DomainError):
    code = "DIPLOMA_GRADE_INVALID"
    title = "That grade does not exist for this Diploma level"
    status = 422


class NotTheDiplomaAwardingBody(DomainError):
    code = "NOT_THE_DIPLOMA_AWARDING_BODY"
    title = "Only the account's Diploma awarding body may award it"
    status = 403


class DiplomaNotAwarded(DomainError):
    code = "DIPLOMA_NOT_AWARDED"
    title = "The Diploma has not been awarded: there is no certificate or transcript yet"
    status = 409
