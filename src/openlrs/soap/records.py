"""LearnerService learner elements to and from the register's learners: field names only, no rules
(the use cases validate; a date the calendar lacks is the only check made here, as it must be
turned into a date first)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lxml import etree

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.learners.learner import Learner, LearnerDetails, LearnerStatus
from openlrs.soap.envelope import add, add_all, text

LEARNER_NS = "http://api.lrs.miap.gov.uk/learner"

# LRS element name -> LearnerDetails field, in LearnerToRegister order.
TO_REGISTER: tuple[tuple[str, str], ...] = (
    ("Title", "title"),
    ("GivenName", "given_name"),
    ("MiddleOtherName", "middle_names"),
    ("FamilyName", "family_name"),
    ("PreferredGivenName", "preferred_given_name"),
    ("PreviousFamilyName", "previous_family_name"),
    ("FamilyNameAtAge16", "family_name_at_16"),
    ("SchoolAtAge16", "school_at_16"),
    ("LastKnownAddressLine1", "address_line_1"),
    ("LastKnownAddressLine2", "address_line_2"),
    ("LastKnownAddressTown", "town"),
    ("LastKnownAddressCountyOrCity", "county"),
    ("LastKnownPostCode", "postcode"),
    ("DateOfAddressCapture", "date_of_address_capture"),
    ("DateOfBirth", "date_of_birth"),
    ("PlaceOfBirth", "place_of_birth"),
    ("Gender", "gender"),
    ("EmailAddress", "email"),
    ("Nationality", "nationality"),
    ("ScottishCandidateNumber", "scottish_candidate_number"),
    ("VerificationType", "verification_type"),
    ("OtherVerificationDescription", "other_verification_description"),
    ("AbilityToShare", "ability_to_share"),
    ("Notes", "notes"),
)
DATES = frozenset({"date_of_birth", "date_of_address_capture"})
CODES = frozenset({"gender", "verification_type", "ability_to_share"})
BATCH_COLUMNS: tuple[tuple[str, str], ...] = (
    ("ULN", "uln"),
    ("MISIdentifier", "source_learner_id"),
    ("Title", "title"),
    ("GivenName", "given_name"),
    ("PreferredGivenName", "preferred_given_name"),
    ("MiddleOtherName", "middle_names"),
    ("FamilyName", "family_name"),
    ("PreviousFamilyName", "previous_family_name"),
    ("FamilyNameAtAge16", "family_name_at_16"),
    ("SchoolAtAge16", "school_at_16"),
    ("LastKnownAddressLine1", "address_line_1"),
    ("LastKnownAddressLine2", "address_line_2"),
    ("LastKnownAddressTown", "town"),
    ("LastKnownAddressCountyOrCity", "county"),
    ("LastKnownPostCode", "postcode"),
    ("DateOfAddressCapture", "date_of_address_capture"),
    ("DateOfBirth", "date_of_birth"),
    ("PlaceOfBirth", "place_of_birth"),
    ("EmailAddress", "email"),
    ("Gender", "gender"),
    ("Nationality", "nationality"),
    ("ScottishCandidateNumber", "scottish_candidate_number"),
    ("AbilityToShare", "ability_to_share"),
    ("VerificationType", "verification_type"),
    ("OtherVerificationDescription", "other_verification_description"),
    ("Notes", "notes"),
)
"""The LRS batch columns (BatchLearner order) and the batch file's column for each."""


def date_of(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed([FieldError(field, "DATE_INVALID", "Enter a real date")]) from exc


def fields_of(element: etree._Element) -> dict[str, Any]:
    """The LearnerDetails fields an element of LearnerToRegister's shape carries."""
    values: dict[str, Any] = {}
    for name, field in TO_REGISTER:
        value = text(element, name)
        if value is None:
            continue
        if field in DATES:
            values[field] = date_of(value, field)
        elif field in CODES:
            values[field] = int(value)
        else:
            values[field] = value
    return values


def details_of(element: etree._Element) -> LearnerDetails:
    values = fields_of(element)
    return LearnerDetails(**values)


def add_learner(parent: etree._Element, learner: Learner) -> None:
    """A `Learner` element (§3.1 order) for a learner the register returned."""
    d = learner.details
    node = etree.SubElement(parent, "Learner")
    add_all(
        node,
        [
            ("CreatedDate", learner.created_at.date() if learner.created_at else None),
            ("LastUpdatedDate", learner.updated_at.date() if learner.updated_at else None),
            ("ULN", learner.uln),
            ("MasterSubstituted", "Y" if learner.linked_ulns else None),
            ("Title", d.title),
            ("GivenName", d.given_name),
            ("MiddleOtherName", d.middle_names),
            ("FamilyName", d.family_name),
            ("PreferredGivenName", d.preferred_given_name),
            ("PreviousFamilyName", d.previous_family_name),
            ("FamilyNameAtAge16", d.family_name_at_16),
            ("SchoolAtAge16", d.school_at_16),
            ("LastKnownAddressLine1", d.address_line_1),
            ("LastKnownAddressLine2", d.address_line_2),
            ("LastKnownAddressTown", d.town),
            ("LastKnownAddressCountyOrCity", d.county),
            ("LastKnownPostCode", d.postcode),
            ("DateOfAddressCapture", d.date_of_address_capture),
            ("DateOfBirth", d.date_of_birth),
            ("PlaceOfBirth", d.place_of_birth),
            ("Gender", int(d.gender)),
            ("EmailAddress", d.email),
            ("Nationality", d.nationality),
            ("ScottishCandidateNumber", d.scottish_candidate_number),
            ("VerificationType", int(d.verification_type)),
            ("OtherVerificationDescription", d.other_verification_description),
            ("AbilityToShare", int(d.ability_to_share)),
            ("LearnerStatus", "1" if learner.status is LearnerStatus.ACTIVE else "2"),
        ],
    )
    linked = etree.SubElement(node, f"{{{LEARNER_NS}}}LinkedULNs", nsmap={None: LEARNER_NS})
    for uln in learner.linked_ulns:
        etree.SubElement(linked, f"{{{LEARNER_NS}}}ULN").text = uln
    add(node, "Notes", d.notes)
    add(node, "VersionNumber", learner.version)
