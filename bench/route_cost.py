"""Machine CPU per request, route by route: what each route of the load mix costs.

Starts the server on the register `bench/load.py` left behind (`openlrs_load`), drives one route
at a time with wrk (after a short warm-up), and reports throughput, latency and the CPU used per
request by the server processes and by their PostgreSQL backends (read from /proc), so that a
change to one route can be weighed without the noise of the whole mix. Not timed by any test.

    python bench/load.py --learners 1000000 --seconds 10     # once, to load the register
    python bench/route_cost.py --routes uln,search,plr,register,mix --seconds 15
"""

from __future__ import annotations

import argparse
import os
import signal
import tempfile
from pathlib import Path

import psycopg

import load  # bench/load.py: server, token, wrk script and runner

ROUTES = {
    "uln": 'request = function() return wrk.format("GET", "/api/v1/learners/" '
    ".. ulns[math.random(#ulns)], get_headers) end",
    "plr": 'request = function() return wrk.format("GET", "/api/v1/learners/" '
    '.. ulns[math.random(#ulns)] .. "/learning-events", get_headers) end',
    "search": 'request = function() return wrk.format("POST", "/api/v1/learners/search", '
    "json_headers, searches[math.random(#searches)]) end",
    "register": "request = function() next_registration = next_registration % #registrations + 1; "
    'return wrk.format("POST", "/api/v1/learners", json_headers, '
    "registrations[next_registration]) end",
    "mix": "",  # the load test's own request function
}


def backend_pids() -> list[int]:
    """The PostgreSQL backends serving the register's database."""
    with psycopg.connect(load.URL.replace("+psycopg", "")) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (load.DATABASE,),
        ).fetchall()
    return [pid for (pid,) in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routes", default="uln,search,plr,register,mix")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="openlrs-route-cost-"))
    server = load.start_server(args.port, args.workers, work / "server.log")
    try:
        base = load.script(load.token(args.port), 50_000, seed=5)
        offset = 0
        for route in args.routes.split(","):
            lua = work / f"{route}.lua"
            lua.write_text(f"{base}\n{ROUTES[route]}\n")
            load.run_wrk(lua, args.port, 3, args.connections, offset)  # warm-up
            offset += 2_000
            servers = sorted(set(load.server_pids(server.pid)) | {server.pid})
            backends = backend_pids()
            server_cpu, backend_cpu = load.cpu_seconds(servers), load.cpu_seconds(backends)
            result = load.run_wrk(lua, args.port, args.seconds, args.connections, offset)
            offset += int(result["registrations_bound"])
            backends = sorted(set(backends) | set(backend_pids()))
            n = result["requests"]
            server_ms = 1000 * (load.cpu_seconds(servers) - server_cpu) / n
            backend_ms = 1000 * (load.cpu_seconds(backends) - backend_cpu) / n
            print(
                f"{route:8s} {result['per_second']:6.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
                f"p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, errors "
                f"{result['errors']:.0f}+{result['non2xx']:.0f}; CPU a request: server "
                f"{server_ms:.2f} ms, PostgreSQL {backend_ms:.2f} ms",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


if __name__ == "__main__":
    main()
