"""QCF levels (Entry 1-3, then 1-8) as ordered ranks, and grade words shared by the rules."""

from __future__ import annotations

LEVELS = ("E1", "E2", "E3", "1", "2", "3", "4", "5", "6", "7", "8")
"""Every QCF level, lowest first; a level's rank is its index here."""

FAILED_GRADES = frozenset({"U", "X", "FAIL"})
"""Unclassified, absent (X) and a functional-skill fail: results that hold no achievement."""


def level_rank(level: str | int) -> int:
    """The order of a level: `E1` lowest, `8` highest. Raises ValueError for anything else."""
    text = str(level).strip().upper().replace("ENTRY ", "E")
    try:
        return LEVELS.index(text)
    except ValueError:
        raise ValueError(f"not a QCF level: {level!r}") from None


def level_name(rank: int) -> str:
    """`Entry 2` or `Level 3`, for explanations a person reads."""
    text = LEVELS[rank]
    return f"Entry {text[1]}" if text.startswith("E") else f"Level {text}"
