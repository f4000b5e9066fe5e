"""Settings-dependent rules the use cases apply, handed in by the composition root."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True)
class RegisterPolicy:
    min_age: int = 14
    max_age: int = 100
    today: Callable[[], dt.date] = field(default=_today)


DEFAULT_POLICY = RegisterPolicy()
