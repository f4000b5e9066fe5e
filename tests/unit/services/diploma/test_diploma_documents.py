"""The certificate and transcript of an awarded Diploma: every component with its grade and
never its points, only once awarded, and each one produced audited."""

from __future__ import annotations

import dataclasses

import pytest

from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.errors import DiplomaAccountNotFound, DiplomaNotAwarded
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.reports.diploma_document import certificate_lines, transcript_rows
from openlrs.services.diploma.award import AwardDiploma, award_diploma
from openlrs.services.diploma.claim import claim_diploma
from openlrs.services.diploma.documents import DiplomaDocumentKind, diploma_document
from openlrs.services.diploma.view_account import view_diploma_account
from tests.builders import AO, LRB, OTHER_CENTRE, fill_account, learner_details, opened_account
from tests.unit.fakes import FakeUnitOfWork

RULES = diploma_rules("engineering", "higher")


def _awarded(uow: FakeUnitOfWork) -> str:
    account_id = opened_account(uow)
    fill_account(uow, account_id)
    claim_diploma(account_id, principal=LRB, uow=uow)
    award_diploma(AwardDiploma(account_id), principal=AO, uow=uow)
    return account_id


def test_the_transcript_lists_every_component_with_its_grade_and_no_points(
    uow: FakeUnitOfWork,
) -> None:
    account_id = _awarded(uow)
    account, _ = view_diploma_account(account_id, principal=LRB, uow=uow)
    scored = {k: dataclasses.replace(r, points=987) for k, r in account.results.items()}
    account = dataclasses.replace(account, results=scored)

    rows = transcript_rows(account)

    assert len(rows) == len(account.results)
    assert {(row[1], row[4]) for row in rows} == {
        (r.qualification, r.grade) for r in account.results.values()
    }
    assert not any("987" in cell for row in rows for cell in row)
    assert rows[0][0] == "Principal learning"


def test_the_certificate_names_the_diploma_the_learner_and_the_grade(
    uow: FakeUnitOfWork,
) -> None:
    account_id = _awarded(uow)
    account, _ = view_diploma_account(account_id, principal=LRB, uow=uow)
    with uow:
        learner = uow.learners.get(account.uln)
    assert learner is not None

    lines = certificate_lines(account, RULES, learner)

    assert "Higher Diploma in Engineering" in lines and "Grade: A" in lines
    assert f"awarded to {learner_details(1).given_name} {learner_details(1).family_name}" in lines


def test_both_documents_are_pdfs_and_audited(uow: FakeUnitOfWork) -> None:
    account_id = _awarded(uow)
    for kind in DiplomaDocumentKind:
        document = diploma_document(account_id, kind, principal=AO, uow=uow)
        assert document.content.startswith(b"%PDF") and document.media_type == "application/pdf"
    produced = [
        (e.action, e.actor, e.outcome)
        for e in uow.database.committed.audit
        if e.action in {AuditAction.DIPLOMA_CERTIFICATE, AuditAction.DIPLOMA_TRANSCRIPT}
    ]
    assert produced == [
        (AuditAction.DIPLOMA_CERTIFICATE, AO.actor, "produced"),
        (AuditAction.DIPLOMA_TRANSCRIPT, AO.actor, "produced"),
    ]


def test_no_document_before_the_award_or_for_another_centre(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    with pytest.raises(DiplomaNotAwarded):
        diploma_document(account_id, DiplomaDocumentKind.CERTIFICATE, principal=LRB, uow=uow)
    with pytest.raises(DiplomaAccountNotFound):
        diploma_document(
            account_id, DiplomaDocumentKind.TRANSCRIPT, principal=OTHER_CENTRE, uow=uow
        )
