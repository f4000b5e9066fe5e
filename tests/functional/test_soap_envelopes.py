"""Hand-written SOAP messages, shaped as the LRS's clients write them (element order, namespaces,
SOAPAction), and the hostile or wrong ones: each gets the documented fault, and nothing changes.

The refusals share one database per engine (none of them may change it; the test checks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from lxml import etree

from openlrs.api.app import create_api
from openlrs.bootstrap import build_app
from openlrs.config import Settings
from openlrs.services.accounts.web_service import revoke_web_service_account
from openlrs.store.engine import build_engine
from openlrs.store.tables import learner_versions, learners
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import learner_details, unissued_uln
from tests.builders.principals import ADMIN
from tests.functional.callers import SECRET_KEY
from tests.functional.soap_support import Account, ls_envelope, web_service_account

LS = "/LearnerService.svc"
R9 = "/LearnerServiceR9.svc"
FIND = "http://api.lrs.miap.gov.uk/findmsg"
REG = "http://api.lrs.miap.gov.uk/regmsg"
EXC = "{http://api.lrs.miap.gov.uk/exceptions}MIAPAPIException"
UKPRN = "10004321"


@pytest.fixture(scope="module")
def world(
    module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, sa.Engine, Account, Account]]:
    engine = build_engine(module_database_url, pool_size=3)
    factory = SqlUnitOfWorkFactory(engine)
    settings = Settings(
        database_url=module_database_url,
        secret_key=SECRET_KEY,
        var_dir=tmp_path_factory.mktemp("soap-envelopes"),
    )
    with TestClient(create_api(settings, factory), raise_server_exceptions=False) as api:
        good = web_service_account(factory, UKPRN, "mis-user")
        gone = web_service_account(factory, UKPRN, "old-mis")
        revoke_web_service_account(UKPRN, "old-mis", principal=ADMIN, uow=factory())
        yield api, engine, good, gone
    factory.close()
    engine.dispose()


def snapshot(engine: sa.Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(sa.select(sa.func.count()).select_from(learners)).scalar_one(),
            conn.execute(sa.select(sa.func.count()).select_from(learner_versions)).scalar_one(),
        )


def find_by_uln(account: Account, *, password: str | None = None, uln: str = "") -> bytes:
    """learnerByULN exactly as HMPPS and the PHP client send it."""
    return ls_envelope(
        "fin",
        FIND,
        "FindLearnerByULN",
        "<FindType>FUL</FindType>"
        f"<UKPRN>{account.ukprn}</UKPRN>"
        f"<OrgPassword>{password or account.password}</OrgPassword>"
        f"<UserName>{account.user_name}</UserName>"
        f"<ULN>{uln or unissued_uln()}</ULN>"
        "<FamilyName>Smith</FamilyName><GivenName>John</GivenName>",
    )


def register_message(account: Account, given: str = "Amelia") -> bytes:
    d = learner_details(seed=2420)
    return ls_envelope(
        "reg",
        REG,
        "RegisterLearner",
        f"<UKPRN>{account.ukprn}</UKPRN><OrgPassword>{account.password}</OrgPassword>"
        f"<UserName>{account.user_name}</UserName><Learner>"
        f"<GivenName>{given}</GivenName><FamilyName>{d.family_name}</FamilyName>"
        f"<LastKnownPostCode>{d.postcode}</LastKnownPostCode>"
        f"<DateOfBirth>{d.date_of_birth.isoformat()}</DateOfBirth><Gender>2</Gender>"
        "<VerificationType>1</VerificationType><AbilityToShare>1</AbilityToShare></Learner>",
    )


def post(api: TestClient, content: bytes, action: str = '""', path: str = LS):  # type: ignore[no-untyped-def]
    return api.post(
        path,
        content=content,
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": action},
    )


def fault_of(response) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """(faultstring, ErrorCode, FurtherDetails) of a LearnerService fault."""
    assert response.headers["content-type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    fault = root.find(
        "{http://schemas.xmlsoap.org/soap/envelope/}Body/{http://schemas.xmlsoap.org/soap/envelope/}Fault"
    )
    assert fault is not None, response.text
    detail = fault.find(f"detail/{EXC}")
    assert detail is not None
    assert [child.tag for child in detail] == [
        "ErrorCode",
        "ErrorActor",
        "Description",
        "FurtherDetails",
        "ErrorTimestamp",
    ]
    return (
        fault.findtext("faultstring") or "",
        detail.findtext("ErrorCode") or "",
        detail.findtext("FurtherDetails") or "",
    )


def test_a_well_formed_message_as_clients_send_it_is_answered(world) -> None:  # type: ignore[no-untyped-def]
    api, _, good, _ = world
    response = post(api, find_by_uln(good))
    assert response.status_code == 200, response.text
    root = etree.fromstring(response.content)
    answer = root.find(
        f"{{http://schemas.xmlsoap.org/soap/envelope/}}Body/{{{FIND}}}FindLearnerResponse"
    )
    assert answer is not None
    assert [child.tag for child in answer][:3] == ["ResponseCode", "ULN", "FamilyName"]
    assert answer.findtext("ResponseCode") == "WSRC0001"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
<fin:FindLearnerByULN xmlns:fin="http://api.lrs.miap.gov.uk/findmsg"><FindType>&lol4;</FindType>
</fin:FindLearnerByULN></soapenv:Body></soapenv:Envelope>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
<fin:FindLearnerByULN xmlns:fin="http://api.lrs.miap.gov.uk/findmsg"><FindType>&xxe;</FindType>
</fin:FindLearnerByULN></soapenv:Body></soapenv:Envelope>"""


