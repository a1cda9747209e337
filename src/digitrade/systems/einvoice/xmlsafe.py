"""Parse untrusted XML (uploaded e-invoices, rule-pack manifests) without its tricks.

E-invoices never need a DTD: UBL and CII are defined by XML Schema. So any DOCTYPE is refused,
which rules out entity expansion (billion laughs), external entities (``file:///etc/passwd``) and
remote DTDs in one go. The parser never loads a DTD, never substitutes an entity and never opens
a network connection, so even the check itself cannot be made to fetch or expand anything.
"""

from __future__ import annotations

import re
import threading
from io import BytesIO

from lxml import etree

from digitrade.core.errors import DomainError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_SPACE = re.compile(r"\s*")
_PROLOG_HEAD = 64 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UnreadableXml(DomainError):
    """The bytes are not a well-formed XML document this platform is willing to read."""

    code = "einvoice.unreadable-xml"
    status = 400
    title = "The document is not readable XML"


class XmlTooLarge(UnreadableXml):
    code = "einvoice.xml-too-large"
    status = 413
    title = "The document is too large"


_local = threading.local()


def _parser() -> etree.XMLParser:
    # lxml parsers keep per-parse state, so each thread gets its own.
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_blank_text=False,
        )
        _local.parser = parser
    return parser


def declares_doctype(data: bytes) -> bool:
    """Whether the prolog of ``data`` holds a DOCTYPE declaration (read before any parsing)."""
    head = data[:_PROLOG_HEAD].removeprefix(_UTF8_BOM)
    if head.startswith(_UTF16_BOMS):
        text = head.decode("utf-16", errors="ignore")
    else:
        # Latin-1 maps every byte to one character, so ASCII markup is found in any ASCII-based
        # encoding, UTF-8 included.
        text = head.decode("latin-1")
    # A DOCTYPE can only follow the XML declaration, processing instructions and comments.
    position = 0
    while True:
        spaces = _SPACE.match(text, position)
        position = spaces.end() if spaces else position
        for opening, closing in (("<?", "?>"), ("<!--", "-->")):
            if text.startswith(opening, position):
                end = text.find(closing, position + len(opening))
                if end < 0:
                    return False
                position = end + len(closing)
                break
        else:
            return text.startswith("<!DOCTYPE", position)


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._ElementTree:
    """The parsed document, or :class:`UnreadableXml` saying in one line what is wrong."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"parse_xml takes the document's bytes, not {type(data).__name__}")
    data = bytes(data)
    if len(data) > max_bytes:
        raise XmlTooLarge(f"the document has {len(data):,} bytes; the limit is {max_bytes:,} bytes")
    if not data.strip():
        raise UnreadableXml("the document is empty")
    if declares_doctype(data):
        raise _doctype_refused()
    try:
        tree = etree.parse(BytesIO(data), _parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadableXml(f"the document is not well-formed XML: {_syntax_message(exc)}") from exc
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _doctype_refused()
    return tree


def _doctype_refused() -> UnreadableXml:
    return UnreadableXml(
        "the document declares a DOCTYPE; DTDs and entities are not allowed in e-invoices"
    )


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    last = exc.error_log.last_error
    message = (last.message if last is not None else str(exc.msg or exc)).strip().rstrip(".")
    line, column = exc.position or (0, 0)
    return f"{message} (line {line}, column {column})" if line else message
