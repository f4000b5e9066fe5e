"""Learners and search outcomes as page content: summary rows and plain-English outcomes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.portal.forms import ANCHORS, GENDERS, LABELS, OPTIONAL, SHARING

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
        row: dict[str, Any] = {
            "key": {"text": LABELS[name]},
            "value": {"text": value},
            "field": ANCHORS.get(name, name),
        }
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


def learner_rows(
    learner: Learner, names: Callable[[str | None], str] = str
) -> list[dict[str, Any]]:
    rows = detail_rows(learner.details)
    rows.append({"key": {"text": "Status"}, "value": {"text": learner.status.value.capitalize()}})
    rows.append({"key": {"text": "Version"}, "value": {"text": str(learner.version)}})
    if learner.registered_by_ukprn:
        rows.append(
            {
                "key": {"text": "Registered by"},
                "value": {"text": names(learner.registered_by_ukprn)},
            }
        )
    return rows


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def likelihood(probability: float) -> str:
    """A match score in words (the number stays in the support details)."""
    if probability >= 0.9:
        return "Very likely the same person"
    if probability >= 0.5:
        return "Possibly the same person"
    return "Probably not the same person"


def compare_details(entered: dict[str, str], learner: Learner) -> list[list[dict[str, str]]]:
    """What was entered beside what the register holds, field by field, for a possible match."""
    held = learner.details
    typed_date = "/".join(entered.get(f"date_of_birth-{p}", "") for p in ("day", "month", "year"))
    born = held.date_of_birth
    pairs = (
        ("Given name", entered.get("given_name", ""), held.given_name),
        ("Family name", entered.get("family_name", ""), held.family_name),
        ("Date of birth", typed_date, f"{born.day}/{born.month}/{born.year}"),
        (
            "Gender",
            GENDERS.get(entered.get("gender", ""), ""),
            GENDERS.get(str(held.gender), ""),
        ),
        ("Postcode", entered.get("postcode", ""), held.postcode),
    )
    return [
        [
            {"text": label},
            {"text": typed or "Not given"},
            {"text": kept},
            {"text": "Same" if _same(typed, kept) else "Different"},
        ]
        for label, typed, kept in pairs
    ]
