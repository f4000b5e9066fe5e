"""The Personal Learning Record report: the record read (and audited) as for the API, as a PDF
to print or a CSV to download. A caller who may not see the learner's details (an awarding
organisation) gets a report with the ULN and its own deposits only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.matching.knowledge import Knowledge
from openlrs.reports.plr_document import plr_csv, plr_pdf
from openlrs.services.plr.read import ReadPlr, read_plr
from openlrs.services.ports import UnitOfWork

MEDIA = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


@dataclass(frozen=True)
class Report:
    content: bytes
    media_type: str
    filename: str


def plr_report(
    uln: str,
    fmt: str,
    *,
    principal: Principal,
    uow: UnitOfWork,
    knowledge: Knowledge | None = None,
) -> Report:
    """The report, read as `read_plr` reads (`knowledge` as there)."""
    if fmt not in MEDIA:
        message = "The report format is pdf or csv"
        raise ValidationFailed([FieldError("format", "REPORT_FORMAT_INVALID", message)])
    plr = read_plr(
        ReadPlr(uln, knowledge=knowledge),
        principal=principal,
        uow=uow,
        action=AuditAction.PLR_REPORT,
    )
    if fmt == "csv":
        content = plr_csv(plr.uln, plr.learner, plr.events)
    else:
        now = dt.datetime.now(dt.UTC)
        content = plr_pdf(plr.uln, plr.learner, plr.events, version=plr.version, made_at=now)
    return Report(content, MEDIA[fmt], f"plr-{plr.uln}.{fmt}")
