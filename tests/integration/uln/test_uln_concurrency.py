"""Merges, unmerges and achievement postings racing on the same ULNs (PostgreSQL): every posting
that was acknowledged is on the learner's current record at the end, and nothing else is."""

from __future__ import annotations

import datetime as dt
import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from openlrs.domain.learners.learner import LearnerStatus
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import load_register
from openlrs.services.uln.lifecycle import MergeUlns, merge_ulns, unmerge_uln
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import ADMIN, AO, OWNED, POLICY, claimed_details, stored_register

PAIRS = 4
POSTERS = 4
POSTS_EACH = 24
FIRST_AWARD = dt.date(2020, 1, 1)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_merges_and_postings_racing_on_the_same_ulns_lose_nothing(database_url: str) -> None:
    engine = build_engine(database_url, pool_size=POSTERS + 2)
    uow = SqlUnitOfWorkFactory(engine, cache_accounts=False)
    try:
        qualification = Qualification(OWNED, "GCSE in Maths", "GCSE", "2", frozenset({AO.ukprn}))
        load_register([qualification], principal=ADMIN, uow=uow())
        pairs = [
            tuple(stored_register(uow, [[]], seed=30 + n)[0] for _ in "ab") for n in range(PAIRS)
        ]
        with uow() as reading:
            claims = {u: claimed_details(reading.learners.get(u)) for pair in pairs for u in pair}  # type: ignore[arg-type]
        start = threading.Barrier(POSTERS + 1)

        def post(poster: int) -> list[str]:
            rng, acknowledged = random.Random(poster), []
            start.wait()
            for n in range(POSTS_EACH):
                uln = rng.choice(rng.choice(pairs))
                award = FIRST_AWARD + dt.timedelta(days=poster * POSTS_EACH + n)
                command = PostAchievement(uln, claims[uln], AchievementDetails(OWNED, award, "A"))
                posted = post_achievement(command, principal=AO, uow=uow(), policy=POLICY)
                assert posted.created
                acknowledged.append(posted.event.id)
            return acknowledged

        def merge_and_unmerge() -> None:
            start.wait()
            for master, other in pairs:  # merge, undo, and merge again, while postings land
                merge_ulns(MergeUlns(other, master), principal=ADMIN, uow=uow())
                unmerge_uln(other, principal=ADMIN, uow=uow())
                merge_ulns(MergeUlns(other, master), principal=ADMIN, uow=uow())

        with ThreadPoolExecutor(max_workers=POSTERS + 1) as pool:
            desk = pool.submit(merge_and_unmerge)
            posted = [pool.submit(post, p) for p in range(POSTERS)]
            desk.result()
            acknowledged = {event_id for f in posted for event_id in f.result()}

        assert len(acknowledged) == POSTERS * POSTS_EACH
        with uow() as reading:
            on_masters: set[str] = set()
            for master, other in pairs:
                assert reading.learners.get(other).status is LearnerStatus.MERGED  # type: ignore[union-attr]
                assert reading.learning_events.for_learner(other) == []  # nothing stranded
                on_masters |= {e.id for e in reading.learning_events.for_learner(master)}
        assert on_masters == acknowledged
    finally:
        uow.close()
