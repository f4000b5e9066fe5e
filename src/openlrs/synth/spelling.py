"""Names as people and machines get them wrong: keyboard slips, OCR confusions, spellings that
sound alike, dropped accents and punctuation, and nicknames.

Each function returns a different spelling that still passes the name field rules (letters,
spaces, hyphens and apostrophes; at most 35 characters; not prohibited), or None if it finds none.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from random import Random

from nicknames import NickNamer

from openlrs.domain.learners.demographics import (
    FieldRules,
    name_key,
    normalise_text,
    validate_field,
)
from openlrs.synth import reference

_ANY_DAY = FieldRules(today=dt.date(2000, 1, 1))
_ATTEMPTS = 8


def is_valid_name(text: str) -> bool:
    """True when `text` is already normalised and passes the rules for a given or family name."""
    return text == normalise_text(text) and not validate_field("given_name", text, _ANY_DAY)


def _accept(candidate: str | None, original: str, *, same_key: bool) -> str | None:
    """The candidate if valid and different; `same_key` says whether its comparison key must match."""
    if candidate is None:
        return None
    candidate = unicodedata.normalize("NFC", candidate)
    if candidate == original or not is_valid_name(candidate):
        return None
    return candidate if (name_key(candidate) == name_key(original)) == same_key else None


def _retry(
    transform: Callable[[str, Random], str | None], *, same_key: bool
) -> Callable[[str, Random], str | None]:
    """Try a random transform a few times until it gives an acceptable name."""

    @functools.wraps(transform)
    def attempt(name: str, rng: Random) -> str | None:
        for _ in range(_ATTEMPTS):
            result = _accept(transform(name, rng), name, same_key=same_key)
            if result is not None:
                return result
        return None

    return attempt


def _cased(like: str, char: str) -> str:
    return char.upper() if like.isupper() else char.lower()


def _recapitalise(original: str, changed: str) -> str:
    """Give each word of `changed` the initial capital its counterpart in `original` had."""
    old, new = re.split(r"([ '-])", original), re.split(r"([ '-])", changed)
    if len(old) != len(new):
        return changed
    return "".join(
        n[:1].upper() + n[1:] if o[:1].isupper() else n for o, n in zip(old, new, strict=True)
    )


# --- Keyboard slips -------------------------------------------------------------------------------

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard() -> dict[str, str]:
    """Each letter and the keys around it on a QWERTY keyboard."""
    near: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for i, key in enumerate(row):
            keys = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            if r > 0:
                keys += [_ROWS[r - 1][j] for j in (i, i + 1) if j < len(_ROWS[r - 1])]
            if r < len(_ROWS) - 1:
                keys += [_ROWS[r + 1][j] for j in (i - 1, i) if 0 <= j < len(_ROWS[r + 1])]
            near[key] = "".join(keys)
    return near


_NEAR_KEYS = _keyboard()


def keys_near(letter: str) -> str:
    """The lower-case letters around `letter` on a QWERTY keyboard (empty for other characters)."""
    return _NEAR_KEYS.get(letter.lower(), "")


def _letter_position(name: str, rng: Random) -> int | None:
    """A random position of an ASCII letter, the first letter of the name seldom."""
    positions = [i for i, c in enumerate(name) if c.isascii() and c.isalpha()]
    if not positions:
        return None
    return rng.choices(positions, weights=[0.15 if i == 0 else 1.0 for i in positions])[0]


def _substitute(name: str, rng: Random) -> str | None:
    i = _letter_position(name, rng)
    if i is None:
        return None
    return name[:i] + _cased(name[i], rng.choice(_NEAR_KEYS[name[i].lower()])) + name[i + 1 :]


def _delete(name: str, rng: Random) -> str | None:
    doubled = [i for i in range(1, len(name)) if name[i] == name[i - 1] and name[i].isalpha()]
    i = rng.choice(doubled) if doubled and rng.random() < 0.5 else _letter_position(name, rng)
    if i is None:
        return None
    return _recapitalise(name, name[:i] + name[i + 1 :])


def _insert(name: str, rng: Random) -> str | None:
    i = _letter_position(name, rng)
    if i is None:
        return None
    extra = name[i].lower() if rng.random() < 0.5 else rng.choice(_NEAR_KEYS[name[i].lower()])
    return name[: i + 1] + extra + name[i + 1 :]


def _transpose(name: str, rng: Random) -> str | None:
    pairs = [i for i in range(len(name) - 1) if name[i].isalpha() and name[i + 1].isalpha()]
    pairs = [i for i in pairs if name[i].lower() != name[i + 1].lower()]
    if not pairs:
        return None
    i = rng.choices(pairs, weights=[0.15 if i == 0 else 1.0 for i in pairs])[0]
    first, second = name[i + 1], name[i]
    if i == 0 or name[i - 1] in " '-":
        first, second = _cased(name[i], first), _cased(name[i + 1], second)
    return name[:i] + first + second + name[i + 2 :]


def _any_slip(name: str, rng: Random) -> str | None:
    slip = rng.choices((_substitute, _delete, _insert, _transpose), weights=(35, 25, 20, 20))[0]
    return slip(name, rng)


keyboard_typo = _retry(_any_slip, same_key=False)
"""One keyboard slip: a neighbouring key, a dropped or doubled letter, or two letters swapped."""


# --- OCR confusions -------------------------------------------------------------------------------

_OCR_PAIRS = (
    ("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("vv", "w"), ("w", "vv"), ("li", "h"),
    ("h", "li"), ("l", "I"), ("i", "l"), ("e", "c"), ("c", "e"), ("o", "a"), ("a", "o"),
    ("u", "v"), ("n", "ri"), ("I", "l"), ("O", "D"), ("D", "O"), ("B", "R"), ("E", "F"), ("C", "G"),
)  # fmt: skip


def _misread(name: str, rng: Random) -> str | None:
    found = [(m.start(), old, new) for old, new in _OCR_PAIRS for m in re.finditer(old, name)]
    if not found:
        return None
    start, old, new = rng.choice(found)
    return name[:start] + new + name[start + len(old) :]


ocr_confusion = _retry(_misread, same_key=False)
"""Characters a scanner confuses: rn/m, cl/d, l/I, e/c and the like."""


# --- Spellings that sound alike -------------------------------------------------------------------

# Spelling rules that keep the sound, each with how readily people make it.
_SOUND_ALIKE = tuple(
    (re.compile(pattern), replacement, weight)
    for pattern, replacement, weight in (
        ("ph", "f", 3), ("(?<=[aeiou])f(?=[aeiou])", "ph", 1), ("ck", "k", 2), ("^c(?=[aou])", "k", 2),
        ("^k(?=[aou])", "c", 2), ("(?<=[^aeiou])y(?=[^aeiou])", "i", 2), ("ie$", "y", 3),
        ("(?<=[^aeiou])y$", "ie", 3), ("ey$", "y", 2), ("ee", "ea", 1), ("ea", "ee", 1),
        ("ai", "ay", 1), ("ay", "ai", 1), (r"([bdfglmnprst])\1", r"\1", 4),
        ("(?<=[aeiou])([lnt])(?=[aeiouy])", r"\1\1", 1), ("son$", "sen", 1), ("ei", "ie", 1),
        ("^th", "t", 1), ("z", "s", 1), ("(?<=[aeiou])s(?=[aeiou])", "z", 0.5), ("an$", "en", 1),
        ("ah$", "a", 2), ("(?<=[^aeiouh])a$", "ah", 1), ("^wh", "w", 1),
    )
)  # fmt: skip


def _sounds_alike(name: str, rng: Random) -> str | None:
    group = reference.spelling_groups().get(name.casefold(), ())
    listed = [n for n in group if name_key(n) != name_key(name)]
    if listed and rng.random() < 0.85:
        return rng.choice(listed)
    lower = name.lower()
    rules = [rule for rule in _SOUND_ALIKE if rule[0].search(lower)]
    if not rules:
        return None
    pattern, new, _ = rng.choices(rules, weights=[weight for _, _, weight in rules])[0]
    return _recapitalise(name, pattern.sub(new, lower, count=1))


phonetic_variant = _retry(_sounds_alike, same_key=False)
"""A spelling that sounds the same: Smith/Smyth, Mohammed/Muhammad, Katherine/Catherine."""


# --- Accents and punctuation ----------------------------------------------------------------------


def _strip_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _punctuated(name: str, rng: Random) -> str | None:
    options: list[str] = []
    if not name.isascii():
        options.append(_strip_accents(name))
    group = reference.spelling_groups().get(name.casefold(), ())
    options += [n for n in group if name_key(n) == name_key(name) and n != name]
    if "'" in name:
        options += [name.replace("'", "", 1), name.replace("'", " ", 1)]
    elif re.match(r"^[OD][A-Z][a-z]", name):
        options.append(f"{name[0]}'{name[1:]}")
    if "-" in name:
        options += [name.replace("-", " "), name.replace("-", "")]
    if " " in name:
        options.append(name.replace(" ", "-"))
    return rng.choice(options) if options else None


punctuation_variant = _retry(_punctuated, same_key=True)
"""The same name with accents, apostrophes, hyphens or spaces added or lost: O'Neill/ONeill."""


