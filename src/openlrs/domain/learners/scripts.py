"""Which writing system each letter of a name belongs to, from the Unicode character names: a name
that mixes scripts (a Cyrillic "а" among Latin letters) looks like another name and is refused."""

from __future__ import annotations

import unicodedata

# Scripts that one name legitimately writes together (Japanese mixes kanji and kana; Korean
# names may mix hangul and hanja) count as one.
_SAME_SCRIPT = {
    "HIRAGANA": "CJK",
    "KATAKANA": "CJK",
    "KATAKANA-HIRAGANA": "CJK",
    "HANGUL": "CJK",
}
# Letters that belong to no one script (modifier letters such as the ʼ apostrophe).
_NEUTRAL = frozenset({"MODIFIER"})
_WIDTH = ("FULLWIDTH ", "HALFWIDTH ")


def letter_script(char: str) -> str | None:
    """The script a letter is written in ("LATIN", "CYRILLIC", "GREEK", "CJK", ...); None for
    anything that is not a letter, or a letter that belongs to no one script."""
    if not unicodedata.category(char).startswith("L"):
        return None
    name = unicodedata.name(char, "")
    for prefix in _WIDTH:
        name = name.removeprefix(prefix)
    script = name.split(" ", 1)[0]
    if not script or script in _NEUTRAL:
        return None
    return _SAME_SCRIPT.get(script, script)


def scripts_of(text: str) -> frozenset[str]:
    """Every script the letters of `text` are written in (marks, spaces and punctuation ignored)."""
    return frozenset(s for c in unicodedata.normalize("NFC", text) if (s := letter_script(c)))


def mixes_scripts(text: str) -> bool:
    """True when the letters of one name come from more than one script."""
    return len(scripts_of(text)) > 1
