"""A reason given with a decision: a stable code for programs, a sentence for people in English
and in Chinese (``message_zh``, written from the same template, see ``texts``)."""

from __future__ import annotations

from dataclasses import dataclass

from digitrade.core.text import Text
from digitrade.systems.ecommerce.texts import render


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    message: str
    message_zh: str

    @classmethod
    def of(cls, code: str, key: str, **values: object) -> Reason:
        """The reason ``code`` worded by the template ``key`` filled with ``values``."""
        return cls.from_text(code, render(key, **values))

    @classmethod
    def from_text(cls, code: str, text: Text) -> Reason:
        return cls(code, text.en, text.zh)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "message_zh": self.message_zh}
