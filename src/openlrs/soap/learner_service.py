"""LearnerService's single-learner operations, each a call of the use case REST calls.

find by ULN / demographics, register, update, verify, retrieve ULNs. A handler reads the (schema-
valid) operation element, calls the use case, and builds the response element; refusals raise, and
the endpoint turns them into faults (soap/faults.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from lxml import etree

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import (
    InvalidIdentifier,
    LearnerNotFound,
    LearnerNotVerified,
    RegistrationRefused,
)
from openlrs.domain.learners.change_request import ChangeRequest
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.knowledge import Knowledge
from openlrs.domain.matching.outcomes import MatchOutcome, MatchResult
from openlrs.domain.matching.verification import Check, ClaimedDetails
from openlrs.services.learners.find import find_by_uln
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.learners.search import find_by_demographics
from openlrs.services.learners.update import UpdateLearner, update_learner
from openlrs.services.learners.verify import VerifyLearner, VerifyResult, verify_learner
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWorkFactory
from openlrs.soap.envelope import add, add_all, text
from openlrs.soap.records import add_learner, date_of, details_of, fields_of

FIND_NS = "http://api.lrs.miap.gov.uk/findmsg"
REG_NS = "http://api.lrs.miap.gov.uk/regmsg"
REPORT_NS = "http://api.lrs.miap.gov.uk/reportmsg"
LEARNER_UPDATED = "WSRC0901"
CHANGE_REQUESTED = "WSRC0902"
FAILURE_FLAGS = {
    Check.GIVEN_VS_GIVEN: "VRF1",
    Check.GIVEN_VS_FAMILY: "VRF2",
    Check.GIVEN_VS_PREVIOUS_FAMILY: "VRF3",
    Check.FAMILY_VS_GIVEN: "VRF4",
    Check.FAMILY_VS_FAMILY: "VRF5",
    Check.FAMILY_VS_PREVIOUS_FAMILY: "VRF6",
    Check.DATE_OF_BIRTH: "VRF7",
    Check.GENDER: "VRF8",
}


@dataclass(frozen=True)
class Call:
    """Who is calling and what the use cases need beside them."""

    principal: Principal
    uow_factory: UnitOfWorkFactory
    policy: RegisterPolicy


def _response(namespace: str, name: str) -> etree._Element:
    return etree.Element(f"{{{namespace}}}{name}", nsmap={"ns2": namespace})


def _echo(response: etree._Element, request: etree._Element, names: tuple[str, ...]) -> None:
    for name in names:
        add(response, name, text(request, name))


_DEMOGRAPHICS = (
    "FamilyName",
    "GivenName",
    "DateOfBirth",
    "Gender",
    "LastKnownPostCode",
    "PreviousFamilyName",
    "SchoolAtAge16",
    "PlaceOfBirth",
    "EmailAddress",
)


def learner_by_uln(request: etree._Element, call: Call) -> etree._Element:
    """FUL: the learner (a merged ULN answers with its master, WSRC0022), when the names sent
    verify against it (find-by-ULN's knowledge of the learner); CHK: only whether they do (the
    Verify Learner Details use case), no learner returned."""
    uln = text(request, "ULN") or ""
    response = _response(FIND_NS, "FindLearnerResponse")
    if text(request, "FindType") == "CHK":
        checked = verify_learner(
            VerifyLearner(
                uln,
                ClaimedDetails(text(request, "GivenName") or "", text(request, "FamilyName") or ""),
            ),
            principal=call.principal,
            uow=call.uow_factory(),
            policy=call.policy,
        )
        matched = checked.outcome in ("exact", "similar")
        code = "WSRC0001" if not matched else ("WSRC0022" if checked.linked else "WSRC0004")
        add(response, "ResponseCode", code)
        _echo(response, request, ("ULN", "FamilyName", "GivenName"))
        return response
    knowledge = Knowledge(text(request, "GivenName") or "", text(request, "FamilyName") or "")
    try:
        found = find_by_uln(
            uln, principal=call.principal, uow=call.uow_factory(), knowledge=knowledge
        )
    except (LearnerNotFound, LearnerNotVerified):  # no learner with that ULN and those names
        found = MatchResult(MatchOutcome.NO_MATCH)
    add(response, "ResponseCode", found.outcome.lrs_code)
    _echo(response, request, ("ULN", "FamilyName", "GivenName"))
    for learner in found.learners:
        add_learner(response, learner)
    return response


def search_details(request: etree._Element) -> LearnerDetails:
    """The demographics of a learnerByDemographics request as the register's search query."""
    return LearnerDetails(
        given_name=text(request, "GivenName") or "",
        family_name=text(request, "FamilyName") or "",
        date_of_birth=date_of(text(request, "DateOfBirth"), "date_of_birth"),  # type: ignore[arg-type]
        gender=int(text(request, "Gender") or 0),
        postcode=text(request, "LastKnownPostCode") or "",
        previous_family_name=text(request, "PreviousFamilyName"),
        school_at_16=text(request, "SchoolAtAge16"),
        place_of_birth=text(request, "PlaceOfBirth"),
        email=text(request, "EmailAddress"),
    )


def learner_by_demographics(request: etree._Element, call: Call) -> etree._Element:
    """The register's search; FUL returns the learners found, CHK only the outcome."""
    result = find_by_demographics(
        search_details(request),
        principal=call.principal,
        uow=call.uow_factory(),
        policy=call.policy,
    )
    response = _response(FIND_NS, "FindLearnerResponse")
    add(response, "ResponseCode", result.outcome.lrs_code)
    _echo(response, request, _DEMOGRAPHICS)
    if text(request, "FindType") == "FUL":
        for learner in result.learners:
            add_learner(response, learner)
    return response


