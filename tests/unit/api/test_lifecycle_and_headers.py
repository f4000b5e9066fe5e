"""The SIGTERM drain and the docs page's script hashes, without a server or a clock."""

from __future__ import annotations

import base64
import hashlib
import signal
from types import FrameType

from openlrs.api.operations.lifecycle import Readiness, sigterm_handler
from openlrs.api.operations.security_headers import docs_policy


def test_sigterm_marks_unready_before_handing_over_to_the_server() -> None:
    readiness = Readiness()
    handed: list[int] = []

    def server_exit(sig: int, frame: FrameType | None) -> None:
        assert readiness.draining, "the server stopped before /readyz went unready"
        handed.append(sig)

    sigterm_handler(readiness, 0, server_exit)(signal.SIGTERM, None)
    assert handed == [signal.SIGTERM]


def test_more_sigterms_during_the_drain_do_not_cut_it_short() -> None:
    readiness = Readiness()
    handed: list[int] = []
    on_sigterm = sigterm_handler(readiness, 3600, lambda sig, frame: handed.append(sig))
    on_sigterm(signal.SIGTERM, None)
    on_sigterm(signal.SIGTERM, None)  # the supervisor forwarding the group's signal
    assert readiness.draining and handed == []  # still serving, unready, for the drain


def test_the_docs_policy_names_each_inline_script_by_its_hash() -> None:
    html = b"<html><script src='x.js'></script><script>const ui = 1;</script></html>"
    digest = base64.b64encode(hashlib.sha256(b"const ui = 1;").digest()).decode()
    policy = docs_policy(html)
    assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
