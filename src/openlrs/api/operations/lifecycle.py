"""Readiness through shutdown: after SIGTERM `/readyz` answers 503 while requests still run.

On SIGTERM the process first marks itself not ready and keeps serving for
`shutdown_drain_seconds` (so a load balancer polling /readyz stops sending it new requests), then
hands the signal to uvicorn, which stops accepting connections and lets in-flight requests finish
within `shutdown_grace_seconds`. More SIGTERMs during the drain change nothing (uvicorn's
supervisor forwards one to each worker after a process-group kill has already sent one); SIGINT
stops at once. `/healthz` stays 200 throughout: the process is alive, just leaving.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from openlrs.observability.logs import get_logger

log = get_logger("openlrs.lifecycle")


class Readiness:
    def __init__(self) -> None:
        self.draining = False

    def begin_draining(self) -> None:
        if not self.draining:
            log.info("draining: /readyz now answers 503")
        self.draining = True


def drain_on_sigterm(readiness: Readiness, seconds: float) -> None:
    """Wrap the SIGTERM handler the server installed (uvicorn's) with a drain period first."""
    if threading.current_thread() is not threading.main_thread():
        return  # signals can only be handled in the main thread (not under a test client)
    previous = signal.getsignal(signal.SIGTERM)
    if not callable(previous):
        return
    signal.signal(signal.SIGTERM, sigterm_handler(readiness, seconds, previous))


def sigterm_handler(readiness: Readiness, seconds: float, previous: Any) -> Any:
    def on_sigterm(sig: int, frame: FrameType | None) -> None:
        if seconds <= 0:
            readiness.begin_draining()
            previous(sig, frame)
            return
        if readiness.draining:
            return  # already draining: the timer hands over when the drain is done
        readiness.begin_draining()
        timer = threading.Timer(seconds, previous, (sig, frame))
        timer.daemon = True
        timer.start()

    return on_sigterm
