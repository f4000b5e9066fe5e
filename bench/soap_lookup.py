"""SOAP beside REST: find by ULN and find by demographics through LearnerService.svc and through the
REST API, against the same server and register on PostgreSQL, one after the other in one run.
Needs `wrk` (Debian package); nothing here asserts on time.

Loads the register with bench/load.py's loader (COPY of a synthetic population; 1,000,000 learners
take a few minutes) into a database of its own, adds a web-service account beside the load's API
client, starts `openlrs serve`, and runs four wrk passes of `--seconds` each: REST GET
/api/v1/learners/{uln}, SOAP learnerByULN (FUL), REST POST /api/v1/learners/search, SOAP
learnerByDemographics (FUL), all exact re-searches of registered learners. The SOAP messages are
built with lxml here and handed to wrk as bytes.

    python bench/soap_lookup.py --learners 1000000 --seconds 30
    python bench/soap_lookup.py --reuse --seconds 30        # the register left behind
"""

from __future__ import annotations

import argparse
import json
import tempfile
import urllib.parse
from pathlib import Path

import psycopg
from lxml import etree

import load  # bench/load.py: loader, server, wrk
import matching_latency
from openlrs.domain.accounts.organisations import SYSTEM, Role
from openlrs.services.accounts.web_service import create_web_service_account
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory

DATABASE = "openlrs_soap_bench"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
USER, PASSWORD = "bench-mis", "BenchPassword016"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
FIND = "http://api.lrs.miap.gov.uk/findmsg"
LUA = """
math.randomseed(%(seed)d)
local bodies = %(bodies)s
local paths = %(paths)s
local method = "%(method)s"
local headers = %(headers)s
request = function()
  local i = math.random(#paths)
  return wrk.format(method, paths[i], headers[i], bodies[i])
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


def use_own_database() -> None:
    """Point bench/load.py and its loader at this benchmark's database (not the load test's)."""
    load.DATABASE, load.URL = DATABASE, URL
    matching_latency.DATABASE, matching_latency.URL = DATABASE, URL


def add_web_service_account() -> None:
    uow = SqlUnitOfWorkFactory(build_engine(URL, pool_size=2))
    create_web_service_account(
        load.UKPRN, USER, frozenset({Role.LRB}), principal=SYSTEM, uow=uow(), password=PASSWORD
    )
    uow.close()


def _message(operation: str, fields: list[tuple[str, str]]) -> str:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    request = etree.SubElement(body, f"{{{FIND}}}{operation}", nsmap={"fin": FIND})
    credentials = [("UKPRN", load.UKPRN), ("OrgPassword", PASSWORD), ("UserName", USER)]
    for name, value in [("FindType", "FUL"), *credentials, *fields]:
        etree.SubElement(request, name).text = value
    return etree.tostring(envelope, encoding="unicode")


def soap_by_uln(uln: str, d: dict[str, str]) -> str:
    names = [("FamilyName", d["family_name"]), ("GivenName", d["given_name"])]
    return _message("FindLearnerByULN", [("ULN", uln), *names])


def soap_by_demographics(d: dict[str, str]) -> str:
    return _message(
        "FindLearnerByDemographics",
        [
            ("FamilyName", d["family_name"]),
            ("GivenName", d["given_name"]),
            ("DateOfBirth", str(d["date_of_birth"])),
            ("Gender", str(d["gender"])),
            ("LastKnownPostCode", d["postcode"]),
        ],
    )


def _lua_string(value: str) -> str:
    """A Lua string literal: JSON's escapes, with UTF-8 left as it is (Lua has no \\u escape)."""
    return json.dumps(value, ensure_ascii=False)


def _lua_table(headers: dict[str, str]) -> str:
    return (
        "{" + ",".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()) + "}"
    )


def lua(method: str, paths: list[str], bodies: list[str], headers: list[dict[str, str]]) -> str:
    """wrk's script: request i of the sample is (paths[i], headers[i], bodies[i])."""
    return LUA % {
        "seed": 7,
        "bodies": "{" + ",".join(_lua_string(b) for b in bodies) + "}",
        "paths": "{" + ",".join(_lua_string(p) for p in paths) + "}",
        "method": method,
        "headers": "{" + ",".join(_lua_table(h) for h in headers) + "}",
    }


def knowledge_headers(d: dict[str, str]) -> dict[str, str]:
    """REST's knowledge of the learner (the names SOAP's learnerByULN carries)."""
    return {
        "Learner-Given-Name": urllib.parse.quote(d["given_name"]),
        "Learner-Family-Name": urllib.parse.quote(d["family_name"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--reuse", action="store_true", help="keep the register of an earlier run")
    args = parser.parse_args()
    use_own_database()
    if not args.reuse:
        print(f"loading {args.learners:,} learners into {DATABASE} ...", flush=True)
        load.load_register(args.learners, seed=1)
        add_web_service_account()
    with psycopg.connect(URL.replace("+psycopg", "")) as conn:
        count = conn.execute("SELECT count(*) FROM learners").fetchone()
    print(f"register: {count[0] if count else 0:,} learners (PostgreSQL)", flush=True)
    rows = load.sample_rows(5000)
    work = Path(tempfile.mkdtemp(prefix="soap-bench-"))
    server = load.start_server(args.port, args.workers, work / "server.log")
    try:
        token = load.token(args.port)
        rest_json = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        soap_xml = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
        fields = ("given_name", "family_name", "date_of_birth", "gender", "postcode")
        bearer = {"Authorization": f"Bearer {token}"}
        n = len(rows)
        passes = {
            "REST find by ULN": lua(
                "GET",
                [f"/api/v1/learners/{u}" for u, _ in rows],
                [""] * n,
                [bearer | knowledge_headers(d) for _, d in rows],
            ),
            "SOAP learnerByULN (FUL)": lua(
                "POST",
                ["/LearnerService.svc"] * n,
                [soap_by_uln(u, d) for u, d in rows],
                [soap_xml] * n,
            ),
            "REST find by demographics": lua(
                "POST",
                ["/api/v1/learners/search"] * n,
                [json.dumps({k: d[k] for k in fields}) for _, d in rows],
                [rest_json] * n,
            ),
            "SOAP learnerByDemographics (FUL)": lua(
                "POST",
                ["/LearnerService.svc"] * n,
                [soap_by_demographics(d) for _, d in rows],
                [soap_xml] * n,
            ),
        }
        for label, script in passes.items():
            path = work / f"{label.split()[0]}-{abs(hash(label))}.lua"
            path.write_text(script)
            load.report(label, load.run_wrk(path, args.port, args.seconds, args.connections, 0))
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
