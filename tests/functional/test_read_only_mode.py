"""Read-only mode (issue 26): while read-only maintenance runs, or the setting is on, writes are
refused with 503 and Retry-After, while lookups and PLR reads work; the portal says so too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Role
from openlrs.domain.notices.maintenance import MaintenanceWindow
from openlrs.services.notices.maintenance import (
    NoticeBoard,
    ScheduleMaintenance,
    cancel_maintenance,
    schedule_maintenance,
)
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_register_bodies, register_body
from tests.functional.callers import SECRET_KEY, Register
from tests.functional.expectations import assert_problem
from tests.functional.portal_support import (
    COLLEGE_ADMIN,
    DESK,
    SERVICE_DESK,
    csrf_of,
    portal_app,
    sign_in,
)


def _batch_file() -> bytes:
    body = many_register_bodies(1, seed=2601)[0]
    names = ["given_name", "family_name", "date_of_birth", "gender", "postcode"]
    return (",".join(names) + "\n" + ",".join(str(body[n]) for n in names) + "\n").encode()


def test_read_only_maintenance_refuses_writes_with_503_while_reads_work(
    api: TestClient, register: Register
) -> None:
    lrb, desk = register.headers(Role.LRB), register.headers(Role.ADMIN)
    joshua = register_body(2602)
    registered = api.post("/api/v1/learners", json=joshua, headers=lrb)
    assert registered.status_code == 201, registered.text
    uln = registered.json()["uln"]
    now = dt.datetime.now(dt.UTC)
    window = api.post(
        "/api/v1/notices/maintenance",
        json={
            "starts_at": (now - dt.timedelta(minutes=1)).isoformat(),
            "ends_at": (now + dt.timedelta(hours=1)).isoformat(),
            "message": "Database upgrade",
        },
        headers=desk,
    )
    assert window.status_code == 201, window.text

    refused = api.post("/api/v1/learners", json=register_body(2603), headers=lrb)
    upload = api.post(
        "/api/v1/batches",
        data={"kind": "registration"},
        files={"file": ("f.csv", _batch_file())},
        headers=lrb,
    )
    for response in (refused, upload):
        body = assert_problem(response, 503, "SERVICE_READ_ONLY")
        assert 3500 <= int(response.headers["Retry-After"]) <= 3601
        assert "read-only" in body["detail"] and body["read_only_until"]
    assert api.get(f"/api/v1/learners/{uln}", headers=lrb).status_code == 200
    knows = {  # the PLR is read naming the learner (issue 22's knowledge check)
        "Learner-Given-Name": quote(joshua["given_name"], safe=""),
        "Learner-Family-Name": quote(joshua["family_name"], safe=""),
    }
    plr = api.get(f"/api/v1/learners/{uln}/learning-events", headers=lrb | knows)
    assert plr.status_code == 200, plr.text
    assert register.token(*_new_client(register)) != ""  # signing in still works
    notices = api.get("/api/v1/notices/maintenance").json()
    assert notices["read_only"] is True

    ended = api.delete(f"/api/v1/notices/maintenance/{window.json()['id']}", headers=desk)
    assert ended.status_code == 204
    again = api.post("/api/v1/learners", json=register_body(2603), headers=lrb)
    assert again.status_code == 201, again.text


def _new_client(register: Register) -> tuple[str, str]:
    client = register.client(Role.LRB)
    return client.client_id, client.client_secret


def test_the_setting_makes_the_api_and_the_portal_read_only(
    database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory
) -> None:
    settings = Settings(
        database_url=database_url, secret_key=SECRET_KEY, var_dir=tmp_path / "v", read_only=True
    )
    with TestClient(portal_app(settings, uow_factory), raise_server_exceptions=False) as browser:
        sign_in(browser, COLLEGE_ADMIN)  # signing in is a POST, and still works
        page = browser.get("/portal/learners/register")
        assert page.status_code == 200
        refused = browser.post(
            "/portal/learners/register",
            data={"csrf_token": csrf_of(page.text), "given_name": "Ada"},
            follow_redirects=False,
        )
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "300"
        assert "you cannot make changes right now" in refused.text
        assert browser.get("/portal/batches").status_code == 200  # reading works


def test_the_desk_schedules_maintenance_in_the_portal_and_every_page_announces_it(
    database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory
) -> None:
    settings = Settings(database_url=database_url, secret_key=SECRET_KEY, var_dir=tmp_path / "v")
    app = portal_app(settings, uow_factory)
    with TestClient(app) as desk, TestClient(app) as college:
        sign_in(desk, SERVICE_DESK)
        sign_in(college, COLLEGE_ADMIN)
        assert "maintenance-banner" not in college.get("/portal/batches").text
        start = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
        page = desk.get("/portal/desk/maintenance")
        form = {
            "csrf_token": csrf_of(page.text),
            "starts_at-day": str(start.day),
            "starts_at-month": str(start.month),
            "starts_at-year": str(start.year),
            "starts_at-time": "21:00",
            "ends_at-day": str(start.day),
            "ends_at-month": str(start.month),
            "ends_at-year": str(start.year),
            "ends_at-time": "23:30",
            "message": "The database is being upgraded.",
            "read_only": "yes",
        }
        done = desk.post("/portal/desk/maintenance", data=form, follow_redirects=False)
        assert done.status_code == 303, done.text

        for url in ("/portal/batches", "/portal/", "/portal/changes"):
            shown = college.get(url).text
            assert "maintenance-banner" in shown and "Planned maintenance from" in shown
            assert "The database is being upgraded." in shown
        assert college.post(  # announced, not yet running: writes still work
            "/portal/desk/maintenance", data=form, follow_redirects=False
        ).status_code in (403, 303)
        board: NoticeBoard = app.state.notice_board
        assert not board.current().read_only


def test_the_cli_turns_read_only_on_and_off(
    database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory
) -> None:
    from typer.testing import CliRunner

    from openlrs.cli import app as cli

    runner = CliRunner()
    env = {"OPENLRS_DATABASE_URL": database_url, "OPENLRS_VAR_DIR": str(tmp_path)}
    board = NoticeBoard(uow_factory, ttl_seconds=0)

    assert runner.invoke(cli, ["read-only", "status"], env=env).stdout.strip() == "read-write"
    assert runner.invoke(cli, ["read-only", "on", "--minutes", "30"], env=env).exit_code == 0
    assert board.current().read_only
    assert "read-only until" in runner.invoke(cli, ["read-only", "status"], env=env).stdout
    assert runner.invoke(cli, ["read-only", "off"], env=env).exit_code == 0
    assert not board.current().read_only

    refused = runner.invoke(cli, ["contact-address", "10004321", "nobody"], env=env)
    assert refused.exit_code == 2
    missing = runner.invoke(cli, ["contact-address", "10004321", "mis@example.ac.uk"], env=env)
    assert missing.exit_code == 2  # no such organisation yet


def test_soap_writes_are_refused_as_an_outage_while_lookups_work(
    api: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    from tests.functional.soap_support import web_service_account
    from tests.functional.test_soap_envelopes import fault_of, find_by_uln, post, register_message

    mis = web_service_account(uow_factory, "10004321", "mis-read-only")
    window = _maintenance_now(uow_factory)
    try:
        refused = post(api, register_message(mis))
        assert refused.status_code == 503
        assert 3500 <= int(refused.headers["Retry-After"]) <= 3601
        assert fault_of(refused)[1:] == ("WSEC0904", "SERVICE_READ_ONLY")
        assert post(api, find_by_uln(mis)).status_code == 200  # a lookup (no such learner: WSRC)
    finally:
        cancel_maintenance(window.id, principal=DESK, uow=uow_factory())
    assert post(api, register_message(mis)).status_code == 200


def test_the_learner_site_refuses_changes_but_signs_in_and_shows_the_record(
    browser: TestClient, uow_factory: SqlUnitOfWorkFactory
) -> None:
    from tests.functional.test_learner_pages import (
        PASSWORD,
        ZARA,
        _achievement,
        _post,
        _register,
        _signed_in_learner,
    )

    zara = _register(uow_factory, ZARA)
    event = _achievement(uow_factory, zara)
    _signed_in_learner(browser, uow_factory, zara)
    window = _maintenance_now(uow_factory)
    try:
        mistake = f"/learner/record/events/{event.id}/mistake"
        for page, data in (
            ("/learner/sharing", {"sharing": "opt_out"}),
            ("/learner/share", {"label": "Leeds University", "scope": "whole", "days": "30"}),
            (mistake, {"reason": "I was awarded a Merit"}),
        ):
            refused = _post(browser, page, page, data)
            assert refused.status_code == 503, page
            assert "you cannot make changes right now" in refused.text
            assert int(refused.headers["Retry-After"]) > 3500
        shown = browser.get("/learner/record").text
        assert "Under challenge" not in shown  # nothing changed
        assert "maintenance-banner" in shown and "Maintenance is under way" in shown
        browser.get("/learner/sign-out")
        again = _post(browser, "/learner/sign-in", "/learner/sign-in",
                      {"uln": zara.uln, "password": PASSWORD})  # fmt: skip
        assert again.status_code == 303  # signing in still works
        assert browser.get("/learner/record").status_code == 200
    finally:
        cancel_maintenance(window.id, principal=DESK, uow=uow_factory())


def _maintenance_now(uow_factory: SqlUnitOfWorkFactory) -> MaintenanceWindow:
    now = dt.datetime.now(dt.UTC)
    command = ScheduleMaintenance(now - dt.timedelta(minutes=1), now + dt.timedelta(hours=1))
    return schedule_maintenance(command, principal=DESK, uow=uow_factory())
