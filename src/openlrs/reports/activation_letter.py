"""The letter an organisation prints for a learner: their activation code and how to use it.

Made with fpdf2 as the PLR report is (reports/plr_document.py): DejaVu Sans when the system has
it, so every name prints as written. The code is printed here and shown on screen once; it is
never stored (only its hash is).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdf import FPDF

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def activation_letter(
    *, name: str, uln: str, code: str, expires_at: dt.datetime, service_url: str
) -> bytes:
    pdf = FPDF(orientation="portrait", format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    unicode = UNICODE_FONT.exists()
    family = "body" if unicode else "helvetica"
    if unicode:
        pdf.add_font("body", "", str(UNICODE_FONT))
    pdf.add_page()

    def text(value: str) -> str:
        return value if unicode else value.encode("latin-1", "replace").decode("latin-1")

    def para(value: str, size: int = 11, height: float = 6) -> None:
        pdf.set_font(family, size=size)
        pdf.multi_cell(0, height, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    para("See your learning record online", size=18, height=10)
    para(f"Dear {name},")
    para(
        "The Learning Records Service holds your Personal Learning Record: the qualifications and "
        "learning recorded against your Unique Learner Number (ULN). You can now see it online, "
        "download it, see who has looked at it, choose whether organisations can see it, and "
        "share it with an employer or a university."
    )
    para(f"Your ULN: {uln}", size=14, height=8)
    para(f"Your activation code: {code}", size=14, height=8)
    para(f"The code works once, until {expires_at:%d %B %Y}.")
    para(
        f"To activate your account, go to {service_url}learner/activate and enter your ULN, your "
        "date of birth and this code. You will then choose a password. We strongly recommend you "
        "also turn on two-factor authentication (a code from an app on your phone)."
    )
    para(
        "Keep this letter private: anyone with the code, your ULN and your date of birth could "
        "set up your account. If you did not ask for it, or the code has expired, ask the "
        "organisation that gave it to you, or the service desk, for a new one."
    )
    para(f"Read how we use your information: {service_url}privacy", size=9)
    return bytes(pdf.output())
