"""Time a school's Common Transfer File end to end against a large register on PostgreSQL.

Loads (or with `--reuse`, reuses) a synthetic register with COPY (bench/matching_latency.py's
loader) in its own database, makes a school with a DfE number, then submits a CTF of `--pupils`
pupils through the same path as the API (whole-file check, then the queue) and lets `openlrs
worker` processes (default 2) work it. Prints the time from upload to `completed` and what the
pupils came to. A third of the pupils are already registered (a tenth of those carry their ULN,
as a pupil arriving from another school does), the rest are new. Nothing asserts on time.

    python bench/ctf_import.py --learners 1000000 --pupils 2000        # load once, then time
    python bench/ctf_import.py --reuse --pupils 2000
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from itertools import islice

import sqlalchemy as sa
from lxml import etree

import matching_latency  # bench/matching_latency.py: COPY a synthetic register
from openlrs.batch.reader import BatchLimits, check_ctf_upload
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Principal, Role
from openlrs.domain.identifiers import make_upn
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.accounts import manage as accounts
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.services.policy import RegisterPolicy
from openlrs.store.engine import build_engine
from openlrs.store.learners.repository import details_from_json
from openlrs.store.tables import learners
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth import generate_learners

DATABASE = "openlrs_ctf_bench"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
SCHOOL_UKPRN, LEA, ESTAB = "10007777", "380", "4001"
SUBMITTER = Principal("user:office@northgate", SCHOOL_UKPRN, frozenset({Role.LRB}))
POLICY = RegisterPolicy(today=lambda: matching_latency.TODAY)


def _sub(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = text


def ctf(pupils: list[tuple[LearnerDetails, str | None]]) -> bytes:
    """A CTF 19.0 from the school holding these pupils (details, ULN carried or None)."""
    root = etree.Element("CTfile")
    header = etree.SubElement(root, "Header")
    for tag, text in (
        ("DocumentName", "Common Transfer File"),
        ("CTFversion", "19.0"),
        ("DateTime", "2026-07-01T10:00:00"),
        ("DocumentQualifier", "Full"),
        ("SupplierID", "BENCH"),
    ):
        _sub(header, tag, text)
    source = etree.SubElement(header, "SourceSchool")
    _sub(source, "LEA", LEA)
    _sub(source, "Estab", ESTAB)
    data = etree.SubElement(root, "CTFpupilData")
    for index, (details, uln) in enumerate(pupils):
        pupil = etree.SubElement(data, "Pupil")
        upn = details.upn or make_upn(f"{LEA}{ESTAB}{10 + index // 1000:02d}{index % 1000:03d}")
        _sub(pupil, "UPN", upn)  # a UPN is a pupil's for life: a known pupil brings theirs
        if uln:
            _sub(pupil, "UniqueLearnerNumber", uln)
        _sub(pupil, "Surname", details.family_name)
        _sub(pupil, "Forename", details.given_name)
        _sub(pupil, "DOB", details.date_of_birth.isoformat())
        _sub(pupil, "Sex", "F" if details.gender == 2 else "M")
        address = etree.SubElement(pupil, "Address")
        _sub(address, "PostCode", details.postcode)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root)


def pupils_for(count: int, seed: int) -> bytes:
    """A third already in the register, read back from it (a tenth of those carrying their ULN;
    each with the UPN the register holds, as a UPN stays with a pupil from school to school), the
    rest new learners from another seed (with the UPN the generator gives, else one of this
    school)."""
    known_count = count // 3
    engine = build_engine(URL)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(learners.c.uln, learners.c.details)
            .where(learners.c.id <= known_count)
            .order_by(learners.c.id)
        ).all()
    engine.dispose()
    pupils: list[tuple[LearnerDetails, str | None]] = [
        (details_from_json(_document(row.details)), row.uln if i < known_count // 10 else None)
        for i, row in enumerate(rows)
    ]
    new = generate_learners(count * 2, seed=seed * 7919 + 11, today=matching_latency.TODAY)
    pupils += [(d, None) for d in islice(new, count - len(pupils))]
    return ctf(pupils)


def _document(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else json.loads(str(value))


def start_workers(count: int) -> list[subprocess.Popen[bytes]]:
    env = os.environ | {"OPENLRS_DATABASE_URL": URL}
    command = [sys.executable, "-m", "openlrs.cli", "worker", "--poll", "0.05"]
    return [subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL) for _ in range(count)]


def run(pupils: int, workers: int, seed: int) -> None:
    factory = SqlUnitOfWorkFactory(build_engine(URL, pool_size=2))
    accounts.ensure_organisation(
        SCHOOL_UKPRN, "Northgate Academy", OrgType.SCHOOL, principal=SYSTEM, uow=factory()
    )
    accounts.set_school_number(SCHOOL_UKPRN, LEA + ESTAB, principal=SYSTEM, uow=factory())
    content = pupils_for(pupils, seed)
    processes = start_workers(workers)
    time.sleep(15)  # let the workers import and connect (slow on a busy machine) first
    started = time.perf_counter()
    school = batch_jobs.school_number_of(SCHOOL_UKPRN, uow=factory())
    check_ctf_upload(content, limits=BatchLimits(), policy=POLICY, school_number=school)
    checked = time.perf_counter() - started
    command = SubmitBatch("ctf", "xml", f"bench-{pupils}-{seed}.xml", content)
    job = batch_jobs.submit_batch(command, principal=SUBMITTER, uow=factory()).job
    while not job.status.finished:
        time.sleep(0.05)
        job = batch_jobs.get_batch(job.id, principal=SUBMITTER, uow=factory())
    elapsed = time.perf_counter() - started
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=60)
    summary = batch_jobs.batch_summary(job.id, principal=SUBMITTER, uow=factory())
    print(
        f"{pupils:,}-pupil CTF ({len(content) / 1e6:.1f} MB), {workers} worker(s): {job.status}"
        f" in {elapsed:.2f} s ({pupils / elapsed:,.0f} pupils/s; whole-file check at upload"
        f" {checked:.2f} s); {summary}",
        flush=True,
    )
    factory.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--pupils", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--reuse", action="store_true", help="use the register already loaded")
    args = parser.parse_args()
    matching_latency.DATABASE, matching_latency.URL = DATABASE, URL  # the loader, our database
    if not args.reuse:
        matching_latency.fresh_database()
        matching_latency.bulk_load(args.learners, seed=5)
    run(args.pupils, args.workers, args.seed)


if __name__ == "__main__":
    main()
