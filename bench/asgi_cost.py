"""The API process's own CPU per request, in process: the load mix sent straight to the ASGI app
(every middleware, FastAPI, the use cases and the driver calls; no HTTP parsing, no PostgreSQL
CPU), to weigh a change to the hot paths without the noise of wrk, the kernel and the database
sharing the cores. Runs against the register `bench/load.py` left behind (`openlrs_load`).

Short runs, repeated: this machine's speed drifts over minutes, so compare two builds by
alternating them (`--repeat`, or run the script from two trees in turn) and take the best of each.

    python bench/asgi_cost.py --requests 3000 --repeat 5
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import resource
import subprocess
import time
import urllib.parse
from typing import Any

import psycopg

import load  # bench/load.py: the register, the client, the search fields
from openlrs.config import Settings
from openlrs.store.learners.repository import details_to_json
from openlrs.synth import generate_learners


def _env() -> None:
    os.environ |= {
        "OPENLRS_DATABASE_URL": os.environ.get("OPENLRS_DATABASE_URL", load.URL),
        "OPENLRS_SECRET_KEY": "load-signing-key-" * 3,
        "OPENLRS_RATE_LIMIT_PER_CLIENT": "1000000",
        "OPENLRS_RATE_LIMIT_PER_IP": "1000000",
        "OPENLRS_LOG_LEVEL": "WARNING",
    }


class Client:
    """Sends one request to the ASGI app as uvicorn would; returns the status and the body."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(
        self, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b""
    ) -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8766"), *headers],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8766),
            "state": {},
        }
        sent = False
        status = 0
        answer: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                answer.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(answer)


async def _token(client: Client) -> str:
    form = urllib.parse.urlencode(
        {"grant_type": "client_credentials", "client_id": load.CLIENT, "client_secret": load.SECRET}
    ).encode()
    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    _, body = await client("POST", "/api/v1/oauth/token", headers, form)
    return str(json.loads(body)["access_token"])


def _requests(
    rows: list[tuple[str, dict[str, Any]]], n: int, seed: int, newcomer_seed: int
) -> list[tuple[str, ...]]:
    """The mix: 70% find by ULN, 20% search, 5% registration of new people, 5% PLR reads."""
    rng = random.Random(seed)
    newcomers = generate_learners(n // 10 + 50, seed=newcomer_seed, today=dt.date.today())
    registrations = iter(
        json.dumps(details_to_json(d) | {"confirm_different_person": True}) for d in newcomers
    )
    out: list[tuple[str, ...]] = []
    for _ in range(n):
        roll = rng.randrange(100)
        uln, details = rows[rng.randrange(len(rows))]
        if roll < 70:
            out.append(("uln", "GET", f"/api/v1/learners/{uln}", ""))
        elif roll < 75:
            out.append(("plr", "GET", f"/api/v1/learners/{uln}/learning-events", ""))
        elif roll < 95:
            query = json.dumps({k: details[k] for k in load.SEARCH_FIELDS})
            out.append(("search", "POST", "/api/v1/learners/search", query))
        else:
            out.append(("register", "POST", "/api/v1/learners", next(registrations)))
    return out


async def _run(args: argparse.Namespace) -> None:
    _env()
    from openlrs.bootstrap import build_app

    app = build_app(Settings())
    client = Client(app)
    rows = load.sample_rows(20_000)
    async with app.router.lifespan_context(app):
        auth = (b"authorization", f"Bearer {await _token(client)}".encode())
        json_type = (b"content-type", b"application/json")
        for attempt in range(args.repeat):
            # The same requests every time (new people to register: a seed never used before).
            newcomers = 50_000 + _registered() + attempt
            batch = _requests(rows, args.requests, args.seed + attempt, newcomers)
            for _, method, path, body in batch[:200]:  # warm-up
                await client(method, path, [auth, json_type], body.encode())
            spent: dict[str, list[float]] = {}
            statuses: dict[int, int] = {}
            if args.callgrind:
                _callgrind("on")
            total_began = time.process_time()
            sys_began = resource.getrusage(resource.RUSAGE_SELF).ru_stime
            for route, method, path, body in batch[200:]:
                began = time.process_time()
                status, _ = await client(method, path, [auth, json_type], body.encode())
                spent.setdefault(route, []).append(time.process_time() - began)
                statuses[status] = statuses.get(status, 0) + 1
            total = time.process_time() - total_began
            if args.callgrind:
                _callgrind("off")
            system = resource.getrusage(resource.RUSAGE_SELF).ru_stime - sys_began
            n = len(batch) - 200
            per_route = ", ".join(
                f"{route} {1e6 * sum(v) / len(v):.0f}" for route, v in sorted(spent.items())
            )
            print(
                f"mix: {1e6 * total / n:.0f} µs of process CPU a request, {system / total:.0%} of it"
                f" in the kernel ({n} requests; "
                f"by route, µs: {per_route}); statuses {statuses}",
                flush=True,
            )


def _registered() -> int:
    with psycopg.connect(load.URL.replace("+psycopg", "")) as conn:
        row = conn.execute("SELECT count(*) FROM learners").fetchone()
    return int(row[0]) if row else 0


def _callgrind(state: str) -> None:
    """Switch callgrind's instruction counting on or off for this process (run under
    `valgrind --tool=callgrind --instr-atstart=no`): instruction counts do not drift with the
    machine's speed, so two builds compare exactly."""
    control = subprocess.Popen(
        ["callgrind_control", "-i", state, str(os.getpid())], stdout=subprocess.DEVNULL
    )
    while control.poll() is None:  # callgrind takes the command at this process's next syscall
        time.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7, help="which requests (the same each run)")
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="count instructions of the measured requests only (run under valgrind, see _callgrind)",
    )
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
