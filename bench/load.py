"""Load and soak test: a realistic request mix against the real server on PostgreSQL, over
loopback, bounded in time. Needs `wrk` (Debian package); nothing here asserts on time.

The mix: 70% find by ULN, 20% find by demographics (exact re-searches of registered learners),
5% registration of new learners, 5% PLR reads (`GET /api/v1/learners/{uln}/learning-events`, as
the college's API client: an LRB may read the PLR, and every read is audited). The finds by ULN
and the PLR reads send the learner's given and family name in the `Learner-Given-Name` and
`Learner-Family-Name` headers (percent-encoded), as an organisation must (issue 22). Reports throughput, p50/p95/p99 latency and error
rate (wrk counts any status other than 2xx/3xx, and socket errors); with `--soak 30m` also the
resident memory of every server process each minute and its growth over the run.

    python bench/load.py --learners 1000000 --seconds 60        # load once, then test
    python bench/load.py --reuse --soak 30m                     # soak the register left behind
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import psycopg

import matching_latency  # bench/matching_latency.py: COPY a synthetic register
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Role
from openlrs.services.accounts import manage as accounts
from openlrs.store.engine import build_engine
from openlrs.store.learners.repository import details_to_json
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth import generate_learners

DATABASE = "openlrs_load"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
UKPRN = matching_latency.UKPRN
CLIENT, SECRET = "load", "load-client-secret-0123456789"
QUANTILES = (0.5, 0.95, 0.99)
NAMES = ("given_name", "family_name")
SEARCH_FIELDS = ("given_name", "family_name", "date_of_birth", "gender", "postcode")
LUA = """
math.randomseed(%(seed)d)
local ulns = %(ulns)s
local names = %(names)s
local searches = %(searches)s
local registrations = %(registrations)s
local token = "Bearer %(token)s"
local next_registration = tonumber(os.getenv("OPENLRS_LOAD_OFFSET") or "0")
local json_headers = {["Authorization"] = token, ["Content-Type"] = "application/json"}
local function known(i)  -- the learner's names: the caller shows it knows them
  return {["Authorization"] = token, ["Learner-Given-Name"] = names[i][1],
    ["Learner-Family-Name"] = names[i][2]}
