"""Name comparison: short forms (nicknames, diminutives), one-letter slips, spelling bands.

Names arrive as `name_key` (upper case, accents and apostrophes dropped). The short forms come from
the `nicknames` package and `openlrs/data/diminutives.txt`; pairs given today as separate names
(`_DISTINCT_NAMES`) are never short forms of each other, because twins are named so.
"""

from __future__ import annotations

import functools
from importlib import resources

from nicknames import NickNamer
from rapidfuzz.distance import OSA, JaroWinkler

SIMILAR = 0.92
SOMEWHAT_SIMILAR = 0.80


@functools.cache
def _nicknamer() -> NickNamer:
    return NickNamer()


_DISTINCT_NAMES = frozenset(
    frozenset(pair.split("/"))
    for pair in [
        "AARON/ERIN",
        "AMELIA/AMY",
        "AMELIA/EMILY",
        "AMELIA/MILLIE",
        "AMY/EMILY",
        "AMY/MILLIE",
        "DAISY/MEGAN",
        "ELAINE/ELEANOR",
        "ELLA/ELLIE",
        "EMILY/EMMA",
        "EMILY/MILLIE",
        "EMMA/MILLIE",
        "HARRY/HENRY",
        "JACK/JOHN",
        "IAN/JOHN",
        "JONATHAN/NATHAN",
        "JOSEPH/JOSHUA",
        "LUCAS/LUKE",
        "ROBERT/WILLIAM",
    ]
)
"""Pairs the nickname list links that are given today as separate names (twins, siblings)."""


_DISTINCT_PARTNERS: dict[str, frozenset[str]] = {
    name: frozenset(other for pair in _DISTINCT_NAMES if name in pair for other in pair - {name})
    for pair in _DISTINCT_NAMES
    for name in pair
}
_NO_NAMES: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=8192)  # one entry a distinct name: well under a few MB
def _name_forms(name: str) -> tuple[str, frozenset[str], frozenset[str]]:
    """A name in lower case, its short forms, and the names it is a short form of.

    Cached per name rather than per pair: a search compares its query with tens of candidates,
    and the pairs are almost all new while the names are not."""
    namer = _nicknamer()
    low = name.lower()
    short_forms, formal = _diminutives()
    return (
        low,
        frozenset(namer.nicknames_of(low)) | short_forms.get(low, _NO_NAMES),
        frozenset(namer.canonicals_of(low)) | formal.get(low, _NO_NAMES),
    )


@functools.cache
def _diminutives() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The short forms of each formal name, and the formal names of each short form, from the
    `diminutives.txt` data list (common English short forms the `nicknames` package lacks)."""
    shorts: dict[str, set[str]] = {}
    formals: dict[str, set[str]] = {}
    text = resources.files("openlrs.data").joinpath("diminutives.txt").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, _, names = line.partition(":")
        short = short.strip().lower()
        for name in (n.strip().lower() for n in names.split(",")):
            if name:
                shorts.setdefault(name, set()).add(short)
                formals.setdefault(short, set()).add(name)
    return (
        {k: frozenset(v) for k, v in shorts.items()},
        {k: frozenset(v) for k, v in formals.items()},
    )


def are_nicknames(a: str, b: str) -> bool:
    """True when one name is a short form of the other (no longer), or both are of one name."""
    if b.upper() in _DISTINCT_PARTNERS.get(a.upper(), _NO_NAMES):
        return False
    a_low, a_nicks, a_canonicals = _name_forms(a)
    b_low, b_nicks, b_canonicals = _name_forms(b)
    if (b_low in a_nicks and len(b) <= len(a)) or (a_low in b_nicks and len(a) <= len(b)):
        return True
    both_short = not a_nicks and not b_nicks
    return both_short and not a_canonicals.isdisjoint(b_canonicals)


def are_separate_forms(a: str, b: str) -> bool:
    """True for a pair the nickname lists link that are given today as separate names (Emma and
    Emily, Jack and John): alike, but as likely twins as one learner (`_DISTINCT_NAMES`)."""
    return b.upper() in _DISTINCT_PARTNERS.get(a.upper(), _NO_NAMES)


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two name keys, 0 to 1."""
    return float(JaroWinkler.similarity(a, b))


def is_one_edit(a: str, b: str) -> bool:
    """True when two different names of three letters or more (either) differ by one letter
    wrong, missing or extra, or by two neighbouring letters exchanged (KYLS / KYLE, LCUY / LUCY):
    the commonest keying slip, which Jaro-Winkler scores low on short names."""
    return a != b and max(len(a), len(b)) >= 3 and OSA.distance(a, b, score_cutoff=1) == 1


@functools.lru_cache(maxsize=65536)  # pairs of given names recur across searches; a few MB
def is_short_form_misspelt(a: str, b: str) -> bool:
    """True when one name, itself unknown to the nickname lists, is one slip (`is_one_edit`)
    from a short form of the other: a nickname keyed with a typo (OLY for Oliver's Olly, TOTI
    for Victoria's Tori). Only short forms: Ava is not Ivy, though Ivy's formal Iva is one slip
    from it."""
    if b.upper() in _DISTINCT_PARTNERS.get(a.upper(), _NO_NAMES):
        return False
    for this, other in ((a, b), (b, a)):
        _, own_shorts, own_formals = _name_forms(this)
        if own_shorts or own_formals:
            continue
        _, shorts, _ = _name_forms(other)
        distinct = _DISTINCT_PARTNERS.get(other.upper(), _NO_NAMES)
        low = this.lower()
        for form in shorts:
            if form.upper() not in distinct and is_one_edit(low, form):
                return True
    return False
