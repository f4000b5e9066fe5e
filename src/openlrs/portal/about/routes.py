"""The accessibility statement, cookies page and help and feedback (the privacy notice is the
learner site's /privacy, portal/learner_accounts).

Public pages: anyone may read them, signed in or not (the navigation follows who is signed in).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from openlrs.portal.learner_accounts.security import LEARNER_COOKIE
from openlrs.portal.rendering import render
from openlrs.portal.security import SESSION_COOKIE, VISITOR_COOKIE, MaybeUserDep

router = APIRouter()
COOKIES = (
    (SESSION_COOKIE, "Keeps you signed in", "When you sign out, or after the session limit"),
    (
        VISITOR_COOKIE,
        "Protects the forms you send before you sign in from forgery",
        "When you close your browser",
    ),
    ("openlrs_flash", "Shows a message once after you finish a task", "On the next page"),
    (LEARNER_COOKIE, "Keeps a learner signed in to their own record", "When they sign out"),
)


@router.get("/accessibility")
async def accessibility(request: Request, principal: MaybeUserDep) -> Response:
    return render(request, "about/accessibility.html", title="Accessibility statement")


@router.get("/cookies")
async def cookies(request: Request, principal: MaybeUserDep) -> Response:
    return render(request, "about/cookies.html", title="Cookies", cookies=COOKIES)


@router.get("/feedback")
async def feedback(request: Request, principal: MaybeUserDep) -> Response:
    return render(request, "about/feedback.html", title="Help and feedback")


@router.get("/privacy")
async def privacy() -> Response:
    """The one privacy notice is /privacy, for learners and organisations alike."""
    return RedirectResponse("/privacy", status_code=307)
