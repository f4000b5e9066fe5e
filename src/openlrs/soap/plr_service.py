"""LearnerServiceR9's operations: the Personal Learning Record (GetLearnerLearningEvents), the
learner look-up it offers (LearnerByUln) and GetOrganisation, each calling the REST use cases.

GetLearnerLearningEvents reads the PLR as REST reads it (services/plr/read, audited), with the
names, date of birth and gender sent as the caller's knowledge of the learner: WSEC0208 when they
do not verify against the ULN (nothing disclosed), WSEC0206 when the learner has not agreed to
share, WSRC0022 when the ULN was merged into another (the master's events), else WSRC0004.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from openlrs.domain.errors import LearnerNotFound, LearnerNotVerified
from openlrs.domain.learners.change_request import ChangeRequest
from openlrs.domain.learners.learner import AbilityToShare
from openlrs.domain.matching.knowledge import Knowledge
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.domain.plr.achievements import EventType, LearningEvent
from openlrs.domain.plr.errors import LearnerOptedOut
from openlrs.services.accounts.manage import get_organisation
from openlrs.services.learner_accounts.own_record import organisations_seen
from openlrs.services.learners.find import find_by_uln
from openlrs.services.learners.update import UpdateLearner, update_learner
from openlrs.services.plr.read import ReadPlr, read_plr
from openlrs.soap.envelope import qtext
from openlrs.soap.learner_service import CHANGE_REQUESTED, LEARNER_UPDATED, Call
from openlrs.soap.records import date_of

TEMPURI = "http://tempuri.org/"
MODEL = "http://api.lrs.qcf.gov.uk/model"
INTERFACE = "http://schemas.datacontract.org/2004/07/Amor.Qcf.Service.Interface"
NOT_SHARED = "WSEC0206"
NOT_VERIFIED = "WSEC0208"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _m(parent: etree._Element, name: str, value: object | None, *, nil: bool = False) -> None:
    if value is None and not nil:
        return
    child = etree.SubElement(parent, f"{{{MODEL}}}{name}")
    if value is None:
        child.set("{http://www.w3.org/2001/XMLSchema-instance}nil", "true")
    else:
        child.text = str(value)


def _result(operation: str) -> tuple[etree._Element, etree._Element]:
    response = etree.Element(f"{{{TEMPURI}}}{operation}Response", nsmap={None: TEMPURI})
    result = etree.SubElement(
        response,
        f"{{{TEMPURI}}}{operation}Result",
        nsmap={"a": MODEL, "i": "http://www.w3.org/2001/XMLSchema-instance"},
    )
    return response, result


def _t(request: etree._Element, name: str) -> str | None:
    return qtext(request, TEMPURI, name)


def _add_event(record: etree._Element, event: LearningEvent) -> None:
    node = etree.SubElement(record, f"{{{MODEL}}}LearningEvent")
    achievement = event.event_type is EventType.ACHIEVEMENT
    for name, value in (
        ("AchievementAwardDate", event.award_date.isoformat() if event.award_date else ""),
        ("AchievementProviderName", ""),
        ("AchievementProviderUkprn", "" if achievement else event.ukprn),
        ("AwardingOrganisationName", ""),
        ("AwardingOrganisationUkprn", event.ukprn if achievement else ""),
        ("CollectionType", ""),
        ("Credits", event.credits or 0),
        (
            "DateLoaded",
            event.created_at.strftime("%Y-%m-%d %H:%M:%S") if event.created_at else "",
        ),
        ("Grade", event.grade or ""),
        ("ID", event.id),
        ("LanguageForAssessment", ""),
    ):
        _m(node, name, value)
    _m(node, "Level", event.level or None, nil=True)
    for name, value in (
        ("ParticipationEndDate", event.end_date.isoformat() if event.end_date else ""),
        ("ParticipationStartDate", event.start_date.isoformat() if event.start_date else ""),
        ("QualificationType", event.qualification_type),
        ("Restriction", "0"),
        ("ReturnNumber", ""),
        ("Source", "AO" if achievement else "ILR"),
        ("Status", "F" if event.status.value in ("achieved", "completed") else "A"),
        ("Subject", event.subject_title),
        ("SubjectCode", event.subject),
        ("UnderDataChallenge", "Y" if event.under_challenge else "N"),
    ):
        _m(node, name, value)


def _knowledge(request: etree._Element) -> Knowledge:
    """The names (and date of birth, gender, when sent) the caller knows the learner by."""
    gender = _t(request, "gender")
    return Knowledge(
        given_name=_t(request, "givenName") or "",
        family_name=_t(request, "familyName") or "",
        date_of_birth=date_of(_t(request, "dateOfBirth"), "date_of_birth"),
        gender=int(gender) if gender and gender.isdigit() else None,
    )


def get_learner_learning_events(request: etree._Element, call: Call) -> etree._Element:
    """The PLR read REST makes, with the caller's knowledge of the learner (services/plr/read)."""
    uln = _t(request, "uln") or ""
    response, result = _result("GetLearnerLearningEvents")
    try:
        plr = read_plr(
            ReadPlr(uln, knowledge=_knowledge(request)),
            principal=call.principal,
            uow=call.uow_factory(),
        )
    except (LearnerNotVerified, LearnerNotFound):
        _m(result, "ResponseCode", NOT_VERIFIED)
        _m(result, "FoundULN", None, nil=True)
        _m(result, "IncomingULN", uln)
        etree.SubElement(result, f"{{{MODEL}}}LearnerRecord")
        return response
    except LearnerOptedOut:
        _m(result, "ResponseCode", NOT_SHARED)
        _m(result, "FoundULN", uln)
        _m(result, "IncomingULN", uln)
        etree.SubElement(result, f"{{{MODEL}}}LearnerRecord")
        return response
    _m(result, "ResponseCode", "WSRC0022" if plr.linked else "WSRC0004")
    _m(result, "FoundULN", plr.uln)
    _m(result, "IncomingULN", uln)
    record = etree.SubElement(result, f"{{{MODEL}}}LearnerRecord")
    for event in plr.events:
        _add_event(record, event)
    return response


