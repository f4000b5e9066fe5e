"""Every POST of the portal: one that changes something answers with a redirect (post/redirect/get),
so refreshing the next page never sends the form again.

POSTS has a row for every POST route of the portal (keyed below /portal) and of the learners' site
(/learner/..., /check-a-record: keyed by the paths the browser sees): who sends it, to which URL,
with which form, and whether that form is valid (then the answer must be a 303 to a portal or
/learner/ page). A route whose success needs a world
this file does not build is sent an invalid form, which must not answer 200 or 5xx; its success is
walked by the test the row names. A few POSTs answer with a page by design (a search or a
check-answers step: nothing is written, and personal details may not go in a URL); they say why.
A POST route added without a row fails `test_every_post_route_has_a_row`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Role
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.qualifications import Qualification
from openlrs.portal.app import create_portal
from openlrs.portal.learner_accounts.site import create_learner_site
from openlrs.services.accounts import manage as accounts
from openlrs.services.accounts import passwords
from openlrs.services.learner_accounts.activation import issue_activation_code
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import add_qualification
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.portal_support import (
    AO,
    AO_UKPRN,
    AWARDING_BODY,
    COLLEGE_ADMIN,
    DESK,
    PASSWORD,
    REGISTRAR,
    SERVICE_DESK,
    csrf_of,
)

COLLEGE = "10004321"
SIGNED_IN_LEARNER = "the learner, on the learners' site"
WALKER = f"walker@{COLLEGE}"
CHANGER = f"changer@{COLLEGE}"
LEAVER = f"leaver@{COLLEGE}"
LEARNER = LearnerDetails("Imogen", "Ashworth-Pike", dt.date(2006, 9, 14), 2, "YO10 5DD")
QUALIFICATION = "600/1234/5"
ALSO_SEARCHED = {
    "given_name": LEARNER.given_name,
    "family_name": LEARNER.family_name,
    "date_of_birth-day": "14",
    "date_of_birth-month": "9",
    "date_of_birth-year": "2006",
    "gender": "2",
    "postcode": LEARNER.postcode,
}


@dataclasses.dataclass
class World:
    learner: Learner
    event_id: str
    reset_token: str
    learner_cookies: dict[str, str]
    """The learner's session on the learners' site (their account activated)."""


@dataclasses.dataclass(frozen=True)
class Post:
    user: str | None
    url: Callable[[World], str]
    form: Callable[[World], dict[str, Any]] = lambda w: {}
    valid: bool = True
    """The form is a valid one: the answer must be a redirect."""
    renders: str = ""
    """Why this POST answers with a page (only searches and check-answers steps)."""
    files: Callable[[World], dict[str, Any]] | None = None


def fixed(url: str) -> Callable[[World], str]:
    return lambda w: url


def user_url(name: str, rest: str = "") -> Callable[[World], str]:
    return fixed(f"/portal/organisations/{COLLEGE}/users/{name}{rest}")


NO_ACCOUNT = "/portal/diploma/accounts/AAAAAAAAAAAAAAAAAAAAAA"
NO_UUID = "00000000-0000-4000-8000-000000000000"
POSTS: dict[str, Post] = {
    "/sign-in": Post(
        None, fixed("/portal/sign-in"), lambda w: {"username": WALKER, "password": PASSWORD}
    ),
    "/sign-in/security-code": Post(None, fixed("/portal/sign-in/security-code"), valid=False),
    "/sign-in/new-password": Post(None, fixed("/portal/sign-in/new-password"), valid=False),
    "/sign-out": Post(LEAVER, fixed("/portal/sign-out")),
    "/account/password": Post(
        CHANGER,
        fixed("/portal/account/password"),
        lambda w: {
            "current": PASSWORD,
            "password": "a new pass phrase",
            "confirm": "a new pass phrase",
        },
    ),
    "/account/two-factor": Post(WALKER, fixed("/portal/account/two-factor")),
    "/account/two-factor/confirm": Post(
        WALKER,
        fixed("/portal/account/two-factor/confirm"),
        lambda w: {"code": "000000"},
        valid=False,
    ),
    "/password-reset/{token}": Post(
        None,
        lambda w: f"/portal/password-reset/{w.reset_token}",
        lambda w: {"password": "chosen by the user", "confirm": "chosen by the user"},
    ),
    "/organisations/{ukprn}/users/new": Post(
        COLLEGE_ADMIN,
        fixed(f"/portal/organisations/{COLLEGE}/users/new"),
        lambda w: {
            "username": f"newcomer@{COLLEGE}",
            "password": "first password 1",
            "roles": "lrb",
        },
    ),
    "/organisations/{ukprn}/users/revoke": Post(
        COLLEGE_ADMIN, user_url("revoke"), lambda w: {"username": f"revokee@{COLLEGE}"}
    ),
    "/organisations/{ukprn}/users/{username}/reactivate": Post(
        COLLEGE_ADMIN, user_url(f"revokee@{COLLEGE}", "/reactivate")
    ),
    "/organisations/{ukprn}/users/{username}/reset-link": Post(
        COLLEGE_ADMIN, user_url(f"revokee@{COLLEGE}", "/reset-link")
    ),
    "/organisations/{ukprn}/users/{username}/roles": Post(
        COLLEGE_ADMIN,
        user_url(f"revokee@{COLLEGE}", "/roles"),
        lambda w: {"roles": ["lrb", "lrb_admin"]},
    ),
    "/organisations/{ukprn}/status": Post(
        SERVICE_DESK, fixed("/portal/organisations/10007777/status"), lambda w: {"status": "active"}
    ),
    "/organisations/{ukprn}/batch-settings": Post(
        COLLEGE_ADMIN,
        fixed(f"/portal/organisations/{COLLEGE}/batch-settings"),
        lambda w: {"approval_required": "no"},
    ),
    "/organisations/{ukprn}/contact-address": Post(
        COLLEGE_ADMIN,
        fixed(f"/portal/organisations/{COLLEGE}/contact-address"),
        lambda w: {"contact_email": "mis-team@example.ac.uk"},
    ),
    "/verify": Post(
        COLLEGE_ADMIN,
        fixed("/portal/verify"),
        lambda w: {"uln": w.learner.uln} | ALSO_SEARCHED,
        renders="a check of details against the register: the answer is the page",
    ),
    "/learners/find": Post(
        COLLEGE_ADMIN, fixed("/portal/learners/find"), lambda w: {"uln": w.learner.uln}
    ),
    "/learners/search": Post(
        COLLEGE_ADMIN,
        fixed("/portal/learners/search"),
        lambda w: ALSO_SEARCHED,
        renders="a search: its results are the answer, and the details may not go in a URL",
    ),
    "/learners/register": Post(
        COLLEGE_ADMIN, fixed("/portal/learners/register"), lambda w: ALSO_SEARCHED, valid=False
    ),  # the registration form from a search's results: test_portal_journeys
    "/learners/register/check": Post(
        COLLEGE_ADMIN,
        fixed("/portal/learners/register/check"),
        valid=False,  # success (check your answers) is walked by test_portal_journeys
    ),
    "/learners/register/confirm": Post(
        COLLEGE_ADMIN,
        fixed("/portal/learners/register/confirm"),
        valid=False,  # test_portal_journeys
    ),
    "/learners/this-is-the-learner": Post(
        COLLEGE_ADMIN,
        fixed("/portal/learners/this-is-the-learner"),
        valid=False,  # check answers from a search's possible match: test_portal_this_is_the_learner
    ),
    "/learners/this-is-the-learner/confirm": Post(
        COLLEGE_ADMIN,
        fixed("/portal/learners/this-is-the-learner/confirm"),
        valid=False,  # test_portal_this_is_the_learner
    ),
    "/learners/{uln}/edit": Post(
        COLLEGE_ADMIN,
        lambda w: f"/portal/learners/{w.learner.uln}/edit",
        lambda w: ALSO_SEARCHED | {"postcode": "YO1 7HH", "version": str(w.learner.version)},
    ),
    "/learners/{uln}/learning-record/events/{event_id}/challenge": Post(
        COLLEGE_ADMIN,
        lambda w: f"/portal/learners/{w.learner.uln}/learning-record/events/{w.event_id}/challenge",
        lambda w: {"reason": "The grade should be Merit, not Pass"},
    ),
    "/change-requests/{reference}/check": Post(
        COLLEGE_ADMIN, fixed(f"/portal/change-requests/{NO_UUID}/check"), valid=False
    ),  # success (a check-answers step) is walked by test_portal_change_requests
    "/change-requests/{reference}/decision": Post(
        COLLEGE_ADMIN, fixed(f"/portal/change-requests/{NO_UUID}/decision"), valid=False
    ),  # test_portal_change_requests
    "/exceptions/{held_id}/resolve": Post(
        COLLEGE_ADMIN, fixed("/portal/exceptions/999999/resolve"), valid=False
    ),  # test_portal_journeys
    "/batches/new": Post(
        COLLEGE_ADMIN,
        fixed("/portal/batches/new"),
        lambda w: {"kind": "registration"},
        files=lambda w: {
            "file": (
                "walk.csv",
                b"source_learner_id,given_name,family_name,date_of_birth,gender,postcode\r\n"
                b"W1,Ada,Quill,2006-01-05,2,LS1 1AA\r\n",
                "text/csv",
            )
        },
    ),
    "/batches/{job_id}/approve": Post(
        COLLEGE_ADMIN, fixed(f"/portal/batches/{NO_UUID}/approve"), valid=False
    ),  # test_portal_batches
    "/challenges/{challenge_id}/decision": Post(
        AWARDING_BODY, fixed(f"/portal/challenges/{NO_UUID}/decision"), valid=False
    ),  # test_portal_challenges
    "/uln-challenges": Post(
        COLLEGE_ADMIN,
        fixed("/portal/uln-challenges"),
        lambda w: {"kind": "uln_other", "uln": w.learner.uln, "reason": "Two learners use it"},
    ),
    "/diploma/open": Post(
        COLLEGE_ADMIN, fixed("/portal/diploma/open"), valid=False
    ),  # test_portal_diploma
    "/diploma/accounts/{account_id}/award": Post(
        AWARDING_BODY, fixed(NO_ACCOUNT + "/award"), valid=False
    ),
    "/diploma/accounts/{account_id}/claim": Post(
        COLLEGE_ADMIN, fixed(NO_ACCOUNT + "/claim"), valid=False
    ),
    "/diploma/accounts/{account_id}/plts": Post(
        COLLEGE_ADMIN, fixed(NO_ACCOUNT + "/plts"), valid=False
    ),
    "/diploma/accounts/{account_id}/results": Post(
        AWARDING_BODY, fixed(NO_ACCOUNT + "/results"), valid=False
    ),
    "/diploma/accounts/{account_id}/results/withdraw": Post(
        AWARDING_BODY, fixed(NO_ACCOUNT + "/results/withdraw"), valid=False
    ),
    "/diploma/accounts/{account_id}/work-experience": Post(
        COLLEGE_ADMIN, fixed(NO_ACCOUNT + "/work-experience"), valid=False
    ),
    "/organisations/{ukprn}/web-services/new": Post(
        COLLEGE_ADMIN, fixed(f"/portal/organisations/{COLLEGE}/web-services/new"), valid=False
    ),  # success shows the new password once (201, not stored): test_portal_web_services
    "/organisations/{ukprn}/web-services/revoke": Post(
        COLLEGE_ADMIN, fixed(f"/portal/organisations/{COLLEGE}/web-services/revoke"), valid=False
    ),  # test_portal_web_services
    "/learners/{uln}/confirm": Post(
        COLLEGE_ADMIN,
        lambda w: f"/portal/learners/{w.learner.uln}/confirm",
        lambda w: {
            "given_name": LEARNER.given_name,
            "family_name": LEARNER.family_name,
            "next": f"/portal/learners/{w.learner.uln}/learning-record",
        },
    ),
    "/learners/{uln}/activation-code": Post(
        COLLEGE_ADMIN, fixed("/portal/learners/0000000000/activation-code"), valid=False
    ),  # success shows the code once (only its hash is kept): test_learner_pages
    "/learners/{uln}/activation-letter": Post(
        COLLEGE_ADMIN, lambda w: f"/portal/learners/{w.learner.uln}/activation-letter", valid=False
    ),  # success is the letter, a PDF download: test_learner_pages
    "/learners/{uln}/learning-record/events/{event_id}/change": Post(
        AWARDING_BODY,
        lambda w: f"/portal/learners/{w.learner.uln}/learning-record/events/{w.event_id}/change",
        valid=False,
    ),  # test_portal_awarding (browser)
    "/learners/{uln}/learning-record/events/{event_id}/correct": Post(
        AWARDING_BODY,
        lambda w: f"/portal/learners/{w.learner.uln}/learning-record/events/{w.event_id}/correct",
        valid=False,
    ),  # test_portal_awarding (browser)
    "/learners/{uln}/learning-record/events/{event_id}/{action}": Post(
        AWARDING_BODY,
        lambda w: f"/portal/learners/{w.learner.uln}/learning-record/events/{w.event_id}/withdraw",
        valid=False,
    ),  # nothing chosen yet: test_portal_awarding (browser)
    "/learners/{uln}/merge/other": Post(
        SERVICE_DESK, lambda w: f"/portal/learners/{w.learner.uln}/merge/other", valid=False
    ),  # test_portal_desk (browser)
    "/learners/{uln}/merge/compare": Post(
        SERVICE_DESK, lambda w: f"/portal/learners/{w.learner.uln}/merge/compare", valid=False
    ),  # test_portal_desk (browser)
    "/learners/{uln}/merge/check": Post(
        SERVICE_DESK, lambda w: f"/portal/learners/{w.learner.uln}/merge/check", valid=False
    ),  # test_portal_desk (browser)
    "/learners/{uln}/sharing": Post(
        SERVICE_DESK,
        lambda w: f"/portal/learners/{w.learner.uln}/sharing",
        lambda w: {"shares": "yes"},
    ),
    "/learners/{uln}/participation": Post(
        COLLEGE_ADMIN,
        lambda w: f"/portal/learners/{w.learner.uln}/participation",
        lambda w: {
            "learning_aim": "60012345",
            "start_date-day": "8",
            "start_date-month": "9",
            "start_date-year": "2025",
        },
    ),
    "/learners/{uln}/plan/goals": Post(
        COLLEGE_ADMIN,
        lambda w: f"/portal/learners/{w.learner.uln}/plan/goals",
        lambda w: {"goals": "A level 2 award in stonemasonry", "version": "0"},
    ),
    "/learners/{uln}/plan/learning": Post(
        COLLEGE_ADMIN, lambda w: f"/portal/learners/{w.learner.uln}/plan/learning", valid=False
    ),  # test_portal_learner_plans (browser)
    "/learners/{uln}/plan/notes": Post(
        COLLEGE_ADMIN,
        lambda w: f"/portal/learners/{w.learner.uln}/plan/notes",
        lambda w: {"note": "Started the first unit"},
    ),
    "/achievements/new/learner": Post(
        AWARDING_BODY,
        fixed("/portal/achievements/new/learner"),
        lambda w: {
            "uln": w.learner.uln,
            "given_name": LEARNER.given_name,
            "family_name": LEARNER.family_name,
        },
    ),
    "/achievements/new/subject": Post(
        AWARDING_BODY, fixed("/portal/achievements/new/subject"), valid=False
    ),  # test_portal_awarding (browser)
    "/achievements/new/result": Post(
        AWARDING_BODY, fixed("/portal/achievements/new/result"), valid=False
    ),  # test_portal_awarding (browser)
    "/achievements/new/check": Post(
        AWARDING_BODY, fixed("/portal/achievements/new/check"), valid=False
    ),  # nothing answered yet: back to the first question; test_portal_awarding (browser)
    "/qualification-register": Post(
        SERVICE_DESK, fixed("/portal/qualification-register"), valid=False
    ),  # no file: test_portal_desk (browser)
    "/check-a-file": Post(
        COLLEGE_ADMIN,
        fixed("/portal/check-a-file"),
        lambda w: {"kind": "registration"},
        files=lambda w: {
            "file": ("check.csv", b"source_learner_id,given_name\r\nC1,Ada\r\n", "text/csv")
        },
    ),  # the result is a page of its own
    "/providers/apply/{slug}": Post(
        None, fixed("/portal/providers/apply/organisation"), valid=False
    ),  # test_portal_providers_and_colleges (browser)
    "/providers/apply/check": Post(
        None, fixed("/portal/providers/apply/check"), valid=False
    ),  # nothing answered yet: test_portal_providers_and_colleges (browser)
    "/provider-applications/{reference}": Post(
        SERVICE_DESK, fixed(f"/portal/provider-applications/{NO_UUID}"), valid=False
    ),  # test_portal_providers_and_colleges (browser)
    "/desk/incidents/new": Post(
        SERVICE_DESK,
        fixed("/portal/desk/incidents/new"),
        lambda w: {"category": "3", "summary": "A college cannot upload", "details": "Since 9am"},
    ),
    "/desk/incidents/{incident_id}": Post(
        SERVICE_DESK, fixed(f"/portal/desk/incidents/{NO_UUID}"), valid=False
    ),  # test_portal_desk
    "/desk/maintenance": Post(
        SERVICE_DESK,
        fixed("/portal/desk/maintenance"),
        lambda w: {
            "starts_at-day": "1",
            "starts_at-month": "6",
            "starts_at-year": "2099",
            "starts_at-time": "21:00",
            "ends_at-day": "1",
            "ends_at-month": "6",
            "ends_at-year": "2099",
            "ends_at-time": "23:00",
            "message": "The service will be unavailable for an upgrade",
            "read_only": "no",
        },
    ),
    "/desk/maintenance/{window_id}/cancel": Post(
        SERVICE_DESK, fixed(f"/portal/desk/maintenance/{NO_UUID}/cancel"), valid=False
    ),  # test_portal_notices
    # The learners' site (mounted beside the portal; its paths are the browser's):
    "/learner/activate": Post(None, fixed("/learner/activate"), valid=False),  # test_learner_pages
    "/learner/sign-in": Post(None, fixed("/learner/sign-in"), valid=False),  # test_learner_pages
    "/learner/security-code": Post(
        None, fixed("/learner/security-code"), valid=False
    ),  # signed out: test_learner_pages
    "/learner/two-factor": Post(
        SIGNED_IN_LEARNER, fixed("/learner/two-factor"), lambda w: {"code": "000000"}, valid=False
    ),  # test_learner_pages
    "/learner/record/events/{event_id}/mistake": Post(
        SIGNED_IN_LEARNER,
        lambda w: f"/learner/record/events/{w.event_id}/mistake",
        lambda w: {"reason": "My grade was Merit, not Pass"},
        valid=False,  # the challenge row above already holds the event: test_learner_pages
    ),
    "/learner/details/mistake": Post(
        SIGNED_IN_LEARNER,
        fixed("/learner/details/mistake"),
        lambda w: {"reason": "My postcode is out of date"},
    ),
    "/learner/sharing": Post(
        SIGNED_IN_LEARNER, fixed("/learner/sharing"), lambda w: {"sharing": "share"}
    ),
    "/learner/share": Post(
        SIGNED_IN_LEARNER,
        fixed("/learner/share"),
        lambda w: {"scope": "all", "days": "30", "label": "An employer"},
        renders="a new share code is shown this once (it is not kept): the page answers the POST",
    ),
    "/learner/share/{share_id}/revoke": Post(
        SIGNED_IN_LEARNER, fixed(f"/learner/share/{NO_UUID}/revoke"), valid=False
    ),  # test_learner_pages
    "/check-a-record": Post(
        None, fixed("/check-a-record"), valid=False
    ),  # success shows the shared record: test_learner_journeys (browser)
}


def _posts_of(app: FastAPI) -> set[str]:
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - older FastAPI keeps one flat list
        routes: list[Any] = list(app.routes)
    else:
        routes = list(iter_route_contexts(app.routes))
    return {
        getattr(r, "path_format", None) or r.path
        for r in routes
        if "POST" in (getattr(r, "methods", None) or ())
    }


def post_routes() -> set[str]:
    """The portal's POST routes (below /portal) and the learners' site's (paths as seen)."""
    settings = Settings(database_url="sqlite://")
    portal = _posts_of(create_portal(settings, None))  # type: ignore[arg-type]
    site = _posts_of(create_learner_site(settings, None))  # type: ignore[arg-type]
    assert portal.isdisjoint(site)
    return portal | site


