"""Business failures of the Personal Learning Record: the register, events, sharing and challenges."""

from __future__ import annotations

from openlrs.domain.errors import DomainError


class QualificationNotFound(DomainError):
    code = "QUALIFICATION_NOT_FOUND"
    title = "No qualification or unit with that number is on the register"
    status = 404


class QualificationExists(DomainError):
    code = "QUALIFICATION_EXISTS"
    title = "A qualification or unit with that number is already on the register"
    status = 409


class QualificationNotOwned(DomainError):
    code = "QUALIFICATION_NOT_OWNED"
    title = "Your organisation does not own this qualification or unit, and it is not shared"
    status = 403


class LearnerDetailsMismatch(DomainError):
    """The learner details sent with an event do not verify against the ULN (VLD)."""

    code = "LEARNER_DETAILS_MISMATCH"
    title = "The learner details do not match the ULN's record"
    status = 422
    lrs_code = "WSVRC005"


class LearnerOptedOut(DomainError):
    code = "LEARNER_OPTED_OUT"
    title = "The learner has chosen not to share their learning record"
    status = 403
    lrs_code = "WSEC0206"


class LearningEventNotFound(DomainError):
    code = "LEARNING_EVENT_NOT_FOUND"
    title = "No learning event with that id is on this learner's record"
    status = 404


class LearningEventExists(DomainError):
    code = "LEARNING_EVENT_EXISTS"
    title = "This learning event is already recorded with different details: update it instead"
    status = 409


class LearningEventStateConflict(DomainError):
    code = "LEARNING_EVENT_STATE_CONFLICT"
    title = "The learning event's status does not allow this"
    status = 409


class ChallengeNotFound(DomainError):
    code = "CHALLENGE_NOT_FOUND"
    title = "No data challenge with that id is open to you"
    status = 404


class ChallengeClosed(DomainError):
    code = "CHALLENGE_CLOSED"
    title = "The data challenge has already been decided"
    status = 409


class ChallengeOpen(DomainError):
    code = "CHALLENGE_ALREADY_OPEN"
    title = "This learning event is already under challenge"
    status = 409
