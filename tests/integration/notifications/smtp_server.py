"""A real SMTP server for the tests (aiosmtpd), on a port of its own, that can go down and come
back on the same port; and the mailbox it delivers to."""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    """Every message the server accepted, in order."""

    received: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def distinct(self) -> list[Message]:
        """The messages as a mail client shows them: one per Message-ID."""
        seen: dict[str, Message] = {}
        for message in self.received:
            seen.setdefault(str(message["Message-ID"]), message)
        return list(seen.values())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SmtpServer:
    """Starts and stops on one port; the mailbox outlives restarts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
