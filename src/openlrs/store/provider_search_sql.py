"""Public name search: pg_trgm on PostgreSQL (the GIN index on `provider_names.name_key` answers
`%` and `<%`), a LIKE-and-rank path on SQLite. Both also match the town exactly."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, or_, select, text

from openlrs.domain.provider_search import TEXT_SCORE_FLOOR, TOWN_SCORE, text_score
from openlrs.domain.providers import PUBLIC_STATUSES
from openlrs.store.tables_providers import provider_names, providers

_PUBLIC = tuple(sorted(s.value for s in PUBLIC_STATUSES))
SQLITE_CANDIDATES = 2000

_PG_RANKED = text(
    f"""
    WITH hits AS (
        SELECT n.provider_id,
               greatest(similarity(n.name_key, :q), word_similarity(:q, n.name_key)) AS score
          FROM provider_names n
         WHERE n.name_key % :q OR :q <% n.name_key
        UNION ALL
        SELECT p.id, {TOWN_SCORE} FROM providers p WHERE p.town_key = :q
    )
    SELECT h.provider_id
      FROM hits h JOIN providers p ON p.id = h.provider_id
     WHERE p.status IN ({", ".join(f"'{s}'" for s in _PUBLIC)})
     GROUP BY h.provider_id, p.ukprn
     ORDER BY max(h.score) DESC, p.ukprn
     LIMIT :limit OFFSET :offset
    """
)


def ranked_ids(conn: Connection, key: str, *, limit: int, offset: int) -> list[int]:
    """Ids of public providers whose names (legal or trading) or town match `key`, best first."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(_PG_RANKED, {"q": key, "limit": limit, "offset": offset})
        return [int(r[0]) for r in rows]
    scores = _sqlite_scores(conn, key, [t for t in key.split() if len(t) >= 3] or key.split())
    if not scores:  # a misspelt word: try the words' first letters
        scores = _sqlite_scores(conn, key, sorted({t[:4] for t in key.split() if len(t) >= 4}))
    towns = conn.execute(
        select(providers.c.id).where(providers.c.town_key == key, providers.c.status.in_(_PUBLIC))
    )
    for (provider_id,) in towns:
        scores[provider_id] = max(scores.get(provider_id, 0.0), TOWN_SCORE)
    rows = conn.execute(select(providers.c.id, providers.c.ukprn).where(providers.c.id.in_(scores)))
    ukprns = {provider_id: ukprn for provider_id, ukprn in rows}
    ranked = sorted(scores, key=lambda i: (-scores[i], ukprns.get(i) or ""))
    return ranked[offset : offset + limit]


def _sqlite_scores(conn: Connection, key: str, tokens: list[str]) -> dict[int, float]:
    if not tokens:
        return {}
    stmt = (
        select(provider_names.c.provider_id, provider_names.c.name_key)
        .join(providers, providers.c.id == provider_names.c.provider_id)
        .where(or_(*(provider_names.c.name_key.contains(t) for t in tokens)))
        .where(providers.c.status.in_(_PUBLIC))
        .limit(SQLITE_CANDIDATES)
    )
    scores: dict[int, float] = defaultdict(float)
    for provider_id, name_key in conn.execute(stmt):
        score = text_score(key, name_key)
        if score >= TEXT_SCORE_FLOOR:
            scores[provider_id] = max(scores[provider_id], score)
    return dict(scores)
