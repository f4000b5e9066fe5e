"""Notifications through GOV.UK Notify's API (POST /v2/notifications/email), with httpx.

Notify's API key is `{name}-{service id}-{secret}` (two UUIDs at the end); each request carries a
JWT signed with the secret, naming the service as issuer. The template is one with `((subject))`
and `((body))` placeholders; the notification's key goes as Notify's `reference`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx
import jwt

from openlrs.domain.notifications.messages import Notification

NOTIFY_URL = "https://api.notifications.service.gov.uk"


@dataclass(frozen=True)
class NotifyTransport:
    api_key: str
    template_id: str
    base_url: str = NOTIFY_URL
    timeout_seconds: float = 10.0
    client: httpx.Client | None = None

    def _token(self) -> str:
        service_id, secret = self.api_key[-73:-37], self.api_key[-36:]
        return jwt.encode({"iss": service_id, "iat": int(time.time())}, secret, algorithm="HS256")

    def send(self, notification: Notification) -> None:
        body = {
            "email_address": notification.to_address,
            "template_id": self.template_id,
            "personalisation": {"subject": notification.subject, "body": notification.body},
            "reference": notification.key,
        }
        headers = {"Authorization": f"Bearer {self._token()}"}
        url = f"{self.base_url.rstrip('/')}/v2/notifications/email"
        if self.client is not None:
            response = self.client.post(url, json=body, headers=headers)
        else:
            with httpx.Client(timeout=self.timeout_seconds) as client:
                response = client.post(url, json=body, headers=headers)
        response.raise_for_status()
