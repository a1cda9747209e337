"""A text in the platform's two languages, for rules and engines whose sentences reach people.

Engines return ``Text`` pairs; pages pick the language, JSON contracts carry both. Numbers and
codes go into both languages unchanged, so they read the same in each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    """One text in English and in Chinese."""

    en: str
    zh: str

    @staticmethod
    def join(parts: Iterable[Text], en: str = "; ", zh: str = "；") -> Text:
        items = list(parts)
        return Text(en.join(part.en for part in items), zh.join(part.zh for part in items))

    @staticmethod
    def same(value: str) -> Text:
        """A text that reads the same in both languages (a code, a number)."""
        return Text(value, value)
