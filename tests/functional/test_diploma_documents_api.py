"""An awarded Diploma's certificate and transcript over HTTP: PDFs for whoever may view the
account, audited, and a clear 409 before the award."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.audit import AuditAction
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import awarded_diploma_account, complete_diploma_account
from tests.functional.callers import Register
from tests.functional.expectations import assert_problem

ACCOUNTS = "/api/v1/diploma/accounts"


def _pdf_title(content: bytes) -> str:
    found = re.search(rb"/Title \((.*?)\)", content)
    assert found is not None
    return found.group(1).decode("latin-1")


def test_an_awarded_diploma_has_a_certificate_and_a_transcript(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    account_id = awarded_diploma_account(uow_factory, seed=9101)
    centre = register.headers(Role.LRB)

    certificate = api.get(f"{ACCOUNTS}/{account_id}/certificate", headers=centre)
    transcript = api.get(f"{ACCOUNTS}/{account_id}/transcript", headers=centre)

    for response, kind in ((certificate, "certificate"), (transcript, "transcript")):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert f"diploma-{account_id}-{kind}.pdf" in response.headers["content-disposition"]
        assert _pdf_title(response.content) == f"Higher Diploma in Engineering: {kind}"
    uln = api.get(f"{ACCOUNTS}/{account_id}", headers=centre).json()["uln"]
    with uow_factory() as uow:
        trail = uow.audit.list(ukprn=None, uln=uln, before_id=None, limit=100)
    actions = {e.action for e in trail}
    assert {AuditAction.DIPLOMA_CERTIFICATE, AuditAction.DIPLOMA_TRANSCRIPT} <= actions


def test_no_certificate_before_the_award_and_none_for_another_centre(
    api: TestClient, register: Register, uow_factory: SqlUnitOfWorkFactory
) -> None:
    claimed = complete_diploma_account(uow_factory, seed=9102, claimed=True)
    centre = register.headers(Role.LRB)

    early = api.get(f"{ACCOUNTS}/{claimed}/certificate", headers=centre)
    missing = api.get(f"{ACCOUNTS}/999999/transcript", headers=centre)

    assert_problem(early, 409, "DIPLOMA_NOT_AWARDED")
    assert_problem(missing, 404, "DIPLOMA_ACCOUNT_NOT_FOUND")
