"""Business failures, each a class with a stable machine code the API, portal and batch files all carry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: which field, a stable code, and words a person can act on."""

    field: str
    code: str
    message: str


class DomainError(Exception):
    """Base of every business failure. `code` is stable; `status` is the HTTP status the API uses."""

    code: ClassVar[str] = "DOMAIN_ERROR"
    title: ClassVar[str] = "The request could not be completed"
    status: ClassVar[int] = 422
    lrs_code: ClassVar[str | None] = None

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail or self.title
        super().__init__(self.detail)


class ServiceUnavailable(Exception):
    """The database cannot be reached (refused, dropped, pool exhausted): an outage, not a business
    failure nor a bug. Not a DomainError on purpose: code that records a DomainError against the
    row or request at fault (batch rows, results lists) must let an outage through, to be retried.
    Every door answers it alike: 503 with Retry-After (API, token endpoint), a plain page (portal)."""

    code: ClassVar[str] = "SERVICE_UNAVAILABLE"
    title: ClassVar[str] = "The service is unavailable; try again shortly"
    status: ClassVar[int] = 503
    retry_after_seconds: ClassVar[int] = 30

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail or "The database cannot be reached. Try again in a little while."
        super().__init__(self.detail)


class InvalidIdentifier(DomainError):
    code = "IDENTIFIER_INVALID"
    title = "The identifier is not valid"
    status = 422


class UlnInvalid(InvalidIdentifier):
    code = "ULN_INVALID"
    title = "The ULN is not valid"
    lrs_code = "WSEC0136"


class UlnInvalidCheckDigit(UlnInvalid):
    code = "ULN_INVALID_CHECK_DIGIT"
    title = "The ULN's check digit is wrong"


class UlnTemporary(UlnInvalid):
    code = "ULN_TEMPORARY"
    title = "9999999999 is a temporary placeholder, not a learner's ULN"


class UkprnInvalid(InvalidIdentifier):
    code = "UKPRN_INVALID"
    title = "The UKPRN must be 8 digits from 10000000 to 99999999"


class UpnInvalid(InvalidIdentifier):
    code = "UPN_INVALID"
    title = "The UPN is not valid"


class DfeNumberInvalid(InvalidIdentifier):
    code = "DFE_NUMBER_INVALID"
    title = "A school's DfE number is 7 digits: the LEA (3) then the establishment (4)"


class QualificationNumberInvalid(InvalidIdentifier):
    code = "QUALIFICATION_NUMBER_INVALID"
    title = "The qualification number must look like 123/4567/8"


class UnitReferenceInvalid(InvalidIdentifier):
    code = "UNIT_REFERENCE_INVALID"
    title = "The unit reference must look like A/123/4567"


class ValidationFailed(DomainError):
    """One or more fields are wrong; `errors` lists each, so a caller can fix them all at once."""

    code = "VALIDATION_FAILED"
    title = "Some details are not valid"
    status = 422
    lrs_code = "WSEC0001"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        codes = ", ".join(sorted({e.code for e in errors}))
        super().__init__(f"{len(errors)} field(s) are not valid: {codes}")


class LearnerNotFound(DomainError):
    code = "LEARNER_NOT_FOUND"
    title = "No learner has that ULN"
    status = 404
    lrs_code = "WSRC0001"


class LearnerNotVerified(DomainError):
    """An organisation asked for a learner's record or details without showing it knows the
    learner: their given and family name (and, if sent, date of birth and gender) did not verify
    against the ULN's record (domain/matching/knowledge.py)."""

    code = "LEARNER_NOT_VERIFIED"
    title = "The learner could not be verified: send their given and family name as recorded"
    status = 403
    lrs_code = "WSEC0208"


class VersionConflict(DomainError):
    code = "VERSION_CONFLICT"
    title = "The learner has changed since you read it; read it again and reapply your change"
    status = 409


class VersionRequired(DomainError):
    code = "VERSION_REQUIRED"
    title = "Quote the version you read in the If-Match header"
    status = 428


