"""`openlrs worker` and `openlrs batch submit|status|output`: batch jobs from the command line.

`worker` runs next to the database. `batch` is a client of the REST API, as an MIS would be: it
authenticates with the organisation's API client (OPENLRS_CLIENT_ID / OPENLRS_CLIENT_SECRET).
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from openlrs.config import Settings

if TYPE_CHECKING:
    from openlrs.batch.worker import BatchWorker

batch_app = typer.Typer(help="Submit batch files and fetch their results through the API.")
console = Console(stderr=True)

ApiUrl = Annotated[str, typer.Option(envvar="OPENLRS_API_URL", help="The service's base URL")]
ClientId = Annotated[str, typer.Option(envvar="OPENLRS_CLIENT_ID", help="API client id")]
ClientSecret = Annotated[
    str, typer.Option(envvar="OPENLRS_CLIENT_SECRET", help="API client secret", show_default=False)
]


def worker(
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Stop when there is no work left")
    ] = False,
    poll: Annotated[float, typer.Option(help="Seconds between looks when idle")] = 1.0,
) -> None:
    """Process batch jobs from the database queue until stopped (SIGTERM/SIGINT hand work back)."""
    from openlrs.bootstrap import build_uow_factory, build_worker
    from openlrs.observability import metrics
    from openlrs.observability.logs import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)  # JSON lines, under each job's request id
    metrics.subscribe_to_services()
    uow_factory = build_uow_factory(settings)
    batch_worker: BatchWorker = build_worker(settings, uow_factory)
    stop_on_signals(batch_worker)
    console.print(f"worker {batch_worker.name} started")
    batch_worker.run(poll_seconds=poll, until_idle=until_idle)
    console.print(f"worker {batch_worker.name} stopped")


def stop_on_signals(batch_worker: BatchWorker) -> None:
    """SIGTERM or SIGINT: finish the row in hand, hand the claimed rest back, exit."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: batch_worker.stop())


class Api:
    """A small client of the REST API with client-credential tokens."""

    def __init__(self, url: str, client_id: str, secret: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=url.rstrip("/"), timeout=60)
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        token = self.http.post("/api/v1/oauth/token", data=form)
        self._check(token)
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

    @staticmethod
    def _check(response: Any) -> None:
        if response.status_code >= 400:
            try:
                problem = response.json()
                text = f"{problem.get('code', '')}: {problem.get('detail') or problem.get('title')}"
            except ValueError:
                text = response.text[:200]
            console.print(f"[red]{response.status_code} {text}[/]")
            raise typer.Exit(1)

    def get(self, path: str) -> Any:
        response = self.http.get(path)
        self._check(response)
        return response


@batch_app.command("submit")
def submit(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    api_url: ApiUrl = "http://127.0.0.1:8000",
    client_id: ClientId = "",
    client_secret: ClientSecret = "",
    kind: Annotated[
        str,
        typer.Option(help="registration, vld, achievement, diploma_result, ctf or participation"),
    ] = "registration",
    wait: Annotated[bool, typer.Option(help="Show progress until the job finishes")] = True,
) -> None:
    """Upload a batch file; prints the job id (and, with --wait, follows it to the end)."""
    api = Api(api_url, client_id, client_secret)
    with file.open("rb") as handle:
        response = api.http.post(
            "/api/v1/batches", data={"kind": kind}, files={"file": (file.name, handle)}
        )
    api._check(response)
    job = response.json()
    note = " (this file was sent before: its first job)" if job.get("duplicate") else ""
    console.print(f"job {job['id']}: {job['status']}{note}")
    print(job["id"])
    if wait:
        _follow(api, job["id"])


def _follow(api: Api, job_id: str) -> None:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} rows"),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("queued", total=None)
        while True:
            job = api.get(f"/api/v1/batches/{job_id}").json()
            rows = job["rows"]
            progress.update(
                task,
                description=job["status"],
                total=rows["total"] or None,
                completed=rows["processed"],
            )
            if job["status"] in ("completed", "failed", "awaiting_approval"):
                break
            time.sleep(1)
    _summary(job)
    if job["status"] == "failed":
        raise typer.Exit(1)


def _summary(job: dict[str, Any]) -> None:
    rows = job["rows"]
    console.print(
        f"job {job['id']}: {job['status']}; {rows['processed']} of {rows['total']} rows "
        f"processed, {rows['failed']} failed"
    )
    if job.get("error"):
        console.print(f"[red]{job['error']['code']}: {job['error']['message']}[/]")


@batch_app.command("status")
def status(
    job_id: str,
    api_url: ApiUrl = "http://127.0.0.1:8000",
    client_id: ClientId = "",
    client_secret: ClientSecret = "",
) -> None:
    """Show a job's status and progress."""
    _summary(Api(api_url, client_id, client_secret).get(f"/api/v1/batches/{job_id}").json())


@batch_app.command("output")
def output(
    job_id: str,
    api_url: ApiUrl = "http://127.0.0.1:8000",
    client_id: ClientId = "",
    client_secret: ClientSecret = "",
    errors: Annotated[bool, typer.Option("--errors", help="Only the failed rows")] = False,
    to: Annotated[Path | None, typer.Option("--to", help="File to write (default: stdout)")] = None,
) -> None:
    """Download a finished job's output (or error) file."""
    api = Api(api_url, client_id, client_secret)
    body = api.get(f"/api/v1/batches/{job_id}/{'errors' if errors else 'output'}").content
    if to is None:
        sys.stdout.buffer.write(body)
    else:
        to.write_bytes(body)
        console.print(f"written to {to} at {dt.datetime.now(dt.UTC):%H:%M:%S}")
