"""Notifications over SMTP, with the standard library: one connection per message."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from openlrs.domain.notifications.messages import Notification


@dataclass(frozen=True)
class SmtpTransport:
    host: str
    port: int = 25
    sender: str = "noreply@openlrs.invalid"
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout_seconds: float = 10.0

    def send(self, notification: Notification) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = notification.to_address
        message["Subject"] = notification.subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = notification.message_id
        message["X-Openlrs-Notification"] = notification.key
        message.set_content(notification.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_seconds) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)