end
request = function()
  local roll = math.random(100)
  if roll <= 70 then
    local i = math.random(#ulns)
    return wrk.format("GET", "/api/v1/learners/" .. ulns[i], known(i))
  elseif roll <= 75 then  -- the learner's Personal Learning Record (audited)
    local i = math.random(#ulns)
    return wrk.format("GET", "/api/v1/learners/" .. ulns[i] .. "/learning-events", known(i))
  elseif roll <= 95 then
    return wrk.format("POST", "/api/v1/learners/search", json_headers,
      searches[math.random(#searches)])
  end
  next_registration = next_registration %% #registrations + 1
  return wrk.format("POST", "/api/v1/learners", json_headers, registrations[next_registration])
end
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%.3f, "errors": %%d, '
    .. '"non2xx": %%d, "p50_ms": %%.3f, "p95_ms": %%.3f, "p99_ms": %%.3f, "max_ms": %%.3f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""


def load_register(learners: int, seed: int) -> None:
    """A fresh database with `learners` learners by COPY, and the API client the load uses."""
    matching_latency.DATABASE, matching_latency.URL = DATABASE, URL
    matching_latency.fresh_database()
    matching_latency.bulk_load(learners, seed)
    uow = SqlUnitOfWorkFactory(build_engine(URL, pool_size=2))
    accounts.ensure_organisation(
        UKPRN, "Load College", OrgType.COLLEGE, principal=SYSTEM, uow=uow()
    )
    accounts.create_client(
        UKPRN, frozenset({Role.LRB}), principal=SYSTEM, uow=uow(), credentials=(CLIENT, SECRET)
    )
    uow.close()


def lua_list(values: list[str]) -> str:
    return "{" + ",".join(json.dumps(v) for v in values) + "}"


def sample_rows(limit: int) -> list[tuple[str, dict[str, Any]]]:
    """Up to `limit` registered learners (ULN and details), the same ones each time."""
    with psycopg.connect(URL.replace("+psycopg", "")) as conn:
        conn.execute("SELECT setseed(0.42)")
        rows = conn.execute(
            "SELECT uln, details FROM learners TABLESAMPLE SYSTEM (5) LIMIT %s", (limit,)
        ).fetchall()
    return [(uln, details) for uln, details in rows]


def script(token: str, registrations_needed: int, seed: int) -> str:
    rows = sample_rows(20_000)
    with psycopg.connect(URL.replace("+psycopg", "")) as conn:
        # Earlier runs on this register registered their newcomers: start from a new seed.
        registered = conn.execute("SELECT count(*) FROM learners").fetchone()
    ulns = [uln for uln, _ in rows]
    names = [
        "{" + ",".join(json.dumps(urllib.parse.quote(d[k], safe="")) for k in NAMES) + "}"
        for _, d in rows
    ]
    searches = [json.dumps({k: details[k] for k in SEARCH_FIELDS}) for _, details in rows[:5000]]
    # New people (a seed the register was not loaded with), each registered once.
    newcomer_seed = seed + 10_000 + (registered[0] if registered else 0)
    newcomers = generate_learners(registrations_needed, seed=newcomer_seed, today=dt.date.today())
    registrations = [
        json.dumps(details_to_json(d) | {"confirm_different_person": True}) for d in newcomers
    ]
    return LUA % {
        "seed": seed,
        "ulns": lua_list(ulns),
        "names": "{" + ",".join(names) + "}",
        "searches": lua_list(searches),
        "registrations": lua_list(registrations),
        "token": token,
    }


def start_server(
    port: int, workers: int, log: Path, *, sync_read_audit: bool = False
) -> subprocess.Popen[bytes]:
    env = os.environ | {
        # Off by default (docs/decisions/0016-read-audit-commit.md); --sync-read-audit measures
        # the stricter setting.
        "OPENLRS_READ_AUDIT_SYNC_COMMIT": str(sync_read_audit).lower(),
        "OPENLRS_DATABASE_URL": URL,
        "OPENLRS_SECRET_KEY": "load-signing-key-" * 3,
        "OPENLRS_VAR_DIR": str(log.parent),
        # One client from one address stands for many: the limits would measure themselves.
        "OPENLRS_RATE_LIMIT_PER_CLIENT": "1000000",
        "OPENLRS_RATE_LIMIT_PER_IP": "1000000",
    }
    command = [sys.executable, "-m", "openlrs.cli", "serve", "--port", str(port)]
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [*command, "--workers", str(workers)], env=env, stderr=out, start_new_session=True
        )
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as resp:
                if resp.status == 200 and len(server_pids(proc.pid)) >= workers:
                    return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server did not become ready (see {log})")


def server_pids(parent: int) -> list[int]:
    """The worker processes (uvicorn's children; the process itself when it has none)."""
    children = Path(f"/proc/{parent}/task/{parent}/children")
    found = [int(p) for p in children.read_text().split()] if children.exists() else []
    workers = [p for p in found if b"resource_tracker" not in _cmdline(p)]
    return workers or [parent]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (those gone count nothing)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    """Every PostgreSQL process on the machine: backends, WAL writer, checkpointer and the rest."""
    return [pid for pid in _all_pids() if _comm(pid) == "postgres"]


def _all_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def machine_ticks() -> tuple[int, int]:
    """(all, idle + iowait) jiffies of the whole machine so far, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]


class CpuSplit:
    """Where the machine's CPU went between `__init__` and `report`: the server processes,
    PostgreSQL, wrk (this script's children) and what stayed idle, in cores."""

    def __init__(self, servers: list[int]) -> None:
        self.servers = servers
        self.pg = postgres_pids()
        self.start = (
            time.monotonic(),
            cpu_seconds(servers),
            cpu_seconds(self.pg),
            _children_cpu(),
            machine_ticks(),
        )

    def report(self) -> str:
        began, server, pg, wrk, (total, idle) = self.start
        seconds = time.monotonic() - began
        pids = sorted(set(self.pg) | set(postgres_pids()))
        now_total, now_idle = machine_ticks()
        parts = {
            "API processes": cpu_seconds(self.servers) - server,
            "PostgreSQL": cpu_seconds(pids) - pg,
            "wrk": _children_cpu() - wrk,
        }
        idle_share = (now_idle - idle) / max(1, now_total - total)
        return (
            "machine CPU (cores): "
            + ", ".join(f"{name} {used / seconds:.2f}" for name, used in parts.items())
            + f"; idle {idle_share:.0%}"
        )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reference_speed() -> str:
    """This machine's speed on fixed work that no code of ours touches, to compare runs made on
    different machines, or on one machine whose speed drifts (a smaller figure is a faster
    machine): the best of three runs each, the Python work on every core at once."""
    with concurrent.futures.ProcessPoolExecutor(os.cpu_count() or 2) as pool:
        # On every core at once: a core's speed here depends on what its neighbours are doing.
        cores = os.cpu_count() or 2
        python_s = min(max(pool.map(_python_work, range(cores))) for _ in range(3))
    with psycopg.connect(URL.replace("+psycopg", "")) as conn:
        query = "SELECT count(DISTINCT md5(i::text)) FROM generate_series(1, 300000) AS i"
        sql_s = min(_timed(lambda: conn.execute(query).fetchone()) for _ in range(3))
    return f"reference work: Python {python_s * 1000:.0f} ms, PostgreSQL {sql_s * 1000:.0f} ms"


def _python_work(_: int) -> float:
    return _timed(lambda: sum(i * i for i in range(3_000_000)))


def _timed(work: Any) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def token(port: int) -> str:
    form = urllib.parse.urlencode(
        {"grant_type": "client_credentials", "client_id": CLIENT, "client_secret": SECRET}
    ).encode()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/oauth/token", form) as resp:
        return str(json.load(resp)["access_token"])


def run_wrk(lua: Path, port: int, seconds: int, connections: int, offset: int) -> dict[str, float]:
    """One wrk run; registrations start at `offset`, past those earlier runs may have used."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    out = subprocess.run(
        [*command, "-s", str(lua), f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"OPENLRS_LOAD_OFFSET": str(offset)},
    ).stdout
    result: dict[str, float] = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    result["per_second"] = result["requests"] / result["seconds"]
    result["error_rate"] = (result["errors"] + result["non2xx"]) / max(1, result["requests"])
    n = result["requests"]  # registrations used: 5% of requests, with five standard deviations
    result["registrations_bound"] = int(n * 0.05 + 5 * (n * 0.05 * 0.95) ** 0.5 + 100)
    return result


def parse_duration(text: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def report(label: str, res: dict[str, float]) -> None:
    print(
        f"{label}: {res['requests']:,.0f} requests in {res['seconds']:.0f} s = "
        f"{res['per_second']:,.0f} req/s; p50 {res['p50_ms']:.1f} ms, p95 {res['p95_ms']:.1f} ms,"
        f" p99 {res['p99_ms']:.1f} ms, max {res['max_ms']:.0f} ms; errors {res['errors']:.0f}"
        f" socket + {res['non2xx']:.0f} non-2xx = {res['error_rate']:.3%}",
        flush=True,
    )


REFUSALS = {
    ("POST", "/api/v1/learners"): 409,
    ("GET", "/api/v1/learners/{uln}/learning-events"): 403,
}
"""Answers that are the register working, not failing: a newcomer matched to someone registered;
a learner of the synthetic population who declined to share (ability_to_share 2: LEARNER_OPTED_OUT)."""


def per_route(log: Path) -> None:
    """Server-side time per route, from the access lines the server wrote during the run, and
    the answers that were neither a success nor an expected refusal."""
    times: dict[tuple[str, str], list[float]] = {}
    statuses: dict[str, dict[int, int]] = {}
    unexpected = refused = 0
    for line in log.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") != "request" or entry.get("route") in ("/readyz", "/metrics"):
            continue
        key = (entry["method"], entry["route"])
        times.setdefault(key, []).append(entry["duration_ms"])
        counts = statuses.setdefault(f"{key[0]} {key[1]}", {})
        counts[entry["status"]] = counts.get(entry["status"], 0) + 1
        if entry["status"] == REFUSALS.get(key):
            refused += 1
        elif entry["status"] >= 400:
            unexpected += 1
    for (method, route), values in sorted(times.items()):
        values.sort()
        p50, p95, p99 = (values[min(len(values) - 1, int(len(values) * q))] for q in QUANTILES)
        print(
            f"  server-side {method} {route}: {len(values):,} requests, p50 {p50:.1f} ms, "
            f"p95 {p95:.1f} ms, p99 {p99:.1f} ms; statuses "
            f"{statuses[f'{method} {route}']}",
            flush=True,
        )
    print(
        f"  server-side failures: {unexpected} 4xx/5xx; besides them {refused} refusals that are the"
        " register working (409: a registration matched to someone already registered; 403: a"
        " learner who does not share; wrk counts them as non-2xx)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="test the register already loaded")
    parser.add_argument("--seconds", type=int, default=60, help="load-test duration")
    parser.add_argument("--soak", help="soak duration instead, e.g. 30m; reports memory growth")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help="API server processes (default: one per core; more only add contention here)",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--sync-read-audit",
        action="store_true",
        help="lookups and searches wait for the disk before answering (the stricter setting)",
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    if not args.reuse:
        load_register(args.learners, args.seed)
    total = parse_duration(args.soak) if args.soak else args.seconds
    workdir = Path(tempfile.mkdtemp(prefix="openlrs-load-"))
    server = start_server(
        args.port, args.workers, workdir / "server.log", sync_read_audit=args.sync_read_audit
    )
    try:
        lua = workdir / "mix.lua"
        # Registrations: 5% of a generous 3,000 req/s for the whole run and the warm-up, each
        # person once (running out would register people again: 409s that measure the bench).
        lua.write_text(script(token(args.port), 2_000 + total * 150, args.seed))
        offset = run_wrk(lua, args.port, 5, 4, 0)["registrations_bound"]  # warm-up
        pids = server_pids(server.pid)
        start_rss = {pid: rss_mb(pid) for pid in pids}
        print(
            f"{args.workers} server processes on PostgreSQL ({DATABASE}), {args.connections}"
            f" connections, read audits committed"
            f" {'synchronously' if args.sync_read_audit else 'asynchronously'};"
            " RSS after warm-up (MB): "
            + ", ".join(f"{pid}: {mb:.0f}" for pid, mb in start_rss.items()),
            flush=True,
        )
        print(f"{reference_speed()} before the run", flush=True)
        split = CpuSplit(pids)
        slice_seconds = 60 if args.soak else total
        elapsed, results = 0, []
        while elapsed < total:
            seconds = min(slice_seconds, total - elapsed)
            res = run_wrk(lua, args.port, seconds, args.connections, offset)
            offset += int(res["registrations_bound"])
            elapsed += min(slice_seconds, total - elapsed)
            results.append(res)
            label = f"[{elapsed // 60:>3} min]" if args.soak else "mix"
            report(label, res)
            if args.soak:
                print(
                    "          RSS (MB): " + ", ".join(f"{pid}: {rss_mb(pid):.0f}" for pid in pids),
                    flush=True,
                )
        print(split.report(), flush=True)
        print(f"{reference_speed()} after the run", flush=True)
        if args.soak:
            growth = {pid: rss_mb(pid) - start_rss[pid] for pid in pids}
            print(
                f"soak {total // 60} min: RSS growth per process (MB): "
                + ", ".join(f"{pid}: {mb:+.1f}" for pid, mb in growth.items()),
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    per_route(workdir / "server.log")  # warm-up included
    print(f"server log: {workdir / 'server.log'}")


if __name__ == "__main__":
    main()
