"""Each queue's own portal page shows every open item's wait, due date and an Overdue tag, on the
service-hours clock at an injected time (no sleeps): challenges and provider applications."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Mount

from openlrs.domain.plr.event_challenges import ChallengeKind
from openlrs.services.notices.maintenance import NoticeBoard
from openlrs.services.uln.challenges import RaiseUlnChallenge, raise_uln_challenge
from openlrs.store.plr.tables import learning_event_challenges
from openlrs.store.providers.tables import providers
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import provider_application_body, registered_learner
from tests.functional.desk_clock import uk
from tests.functional.portal_support import REGISTRAR, SERVICE_DESK, sign_in


def _portal(client: TestClient) -> FastAPI:
    app = client.app
    assert isinstance(app, FastAPI)
    (mount,) = [r for r in app.routes if isinstance(r, Mount) and r.path == "/portal"]
    assert isinstance(mount.app, FastAPI)
    return mount.app


def _at(client: TestClient, uow_factory: SqlUnitOfWorkFactory, now: str) -> None:
    moment = uk(now)
    _portal(client).state.notice_board = NoticeBoard(uow_factory, clock=lambda: moment)


def _row_of(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[page.rindex("<tr", 0, start) : page.index("</tr>", start)]


def test_queue_pages_show_wait_due_date_and_overdue(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    uln = registered_learner(uow_factory, 2631).uln
    command = RaiseUlnChallenge(ChallengeKind("uln_shared"), uln, "Two people share it", None)
    challenge = raise_uln_challenge(command, principal=REGISTRAR, uow=uow_factory())
    applied = browser.post(
        "/api/v1/providers/applications", json=provider_application_body(seed=31)
    )
    assert applied.status_code == 201, applied.text
    with uow_factory.engine.begin() as conn:
        conn.execute(
            sa.update(learning_event_challenges)
            .where(learning_event_challenges.c.public_id == challenge.id)
            .values(created_at=uk("2026-12-01 10:00"))  # a Tuesday: due Tuesday 8th, 10:00
        )
        conn.execute(sa.update(providers).values(created_at=uk("2026-12-04 09:00")))  # Fri 11th
    sign_in(browser, SERVICE_DESK)

    _at(browser, uow_factory, "2026-12-08 09:59")
    page = browser.get("/portal/challenges").text
    assert "Waiting" in page and "Due" in page
    row = _row_of(page, uln)
    assert "On time" in row and "Overdue" not in row
    assert "Tuesday 8 December 2026 at 10:00am" in row
    assert "5.0 service days" in row
    queue = browser.get("/portal/provider-applications").text
    assert "On time" in _row_of(queue, "Friday 11 December 2026 at 9:00am")

    _at(browser, uow_factory, "2026-12-11 09:30")
    assert "Overdue" in _row_of(browser.get("/portal/challenges").text, uln)
    queue = browser.get("/portal/provider-applications").text
    assert "Overdue" in _row_of(queue, "Friday 11 December 2026 at 9:00am")
    closed = browser.get("/portal/challenges?status=accepted").text
    assert "Overdue" not in closed
