"""Every refusal as the LRS's `MIAPAPIException` fault (LearnerServiceR9: `DomainFault`), in one table.

Codes the real service is known to use keep their meaning (WSEC0001 a bad request, WSEC0136 an
invalid ULN). Refusals whose LRS code is not public get a code of openlrs's own in the WSEC09xx
range, so nobody mistakes them for the real service's; FurtherDetails always carries openlrs's
stable error code (and, for a validation failure, each field's code), as the REST API's problem does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from openlrs.domain.errors import (
    AccountNotFound,
    AuthenticationFailed,
    DomainError,
    LearnerNotActive,
    LearnerNotFound,
    NotAuthorised,
    OrganisationNotActive,
    ServiceUnavailable,
    ValidationFailed,
    VersionConflict,
)
from openlrs.domain.notices.maintenance import ServiceReadOnly
from openlrs.soap.envelope import BadRequest, fault_envelope

EXCEPTIONS_NS = "http://api.lrs.miap.gov.uk/exceptions"
MODEL_NS = "http://api.lrs.qcf.gov.uk/model"
BAD_REQUEST = "WSEC0001"
BAD_REQUEST_TEXT = (
    "Invalid request, The request was badly formed - this may include missing mandatory "
    "parameters, or invalid data types."
)
ACTOR = "openlrs.soap"


@dataclass(frozen=True)
class Fault:
    code: str
    description: str
    further_details: str
    http_status: int = 500
    client: bool = True
    retry_after: int | None = None


_OWN: list[tuple[type[DomainError], str, str]] = [
    (AuthenticationFailed, "WSEC0901", "The credentials were not accepted"),
    (OrganisationNotActive, "WSEC0901", "The credentials were not accepted"),
    (AccountNotFound, "WSEC0901", "The credentials were not accepted"),
    (NotAuthorised, "WSEC0902", "This account may not use this operation"),
    (VersionConflict, "WSEC0905", "The learner has changed since the VersionNumber sent"),
    (LearnerNotFound, "WSEC0906", "No learner with that ULN"),
    (LearnerNotActive, "WSEC0907", "The learner's record is closed or merged"),
]


def fault_for(error: BaseException) -> Fault:
    """The fault for a refusal: a bad message, a business failure, an outage or a rate limit."""
    if isinstance(error, BadRequest):
        return Fault(BAD_REQUEST, BAD_REQUEST_TEXT, error.details)
    if isinstance(error, ServiceUnavailable):
        return Fault(
            "WSEC0904",
            "The service is unavailable; try again shortly",
            error.code,
            http_status=503,
            client=False,
            retry_after=error.retry_after_seconds,
        )
    if isinstance(error, ReadOnly):
        return Fault(
            "WSEC0904",
            "The service is read-only during maintenance; try again after it ends",
            ServiceReadOnly.code,
            http_status=503,
            client=False,
            retry_after=error.retry_after,
        )
    if isinstance(error, RateLimited):
        return Fault(
            "WSEC0903",
            "Too many requests: slow down",
            "RATE_LIMITED",
            http_status=429,
            retry_after=error.retry_after,
        )
    if isinstance(error, ValidationFailed):
        fields = "; ".join(f"{e.field}: {e.code}" for e in error.errors)
        return Fault(BAD_REQUEST, BAD_REQUEST_TEXT, f"{error.code}: {fields}")
    if isinstance(error, DomainError):
        for kind, code, description in _OWN:
            if isinstance(error, kind):
                return Fault(code, description, error.code)
        if error.lrs_code and error.lrs_code.startswith("WSEC"):
            return Fault(error.lrs_code, error.title, error.code)
        return Fault("WSEC0999", error.title, error.code)
    raise error


class ReadOnly(Exception):
    """A write while the service is read-only for maintenance: retry after `retry_after` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("read-only")
        self.retry_after = max(1, retry_after)


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


def miap_fault(fault: Fault) -> bytes:
    """The LearnerService fault envelope: MIAPAPIException in the detail."""
    detail = etree.Element(f"{{{EXCEPTIONS_NS}}}MIAPAPIException", nsmap={"ns10": EXCEPTIONS_NS})
    for name, value in (
        ("ErrorCode", fault.code),
        ("ErrorActor", ACTOR),
        ("Description", fault.description),
        ("FurtherDetails", fault.further_details),
        ("ErrorTimestamp", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")),
    ):
        etree.SubElement(detail, name).text = value
    return fault_envelope(
        "uk.gov.miap.lrs.api.exceptions.MIAPAPIException", detail, client=fault.client
    )


def domain_fault(fault: Fault) -> bytes:
    """The LearnerServiceR9 fault envelope: DomainFault{ErrorCode, ErrorDetail (base64 text)}."""
    import base64

    detail = etree.Element(f"{{{MODEL_NS}}}DomainFault", nsmap={"a": MODEL_NS})
    etree.SubElement(detail, f"{{{MODEL_NS}}}ErrorCode").text = fault.code
    message = f"{fault.description} ({fault.further_details})".encode()
    etree.SubElement(detail, f"{{{MODEL_NS}}}ErrorDetail").text = base64.b64encode(message).decode()
    return fault_envelope(fault.description, detail, client=fault.client)
