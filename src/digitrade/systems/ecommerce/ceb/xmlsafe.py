"""Parse untrusted CEB XML with the platform's safe parser (``digitrade.core.xmlsafe``).

CEB messages never need a DTD, so any DOCTYPE is refused; processing instructions other than the
XML declaration are not part of the standard either and are refused too.
"""

from __future__ import annotations

from typing import Any

from digitrade.core.errors import DomainError
from digitrade.core.xmlsafe import XmlRefusals, declares_doctype, parse_untrusted

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MessageTooLarge",
    "UnreadableMessage",
    "declares_doctype",
    "parse_xml",
]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class UnreadableMessage(DomainError):
    """The bytes are not a well-formed XML document this platform is willing to read."""

    code = "ecommerce.unreadable-message"
    status = 400
    title = "The message is not readable XML"


class MessageTooLarge(UnreadableMessage):
    code = "ecommerce.message-too-large"
    status = 413
    title = "The message is too large"


REFUSALS = XmlRefusals(
    noun="message",
    unreadable=UnreadableMessage,
    too_large=MessageTooLarge,
    doctype_reason="DTDs and entities are not allowed in CEB messages",
    refuse_instructions=True,
)


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """The root element, or ``UnreadableMessage`` saying in one line what is wrong."""
    return parse_untrusted(data, max_bytes=max_bytes, refusals=REFUSALS).getroot()
