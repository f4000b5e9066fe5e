"""The two SOAP endpoints: /LearnerService.svc and /LearnerServiceR9.svc.

GET `?wsdl` and `?xsd=<name>` serve the service description. POST takes one SOAP 1.1 message: it
is parsed safely, dispatched on its body element, validated against the schemas, its credentials
checked (a web-service account of the organisation, rate-limited per account), and its operation
run on a worker thread. Every refusal is the service's fault; any other verb is the LRS's
WSEC0001 UnsupportedHttpVerb with HTTP 405.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from openlrs.api.operations.rate_limits import TokenBuckets
from openlrs.config import Settings
from openlrs.domain.errors import DomainError, ServiceUnavailable
from openlrs.services.accounts.web_service import web_service_principal
from openlrs.services.notices.maintenance import NoticeBoard
from openlrs.soap import batches, learner_service, plr_service
from openlrs.soap.envelope import (
    BadRequest,
    envelope,
    parse_body,
    schema,
    served_document,
    text,
    validate,
)
from openlrs.soap.faults import (
    Fault,
    RateLimited,
    ReadOnly,
    domain_fault,
    fault_for,
    miap_fault,
)
from openlrs.soap.learner_service import Call

XML = "text/xml; charset=utf-8"
if TYPE_CHECKING:
    Handler = Callable[[etree._Element, Call], etree._Element]
    Credentials = Callable[[etree._Element], tuple[str | None, str, str]]


@dataclass(frozen=True)
class Operation:
    handler: Handler
    action: str
    """The SOAPAction the WSDL declares; a message that sends another is refused."""
    writes: bool = False
    """Whether it changes anything (registers, updates, submits a batch): refused while read-only."""


@dataclass(frozen=True)
class Service:
    path: str
    wsdl: str
    schemas: tuple[str, ...]
    operations: dict[str, Operation]
    credentials: Credentials
    fault: Callable[[Fault], bytes]


def _ls(namespace: str, name: str) -> str:
    return f"{{http://api.lrs.miap.gov.uk/{namespace}}}{name}"


def _ls_credentials(request: etree._Element) -> tuple[str | None, str, str]:
    password = request.find("OrgPassword")
    return (
        text(request, "UKPRN"),
        text(request, "UserName") or "",
        (password.text or "") if password is not None else "",
    )


LEARNER_SERVICE = Service(
    path="/LearnerService.svc",
    wsdl="LearnerService.wsdl",
    schemas=("findmsg.xsd", "regmsg.xsd", "batchmsg.xsd", "vldmsg.xsd", "reportmsg.xsd"),
    operations={
        _ls("findmsg", "FindLearnerByULN"): Operation(learner_service.learner_by_uln, ""),
        _ls("findmsg", "FindLearnerByDemographics"): Operation(
            learner_service.learner_by_demographics, ""
        ),
        _ls("regmsg", "RegisterLearner"): Operation(
            learner_service.register_single_learner, "", writes=True
        ),
        _ls("regmsg", "UpdateLearner"): Operation(
            learner_service.update_single_learner, "", writes=True
        ),
        _ls("batchmsg", "SubmitBatch"): Operation(
            batches.submit_batch_registration, "", writes=True
        ),
        _ls("batchmsg", "GetSubmitBatchOutput"): Operation(
            batches.get_batch_registration_output, ""
        ),
        _ls("vldmsg", "SubmitVerifyBatch"): Operation(batches.submit_verify_batch, "", writes=True),
        _ls("vldmsg", "GetVerifyBatchOutput"): Operation(batches.get_verify_batch_output, ""),
        _ls("reportmsg", "RetrieveULNs"): Operation(learner_service.retrieve_ulns, ""),
        _ls("reportmsg", "VerifyLearner"): Operation(
            learner_service.verify_single_learner,
            "http://tempuri.org/LearnerPortType/verifyLearner",
        ),
    },
    credentials=_ls_credentials,
    fault=miap_fault,
)

_R9 = "http://tempuri.org/ILearnerServiceR9/"
LEARNER_SERVICE_R9 = Service(
    path="/LearnerServiceR9.svc",
    wsdl="LearnerServiceR9.wsdl",
    schemas=("r9-service.xsd",),
    operations={
        f"{{{plr_service.TEMPURI}}}GetLearnerLearningEvents": Operation(
            plr_service.get_learner_learning_events, f"{_R9}GetLearnerLearningEvents"
        ),
        f"{{{plr_service.TEMPURI}}}LearnerByUln": Operation(
            plr_service.learner_by_uln, f"{_R9}LearnerByUln"
        ),
        f"{{{plr_service.TEMPURI}}}GetOrganisation": Operation(
            plr_service.get_organisation_details, f"{_R9}GetOrganisation"
        ),
        f"{{{plr_service.TEMPURI}}}UpdateLearnerSubsetFields": Operation(
            plr_service.update_learner_subset_fields, f"{_R9}UpdateLearnerSubsetFields"
        ),
        f"{{{plr_service.TEMPURI}}}ViewAudit": Operation(plr_service.view_audit, f"{_R9}ViewAudit"),
    },
    credentials=plr_service.credentials,
    fault=domain_fault,
)

SERVICES = (LEARNER_SERVICE, LEARNER_SERVICE_R9)
DOCUMENTS = frozenset(
    {
        "learner",
        "findmsg",
        "regmsg",
        "batchmsg",
        "vldmsg",
        "reportmsg",
        "exceptions",
        "r9-service",
        "r9-model",
        "r9-interface",
    }
)


def _fault_response(service: Service, fault: Fault) -> Response:
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else None
    return Response(service.fault(fault), fault.http_status, headers=headers, media_type=XML)


def _refuse_when_read_only(request: Request) -> None:
    """Read-only maintenance (or the setting): a write is refused as an outage, with Retry-After;
    lookups carry on, as in the REST API (api/notices/read_only.py)."""
    board: NoticeBoard = request.app.state.notice_board
    notices = board.current()
    if notices.read_only:
        raise ReadOnly(notices.retry_after(board.now()))


def _action(request: Request) -> str:
    return request.headers.get("soapaction", "").strip().strip('"')


class Endpoint:
    """One service's ASGI endpoint, with its own per-account rate limit."""

    def __init__(self, service: Service, settings: Settings) -> None:
        self.service = service
        self.limit = (
            TokenBuckets(settings.rate_limit_per_client, settings.rate_limit_client_burst)
            if settings.rate_limit_per_client > 0
            else None
        )
        self.route: Route | None = None

    async def handle(self, request: Request) -> Response:
        # For the access log and metrics (api/operations/request_context.py), as FastAPI's routes.
        request.scope["route"] = self.route
        if request.method in ("GET", "HEAD"):
            return self._description(request)
        if request.method != "POST":
            fault = Fault("WSEC0001", "UnsupportedHttpVerb", request.method, http_status=405)
            return _fault_response(self.service, fault)
        content = await request.body()
        try:
            payload = await run_in_threadpool(self._answer, request, content)
        except (BadRequest, DomainError, ServiceUnavailable, RateLimited, ReadOnly) as error:
            return _fault_response(self.service, fault_for(error))
        return Response(envelope(payload), 200, media_type=XML)

    def _answer(self, request: Request, content: bytes) -> etree._Element:
        operation_element = parse_body(content)
        tag = str(operation_element.tag)
        operation = self.service.operations.get(tag)
        if operation is None:
            raise BadRequest(f"{self.service.path} has no operation {tag}")
        action = _action(request)
        if action and action != operation.action:
            raise BadRequest(f"The SOAPAction {action!r} does not name this operation")
        if operation.writes:
            _refuse_when_read_only(request)
        validate(operation_element, schema(*self.service.schemas))
        ukprn, user_name, password = self.service.credentials(operation_element)
        state = request.app.state
        principal = web_service_principal(ukprn, user_name, password, uow=state.uow_factory())
        if self.limit is not None:
            wait = self.limit.take(principal.actor)
            if wait > 0:
                raise RateLimited(max(1, int(wait + 0.999)))
        return operation.handler(
            operation_element, Call(principal, state.uow_factory, state.policy)
        )

    def _description(self, request: Request) -> Response:
        base = str(request.url.replace(query=""))
        wanted = request.query_params.get("xsd")
        if wanted is not None:
            if wanted not in DOCUMENTS:
                return Response(b"", 404, media_type=XML)
            return Response(served_document(f"{wanted}.xsd", base), 200, media_type=XML)
        return Response(served_document(self.service.wsdl, base), 200, media_type=XML)


def routes(settings: Settings) -> list[Route]:
    """The SOAP endpoints, for the app's route list (any verb: others get the LRS's 405 fault)."""
    verbs = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    found = []
    for service in SERVICES:
        endpoint = Endpoint(service, settings)
        endpoint.route = Route(
            service.path, endpoint.handle, methods=verbs, include_in_schema=False
        )
        found.append(endpoint.route)
    return found