def test_hostile_and_malformed_messages_get_wsec0001_and_change_nothing(world) -> None:  # type: ignore[no-untyped-def]
    api, engine, good, _ = world
    before = snapshot(engine)
    register = register_message(good)
    born = learner_details(seed=2420).date_of_birth.isoformat().encode()
    out_of_order = register.replace(b"<UKPRN>", b"<UserName>x</UserName><UKPRN>", 1)
    cases = {
        "malformed": register[:-30],
        "billion laughs": BILLION_LAUGHS,
        "xxe": XXE,
        "not soap": b"<RegisterLearner/>",
        "empty": b"",
        "wrong order": out_of_order,
        "qualified children": register.replace(b"<GivenName>", b"<reg:GivenName>").replace(
            b"</GivenName>", b"</reg:GivenName>"
        ),
        "short password": register.replace(good.password.encode(), b"tooshort"),
        "bad gender": register.replace(b"<Gender>2</Gender>", b"<Gender>5</Gender>"),
        "bad date": register.replace(born, b"1799-01-01"),
        "unknown operation": ls_envelope("fin", FIND, "FindEveryone", ""),
    }
    for name, content in cases.items():
        response = post(api, content)
        assert response.status_code == 500, (name, response.text)
        faultstring, code, _ = fault_of(response)
        assert (faultstring, code) == (
            "uk.gov.miap.lrs.api.exceptions.MIAPAPIException",
            "WSEC0001",
        ), name
        assert "passwd" not in response.text and "lollol" not in response.text, name
    assert snapshot(engine) == before


def test_the_calendar_and_the_register_s_rules_are_checked_too(world) -> None:  # type: ignore[no-untyped-def]
    api, engine, good, _ = world
    before = snapshot(engine)
    d = learner_details(seed=2420)
    not_a_day = register_message(good).replace(d.date_of_birth.isoformat().encode(), b"2009-02-30")
    _, code, details = fault_of(post(api, not_a_day))
    assert (code, details) == ("WSEC0001", "VALIDATION_FAILED: date_of_birth: DATE_INVALID")
    bad_check_digit = find_by_uln(good, uln="1234567890")
    _, code, details = fault_of(post(api, bad_check_digit))
    assert code == "WSEC0136"
    assert snapshot(engine) == before


def test_a_wrong_password_a_revoked_account_and_no_ukprn_are_refused_alike(world) -> None:  # type: ignore[no-untyped-def]
    api, engine, good, gone = world
    before = snapshot(engine)
    for content in (
        find_by_uln(good, password="W" * 16),
        find_by_uln(gone),
        register_message(gone),
        find_by_uln(good).replace(f"<UKPRN>{UKPRN}</UKPRN>".encode(), b""),
    ):
        response = post(api, content)
        assert response.status_code == 500
        assert fault_of(response)[1:] == ("WSEC0901", "AUTHENTICATION_FAILED")
    assert snapshot(engine) == before


def test_the_soap_action_must_name_the_operation_sent(world) -> None:  # type: ignore[no-untyped-def]
    api, _, good, _ = world
    verify_action = '"http://tempuri.org/LearnerPortType/verifyLearner"'
    _, code, details = fault_of(post(api, find_by_uln(good), action=verify_action))
    assert code == "WSEC0001" and "SOAPAction" in details


def test_another_verb_is_the_lrs_405(world) -> None:  # type: ignore[no-untyped-def]
    api, _, _, _ = world
    response = api.put(LS, content=b"")
    assert response.status_code == 405
    _, code, details = fault_of(response)
    assert (code, details) == ("WSEC0001", "PUT")


