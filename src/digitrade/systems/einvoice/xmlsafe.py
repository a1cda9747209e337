"""Parse untrusted XML (uploaded e-invoices, fapiao files) with the platform's safe parser.

E-invoices never need a DTD: UBL and CII are defined by XML Schema. Any DOCTYPE is refused, the
parser loads no DTD, expands no entity and opens no connection (``digitrade.core.xmlsafe``).
"""

from __future__ import annotations

from typing import Any

from digitrade.core.errors import DomainError
from digitrade.core.xmlsafe import XmlRefusals, declares_doctype, parse_untrusted

__all__ = ["DEFAULT_MAX_BYTES", "UnreadableXml", "XmlTooLarge", "declares_doctype", "parse_xml"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class UnreadableXml(DomainError):
    """The bytes are not a well-formed XML document this platform is willing to read."""

    code = "einvoice.unreadable-xml"
    status = 400
    title = "The document is not readable XML"


class XmlTooLarge(UnreadableXml):
    code = "einvoice.xml-too-large"
    status = 413
    title = "The document is too large"


REFUSALS = XmlRefusals(
    noun="document",
    unreadable=UnreadableXml,
    too_large=XmlTooLarge,
    doctype_reason="DTDs and entities are not allowed in e-invoices",
)


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """The parsed document (lxml ElementTree), or :class:`UnreadableXml` saying what is wrong."""
    return parse_untrusted(data, max_bytes=max_bytes, refusals=REFUSALS)