def learner_by_uln(request: etree._Element, call: Call) -> etree._Element:
    """The R9 learner for a ULN: find-by-ULN's use case, with the names sent as the caller's
    knowledge of the learner (names that do not verify find nobody)."""
    uln = _t(request, "uln") or ""
    response, result = _result("LearnerByUln")
    knowledge = Knowledge(_t(request, "givenName") or "", _t(request, "familyName") or "")
    try:
        found = find_by_uln(
            uln, principal=call.principal, uow=call.uow_factory(), knowledge=knowledge
        )
    except (LearnerNotFound, LearnerNotVerified):
        _m(result, "ResponseCode", MatchOutcome.NO_MATCH.lrs_code)
        return response
    learner = found.learners[0]
    d = learner.details
    for name, value in (
        ("ResponseCode", found.outcome.lrs_code),
        ("FamilyName", d.family_name),
        ("GivenName", d.given_name),
        ("Uln", uln),
    ):
        _m(result, name, value)
    node = etree.SubElement(result, f"{{{MODEL}}}Learner")
    fields: tuple[tuple[str, object], ...] = (
        ("AbilityToShare", int(d.ability_to_share)),
        ("DateOfBirth", d.date_of_birth.isoformat()),
        ("EmailAddress", d.email),
        ("FamilyName", d.family_name),
        ("FamilyNameAt16", d.family_name_at_16),
        ("Gender", int(d.gender)),
        ("GivenName", d.given_name),
        ("LastKnownPostCode", d.postcode),
    )
    for field, shown in fields:
        _m(node, field, shown)
    linked = etree.SubElement(node, f"{{{MODEL}}}LinkedUlns")
    for other in learner.linked_ulns:
        _m(linked, "string", other)
    rest: tuple[tuple[str, object], ...] = (
        ("MasterUln", learner.uln if found.outcome is MatchOutcome.LINKED else None),
        ("MiddleOtherName", d.middle_names),
        ("PlaceOfBirth", d.place_of_birth),
        ("PreferredGivenName", d.preferred_given_name),
        ("PreviousFamilyName", d.previous_family_name),
        ("RecordStatus", learner.status.value),
        ("SchoolAtAge16", d.school_at_16),
        ("Title", d.title),
        ("Uln", learner.uln),
        ("UniquePupilNumber", d.upn),
        ("VerificationType", int(d.verification_type)),
        ("VersionNumber", learner.version),
    )
    for field, shown in rest:
        _m(node, field, shown)
    return response


