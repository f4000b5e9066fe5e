"""A learner's learning events as a GOV.UK table: what, who awarded or recorded it, when, status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from markupsafe import escape

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.plr.achievements import EventStatus, EventType, LearningEvent, SubjectKind
from openlrs.services.plr.event_challenges import RAISE_ROLES

KINDS = {
    SubjectKind.QUALIFICATION: "Qualification",
    SubjectKind.UNIT: "Unit",
    SubjectKind.LEARNING_AIM: "Learning aim",
}
STATUSES = {
    EventStatus.ACHIEVED: "Achieved",
    EventStatus.ACTIVE: "Studying",
    EventStatus.COMPLETED: "Completed",
    EventStatus.WITHDRAWN: "Withdrawn",
}
HEAD = (
    "Qualification or unit",
    "Title",
    "Awarding organisation",
    "Grade",
    "Award date",
    "Status",
)


def day(value: dt.date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def status_html(event: LearningEvent) -> str:
    """The status as a tag; an event under challenge says so (the text is ours, never input)."""
    label = STATUSES[event.status]
    if event.under_challenge:
        return f'{label} <strong class="govuk-tag govuk-tag--yellow">Under challenge</strong>'
    return label


def may_challenge(principal: Principal) -> bool:
    return bool(principal.roles & RAISE_ROLES)


def may_change(principal: Principal, event: LearningEvent) -> bool:
    """An awarding organisation changes the achievements it recorded."""
    return (
        Role.AO in principal.roles
        and event.ukprn == principal.ukprn
        and event.event_type is EventType.ACHIEVEMENT
    )


def event_row(
    event: LearningEvent, challenge_href: str | None, names: Callable[[str | None], str] = str
) -> list[dict[str, Any]]:
    subject = f"{KINDS[event.subject_kind]} {event.subject}"
    when = event.award_date if event.event_type is EventType.ACHIEVEMENT else event.start_date
    row: list[dict[str, Any]] = [
        {"text": subject},
        {"text": event.subject_title},
        {"text": names(event.ukprn)},
        {"text": event.grade or ""},
        {"text": day(when)},
        {"html": status_html(event)},
    ]
    if challenge_href is not None:
        action = ""
        if not event.under_challenge and event.status is not EventStatus.WITHDRAWN:
            action = (
                f'<a class="govuk-link" href="{challenge_href}">Report a problem'
                f'<span class="govuk-visually-hidden"> with {escape(event.subject)}</span></a>'
            )
        row.append({"html": action})
    return row


def event_table(
    uln: str,
    events: tuple[LearningEvent, ...],
    principal: Principal,
    names: Callable[[str | None], str] = str,
) -> dict[str, Any]:
    """The govukTable parameters for the record; a challenge link per event for providers."""
    challenging = may_challenge(principal)
    changing = any(may_change(principal, e) for e in events)
    head = [{"text": text} for text in HEAD]
    if challenging or changing:
        head.append({"html": '<span class="govuk-visually-hidden">Actions</span>'})
    base = f"/portal/learners/{uln}/learning-record/events"
    rows = [
        event_row(e, f"{base}/{e.id}/challenge" if challenging else None, names) for e in events
    ]
    if changing:
        for event, row in zip(events, rows, strict=True):
            link = ""
            if may_change(principal, event):
                link = (
                    f'<a class="govuk-link" href="{base}/{event.id}/change">Change'
                    f'<span class="govuk-visually-hidden"> {escape(event.subject_title)}</span></a>'
                )
            row.append({"html": link})
    return {
        "caption": "Learning events",
        "captionClasses": "govuk-table__caption--m",
        "firstCellIsHeader": True,
        "head": head,
        "rows": rows,
    }


def event_summary(
    event: LearningEvent, names: Callable[[str | None], str] = str
) -> list[dict[str, Any]]:
    """The event being challenged, as summary-list rows."""
    when = event.award_date if event.event_type is EventType.ACHIEVEMENT else event.start_date
    pairs = (
        (KINDS[event.subject_kind], event.subject),
        ("Title", event.subject_title),
        ("Recorded by", names(event.ukprn)),
        ("Grade", event.grade or "None"),
        ("Award date" if event.event_type is EventType.ACHIEVEMENT else "Start date", day(when)),
        ("Status", STATUSES[event.status]),
    )
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in pairs]