def test_r9_faults_are_domain_faults(world) -> None:  # type: ignore[no-untyped-def]
    api = world[0]
    body = (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<GetLearnerLearningEvents xmlns="http://tempuri.org/"><uln>1</uln></GetLearnerLearningEvents>'
        b"</s:Body></s:Envelope>"
    )
    action = '"http://tempuri.org/ILearnerServiceR9/GetLearnerLearningEvents"'
    response = post(api, body, action=action, path=R9)
    assert response.status_code == 500
    fault = etree.fromstring(response.content).find(
        ".//{http://api.lrs.qcf.gov.uk/model}DomainFault"
    )
    assert fault is not None
    assert fault.findtext("{http://api.lrs.qcf.gov.uk/model}ErrorCode") == "WSEC0001"


def test_an_outage_is_a_fault_with_retry_after(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder-not-a-database"
    folder.mkdir()
    settings = Settings(database_url=f"sqlite:///{folder}", secret_key=SECRET_KEY, var_dir=tmp_path)
    app = build_app(settings)
    with TestClient(app, raise_server_exceptions=False) as api:
        response = post(api, find_by_uln(Account(UKPRN, "mis-user", "P" * 16)))
    app.state.uow_factory.close()
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert fault_of(response)[1:] == ("WSEC0904", "SERVICE_UNAVAILABLE")


def test_each_account_is_rate_limited(world, module_database_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, engine, good, _ = world
    factory = SqlUnitOfWorkFactory(engine)
    settings = Settings(
        database_url=module_database_url,
        secret_key=SECRET_KEY,
        var_dir=tmp_path,
        rate_limit_per_client=0.001,
        rate_limit_client_burst=1,
    )
    with TestClient(create_api(settings, factory), raise_server_exceptions=False) as api:
        assert post(api, find_by_uln(good)).status_code == 200
        refused = post(api, find_by_uln(good))
    factory.close()
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert fault_of(refused)[1:] == ("WSEC0903", "RATE_LIMITED")


def r9_message(account: Account, operation: str, body: str) -> bytes:
    """A LearnerServiceR9 message as a WCF client writes it: every element qualified."""
    return (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        f'<{operation} xmlns="http://tempuri.org/"><invokingOrganisation '
        'xmlns:a="http://schemas.datacontract.org/2004/07/Amor.Qcf.Service.Interface">'
        f"<a:Password>{account.password}</a:Password><a:Ukprn>{account.ukprn}</a:Ukprn>"
        f"<a:Username>{account.user_name}</a:Username></invokingOrganisation>"
        "<userType>ORG</userType><vendorId>1</vendorId><language>ENG</language>"
        f"{body}</{operation}></s:Body></s:Envelope>"
    ).encode()


def r9_fault(response) -> str | None:  # type: ignore[no-untyped-def]
    assert response.status_code == 500
    fault = etree.fromstring(response.content).find(f".//{MODEL}DomainFault")
    assert fault is not None, response.text
    return fault.findtext(f"{MODEL}ErrorCode")


MODEL = "{http://api.lrs.qcf.gov.uk/model}"
R9_ACTION = '"http://tempuri.org/ILearnerServiceR9/{}"'


def test_update_learner_subset_fields_by_hand(world) -> None:  # type: ignore[no-untyped-def]
    api, engine, good, _ = world
    before = snapshot(engine)

    def update(uln: str, ability: str) -> str | None:
        body = (
            f"<uln>{uln}</uln><versionNumber>1</versionNumber>"
            '<emailAddress>a@example.org</emailAddress><telephoneNumber i:nil="true" '
            'xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>'
            f"<abilityToShare>{ability}</abilityToShare>"
            "<schoolAtAge16/><preferredGivenName>Al</preferredGivenName>"
        )
        message = r9_message(good, "UpdateLearnerSubsetFields", body)
        action = R9_ACTION.format("UpdateLearnerSubsetFields")
        return r9_fault(post(api, message, action=action, path=R9))

    assert update(unissued_uln(), "Sometimes") == "WSEC0001"  # not in the R9 enum
    assert update(unissued_uln(), "FPNSeenShareData") == "WSEC0906"
    assert snapshot(engine) == before


def test_view_audit_by_hand_discloses_nothing_without_the_names(world) -> None:  # type: ignore[no-untyped-def]
    api, engine, good, _ = world
    before = snapshot(engine)
    body = (
        f"<learnerUln>{unissued_uln()}</learnerUln><learnerGivenName>John</learnerGivenName>"
        "<learnerFamilyName>Smith</learnerFamilyName><page>1</page>"
    )
    message = r9_message(good, "ViewAudit", body)
    response = post(api, message, action=R9_ACTION.format("ViewAudit"), path=R9)
    assert r9_fault(response) == "WSEC0208"
    assert snapshot(engine) == before
