"""A learner's Personal Learning Record as a printable PDF (fpdf2, pure Python) or a CSV.

The PDF uses DejaVu Sans when the system has it (every name prints as written); otherwise the
built-in Helvetica, which only has Latin-1, and characters outside it print as `?`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

from openlrs.domain.learners.learner import Learner
from openlrs.domain.plr.achievements import LearningEvent
from openlrs.reports.spreadsheet import SafeCsvWriter

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CSV_COLUMNS = (
    "event_id",
    "event_type",
    "status",
    "under_challenge",
    "subject",
    "subject_title",
    "qualification_type",
    "level",
    "grade",
    "credits",
    "award_date",
    "start_date",
    "end_date",
    "recorded_by_ukprn",
    "source",
)
_PDF_COLUMNS = (("Date", 22), ("Type", 24), ("Subject", 26), ("Title", 62), ("Level", 12),
                ("Grade", 16), ("Status", 28))  # fmt: skip


def _cells(event: LearningEvent) -> list[str]:
    values: list[object] = [
        event.id,
        event.event_type.value,
        event.status.value,
        "yes" if event.under_challenge else "no",
        event.subject,
        event.subject_title,
        event.qualification_type,
        event.level,
        event.grade,
        event.credits,
        event.award_date,
        event.start_date,
        event.end_date,
        event.ukprn,
        event.source,
    ]
    return ["" if v is None else str(v) for v in values]


def _name(learner: Learner | None) -> str:
    return "" if learner is None else f"{learner.details.given_name} {learner.details.family_name}"


def plr_csv(uln: str, learner: Learner | None, events: Sequence[LearningEvent]) -> bytes:
    """One line per event, after a header; the learner's ULN and name in the first two columns
    (the name blank when `learner` is None: a caller who may not see the details). Every cell
    neutralised for spreadsheets."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, lineterminator="\r\n")
    writer.writerow(("uln", "learner_name", *CSV_COLUMNS))
    name = _name(learner)
    for event in events:
        writer.writerow((uln, name, *_cells(event)))
    return buffer.getvalue().encode("utf-8-sig")


class _Document:
    def __init__(self) -> None:
        self.pdf = FPDF(orientation="landscape", format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.unicode = UNICODE_FONT.exists()
        if self.unicode:
            self.pdf.add_font("body", "", str(UNICODE_FONT))
            self.family = "body"
        else:
            self.family = "helvetica"
        self.pdf.add_page()

    def text(self, value: str) -> str:
        return value if self.unicode else value.encode("latin-1", "replace").decode("latin-1")

    def line(self, value: str, size: int = 10, height: float = 6) -> None:
        self.pdf.set_font(self.family, size=size)
        self.pdf.cell(0, height, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def row(self, values: Sequence[str], size: int = 8) -> None:
        self.pdf.set_font(self.family, size=size)
        for (_, width), value in zip(_PDF_COLUMNS, values, strict=True):
            self.pdf.cell(width * 2.6, 6, self.text(value)[:60], border=1)
        self.pdf.ln()


def _summary(event: LearningEvent) -> list[str]:
    when = event.award_date or event.start_date
    status = event.status.value + (" (under challenge)" if event.under_challenge else "")
    return [
        str(when or ""),
        event.event_type.value,
        event.subject,
        event.subject_title,
        event.level,
        event.grade or "",
        status,
    ]


def plr_pdf(
    uln: str,
    learner: Learner | None,
    events: Sequence[LearningEvent],
    *,
    version: str,
    made_at: dt.datetime,
) -> bytes:
    """The record to print; without the learner's name and date of birth when `learner` is None."""
    doc = _Document()
    doc.line("Personal Learning Record", size=16, height=10)
    if learner is None:
        doc.line(f"ULN: {uln}    Record version: {version}")
        doc.line("Only the learning events your organisation recorded are shown.")
    else:
        details = learner.details
        doc.line(f"Learner: {details.given_name} {details.family_name}    ULN: {uln}")
        doc.line(f"Date of birth: {details.date_of_birth}    Record version: {version}")
    doc.line(f"Produced {made_at:%d %B %Y %H:%M} UTC. {len(events)} learning event(s).")
    doc.pdf.ln(4)
    doc.pdf.set_font(doc.family, size=8)
    doc.row([name for name, _ in _PDF_COLUMNS])
    for event in events:
        doc.row(_summary(event))
    return bytes(doc.pdf.output())
