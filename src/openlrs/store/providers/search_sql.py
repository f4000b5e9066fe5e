"""Public name search over the word index, the same on SQLite and PostgreSQL: look the query's
words up (misspelt ones in the vocabulary), take the providers holding the rarest, rank their names
with `domain.provider_search.rank`. Also keeps the index true when a provider is written.

A pg_trgm index was tried first and measured too slow on 50,000 providers: common trigrams
("ing", "tra") make every query touch thousands of names (docs/decisions/0006-provider-register.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Integer, any_, bindparam, delete, insert, intersect, select
from sqlalchemy.dialects import postgresql

from openlrs.domain.providers.provider import PUBLIC_STATUSES, Provider, provider_name_key
from openlrs.domain.providers.search import name_words, query_words, rank, similar_words
from openlrs.store.providers.tables import (
    provider_name_words,
    provider_names,
    provider_words,
    providers,
)
from openlrs.store.upserts import upsert_insert

CANDIDATES = 200
"""At most this many providers are ranked per query: a query of common words only is narrowed."""
_PUBLIC = tuple(sorted(s.value for s in PUBLIC_STATUSES))
_W = provider_name_words.c
_V = provider_words.c


def _among(column: Any, values: Sequence[Any]) -> Any:
    """`column IN values`: one array parameter on PostgreSQL, so each query's text is the same."""
    if not values:
        return column.in_([])
    if isinstance(values[0], int):
        return column == any_(
            bindparam("ids", list(values), type_=postgresql.ARRAY(Integer), unique=True)
        )
    return column == any_(
        bindparam("words", list(values), type_=postgresql.ARRAY(column.type), unique=True)
    )


def _in(conn: Connection, column: Any, values: Sequence[Any]) -> Any:
    return _among(column, values) if conn.dialect.name == "postgresql" else column.in_(values)


def index_words(conn: Connection, provider: Provider) -> None:
    """Re-index one provider's names (public providers only, so search never sees the rest) and
    keep each word's count of providers true. Callers hold the register lock."""
    old = set(conn.execute(select(_W.word).where(_W.provider_id == provider.id)).scalars())
    new: set[str] = set()
    if provider.status in PUBLIC_STATUSES:
        names = (provider.details.legal_name, *provider.details.trading_names)
        new = set().union(*(name_words(provider_name_key(n)) for n in names))
    if old - new:
        conn.execute(
            delete(provider_name_words).where(
                _W.provider_id == provider.id, _W.word.in_(sorted(old - new))
            )
        )
        for word in sorted(old - new):
            conn.execute(
                provider_words.update().where(_V.word == word).values(providers=_V.providers - 1)
            )
    added = sorted(new - old)
    if added:
        conn.execute(
            insert(provider_name_words), [{"word": w, "provider_id": provider.id} for w in added]
        )
        upsert = upsert_insert(conn, provider_words)
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=["word"], set_={"providers": provider_words.c.providers + 1}
            ),
            [{"word": w, "providers": 1} for w in added],
        )


def _word_groups(conn: Connection, words: list[str]) -> list[tuple[int, list[str]]]:
    """For each query word, the indexed words it stands for (itself if indexed, else near ones)
    and how many providers hold any of them."""
    rows = conn.execute(select(_V.word, _V.providers).where(_in(conn, _V.word, words)))
    known: dict[str, int] = {w: n for w, n in rows}
    groups = []
    for word in words:
        if known.get(word):
            groups.append((known[word], [word]))
            continue
        rows = conn.execute(
            select(_V.word, _V.providers).where(
                _V.word >= word[0], _V.word < chr(ord(word[0]) + 1), _V.providers > 0
            )
        )
        nearby: dict[str, int] = {w: n for w, n in rows}
        similar = similar_words(word, nearby)
        if similar:
            groups.append((sum(nearby[w] for w in similar), similar))
    return sorted(groups)


def _candidates(conn: Connection, groups: list[tuple[int, list[str]]], cap: int) -> list[int]:
    """Providers holding the rarest word; for a query of common words only, the two rarest."""
    if not groups:
        return []
    holding = [select(_W.provider_id).where(_in(conn, _W.word, g)) for _, g in groups[:2]]
    if groups[0][0] <= cap or len(groups) == 1:
        found = conn.execute(holding[0].distinct().limit(cap))
    else:
        found = conn.execute(intersect(*holding).limit(cap))
    return [int(i) for i in found.scalars()]


def ranked_ids(
    conn: Connection, key: str, *, limit: int, offset: int, candidates: int = CANDIDATES
) -> list[int]:
    """Ids of public providers whose names (legal or trading) or town match `key`, best first.
    A town-only match ranks after every name match."""
    ids = _candidates(conn, _word_groups(conn, query_words(key)), candidates)
    names: list[tuple[int, str]] = []
    if ids:
        rows = conn.execute(
            select(provider_names.c.provider_id, provider_names.c.name_key).where(
                _in(conn, provider_names.c.provider_id, ids)
            )
        )
        names = [(int(i), name_key) for i, name_key in rows]
    ranked = rank(key, names, ())
    wanted = offset + limit - len(ranked)
    if wanted > 0:  # town-only matches rank after every name match
        towns = conn.execute(
            select(providers.c.id)
            .where(providers.c.town_key == key[:60], providers.c.status.in_(_PUBLIC))
            .order_by(providers.c.id)
            .limit(wanted + len(ranked))
        ).scalars()
        ranked = rank(key, names, towns)
    return ranked[offset : offset + limit]
