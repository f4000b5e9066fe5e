"""The service driven through the Python client openapi-python-client generates from the served
document, as an MIS supplier would: token, search (a typed answer for each outcome), register, read
by ULN, update quoting If-Match, the learning record (and its PDF and CSV report), and a batch file
in and its output out."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import Role
from openlrs.store.tables import learners
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_register_bodies, registration_csv
from tests.functional.callers import Register
from tests.functional.generated_client import GeneratedClient

BASE_URL = "http://testserver"
GIVEN_NAMES = ["Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Grace", "Evie", "Poppy"]


class Supplier:
    """The generated package's operations and models, and an authenticated client over `api`."""

    def __init__(self, generated: GeneratedClient, api: TestClient, register: Register) -> None:
        self.generated = generated
        self.models = generated.module("models")
        client_module = generated.module("client")
        anonymous = client_module.Client(base_url=BASE_URL).set_httpx_client(api)
        issued = register.client(Role.LRB)
        form = self.models.IssueTokenForm(
            grant_type="client_credentials",
            client_id=issued.client_id,
            client_secret=issued.client_secret,
        )
        token = self.api("authentication.issue_token").sync_detailed(client=anonymous, body=form)
        assert token.status_code == 200, token.content
        assert isinstance(token.parsed, self.models.TokenOut)
        # set_httpx_client hands the generated client `api` as it is, headers and all
        api.headers["Authorization"] = f"Bearer {token.parsed.access_token}"
        self.client = client_module.AuthenticatedClient(
            base_url=BASE_URL, token=token.parsed.access_token
        ).set_httpx_client(api)

    def api(self, name: str) -> ModuleType:
        return self.generated.module(f"api.{name}")

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """`sync_detailed` of operation `name` (e.g. "learners.search_learners")."""
        return self.api(name).sync_detailed(*args, client=self.client, **kwargs)

    def search(self, body: dict[str, Any]) -> Any:
        found = self.call("learners.search_learners", body=self.models.SearchIn.from_dict(body))
        assert found.status_code == 200, found.content
        assert isinstance(found.parsed, self.models.LearnerSearchOut)
        return found.parsed

    def register(self, body: dict[str, Any], **extra: Any) -> Any:
        made = self.call(
            "learners.register_learner", body=self.models.RegisterIn.from_dict(body | extra)
        )
        assert made.status_code == 201, made.content
        assert isinstance(made.parsed, self.models.LearnerResult)
        return made.parsed


@pytest.fixture
def supplier(generated_client: GeneratedClient, api: TestClient, register: Register) -> Supplier:
    return Supplier(generated_client, api, register)


def search_fields(body: dict[str, Any], **changes: str) -> dict[str, Any]:
    keys = ("given_name", "family_name", "date_of_birth", "gender", "postcode")
    return {k: body[k] for k in keys} | changes