def test_every_post_route_has_a_row() -> None:
    routes = post_routes()
    assert routes - set(POSTS) == set(), "POST routes without a row in POSTS"
    assert set(POSTS) - routes == set(), "rows for POST routes the portal does not have"


@pytest.fixture
def world(browser: TestClient, uow_factory: SqlUnitOfWorkFactory) -> World:
    for name in (WALKER, CHANGER, LEAVER, f"revokee@{COLLEGE}"):
        accounts.create_user(
            COLLEGE, name, PASSWORD, frozenset({Role.LRB_ADMIN}), principal=DESK, uow=uow_factory()
        )
    learner = register_learner(RegisterLearner(LEARNER), principal=REGISTRAR, uow=uow_factory())
    add_qualification(
        Qualification(QUALIFICATION, "Award in Stonemasonry", "VRQ", "2", frozenset({AO_UKPRN})),
        principal=DESK,
        uow=uow_factory(),
    )
    claimed = ClaimedDetails(LEARNER.given_name, LEARNER.family_name, LEARNER.date_of_birth, 2)
    event = post_achievement(
        PostAchievement(
            learner.uln, claimed, AchievementDetails(QUALIFICATION, dt.date(2025, 6, 30), "Pass")
        ),
        principal=AO,
        uow=uow_factory(),
    ).event
    token = passwords.issue_reset(WALKER, hours=1, principal=DESK, uow=uow_factory())
    code = issue_activation_code(learner.uln, principal=REGISTRAR, uow=uow_factory()).code
    browser.cookies.clear()
    page = browser.get("/learner/activate")
    activated = browser.post(
        "/learner/activate",
        data={"uln": learner.uln, "code": code, "password": PASSWORD, "confirm_password": PASSWORD}
        | {k: v for k, v in ALSO_SEARCHED.items() if k.startswith("date_of_birth")}
        | {"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert activated.status_code == 303, "the learner could not activate the account"
    return World(learner, event.id, token, dict(browser.cookies.items()))


def _csrf(client: TestClient, user: str | None, world: World) -> str:
    client.cookies.clear()
    if user == SIGNED_IN_LEARNER:
        client.cookies.update(world.learner_cookies)
        return csrf_of(client.get("/learner/sharing").text)
    if user is None:
        return csrf_of(client.get("/portal/sign-in").text)
    page = client.get("/portal/sign-in")
    signed = client.post(
        "/portal/sign-in",
        data={"username": user, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert signed.status_code == 303, f"{user} could not sign in"
    return csrf_of(client.get("/portal/sign-out").text)


def test_every_post_that_changes_something_redirects(browser: TestClient, world: World) -> None:
    problems = []
    for route, row in POSTS.items():
        token = _csrf(browser, row.user, world)
        form = row.form(world) | {"csrf_token": token}
        files = row.files(world) if row.files else None
        answer = browser.post(row.url(world), data=form, files=files, follow_redirects=False)
        status = answer.status_code
        if row.renders:
            ok = status == 200
        elif row.valid:
            to = answer.headers.get("location", "")
            ok = status == 303 and to.startswith(("/portal/", "/learner/"))
        else:
            ok = status != 200 and status < 500
        if not ok:
            problems.append(f"POST {route}: answered {status}")
    assert problems == []