def register_single_learner(request: etree._Element, call: Call) -> etree._Element:
    """WSRC0005 with the new ULN, or WSRC0021 when the register holds someone who could be them."""
    learner_element = request.find("Learner")
    assert learner_element is not None  # the schema requires it
    response = _response(REG_NS, "RegisterLearnerResponse")
    try:
        learner = register_learner(
            RegisterLearner(details_of(learner_element)),
            principal=call.principal,
            uow=call.uow_factory(),
            policy=call.policy,
        )
    except RegistrationRefused as refused:
        add(response, "ResponseCode", refused.lrs_code)
        return response
    add_all(response, [("ResponseCode", "WSRC0005"), ("ULN", learner.uln)])
    return response


def update_single_learner(request: etree._Element, call: Call) -> etree._Element:
    """Every field sent replaces the record's; a field left out of the message is cleared, as
    LearnerToUpdate is the whole learner. A stale VersionNumber is refused (WSEC0905)."""
    learner_element = request.find("Learner")
    assert learner_element is not None
    sent = fields_of(learner_element)
    changes = {
        f.name: sent.get(f.name)
        for f in dataclasses.fields(LearnerDetails)
        if f.name in sent or f.name in _CLEARABLE
    }
    result = update_learner(
        UpdateLearner(
            uln=text(learner_element, "ULN") or "",
            expected_version=int(text(learner_element, "VersionNumber") or 0),
            changes=changes,
        ),
        principal=call.principal,
        uow=call.uow_factory(),
        policy=call.policy,
    )
    response = _response(REG_NS, "UpdateLearnerResponse")
    code = CHANGE_REQUESTED if isinstance(result, ChangeRequest) else LEARNER_UPDATED
    add(response, "ResponseCode", code)
    return response


_CLEARABLE = frozenset(
    {
        "title",
        "middle_names",
        "preferred_given_name",
        "previous_family_name",
        "family_name_at_16",
        "school_at_16",
        "address_line_1",
        "address_line_2",
        "town",
        "county",
        "date_of_address_capture",
        "place_of_birth",
        "email",
        "nationality",
        "scottish_candidate_number",
        "other_verification_description",
        "notes",
    }
)
"""The optional fields of LearnerToRegister: absent from an update, they are cleared."""


def claimed_details(element: etree._Element) -> ClaimedDetails:
    gender = text(element, "Gender")
    return ClaimedDetails(
        given_name=text(element, "GivenName") or "",
        family_name=text(element, "FamilyName") or "",
        date_of_birth=date_of(text(element, "DateOfBirth"), "date_of_birth"),
        gender=int(gender) if gender is not None else None,
    )


def add_verified(parent: etree._Element, searched: etree._Element, result: VerifyResult) -> None:
    """The MIAPVerifiedLearner fields: the search echoed, the code, the ULN checked, the flags.
    The record's own names, date of birth and gender are never returned (as with REST)."""
    for name in ("ULN", "FamilyName", "GivenName", "DateOfBirth", "Gender"):
        add(parent, f"Searched{name}", text(searched, name))
    add(parent, "ResponseCode", result.lrs_code)
    if result.outcome != "not_found":
        add(parent, "ULN", result.uln)
    for check in result.failed:
        add(parent, "FailureFlag", FAILURE_FLAGS[check])


def verify_single_learner(request: etree._Element, call: Call) -> etree._Element:
    to_verify = request.find("LearnerToVerify")
    assert to_verify is not None
    result = verify_learner(
        VerifyLearner(text(to_verify, "ULN") or "", claimed_details(to_verify)),
        principal=call.principal,
        uow=call.uow_factory(),
        policy=call.policy,
    )
    response = _response(REPORT_NS, "VerifyLearnerResponse")
    add_verified(etree.SubElement(response, "VerifiedLearner"), to_verify, result)
    return response


def retrieve_ulns(request: etree._Element, call: Call) -> etree._Element:
    """Each ULN looked up as find-by-ULN does (audited): a merged ULN names its master. The
    message names no learner, so an organisation retrieves only learners it registered or has on
    roll (others: WSEC0208), as with REST without the Learner-* headers."""
    response = _response(REPORT_NS, "RetrieveULNsResponse")
    retrieved = etree.SubElement(response, "RetrievedULNs")
    wanted = request.find("ULNsToRetrieve")
    for node in wanted.findall("ULN") if wanted is not None else []:
        uln = (node.text or "").strip()
        row = etree.SubElement(retrieved, "VerifiedULN")
        add(row, "ULN", uln)
        try:
            found = find_by_uln(uln, principal=call.principal, uow=call.uow_factory())
        except LearnerNotFound:
            add(row, "ResponseCode", MatchOutcome.NO_MATCH.lrs_code)
            continue
        except LearnerNotVerified as unverified:  # no names sent: only the organisation's own
            add(row, "ResponseCode", unverified.lrs_code)
            continue
        except InvalidIdentifier as invalid:
            add(row, "ResponseCode", invalid.lrs_code or "WSEC0136")
            continue
        learner = found.learners[0]
        if found.outcome is MatchOutcome.LINKED:
            add(row, "MasterULN", learner.uln)
        add_all(
            row,
            [
                ("ResponseCode", found.outcome.lrs_code),
                ("FamilyName", learner.details.family_name),
                ("GivenName", learner.details.given_name),
                ("DateOfBirth", learner.details.date_of_birth),
                ("Gender", int(learner.details.gender)),
            ],
        )
    return response
