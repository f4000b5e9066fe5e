"""The GOV.UK Notify transport sends what Notify's API expects, signed as Notify checks it."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import jwt
import pytest

from openlrs.domain.notifications.messages import (
    Notification,
    NotificationKind,
    NotificationStatus,
)
from openlrs.mail.notify import NotifyTransport

SERVICE_ID = "26a2d6ea-8f0b-4c63-9f1a-0e3c4b5d6e7f"
SECRET = "0f9e8d7c-6b5a-4321-8fed-cba987654321"
NOTIFICATION = Notification(
    1,
    "batch-finished:job-1",
    NotificationKind.BATCH_FINISHED,
    "10004321",
    "mis@riverside.example.ac.uk",
    "Your batch file has been processed",
    "Batch job-1 has been processed.",
    NotificationStatus.PENDING,
    0,
    dt.datetime(2026, 12, 7, tzinfo=dt.UTC),
)


def transport(answer: int, seen: list[httpx.Request]) -> NotifyTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(answer, json={"id": "n-1"})

    client = httpx.Client(transport=httpx.MockTransport(handle))
    return NotifyTransport(f"openlrs-{SERVICE_ID}-{SECRET}", "template-1", client=client)


def test_an_email_goes_to_notify_with_its_template_reference_and_a_signed_token() -> None:
    seen: list[httpx.Request] = []
    transport(201, seen).send(NOTIFICATION)

    [request] = seen
    assert request.url == "https://api.notifications.service.gov.uk/v2/notifications/email"
    assert json.loads(request.content) == {
        "email_address": "mis@riverside.example.ac.uk",
        "template_id": "template-1",
        "personalisation": {
            "subject": "Your batch file has been processed",
            "body": "Batch job-1 has been processed.",
        },
        "reference": "batch-finished:job-1",
    }
    token = request.headers["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID


def test_a_refusal_from_notify_is_a_failure_to_retry() -> None:
    with pytest.raises(httpx.HTTPStatusError):
        transport(500, []).send(NOTIFICATION)
