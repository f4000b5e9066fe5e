"""Calling the SOAP services in tests: a zeep client generated from the WSDL the app serves (over
the in-process test client), web-service accounts, and hand-written envelopes."""

from __future__ import annotations

from typing import Any

import requests
import zeep
from fastapi.testclient import TestClient
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Role
from openlrs.services.accounts import manage
from openlrs.services.accounts.web_service import create_web_service_account
from openlrs.store.uow import SqlUnitOfWorkFactory

BASE = "http://testserver"
LS = f"{BASE}/LearnerService.svc"
R9 = f"{BASE}/LearnerServiceR9.svc"


class TestClientAdapter(BaseAdapter):
    """requests' transport onto the app in process: zeep fetches the WSDL and posts through it."""

    def __init__(self, client: TestClient) -> None:
        super().__init__()
        self.client = client

    def send(self, request: requests.PreparedRequest, **_: Any) -> requests.Response:  # type: ignore[override]
        answer = self.client.request(
            str(request.method),
            str(request.url),
            content=request.body,  # type: ignore[arg-type]
            headers=dict(request.headers),
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(answer.headers)
        response.url = str(request.url)
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def zeep_client(api: TestClient, wsdl: str) -> zeep.Client:
    session = requests.Session()
    session.mount(BASE, TestClientAdapter(api))
    transport = zeep.Transport(session=session)
    return zeep.Client(f"{wsdl}?wsdl", transport=transport)


class Account:
    """A web-service account: the credentials every LearnerService request carries."""

    def __init__(self, ukprn: str, user_name: str, password: str) -> None:
        self.ukprn = ukprn
        self.user_name = user_name
        self.password = password

    @property
    def credentials(self) -> dict[str, str]:
        return {"UKPRN": self.ukprn, "OrgPassword": self.password, "UserName": self.user_name}

    @property
    def invoking(self) -> dict[str, str]:
        return {"Password": self.password, "Ukprn": self.ukprn, "Username": self.user_name}


def web_service_account(
    uow_factory: SqlUnitOfWorkFactory,
    ukprn: str,
    user_name: str,
    roles: frozenset[Role] = frozenset({Role.LRB}),
    org_type: OrgType = OrgType.COLLEGE,
) -> Account:
    manage.ensure_organisation(ukprn, f"Org {ukprn}", org_type, principal=SYSTEM, uow=uow_factory())
    made = create_web_service_account(ukprn, user_name, roles, principal=SYSTEM, uow=uow_factory())
    return Account(ukprn, user_name, made.password)


def ls_envelope(prefix: str, namespace: str, operation: str, body: str) -> bytes:
    """A LearnerService message as an MIS writes it: the operation element qualified, its
    children unqualified, in the schema's order."""
    return (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:{prefix}="{namespace}"><soapenv:Header/><soapenv:Body>'
        f"<{prefix}:{operation}>{body}</{prefix}:{operation}>"
        "</soapenv:Body></soapenv:Envelope>"
    ).encode()
