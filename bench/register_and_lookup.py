"""Register a synthetic population through the service layer, then load-test GET /learners/{uln}.

Prints registrations/s, then requests/s and p50/p95/p99 latency of `GET /api/v1/learners/{uln}`
over HTTP on loopback, for SQLite and/or PostgreSQL. Needs `wrk` (Debian package) for the load;
nothing here asserts on time.

    python bench/register_and_lookup.py --database both --learners 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Principal, Role
from openlrs.domain.errors import RegistrationRefused
from openlrs.services.accounts import manage as accounts
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.store.engine import build_engine
from openlrs.store.migrate import upgrade
from openlrs.store.tables import learners
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth import generate_learners

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TODAY = dt.date(2026, 11, 23)
UKPRN = "10004321"
SECRET = "bench-client-secret-0123456789"
LUA = """
math.randomseed(42)
ulns = {%s}
token = "%s"
request = function()
  local uln = ulns[math.random(#ulns)]
  return wrk.format("GET", "/api/v1/learners/" .. uln, {["Authorization"] = "Bearer " .. token})
end
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%.3f, "errors": %%d, '
    .. '"non2xx": %%d, "p50_ms": %%.3f, "p95_ms": %%.3f, "p99_ms": %%.3f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3))
end
"""


def fresh_database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        return f"sqlite:///{workdir / 'bench.db'}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text('DROP DATABASE IF EXISTS "openlrs_bench" WITH (FORCE)'))
        conn.execute(sa.text('CREATE DATABASE "openlrs_bench"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + "/openlrs_bench"


def reuse_database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}"
    return PG_ADMIN.rsplit("/", 1)[0] + "/openlrs_bench"


def _register_slice(args: tuple[str, int, int, int]) -> tuple[int, int]:
    url, start, count, seed = args
    uow = SqlUnitOfWorkFactory(build_engine(url, pool_size=2))
    registrar = Principal(actor="client:bench", ukprn=UKPRN, roles=frozenset({Role.LRB}))
    done = refused = 0
    for details in generate_learners(count, seed=seed + start, today=TODAY):
        try:
            register_learner(
                RegisterLearner(details, confirm_different_person=True),
                principal=registrar,
                uow=uow(),
            )
            done += 1
        except RegistrationRefused:
            refused += 1
    return done, refused


def register_population(url: str, count: int, processes: int) -> dict[str, float]:
    engine = build_engine(url)
    upgrade(engine)
    uow = SqlUnitOfWorkFactory(engine)
    accounts.ensure_organisation(
        UKPRN, "Bench College", OrgType.COLLEGE, principal=SYSTEM, uow=uow()
    )
    accounts.create_client(
        UKPRN, frozenset({Role.LRB}), principal=SYSTEM, uow=uow(), credentials=("bench", SECRET)
    )
    share = count // processes
    slices = [
        (url, i * share, share if i < processes - 1 else count - share * i, 7)
        for i in range(processes)
    ]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_register_slice, slices)
    seconds = time.perf_counter() - started
    engine.dispose()
    done = sum(r[0] for r in results)
    return {
        "registered": done,
        "refused": sum(r[1] for r in results),
        "seconds": seconds,
        "per_second": done / seconds,
    }


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = os.environ | {"OPENLRS_DATABASE_URL": url, "OPENLRS_SECRET_KEY": "bench-signing-key-" * 3}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openlrs.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        start_new_session=True,
    )
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not become ready")


def get_token(port: int) -> str:
    form = urllib.parse.urlencode(
        {"grant_type": "client_credentials", "client_id": "bench", "client_secret": SECRET}
    ).encode()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/oauth/token", form) as resp:
        return str(json.load(resp)["access_token"])


def load_test(
    url: str, port: int, seconds: int, connections: int, threads: int
) -> dict[str, float]:
    engine = build_engine(url)
    with engine.connect() as conn:
        ulns = conn.execute(sa.select(learners.c.uln)).scalars().all()
    engine.dispose()
    sample = random.Random(1).sample(list(ulns), min(10_000, len(ulns)))
    script = LUA % (",".join(f'"{u}"' for u in sample), get_token(port))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    subprocess.run(  # warm up the pools and caches
        ["wrk", "-t1", "-c4", "-d2s", "-s", fh.name, f"http://127.0.0.1:{port}"],
        capture_output=True,
        check=True,
    )
    busy_before = _busy_cpu_seconds()
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            fh.name,
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(fh.name)
    result = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    result["requests_per_second"] = result["requests"] / result["seconds"]
    result["cpu_ms_per_request"] = (_busy_cpu_seconds() - busy_before) * 1000 / result["requests"]
    return dict(result)


def cpu_probe_seconds() -> float:
    """How fast this machine's CPU is right now: shared machines vary by 2x between runs."""
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def _busy_cpu_seconds() -> float:
    """Machine-wide non-idle CPU time (all processes: server, PostgreSQL, wrk)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2, help="registering processes")
    parser.add_argument("--workers", type=int, default=4, help="API server processes")
    parser.add_argument("--seconds", type=int, default=20, help="load-test duration")
    parser.add_argument(
        "--connections", default="8,16", help="comma-separated concurrent connection counts"
    )
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--reuse", action="store_true", help="load-test the register left by a previous run"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed for the load test: apt-get install -y wrk")
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    print(
        f"machine speed probe: {cpu_probe_seconds():.2f} s for 10M Python additions "
        "(compare runs on different days by this)",
        flush=True,
    )
    for kind in kinds:
        if args.reuse:
            url = reuse_database(kind, Path("var/bench"))
        else:
            url = fresh_database(kind, Path("var/bench"))
            reg = register_population(url, args.learners, args.processes)
            print(
                f"[{kind}] registered {reg['registered']:,} learners ({reg['refused']} refused as "
                f"repeats) in {reg['seconds']:.1f} s: {reg['per_second']:,.0f}/s "
                f"with {args.processes} processes",
                flush=True,
            )
        server = start_server(url, args.port, args.workers)
        try:
            for connections in (int(c) for c in args.connections.split(",")):
                res = load_test(url, args.port, args.seconds, connections, args.threads)
                print(
                    f"[{kind}] GET /api/v1/learners/{{uln}}: "
                    f"{res['requests_per_second']:,.0f} req/s, p50 {res['p50_ms']:.2f} ms, "
                    f"p95 {res['p95_ms']:.2f} ms, p99 {res['p99_ms']:.2f} ms, "
                    f"{res['non2xx']} non-2xx, {res['errors']} socket errors, "
                    f"{res['cpu_ms_per_request']:.2f} CPU-ms/request machine-wide "
                    f"({args.workers} server processes, {connections} connections, "
                    f"{args.seconds} s)",
                    flush=True,
                )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
