"""An awarded Diploma's certificate and transcript as PDFs (fpdf2, as the PLR report).

The transcript lists every component the Diploma was awarded on with its grade, and never its
points or scores: those are for aggregation, not for the learner's record. The text of each
document is built first (`certificate_lines`, `transcript_rows`) so it can be read and tested
apart from the PDF around it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fpdf import FPDF

from openlrs.domain.diploma.account import DiplomaAccount
from openlrs.domain.diploma.diploma_rules import Component, DiplomaRules
from openlrs.domain.learners.learner import Learner
from openlrs.reports.plr_document import UNICODE_FONT

TRANSCRIPT_COLUMNS = (("Component", 38), ("Qualification", 30), ("Title", 76), ("Level", 14),
                      ("Grade", 18), ("Achieved", 24))  # fmt: skip
_COMPONENT_NAMES = {
    Component.PRINCIPAL_LEARNING: "Principal learning",
    Component.PROJECT: "Project",
    Component.FUNCTIONAL_SKILL: "Functional skill",
    Component.ASL: "Additional and specialist learning",
}
_ORDER = list(Component)


def _name(learner: Learner) -> str:
    return f"{learner.details.given_name} {learner.details.family_name}"


def _awarded_on(account: DiplomaAccount) -> str:
    return f"{account.awarded_at:%d %B %Y}" if account.awarded_at else ""


def certificate_lines(account: DiplomaAccount, rules: DiplomaRules, learner: Learner) -> list[str]:
    return [
        "Certificate",
        rules.title,
        f"awarded to {_name(learner)}",
        f"ULN {account.uln}",
        f"Grade: {account.final_grade}",
        f"Awarded on {_awarded_on(account)} by the awarding body {account.awarding_body_ukprn}",
        f"Qualification number {rules.qualification}",
    ]


def transcript_rows(account: DiplomaAccount) -> list[tuple[str, ...]]:
    """One row per component result: what it is and the grade awarded - never the points."""
    results = sorted(
        account.results.values(),
        key=lambda r: (_ORDER.index(r.component), r.subject or "", r.qualification),
    )
    return [
        (
            _COMPONENT_NAMES[r.component] + (f" ({r.subject})" if r.subject else ""),
            r.qualification,
            r.title,
            str(r.level),
            r.grade,
            r.achieved_on.isoformat(),
        )
        for r in results
    ]


def transcript_lines(account: DiplomaAccount, rules: DiplomaRules, learner: Learner) -> list[str]:
    return [
        "Transcript",
        rules.title,
        f"{_name(learner)}    ULN {account.uln}",
        f"Diploma grade: {account.final_grade}    Awarded on {_awarded_on(account)}",
        f"Work experience: {account.work_experience_days} days    "
        f"Personal, learning and thinking skills: {len(account.plts)} of 6",
    ]


class _Pdf:
    def __init__(self, orientation: str) -> None:
        self.pdf = FPDF(orientation=orientation, format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.unicode = UNICODE_FONT.exists()
        self.family = "body" if self.unicode else "helvetica"
        if self.unicode:
            self.pdf.add_font("body", "", str(UNICODE_FONT))
        self.pdf.add_page()

    def text(self, value: str) -> str:
        return value if self.unicode else value.encode("latin-1", "replace").decode("latin-1")

    def line(self, value: str, size: int = 11, height: float = 8, align: str = "L") -> None:
        self.pdf.set_font(self.family, size=size)
        self.pdf.cell(0, height, self.text(value), new_x="LMARGIN", new_y="NEXT", align=align)

    def row(self, values: Sequence[str]) -> None:
        self.pdf.set_font(self.family, size=8)
        for (_, width), value in zip(TRANSCRIPT_COLUMNS, values, strict=True):
            self.pdf.cell(width, 6, self.text(value)[:70], border=1)
        self.pdf.ln()

    def output(self, title: str) -> bytes:
        self.pdf.set_title(title)
        return bytes(self.pdf.output())


def certificate_pdf(
    account: DiplomaAccount, rules: DiplomaRules, learner: Learner, *, made_at: dt.datetime
) -> bytes:
    doc = _Pdf("landscape")
    heading, title, *rest = certificate_lines(account, rules, learner)
    doc.pdf.ln(20)
    doc.line(heading, size=28, height=16, align="C")
    doc.line(title, size=22, height=14, align="C")
    for value in rest:
        doc.line(value, size=13, height=10, align="C")
    doc.line(f"Produced {made_at:%d %B %Y} UTC", size=8, align="C")
    return doc.output(f"{rules.title}: certificate")


def transcript_pdf(
    account: DiplomaAccount, rules: DiplomaRules, learner: Learner, *, made_at: dt.datetime
) -> bytes:
    doc = _Pdf("portrait")
    heading, title, *rest = transcript_lines(account, rules, learner)
    doc.line(f"{heading}: {title}", size=15, height=10)
    for value in rest:
        doc.line(value, size=10, height=6)
    doc.line(f"Produced {made_at:%d %B %Y %H:%M} UTC", size=8, height=6)
    doc.pdf.ln(4)
    doc.row([name for name, _ in TRANSCRIPT_COLUMNS])
    for values in transcript_rows(account):
        doc.row(values)
    return doc.output(f"{rules.title}: transcript")