def test_a_generated_client_searches_registers_reads_and_updates_a_learner(
    supplier: Supplier, engine: sa.Engine
) -> None:
    body, elsewhere, other = many_register_bodies(3, seed=2701)
    outcome = supplier.models.LearnerSearchOutOutcome

    assert supplier.search(search_fields(body)).outcome is outcome.NO_MATCH
    learner = supplier.register(body)
    exact = supplier.search(search_fields(body))
    assert (exact.outcome, [c.uln for c in exact.learners]) == (outcome.EXACT, [learner.uln])
    possible = supplier.search(search_fields(body, given_name="Harriet"))
    assert (possible.outcome, [c.uln for c in possible.learners]) == (
        outcome.POSSIBLE,
        [learner.uln],
    )
    for name in GIVEN_NAMES:
        supplier.register(body | {"given_name": name}, confirm_different_person=True)
    too_many = supplier.search(search_fields(body, given_name="Matilda"))
    assert (too_many.outcome, too_many.learners) == (outcome.TOO_MANY, [])

    read = supplier.call("learners.get_learner", learner.uln)
    assert read.status_code == 200, read.content
    assert isinstance(read.parsed, supplier.models.LearnerResult)
    assert (read.parsed.uln, read.parsed.outcome, read.parsed.version) == (learner.uln, "exact", 1)
    assert read.headers["etag"] == '"1"'

    patch = supplier.models.LearnerPatch.from_dict({"postcode": elsewhere["postcode"]})
    updated = supplier.call("learners.update_learner", learner.uln, body=patch, if_match='"1"')
    assert updated.status_code == 200, updated.content
    assert isinstance(updated.parsed, supplier.models.LearnerResult)
    assert (updated.parsed.version, updated.parsed.postcode) == (2, elsewhere["postcode"])
    stale = supplier.call("learners.update_learner", learner.uln, body=patch, if_match='"1"')
    assert isinstance(stale.parsed, supplier.models.Problem)
    assert (stale.status_code, stale.parsed.code) == (409, "VERSION_CONFLICT")

    merged = supplier.register(other)
    with engine.begin() as conn:
        conn.execute(
            sa.update(learners)
            .where(learners.c.uln == merged.uln)
            .values(status="merged", master_uln=learner.uln)
        )
    linked = supplier.call("learners.get_learner", merged.uln)
    assert isinstance(linked.parsed, supplier.models.LearnerResult)
    assert (linked.parsed.outcome, linked.parsed.uln) == ("linked", learner.uln)


def test_a_generated_client_reads_the_learning_record(supplier: Supplier) -> None:
    body = many_register_bodies(1, seed=2702)[0]
    learner = supplier.register(body)
    # The learner's names, percent-encoded, in the Learner-* headers (issue 22).
    names = {
        "learner_given_name": quote(body["given_name"], safe=""),
        "learner_family_name": quote(body["family_name"], safe=""),
    }

    record = supplier.call("learning_record.read_learning_events", learner.uln, **names)
    since = supplier.call(
        "learning_record.read_learning_events", learner.uln, since=dt.date(2025, 1, 1), **names
    )
    unknown = supplier.call("learning_record.read_learning_events", "1000000082", **names)
    formats = supplier.models.GetLearningEventsReportFormat
    pdf = supplier.call("learning_record.get_learning_events_report", learner.uln, **names)
    csv_report = supplier.call(
        "learning_record.get_learning_events_report", learner.uln, format_=formats.CSV, **names
    )

    assert record.status_code == 200, record.content
    assert record.parsed["learning_events"] == []
    assert since.status_code == 200 and since.parsed["learning_events"] == []
    assert unknown.status_code in (404, 422)
    assert isinstance(unknown.parsed, supplier.models.Problem)
    assert pdf.status_code == 200, pdf.content
    assert pdf.parsed.payload.read().startswith(b"%PDF")
    assert csv_report.status_code == 200, csv_report.content
    assert csv_report.headers["content-type"].startswith("text/csv")
    assert csv_report.parsed.payload.read() == csv_report.content


def test_a_generated_client_submits_a_batch_and_downloads_its_output(
    supplier: Supplier, uow_factory: SqlUnitOfWorkFactory
) -> None:
    bodies = many_register_bodies(2, seed=2703)
    upload = supplier.generated.module("types").File(
        payload=io.BytesIO(registration_csv(bodies)), file_name="learners.csv", mime_type="text/csv"
    )
    form = supplier.models.SubmitBatchForm(file=upload, kind="registration")

    accepted = supplier.call("batches.submit_batch", body=form)
    assert accepted.status_code == 202, accepted.content
    job_id = accepted.parsed["id"]
    BatchWorker(uow_factory).run(until_idle=True)
    job = supplier.call("batches.get_batch", job_id)
    output = supplier.call("batches.get_batch_output", job_id)

    assert job.status_code == 200 and job.parsed["status"] == "completed"
    assert output.status_code == 200, output.content
    assert isinstance(output.parsed, str)
    rows = list(csv.DictReader(io.StringIO(output.parsed.lstrip("\ufeff"))))
    assert [r["outcome"] for r in rows] == ["registered", "registered"]