class RegistrationRefused(DomainError):
    """A search found the person (or someone very like them); registering would mint a duplicate."""

    code = "REGISTRATION_REFUSED"
    title = "The learner may already have a ULN"
    status = 409
    lrs_code = "WSRC0021"

    def __init__(
        self,
        detail: str,
        *,
        outcome: str,
        candidates: tuple[object, ...],
        held_id: int | None = None,
    ) -> None:
        self.outcome = outcome
        self.candidates = candidates
        self.held_id = held_id  # the exceptions-queue entry a person can resolve, if any
        super().__init__(detail)


class LearnerNotActive(DomainError):
    code = "LEARNER_NOT_ACTIVE"
    title = "The learner record is not active and cannot be changed"
    status = 409


class OrganisationNotFound(DomainError):
    code = "ORGANISATION_NOT_FOUND"
    title = "No organisation has that UKPRN"
    status = 404


class OrganisationExists(DomainError):
    code = "ORGANISATION_EXISTS"
    title = "An organisation with that UKPRN already exists"
    status = 409


class OrganisationNotActive(DomainError):
    code = "ORGANISATION_NOT_ACTIVE"
    title = "The organisation is not active"
    status = 403


class AccountNotFound(DomainError):
    code = "ACCOUNT_NOT_FOUND"
    title = "No such user or API client"
    status = 404


class AccountExists(DomainError):
    code = "ACCOUNT_EXISTS"
    title = "A user with that name already exists"
    status = 409


class AuthenticationFailed(DomainError):
    code = "AUTHENTICATION_FAILED"
    title = "The credentials were not accepted"
    status = 401


class PasswordChangeRequired(AuthenticationFailed):
    code = "PASSWORD_CHANGE_REQUIRED"
    title = "Choose a new password to finish signing in"


class NotAuthorised(DomainError):
    code = "NOT_AUTHORISED"
    title = "Your role does not allow this"
    status = 403


class RoleNotAllowed(DomainError):
    """A role the account's type of organisation may not hold (domain/accounts/organisations.py
    ROLES_BY_ORG_TYPE): refused whoever asks, so a 422 rather than a 403."""

    code = "ROLE_NOT_ALLOWED"
    title = "That type of organisation cannot hold this role"
    status = 422


class OrganisationSuspensionRefused(DomainError):
    code = "ORGANISATION_SUSPENSION_REFUSED"
    title = "This organisation cannot be suspended"
    status = 409


class HeldRegistrationNotFound(DomainError):
    code = "EXCEPTION_NOT_FOUND"
    title = "No such registration is waiting in your exceptions queue"
    status = 404


class HeldRegistrationResolved(DomainError):
    code = "EXCEPTION_ALREADY_RESOLVED"
    title = "This registration has already been resolved"
    status = 409


class ChangeRequestNotFound(DomainError):
    code = "CHANGE_REQUEST_NOT_FOUND"
    title = "No change request with this reference"
    status = 404


class ChangeRequestDecided(DomainError):
    code = "CHANGE_REQUEST_DECIDED"
    title = "This change request has already been accepted or rejected"
    status = 409


class NotACandidate(DomainError):
    code = "ULN_NOT_A_CANDIDATE"
    title = "That ULN was not one of the possible matches for this registration"
    status = 422


class SignInLocked(DomainError):
    code = "SIGN_IN_LOCKED"
    title = "Too many failed sign-in attempts: try again later or ask your administrator"
    status = 429


class SecondFactorInvalid(DomainError):
    code = "SECOND_FACTOR_INVALID"
    title = "The security code is not valid or has already been used"
    status = 401


# --- providers (UK Register of Learning Providers) ---------------------------------------------


class ProviderNotFound(DomainError):
    code = "PROVIDER_NOT_FOUND"
    title = "No provider has that UKPRN or application reference"
    status = 404


class ProviderPossibleDuplicate(DomainError):
    code = "PROVIDER_POSSIBLE_DUPLICATE"
    title = "The application may duplicate a provider already on the register"
    status = 409


class ProviderStatusConflict(DomainError):
    code = "PROVIDER_STATUS_CONFLICT"
    title = "The provider's status does not allow this"
    status = 409


class UkprnRangeExhausted(DomainError):
    code = "UKPRN_RANGE_EXHAUSTED"
    title = "No UKPRN is left to allocate in 10000000-99999999"
    status = 503
