"""A strict reader for rule files: every field named, typed and checked; unknown fields refused.

The domain may not import pydantic, so the schema is written out here, one `Fields` per object.
"""

from __future__ import annotations

from typing import Any, TypeVar

from openlrs.domain.diploma.errors import RuleFileInvalid

T = TypeVar("T")


class Fields:
    """One JSON object being read: `take` each field, then `done` refuses any left over."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            raise RuleFileInvalid(f"{where}: expected an object")
        self._data: dict[str, Any] = dict(value)
        self.where = where

    def take(self, name: str, kind: type[T], default: T | None = None) -> T:
        if name not in self._data:
            if default is None:
                raise RuleFileInvalid(f"{self.where}: `{name}` is required")
            return default
        value = self._data.pop(name)
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise RuleFileInvalid(f"{self.where}.{name}: expected {kind.__name__}")
        return value

    def optional(self, name: str, kind: type[T]) -> T | None:
        if self._data.get(name) is None:
            self._data.pop(name, None)
            return None
        return self.take(name, kind)

    def count(self, name: str, default: int | None = None, *, minimum: int = 0) -> int:
        value = self.take(name, int, default)
        if value < minimum:
            raise RuleFileInvalid(f"{self.where}.{name}: must be at least {minimum}")
        return value

    def strings(self, name: str, default: list[str] | None = None) -> list[str]:
        values = self.take(name, list, default)
        if not all(isinstance(v, str) and v for v in values):
            raise RuleFileInvalid(f"{self.where}.{name}: expected a list of non-empty strings")
        return list(values)

    def done(self) -> None:
        if self._data:
            raise RuleFileInvalid(f"{self.where}: unknown field(s) {', '.join(sorted(self._data))}")


def check(condition: bool, where: str, problem: str) -> None:
    if not condition:
        raise RuleFileInvalid(f"{where}: {problem}")
