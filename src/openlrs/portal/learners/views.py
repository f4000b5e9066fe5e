"""Learners and search outcomes as page content: summary rows and plain-English outcomes."""

from __future__ import annotations

from typing import Any

from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.portal.forms import GENDERS, LABELS, OPTIONAL, SHARING

OUTCOMES: dict[MatchOutcome, tuple[str, str]] = {
    MatchOutcome.EXACT: (
        "Learner found",
        "One learner in the register matches these details: use their ULN.",
    ),
    MatchOutcome.LINKED: (
        "Learner found",
        "These details match a record that was merged into another: use the ULN shown.",
    ),
    MatchOutcome.POSSIBLE: (
        "Possible matches",
        "Some learners have similar details but none matches well enough to be sure. Check each "
        "one below. If none is the learner, you can register them.",
    ),
    MatchOutcome.TOO_MANY: (
        "Too many possible matches",
        "Many learners have similar details. Add more detail and search again, or register the "
        "learner if you are sure they are not already registered.",
    ),
    MatchOutcome.NO_MATCH: (
        "No learner found",
        "Nobody in the register matches these details. You can register the learner.",
    ),
}


def detail_rows(details: LearnerDetails, change_href: str | None = None) -> list[dict[str, Any]]:
    """Summary-list rows for the details the portal shows and edits."""
    values = {
        "given_name": details.given_name,
        "family_name": details.family_name,
        "date_of_birth": details.date_of_birth.strftime("%-d %B %Y"),
        "gender": GENDERS.get(str(details.gender), str(details.gender)),
        "postcode": details.postcode,
    }
    for name in OPTIONAL:
        values[name] = getattr(details, name) or "Not given"
    values["ability_to_share"] = SHARING.get(str(details.ability_to_share), "Not known")
    rows = []
    for name, value in values.items():
        row: dict[str, Any] = {"key": {"text": LABELS[name]}, "value": {"text": value}}
        if change_href and name != "ability_to_share":
            row["actions"] = {
                "items": [
                    {
                        "href": f"{change_href}#{name}",
                        "text": "Change",
                        "visuallyHiddenText": LABELS[name].lower(),
                    }
                ]
            }
        rows.append(row)
    return rows


def learner_rows(learner: Learner) -> list[dict[str, Any]]:
    rows = detail_rows(learner.details)
    rows.append({"key": {"text": "Status"}, "value": {"text": learner.status.value.capitalize()}})
    rows.append({"key": {"text": "Version"}, "value": {"text": str(learner.version)}})
    if learner.registered_by_ukprn:
        rows.append(
            {"key": {"text": "Registered by"}, "value": {"text": learner.registered_by_ukprn}}
        )
    return rows
