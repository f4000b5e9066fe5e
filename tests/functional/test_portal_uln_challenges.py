"""Reporting a problem with a ULN in the portal: the challenge reaches the service desk's list,
bad input is summarised, and no learner details appear on the pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr.event_challenges import list_challenges
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_learner_details, unissued_uln
from tests.functional.portal_support import COLLEGE_ADMIN, post_form, sign_in

REGISTRAR = Principal("user:registrar", "10004321", frozenset({Role.LRB}))
DESK = Principal("user:desk", "10000001", frozenset({Role.ADMIN}))


def _report(client: TestClient, **data: str) -> object:
    return post_form(client, "/portal/uln-challenges", "/portal/uln-challenges", data)


def test_a_duplicate_reported_in_the_portal_reaches_the_service_desk(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    first, second = many_learner_details(2, seed=71)
    ulns = [
        register_learner(RegisterLearner(d), principal=REGISTRAR, uow=uow_factory()).uln
        for d in (first, second)
    ]
    sign_in(browser, COLLEGE_ADMIN)

    reported = _report(
        browser, kind="uln_duplicate", uln=ulns[0], related_uln=ulns[1], reason="Registered twice"
    )
    assert reported.status_code == 303  # type: ignore[attr-defined]
    page = browser.get(reported.headers["location"])  # type: ignore[attr-defined]

    assert page.status_code == 200
    assert "ULN problem reported" in page.text  # type: ignore[attr-defined]
    assert first.family_name not in page.text  # type: ignore[attr-defined]
    [challenge] = list_challenges(principal=DESK, uow=uow_factory())
    assert (challenge.kind.value, challenge.uln, challenge.related_uln) == (
        "uln_duplicate",
        ulns[0],
        ulns[1],
    )
    assert challenge.id in page.text  # type: ignore[attr-defined]


def test_bad_reports_show_the_error_summary(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    assert browser.get("/portal/uln-challenges").status_code == 200

    empty = _report(browser, kind="", uln="", related_uln="", reason="")
    assert empty.status_code == 422  # type: ignore[attr-defined]
    assert 'href="#kind"' in empty.text and 'href="#uln"' in empty.text  # type: ignore[attr-defined]
    unknown = _report(browser, kind="uln_shared", uln=unissued_uln(), related_uln="", reason="x")
    assert "No learner has this ULN" in unknown.text  # type: ignore[attr-defined]
    wrong = _report(browser, kind="uln_shared", uln="1234567890", related_uln="", reason="x")
    assert "Enter a real ULN" in wrong.text  # type: ignore[attr-defined]
    no_other = _report(
        browser, kind="uln_duplicate", uln=unissued_uln(), related_uln="", reason="x"
    )
    assert 'href="#related_uln"' in no_other.text  # type: ignore[attr-defined]
