"""A parsed CEB message: records of text fields, in document order, with no behaviour beyond
reading them.

A message holds one or more documents (an ``Order``, a ``Payment``...), each a head record and
zero or more list records. Field values are kept as the text of the element, surrounding
whitespace removed; an empty element reads as "".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import Any

from digitrade.core.text import Text


@dataclass(frozen=True, slots=True)
class Record:
    """One element of simple fields, such as ``OrderHead`` or one ``OrderList``."""

    name: str
    fields: tuple[tuple[str, str], ...]
    # name -> value of its first occurrence: lookups are the hot path of matching and validation.
    _index: dict[str, str] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index = dict(self.fields)
        if len(index) != len(self.fields):  # a repeated field: its first value counts
            index = {}
            for key, value in self.fields:
                index.setdefault(key, value)
        object.__setattr__(self, "_index", index)

    def get(self, name: str) -> str | None:
        return self._index.get(name)

    @property
    def by_name(self) -> Mapping[str, str]:
        """Each field's first value by name (read only): for loops that look up many fields."""
        return self._index

    def text(self, name: str) -> str:
        return self.get(name) or ""

    def decimal(self, name: str) -> Decimal | None:
        """The field as a number, or None when it is absent, empty or not a number."""
        value = self.get(name)
        return _number(value) if value else None

    def as_dict(self) -> dict[str, str]:
        return dict(self.fields)


@lru_cache(maxsize=4096)  # the same figures recur across an order's four messages and checks
def _number(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True, slots=True)
class Document:
    """One business document of a message: its head and its list lines."""

    head: Record
    lines: tuple[Record, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"head": self.head.as_dict(), "lines": [line.as_dict() for line in self.lines]}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about a message, at a dotted path such as ``Order[1].OrderHead.goodsValue``."""

    path: str
    message: str
    severity: Severity = Severity.ERROR
    message_zh: str = ""  # the Chinese; empty only for text from elsewhere (a parse error)

    @classmethod
    def of(cls, path: str, text: Text, severity: Severity = Severity.ERROR) -> Issue:
        return cls(path, text.en, severity, text.zh)

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.path,
            "message": self.message,
            "severity": self.severity.value,
            "message_zh": self.message_zh or self.message,
        }


@dataclass(frozen=True, slots=True)
class CebMessage:
    message_type: str  # e.g. "CEB311"
    guid: str
    version: str
    documents: tuple[Document, ...]
    base_transfer: Record | None = None
    signed: bool = False
    # Elements the standard does not have, missing heads: reported by validation.
    structure_issues: tuple[Issue, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "message_type": self.message_type,
            "guid": self.guid,
            "version": self.version,
            "documents": [document.as_dict() for document in self.documents],
            "base_transfer": self.base_transfer.as_dict() if self.base_transfer else None,
            "signed": self.signed,
        }