def get_organisation_details(request: etree._Element, call: Call) -> etree._Element:
    """The caller's own organisation (the desk: any), as GetOrganisation returns it."""
    ukprn = _t(request, "ukPrn") or call.principal.ukprn
    organisation = get_organisation(ukprn, principal=call.principal, uow=call.uow_factory())
    response, result = _result("GetOrganisation")
    for name, value in (
        ("DisplayName", organisation.name),
        ("OrgRef", None),
        ("ResponseCode", "WSRC0004"),
        ("Status", organisation.status.value),
        ("Ukprn", organisation.ukprn),
    ):
        _m(result, name, value)
    return response


_ABILITY = {
    "FPNNotSeen": AbilityToShare.NOTICE_NOT_SEEN,
    "FPNSeenShareData": AbilityToShare.MAY_SHARE,
}
"""The R9 AbilityToShare enum onto the learner's; NotProvided (or none sent) changes nothing."""
_SUBSET = (
    ("emailAddress", "email"),
    ("schoolAtAge16", "school_at_16"),
    ("preferredGivenName", "preferred_given_name"),
)


def update_learner_subset_fields(request: etree._Element, call: Call) -> etree._Element:
    """Update Learner's use case (services/learners/update, as REST PATCH) for the fields sent:
    an element left out or nil leaves the field as it is, an empty one clears it. The answer is
    WSRC0901 (updated) or WSRC0902 (stored as a change request, no relationship to the learner);
    a stale versionNumber is the WSEC0905 fault. openlrs holds no telephone number: it is
    accepted and ignored."""
    changes: dict[str, object] = {}
    for element, field in _SUBSET:
        node = request.find(f"{{{TEMPURI}}}{element}")
        if node is None or node.get(f"{{{XSI}}}nil") in ("true", "1"):
            continue
        changes[field] = (node.text or "").strip() or None
    ability = _ABILITY.get(_t(request, "abilityToShare") or "")
    if ability is not None:
        changes["ability_to_share"] = ability
    result = update_learner(
        UpdateLearner(
            uln=_t(request, "uln") or "",
            expected_version=int(_t(request, "versionNumber") or 0),
            changes=changes,
        ),
        principal=call.principal,
        uow=call.uow_factory(),
        policy=call.policy,
    )
    response = etree.Element(
        f"{{{TEMPURI}}}UpdateLearnerSubsetFieldsResponse", nsmap={None: TEMPURI}
    )
    code = CHANGE_REQUESTED if isinstance(result, ChangeRequest) else LEARNER_UPDATED
    etree.SubElement(response, f"{{{TEMPURI}}}UpdateLearnerSubsetFieldsResult").text = code
    return response


PAGE_SIZE = 20


def view_audit(request: etree._Element, call: Call) -> etree._Element:
    """The organisations' reads of the learner's record, newest first, a page of PAGE_SIZE at a
    time (page 1 is the first): the learner's "who has seen your record" trail
    (services/learner_accounts), for a caller whose names verify against the ULN (else the
    WSEC0208 DomainFault, as a PLR read without them)."""
    knowledge = Knowledge(
        _t(request, "learnerGivenName") or "", _t(request, "learnerFamilyName") or ""
    )
    seen = organisations_seen(
        _t(request, "learnerUln") or "",
        knowledge,
        principal=call.principal,
        uow=call.uow_factory(),
    )
    page_text = _t(request, "page") or "1"
    page = max(int(page_text), 1) if page_text.lstrip("-").isdigit() else 1
    pages = max((len(seen) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    response, result = _result("ViewAudit")
    listed = etree.SubElement(result, f"{{{MODEL}}}List")
    for entry in seen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        node = etree.SubElement(listed, f"{{{MODEL}}}PlrAccessEntryResponse")
        _m(node, "Action", entry.what)
        _m(node, "DateTime", entry.when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        _m(node, "Organisation", entry.who)
        _m(node, "User", entry.ukprn, nil=True)
    for name, value in (
        ("PageCount", pages),
        ("PageIndex", page),
        ("PageSize", PAGE_SIZE),
        ("SortIndex", 0),
        ("SortOrder", "Descending"),
        ("TotalItems", len(seen)),
    ):
        _m(result, name, value)
    return response


def credentials(request: etree._Element) -> tuple[str | None, str, str]:
    """UKPRN, user name and password of the message's invokingOrganisation."""
    invoking = request.find(f"{{{TEMPURI}}}invokingOrganisation")
    if invoking is None:
        return None, "", ""
    password = invoking.find(f"{{{INTERFACE}}}Password")
    return (
        qtext(invoking, INTERFACE, "Ukprn"),
        qtext(invoking, INTERFACE, "Username") or "",
        (password.text or "") if password is not None else "",
    )
