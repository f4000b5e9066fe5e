"""The LRS-compatible SOAP services end to end, through a zeep client generated from the WSDL the
app serves, on SQLite and PostgreSQL: every LearnerService operation and the R9 PLR.

One database and app per engine for the module (each test works on learners of its own seeds),
so the WSDL is read and the accounts hashed once."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
import zeep
from fastapi.testclient import TestClient

from openlrs.api.app import create_api
from openlrs.batch.worker import BatchWorker
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import OrgType, Role
from openlrs.domain.learners.learner import AbilityToShare, LearnerDetails
from openlrs.services.plr.post_achievement import post_achievement
from openlrs.services.uln.lifecycle import MergeUlns, merge_ulns
from openlrs.store.engine import build_engine
from openlrs.store.tables import audit_events
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import learner_details, many_learner_details, unissued_uln
from tests.builders.learners import store_learner
from tests.builders.plr import achievement_command, load_qualifications
from tests.builders.principals import ADMIN, AO
from tests.functional.callers import SECRET_KEY
from tests.functional.soap_support import LS, R9, Account, web_service_account, zeep_client

COLLEGE = "10004321"


@pytest.fixture(scope="module")
def soap_engine(module_database_url: str) -> Iterator[sa.Engine]:
    engine = build_engine(module_database_url, pool_size=5)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def soap_uow(soap_engine: sa.Engine) -> Iterator[SqlUnitOfWorkFactory]:
    factory = SqlUnitOfWorkFactory(soap_engine)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def soap_api(
    module_database_url: str,
    soap_uow: SqlUnitOfWorkFactory,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[TestClient]:
    settings = Settings(
        database_url=module_database_url,
        secret_key=SECRET_KEY,
        var_dir=tmp_path_factory.mktemp("soap") / "var",
    )
    with TestClient(create_api(settings, soap_uow), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def mis(soap_api: TestClient, soap_uow: SqlUnitOfWorkFactory) -> Account:
    return web_service_account(soap_uow, COLLEGE, "mis-sims")


@pytest.fixture(scope="module")
def ls(soap_api: TestClient) -> zeep.Client:
    return zeep_client(soap_api, LS)


@pytest.fixture(scope="module")
def r9(soap_api: TestClient) -> zeep.Client:
    return zeep_client(soap_api, R9)


def to_register(details: LearnerDetails) -> dict[str, Any]:
    return {
        "GivenName": details.given_name,
        "FamilyName": details.family_name,
        "LastKnownPostCode": details.postcode,
        "DateOfBirth": details.date_of_birth.isoformat(),
        "Gender": str(int(details.gender)),
        "VerificationType": "1",
        "AbilityToShare": str(int(details.ability_to_share)),
        "EmailAddress": details.email,
    }


def search(details: LearnerDetails) -> dict[str, Any]:
    return {
        "FamilyName": details.family_name,
        "GivenName": details.given_name,
        "DateOfBirth": details.date_of_birth.isoformat(),
        "Gender": str(int(details.gender)),
        "LastKnownPostCode": details.postcode,
    }


def register(ls: zeep.Client, mis: Account, details: LearnerDetails) -> str:
    answer = ls.service.registerSingleLearner(**mis.credentials, Learner=to_register(details))
    assert answer.ResponseCode == "WSRC0005", answer
    return str(answer.ULN)


def test_find_by_uln_full_and_check(ls: zeep.Client, mis: Account) -> None:
    details = learner_details(seed=2401)
    uln = register(ls, mis, details)
    names = {"FamilyName": details.family_name, "GivenName": details.given_name}

    full = ls.service.learnerByULN(FindType="FUL", **mis.credentials, ULN=uln, **names)
    assert (full.ResponseCode, full.ULN) == ("WSRC0004", uln)
    (learner,) = full.Learner
    assert (learner.ULN, learner.FamilyName, learner.VersionNumber) == (uln, details.family_name, 1)
    assert learner.DateOfBirth == details.date_of_birth.isoformat()

    check = ls.service.learnerByULN(FindType="CHK", **mis.credentials, ULN=uln, **names)
    assert (check.ResponseCode, check.Learner) == ("WSRC0004", [])
    wrong = {"FamilyName": "Zzyzx", "GivenName": "Quentin"}
    refused = ls.service.learnerByULN(FindType="CHK", **mis.credentials, ULN=uln, **wrong)
    assert refused.ResponseCode == "WSRC0001"
    unknown = ls.service.learnerByULN(
        FindType="FUL", **mis.credentials, ULN=unissued_uln(), **names
    )
    assert (unknown.ResponseCode, unknown.Learner) == ("WSRC0001", [])


def test_find_by_demographics_gives_each_outcome(
    ls: zeep.Client, mis: Account, soap_uow: SqlUnitOfWorkFactory
) -> None:
    details = learner_details(seed=2402)
    none = ls.service.learnerByDemographics(FindType="FUL", **mis.credentials, **search(details))
    assert (none.ResponseCode, none.Learner) == ("WSRC0001", [])

    uln = register(ls, mis, details)
    exact = ls.service.learnerByDemographics(FindType="FUL", **mis.credentials, **search(details))
    assert exact.ResponseCode == "WSRC0004"
    assert [learner.ULN for learner in exact.Learner] == [uln]
    check = ls.service.learnerByDemographics(FindType="CHK", **mis.credentials, **search(details))
    assert (check.ResponseCode, check.Learner) == ("WSRC0004", [])

    twin = dataclasses.replace(
        details, given_name="Philippa", preferred_given_name=None, email=None
    )
    possible = ls.service.learnerByDemographics(FindType="FUL", **mis.credentials, **search(twin))
    assert possible.ResponseCode == "WSRC0003"
    assert [learner.ULN for learner in possible.Learner] == [uln]

    crowd = many_learner_details(1, seed=2403)[0]
    names = [
        "Amelia",
        "Olivia",
        "Isla",
        "Ava",
        "Mia",
        "Grace",
        "Sophia",
        "Lily",
        "Freya",
        "Emily",
        "Ella",
        "Poppy",
    ]
    for name in names[:11]:
        store_learner(
            soap_uow(),
            dataclasses.replace(crowd, given_name=name, email=None, preferred_given_name=None),
        )
    too_many = dataclasses.replace(
        crowd, given_name=names[11], email=None, preferred_given_name=None
    )
    many = ls.service.learnerByDemographics(FindType="FUL", **mis.credentials, **search(too_many))
    assert (many.ResponseCode, many.Learner) == ("WSRC0002", [])

    old_details, master_details = many_learner_details(2, seed=2404)
    old = store_learner(soap_uow(), old_details)
    master = store_learner(soap_uow(), master_details)
    merge_ulns(MergeUlns(old.uln, master.uln), principal=ADMIN, uow=soap_uow())
    linked = ls.service.learnerByDemographics(
        FindType="FUL", **mis.credentials, **search(old_details)
    )
    assert linked.ResponseCode == "WSRC0022"
    assert [learner.ULN for learner in linked.Learner] == [master.uln]
    assert linked.Learner[0].MasterSubstituted == "Y"


def test_register_refuses_someone_already_there_and_update_checks_the_version(
    ls: zeep.Client, mis: Account
) -> None:
    details = learner_details(seed=2405)
    uln = register(ls, mis, details)
    again = ls.service.registerSingleLearner(**mis.credentials, Learner=to_register(details))
    assert (again.ResponseCode, again.ULN) == ("WSRC0021", None)

    changed = to_register(details) | {"ULN": uln, "VersionNumber": 1, "PlaceOfBirth": "Leeds"}
    updated = ls.service.updateSingleLearner(**mis.credentials, Learner=changed)
    assert updated == "WSRC0901"  # zeep unwraps a one-element answer
    found = ls.service.learnerByULN(
        FindType="FUL",
        **mis.credentials,
        ULN=uln,
        FamilyName=details.family_name,
        GivenName=details.given_name,
    )
    assert (found.Learner[0].PlaceOfBirth, found.Learner[0].VersionNumber) == ("Leeds", 2)

    with pytest.raises(zeep.exceptions.Fault) as stale:
        ls.service.updateSingleLearner(
            **mis.credentials, Learner=changed | {"PlaceOfBirth": "York"}
        )
    assert stale.value.detail[0].findtext("ErrorCode") == "WSEC0905"
    assert stale.value.detail[0].findtext("FurtherDetails") == "VERSION_CONFLICT"


def test_verify_learner_and_retrieve_ulns_after_a_merge(
    ls: zeep.Client, mis: Account, soap_uow: SqlUnitOfWorkFactory
) -> None:
    old_details, master_details = many_learner_details(2, seed=2406)
    old = register(ls, mis, old_details)
    master = register(ls, mis, master_details)
    claim = {
        "ULN": master,
        "FamilyName": master_details.family_name,
        "GivenName": master_details.given_name,
        "DateOfBirth": master_details.date_of_birth.isoformat(),
    }
    verified = ls.service.verifyLearner(**mis.credentials, LearnerToVerify=claim)
    assert (verified.ResponseCode, verified.ULN, verified.FailureFlag) == ("WSVRC001", master, [])
    stranger = claim | {"FamilyName": "Zzyzx", "GivenName": "Quentin"}
    mismatch = ls.service.verifyLearner(**mis.credentials, LearnerToVerify=stranger)
    assert mismatch.ResponseCode == "WSVRC005"
    assert {"VRF1", "VRF5"} <= set(mismatch.FailureFlag)

    merge_ulns(MergeUlns(old, master), principal=ADMIN, uow=soap_uow())
    unknown = unissued_uln()
    answer = ls.service.retrieveULNs(
        **mis.credentials, ULNsToRetrieve={"ULN": [old, master, unknown]}
    )
    rows = {row.ULN: row for row in answer}
    assert (rows[old].ResponseCode, rows[old].MasterULN) == ("WSRC0022", master)
    assert (rows[master].ResponseCode, rows[master].MasterULN) == ("WSRC0004", None)
    assert rows[master].FamilyName == master_details.family_name
    assert rows[unknown].ResponseCode == "WSRC0001"


def test_both_batch_pairs(ls: zeep.Client, mis: Account, soap_uow: SqlUnitOfWorkFactory) -> None:
    first, second = many_learner_details(2, seed=2407)
    rows = [
        to_register(first) | {"MISIdentifier": "MIS-1"},
        to_register(second) | {"MISIdentifier": "MIS-2"},
    ]
    submitted = ls.service.submitBatchRegistration(
        **mis.credentials, JobType="REG", LearnerRecordCount=2, Learner=rows
    )
    assert submitted.ResponseCode == "WSRC0910" and submitted.JobID > 0
    waiting = ls.service.getBatchRegistrationOutput(**mis.credentials, JobID=submitted.JobID)
    assert (waiting.ResponseCode, waiting.JobStatus, waiting.Learner) == ("WSRC0912", "queued", [])
    BatchWorker(soap_uow).run(until_idle=True)
    output = ls.service.getBatchRegistrationOutput(**mis.credentials, JobID=submitted.JobID)
    assert (output.ResponseCode, output.JobStatus, output.NewLearnersCount) == (
        "WSRC0911",
        "completed",
        2,
    )
    assert [(row.MISIdentifier, row.ReturnCode) for row in output.Learner] == [
        ("MIS-1", "WSRC0005"),
        ("MIS-2", "WSRC0005"),
    ]
    ulns = [row.ULN for row in output.Learner]

    to_verify = [
        {
            "MISIdentifier": "V-1",
            "ULN": ulns[0],
            "FamilyName": first.family_name,
            "GivenName": first.given_name,
        },
        {"MISIdentifier": "V-2", "ULN": ulns[1], "FamilyName": "Zzyzx", "GivenName": "Quentin"},
    ]
    job = ls.service.submitVerifyBatch(**mis.credentials, LearnerRecordCount=2, Learner=to_verify)
    assert job.ResponseCode == "WSRC0910"
    BatchWorker(soap_uow).run(until_idle=True)
    checked = ls.service.getVerifyBatchOutput(**mis.credentials, JobID=job.JobID)
    assert checked.JobStatus == "completed"
    assert [(r.MISIdentifier, r.ResponseCode) for r in checked.VerifiedLearner] == [
        ("V-1", "WSVRC001"),
        ("V-2", "WSVRC005"),
    ]
    with pytest.raises(zeep.exceptions.Fault) as wrong_kind:
        ls.service.getVerifyBatchOutput(**mis.credentials, JobID=submitted.JobID)
    assert wrong_kind.value.detail[0].findtext("FurtherDetails") == "BATCH_NOT_FOUND"


def test_the_plr_shared_not_shared_not_verified_and_linked(
    r9: zeep.Client, mis: Account, soap_uow: SqlUnitOfWorkFactory
) -> None:
    load_qualifications(soap_uow())
    shares, declined, master_details = many_learner_details(3, seed=2408)
    # A merge joins two records of one person: the duplicate differs only where it was mistyped.
    old_details = dataclasses.replace(master_details, postcode="ZZ99 9ZZ", email=None)
    declined = dataclasses.replace(declined, ability_to_share=int(AbilityToShare.DECLINED))
    learners = [
        store_learner(soap_uow(), d) for d in (shares, declined, old_details, master_details)
    ]
    for learner in learners:
        post_achievement(achievement_command(learner), principal=AO, uow=soap_uow())
    shared, opted_out, old, master = learners
    merge_ulns(MergeUlns(old.uln, master.uln), principal=ADMIN, uow=soap_uow())

    def events(uln: str, details: LearnerDetails) -> Any:
        return r9.service.GetLearnerLearningEvents(
            invokingOrganisation=mis.invoking,
            userType="LNR",
            vendorID=1,
            language="ENG",
            uln=uln,
            givenName=details.given_name,
            familyName=details.family_name,
            dateOfBirth=details.date_of_birth.isoformat(),
            gender=None,
            getType="FULL",
        )

    found = events(shared.uln, shares)
    assert (found.ResponseCode, found.FoundULN, found.IncomingULN) == (
        "WSRC0004",
        shared.uln,
        shared.uln,
    )
    assert [e.SubjectCode for e in found.LearnerRecord.LearningEvent] == ["100/0001/1"]
    not_shared = events(opted_out.uln, declined)
    assert (not_shared.ResponseCode, not_shared.FoundULN) == ("WSEC0206", opted_out.uln)
    assert not not_shared.LearnerRecord
    not_verified = events(shared.uln, declined)
    assert (not_verified.ResponseCode, not_verified.FoundULN) == ("WSEC0208", None)
    assert not not_verified.LearnerRecord
    linked = events(old.uln, old_details)
    assert (linked.ResponseCode, linked.FoundULN, linked.IncomingULN) == (
        "WSRC0022",
        master.uln,
        old.uln,
    )
    assert len(linked.LearnerRecord.LearningEvent) == 2  # the master's own and the one moved to it

    by_uln = r9.service.LearnerByUln(
        invokingOrganisation=mis.invoking | {"ChannelCode": "3"},
        userType="ORG",
        vendorId=1,
        language="ENG",
        uln=shared.uln,
        givenName=shares.given_name,
        familyName=shares.family_name,
        findType="FUL",
    )
    assert (by_uln.ResponseCode, by_uln.Learner.Uln, by_uln.Learner.VersionNumber) == (
        "WSRC0004",
        shared.uln,
        1,
    )
    organisation = r9.service.GetOrganisation(
        invokingOrganisation=mis.invoking, userType="ORG", vendorId=1, language="ENG", ukPrn=COLLEGE
    )
    assert (organisation.Ukprn, organisation.Status) == (COLLEGE, "active")


def test_every_operation_is_audited_as_the_web_service_account(
    ls: zeep.Client, mis: Account, soap_engine: sa.Engine
) -> None:
    details = learner_details(seed=2409)
    register(ls, mis, details)
    ls.service.learnerByDemographics(FindType="FUL", **mis.credentials, **search(details))
    with soap_engine.connect() as conn:
        actions = set(
            conn.execute(
                sa.select(audit_events.c.action).where(
                    audit_events.c.actor == f"webservice:{COLLEGE}/mis-sims"
                )
            ).scalars()
        )
    assert {"learner.register", "learner.search"} <= actions


def test_an_awarding_organisation_account_may_not_register(
    ls: zeep.Client, soap_uow: SqlUnitOfWorkFactory
) -> None:
    awarding = web_service_account(
        soap_uow, "10009999", "ao-system", frozenset({Role.AO}), OrgType.AWARDING_ORGANISATION
    )
    with pytest.raises(zeep.exceptions.Fault) as refused:
        ls.service.registerSingleLearner(
            **awarding.credentials, Learner=to_register(learner_details(seed=2410))
        )
    assert refused.value.detail[0].findtext("ErrorCode") == "WSEC0902"


def test_the_served_wsdl_names_the_schemas_at_their_xsd_addresses(soap_api: TestClient) -> None:
    wsdl = soap_api.get("/LearnerService.svc?wsdl")
    assert wsdl.status_code == 200
    assert wsdl.headers["content-type"].startswith("text/xml")
    assert b'schemaLocation="http://testserver/LearnerService.svc?xsd=findmsg"' in wsdl.content
    xsd = soap_api.get("/LearnerService.svc?xsd=learner")
    assert b'<xs:length value="16"/>' in xsd.content
    assert soap_api.get("/LearnerService.svc?xsd=../../etc/passwd").status_code == 404


def test_another_organisation_must_name_the_learner(
    ls: zeep.Client, mis: Account, soap_uow: SqlUnitOfWorkFactory
) -> None:
    """Find by ULN discloses a learner to an organisation without a relationship to them only
    when the names sent verify (i22's knowledge check); retrieveULNs names nobody, so WSEC0208."""
    details = learner_details(seed=2411)
    uln = register(ls, mis, details)
    school = web_service_account(soap_uow, "10007777", "school-mis")
    names = {"FamilyName": details.family_name, "GivenName": details.given_name}
    known = ls.service.learnerByULN(FindType="FUL", **school.credentials, ULN=uln, **names)
    assert (known.ResponseCode, [learner.ULN for learner in known.Learner]) == ("WSRC0004", [uln])
    wrong = {"FamilyName": "Zzyzx", "GivenName": "Quentin"}
    unknown = ls.service.learnerByULN(FindType="FUL", **school.credentials, ULN=uln, **wrong)
    assert (unknown.ResponseCode, unknown.Learner) == ("WSRC0001", [])
    (row,) = ls.service.retrieveULNs(**school.credentials, ULNsToRetrieve={"ULN": [uln]})
    assert (row.ResponseCode, row.FamilyName) == ("WSEC0208", None)


MODEL = "{http://api.lrs.qcf.gov.uk/model}"


def r9_error_code(fault: pytest.ExceptionInfo[zeep.exceptions.Fault]) -> str | None:
    detail = fault.value.detail
    assert detail is not None
    return detail.findtext(f".//{MODEL}ErrorCode")


def test_update_learner_subset_fields_is_version_checked_and_a_stranger_requests_it(
    ls: zeep.Client, r9: zeep.Client, mis: Account, soap_uow: SqlUnitOfWorkFactory
) -> None:
    details = learner_details(seed=2412)
    details = dataclasses.replace(details, ability_to_share=int(AbilityToShare.NOTICE_NOT_SEEN))
    uln = register(ls, mis, details)

    def subset(account: Account, version: int, **fields: Any) -> Any:
        return r9.service.UpdateLearnerSubsetFields(
            invokingOrganisation=account.invoking,
            userType="ORG",
            vendorId=1,
            language="ENG",
            uln=uln,
            versionNumber=version,
            **fields,
        )

    answer = subset(
        mis,
        1,
        emailAddress="new.address@example.org",
        telephoneNumber="01632 960000",
        abilityToShare="FPNSeenShareData",
        preferredGivenName="Sam",
    )
    assert answer == "WSRC0901"
    found = r9.service.LearnerByUln(
        invokingOrganisation=mis.invoking,
        userType="ORG",
        vendorId=1,
        language="ENG",
        uln=uln,
        givenName=details.given_name,
        familyName=details.family_name,
        findType="FUL",
    ).Learner
    assert (
        found.EmailAddress,
        found.PreferredGivenName,
        found.AbilityToShare,
        found.VersionNumber,
        found.FamilyName,
    ) == ("new.address@example.org", "Sam", 1, 2, details.family_name)

    with pytest.raises(zeep.exceptions.Fault) as stale:
        subset(mis, 1, schoolAtAge16="Old School")
    assert r9_error_code(stale) == "WSEC0905"
    # An organisation with no relationship to the learner: a change request, nothing changed yet.
    stranger = web_service_account(soap_uow, "10007778", "other-mis")
    assert subset(stranger, 2, schoolAtAge16="Another School") == "WSRC0902"
    assert subset(mis, 2, abilityToShare="NotProvided") == "WSRC0901"


def test_view_audit_lists_the_organisations_reads_for_a_caller_who_names_the_learner(
    ls: zeep.Client, r9: zeep.Client, mis: Account, soap_uow: SqlUnitOfWorkFactory
) -> None:
    details = learner_details(seed=2413)
    details = dataclasses.replace(details, ability_to_share=int(AbilityToShare.MAY_SHARE))
    uln = register(ls, mis, details)
    school = web_service_account(soap_uow, "10007779", "school-reader")
    for _ in range(2):
        r9.service.GetLearnerLearningEvents(
            invokingOrganisation=school.invoking,
            userType="ORG",
            vendorID=1,
            language="ENG",
            uln=uln,
            givenName=details.given_name,
            familyName=details.family_name,
            getType="FULL",
        )

    def view(given_name: str, page: int = 1) -> Any:
        return r9.service.ViewAudit(
            invokingOrganisation=mis.invoking,
            userType="ORG",
            vendorId=1,
            language="ENG",
            learnerUln=uln,
            learnerGivenName=given_name,
            learnerFamilyName=details.family_name,
            page=page,
        )

    seen = view(details.given_name)
    reads = [e for e in seen.List.PlrAccessEntryResponse if e.User == school.ukprn]
    assert [(e.Action, e.Organisation) for e in reads] == [
        ("Your learning record", f"Org {school.ukprn}")
    ] * 2
    assert (seen.PageIndex, seen.PageSize, seen.PageCount, seen.SortOrder) == (
        1,
        20,
        1,
        "Descending",
    )
    assert seen.TotalItems == len(seen.List.PlrAccessEntryResponse) >= 2
    assert not view(details.given_name, page=2).List
    with pytest.raises(zeep.exceptions.Fault) as refused:
        view("Quentinx")
    assert r9_error_code(refused) == "WSEC0208"
