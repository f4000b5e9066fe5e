"""Prohibited text: placeholder words and obscenities that must never stand as a learner's name.

The list ships as `openlrs/data/prohibited_text.txt`; operators may edit it or load their own file
with `load_prohibited_terms(path)`. Names and entries are compared in `name_key` form, which lives
here for that reason; `demographics` re-exports it for matching and everything else.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from importlib import resources
from pathlib import Path

_SHIPPED = "data/prohibited_text.txt"
_WORD_BREAK = re.compile(r"[\s\-]+")


def name_key(value: str) -> str:
    """The form names are compared in: accents stripped, upper case, letters and digits only.

    "Zoë" -> "ZOE", "O'Neill" -> "ONEILL", "Smith-Jones" -> "SMITHJONES".
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", value))
    text = unicodedata.normalize("NFKD", "".join(c for c in text if not unicodedata.combining(c)))
    return "".join(c for c in text.upper() if c.isalnum())


def parse_prohibited_terms(text: str) -> frozenset[str]:
    """The entries of a prohibited-text file: one a line, `#` starts a comment, blanks ignored.

    Entries are returned NFC-normalised, trimmed, whitespace-collapsed and case-folded.
    """
    entries = set()
    for line in text.splitlines():
        entry = " ".join(unicodedata.normalize("NFC", line.split("#", 1)[0]).split()).casefold()
        if entry:
            entries.add(entry)
    return frozenset(entries)


def load_prohibited_terms(path: str | os.PathLike[str] | None = None) -> frozenset[str]:
    """Read the prohibited-text file at `path` (UTF-8, BOM allowed), or the shipped list if None."""
    if path is None:
        text = resources.files("openlrs").joinpath(_SHIPPED).read_text(encoding="utf-8-sig")
    else:
        text = Path(path).read_text(encoding="utf-8-sig")
    return parse_prohibited_terms(text)


@functools.cache
def prohibited_terms() -> frozenset[str]:
    """The shipped prohibited-text list, read once per process."""
    return load_prohibited_terms()


def _name_words(value: str) -> tuple[str, ...]:
    """The comparison keys of a name's words (split at spaces and hyphens)."""
    return tuple(key for key in (name_key(w) for w in _WORD_BREAK.split(value)) if key)


@functools.lru_cache(maxsize=8)
def _term_index(terms: frozenset[str]) -> tuple[frozenset[str], dict[str, list[tuple[str, ...]]]]:
    """Whole-value keys of the terms, and their word sequences indexed by first word."""
    wholes = frozenset(key for key in map(name_key, terms) if key)
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in filter(None, map(_name_words, terms)):
        by_first.setdefault(words[0], []).append(words)
    return wholes, by_first


def is_prohibited_name(value: str, terms: frozenset[str] | None = None) -> bool:
    """True when the whole name, or any whole word (or run of words) of it, is a prohibited term.

    `terms` defaults to the shipped list; "Baby Smith" is prohibited, "Babyface" is not.
    """
    wholes, by_first = _term_index(prohibited_terms() if terms is None else terms)
    if name_key(value) in wholes:
        return True
    words = _name_words(value)
    return any(
        words[i : i + len(phrase)] == phrase
        for i, word in enumerate(words)
        for phrase in by_first.get(word, ())
    )