# --- Nicknames ------------------------------------------------------------------------------------


@functools.cache
def _nick_namer() -> NickNamer:
    return NickNamer()


def _resembles(short: str, full: str) -> bool:
    return short[:2] == full[:2] or short in full or full in short


def nickname_weights(name: str) -> dict[str, float]:
    """Other forms of a given name and how often each is used: Robert -> Rob, Bob, ...; Jack -> John.

    The common short forms come first; the `nicknames` package fills the long tail.
    """
    return dict(_nickname_table(name))


@functools.lru_cache(maxsize=4096)
def _nickname_table(name: str) -> tuple[tuple[str, float], ...]:
    key = _strip_accents(name).casefold()
    weights: dict[str, float] = {}

    def add(candidate: str, weight: float) -> None:
        form = candidate.title()
        if name_key(form) != name_key(name) and is_valid_name(form):
            weights[form] = weights.get(form, 0.0) + weight

    for short in reference.short_forms().get(key, ()):
        add(short, 6.0)
    for full in reference.full_forms().get(key, ()):
        add(full, 4.0)
    namer = _nick_namer()
    for short in namer.nicknames_of(key):
        add(short, 2.0 if _resembles(short, key) else 0.3)
    if not weights:  # a short form: only full names that begin like it (Archie, not Daisy)
        for full in namer.canonicals_of(key):
            if full[:2] == key[:2]:
                add(full, 1.0)
    return tuple(sorted(weights.items()))


def nickname(name: str, rng: Random) -> str | None:
    """A nickname or short form of a given name (or the full name for a short form), else None."""
    table = _nickname_table(name)
    if not table:
        return None
    return rng.choices([form for form, _ in table], weights=[weight for _, weight in table])[0]


def are_variants(first: str, second: str) -> bool:
    """True when two names are spellings, accents or nicknames of one name."""
    if name_key(first) == name_key(second):
        return True
    group = reference.spelling_groups().get(first.casefold(), ())
    return second in group or any(form == second.title() for form, _ in _nickname_table(first))
