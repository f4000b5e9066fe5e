"""An organisation admin adds a web-service account in the portal (its password shown once), the
MIS uses it, and the admin revokes it: the next message is refused."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.builders import unissued_uln
from tests.functional.portal_support import COLLEGE_ADMIN, SCHOOL_USER, post_form, sign_in
from tests.functional.soap_support import ls_envelope

PAGE = "/portal/organisations/10004321/web-services"


def find(client: TestClient, password: str) -> str:
    message = ls_envelope(
        "fin",
        "http://api.lrs.miap.gov.uk/findmsg",
        "FindLearnerByULN",
        f"<FindType>FUL</FindType><UKPRN>10004321</UKPRN><OrgPassword>{password}</OrgPassword>"
        f"<UserName>sims-live</UserName><ULN>{unissued_uln()}</ULN>"
        "<FamilyName>Smith</FamilyName><GivenName>John</GivenName>",
    )
    response = client.post("/LearnerService.svc", content=message, headers={"SOAPAction": '""'})
    found = re.search(r"<(ResponseCode|ErrorCode)>(\w+)<", response.text)
    assert found, response.text
    return found.group(2)


def test_an_admin_adds_and_revokes_a_web_service_account(browser: TestClient) -> None:
    sign_in(browser, COLLEGE_ADMIN)
    assert "Web-service accounts" in browser.get("/portal/organisations/10004321/users").text
    added = post_form(browser, PAGE, f"{PAGE}/new", {"user_name": "sims-live", "roles": "lrb"})
    assert added.status_code == 201  # type: ignore[attr-defined]
    assert added.headers["cache-control"] == "no-store"  # type: ignore[attr-defined]
    password = re.search(r'class="openlrs-secret">(\w{16})<', added.text)  # type: ignore[attr-defined]
    assert password, "the new password is shown once"
    assert "openlrs-secret" not in browser.get(PAGE).text
    assert find(browser, password.group(1)) == "WSRC0001"

    again = post_form(browser, PAGE, f"{PAGE}/new", {"user_name": "sims-live", "roles": "lrb"})
    assert again.status_code == 409  # type: ignore[attr-defined]
    revoked = post_form(browser, PAGE, f"{PAGE}/revoke", {"user_name": "sims-live"})
    assert revoked.status_code == 303  # type: ignore[attr-defined]
    assert "Revoked" in browser.get(PAGE).text
    assert find(browser, password.group(1)) == "WSEC0901"


def test_only_the_organisation_s_admin_manages_them(browser: TestClient) -> None:
    sign_in(browser, SCHOOL_USER)
    assert browser.get(PAGE).status_code == 403
