"""The notifications outbox on SQLite and PostgreSQL, delivering to a real SMTP server.

An e-mail is owed from the moment its event commits (the outbox row is written in the same
transaction), survives the SMTP server being down, and is delivered once when it comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import Organisation, OrgType
from openlrs.domain.notifications.messages import (
    MAX_ATTEMPTS,
    Notification,
    NotificationStatus,
    batch_finished,
)
from openlrs.mail.smtp import SmtpTransport
from openlrs.services.notifications.deliver import Deliverer
from openlrs.services.notifications.outbox import notify
from openlrs.store.notifications.tables import notifications
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_learner_details, registration_file, registration_row
from tests.integration.batches.test_batch_jobs import POLICY, TODAY, UKPRN, submit
from tests.integration.notifications.smtp_server import SmtpServer

ADDRESS = "mis-team@riverside.example.ac.uk"
START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, by: dt.timedelta) -> None:
        self.now += by


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def college(uow_factory: SqlUnitOfWorkFactory) -> str:
    with uow_factory() as uow:
        uow.organisations.add(Organisation(UKPRN, "Riverside College", OrgType.COLLEGE))
        uow.notifications.set_contact_address(UKPRN, ADDRESS)
        uow.commit()
    return UKPRN


def deliverer(uow_factory: SqlUnitOfWorkFactory, smtp: SmtpServer, clock: Clock) -> Deliverer:
    return Deliverer(uow_factory, SmtpTransport("127.0.0.1", smtp.port), clock=clock)


def outbox(uow_factory: SqlUnitOfWorkFactory) -> list[Notification]:
    with uow_factory() as uow:
        return uow.notifications.list(ukprn=None, limit=100)


def test_a_message_is_written_only_if_its_event_commits(
    uow_factory: SqlUnitOfWorkFactory, college: str
) -> None:
    with uow_factory() as uow:
        notify(uow, batch_finished("job-rolled-back", college, total=1, failed=0))
        # no commit: the event did not happen, nor its e-mail
    with uow_factory() as uow:
        notify(uow, batch_finished("job-1", college, total=1, failed=0))
        notify(uow, batch_finished("job-1", college, total=1, failed=0))  # the same key: once
        notify(uow, batch_finished("job-2", "10009999", total=1, failed=0))  # no address
        uow.commit()

    assert [n.key for n in outbox(uow_factory)] == ["batch-finished:job-1"]
    assert outbox(uow_factory)[0].to_address == ADDRESS


def test_a_notification_survives_the_server_being_down_and_is_delivered_once_when_it_returns(
    uow_factory: SqlUnitOfWorkFactory, college: str, smtp: SmtpServer
) -> None:
    with uow_factory() as uow:
        notify(uow, batch_finished("job-1", college, total=3, failed=1))
        uow.commit()
    clock = Clock()
    sender = deliverer(uow_factory, smtp, clock)

    assert sender.run_once()  # the server is down: refused, to be retried
    [waiting] = outbox(uow_factory)
    assert waiting.status is NotificationStatus.PENDING and waiting.attempts == 1
    assert waiting.next_attempt_at == START + dt.timedelta(seconds=30)
    assert not sender.run_once()  # not due again yet: nothing is attempted

    clock.advance(dt.timedelta(seconds=30))
    assert sender.run_once()  # still down: the wait doubles
    assert outbox(uow_factory)[0].next_attempt_at == clock.now + dt.timedelta(minutes=1)

    smtp.start()
    clock.advance(dt.timedelta(minutes=1))
    assert sender.run_once()
    clock.advance(dt.timedelta(days=1))
    assert not sender.run_once()  # sent: never again

    [received] = smtp.mailbox.received
    assert received["To"] == ADDRESS
    assert received["Subject"] == "Your batch file has been processed"
    assert received["Message-ID"] == "<batch-finished.job-1@openlrs>"
    assert "3 rows, 1 with errors" in received.get_payload(decode=True).decode()
    assert outbox(uow_factory)[0].status is NotificationStatus.SENT


def test_a_notification_is_given_up_after_its_last_attempt(
    uow_factory: SqlUnitOfWorkFactory, college: str, smtp: SmtpServer
) -> None:
    with uow_factory() as uow:
        notify(uow, batch_finished("job-1", college, total=1, failed=0))
        uow.commit()
    clock = Clock()
    sender = deliverer(uow_factory, smtp, clock)
    for _ in range(MAX_ATTEMPTS):
        assert sender.run_once()
        clock.advance(dt.timedelta(hours=1))

    assert not sender.run_once()
    [given_up] = outbox(uow_factory)
    assert given_up.status is NotificationStatus.FAILED and given_up.attempts == MAX_ATTEMPTS


def test_two_deliverers_never_send_the_same_notification(
    uow_factory: SqlUnitOfWorkFactory, college: str, smtp: SmtpServer
) -> None:
    with uow_factory() as uow:
        notify(uow, batch_finished("job-1", college, total=1, failed=0))
        uow.commit()
    smtp.start()
    clock = Clock()
    first, second = deliverer(uow_factory, smtp, clock), deliverer(uow_factory, smtp, clock)
    with uow_factory() as uow:
        [seen_by_both] = uow.notifications.due(clock.now, limit=10)

    with uow_factory() as uow:  # the first claims it...
        assert uow.notifications.claim(seen_by_both, now=clock.now, until=clock.now)
        uow.commit()
    with uow_factory() as uow:  # ...so the second, holding the same view, cannot
        assert not uow.notifications.claim(seen_by_both, now=clock.now, until=clock.now)
    del first, second


class Killed(BaseException):
    """The worker process dies here (a BaseException: nothing of ours catches it)."""


class DiesAfterSending:
    """SMTP that delivers, then the process dies before the outbox hears of it."""

    def __init__(self, transport: SmtpTransport) -> None:
        self.transport = transport

    def send(self, notification: Notification) -> None:
        self.transport.send(notification)
        raise Killed


def finished_batch(uow_factory: SqlUnitOfWorkFactory) -> str:
    people = many_learner_details(3, seed=71, today=TODAY)
    content = registration_file([registration_row(p, f"N{i}") for i, p in enumerate(people)])
    return str(submit(uow_factory, content).job.id)


def test_a_batchs_finished_email_arrives_once_though_the_worker_dies_after_the_commit(
    uow_factory: SqlUnitOfWorkFactory, college: str, smtp: SmtpServer
) -> None:
    smtp.start()
    clock = Clock()
    job_id = finished_batch(uow_factory)
    # A worker finishes the batch and dies before it sends anything: the e-mail is owed.
    BatchWorker(uow_factory, policy=POLICY).run(until_idle=True)
    assert [n.status for n in outbox(uow_factory)] == [NotificationStatus.PENDING]
    assert smtp.mailbox.received == []

    # The next worker (its loop runs the deliverer) sends it; later runs do not again.
    worker = BatchWorker(
        uow_factory, policy=POLICY, also=[deliverer(uow_factory, smtp, clock).run_once]
    )
    worker.run(until_idle=True)
    worker.run(until_idle=True)

    [received] = smtp.mailbox.received
    assert received["Message-ID"] == f"<batch-finished.{job_id}@openlrs>"
    assert "3 rows, 0 with errors" in received.get_payload(decode=True).decode()


def test_a_worker_dying_between_sending_and_marking_sends_again_under_the_same_message_id(
    uow_factory: SqlUnitOfWorkFactory, college: str, smtp: SmtpServer
) -> None:
    """The one window at-least-once leaves (decision 0024): the message is sent again after the
    lease, with the same Message-ID, so the recipient's mail client shows it once."""
    smtp.start()
    clock = Clock()
    finished_batch(uow_factory)
    BatchWorker(uow_factory, policy=POLICY).run(until_idle=True)
    dying = Deliverer(
        uow_factory, DiesAfterSending(SmtpTransport("127.0.0.1", smtp.port)), clock=clock
    )
    with pytest.raises(Killed):
        dying.run_once()
    sender = deliverer(uow_factory, smtp, clock)
    assert not sender.run_once()  # claimed by the dead worker until its lease runs out

    clock.advance(dt.timedelta(minutes=5))
    assert sender.run_once()
    clock.advance(dt.timedelta(days=1))
    assert not sender.run_once()

    assert len(smtp.mailbox.received) == 2
    assert len(smtp.mailbox.distinct()) == 1
    with uow_factory.engine.connect() as conn:
        attempts = conn.execute(sa.select(notifications.c.attempts)).scalar_one()
    assert attempts == 2
