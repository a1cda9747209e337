"""Parse untrusted CEB XML without its tricks.

CEB messages never need a DTD, so any DOCTYPE is refused before parsing. That rules out entity
expansion (billion laughs), external entities (``file:///etc/passwd``) and remote DTDs in one go.
The parser itself never loads a DTD, never substitutes an entity, never opens a network
connection and refuses huge trees, so even a DOCTYPE the prolog check missed cannot be used.
Processing instructions other than the XML declaration are not part of the standard either and
are refused.
"""

from __future__ import annotations

import re
import threading
from io import BytesIO

from lxml import etree

from digitrade.core.errors import DomainError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_PROLOG_DOCTYPE = re.compile(r"\A\ufeff?(?:\s+|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
_PROLOG_HEAD = 64 * 1024
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UnreadableMessage(DomainError):
    """The bytes are not a well-formed XML document this platform is willing to read."""

    code = "ecommerce.unreadable-message"
    status = 400
    title = "The message is not readable XML"


class MessageTooLarge(UnreadableMessage):
    code = "ecommerce.message-too-large"
    status = 413
    title = "The message is too large"


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
            remove_comments=True,
        )
        _local.parser = parser
    return parser


def declares_doctype(data: bytes) -> bool:
    """Whether the prolog of ``data`` holds a DOCTYPE declaration (read before any parsing)."""
    head = data[:_PROLOG_HEAD]
    if head.startswith(_UTF16_BOMS):
        text = head.decode("utf-16", errors="ignore")
    else:
        # Latin-1 maps every byte to one character, so ASCII markup is found in any ASCII-based
        # encoding, UTF-8 included.
        text = head.decode("latin-1")
    return _PROLOG_DOCTYPE.match(text) is not None


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """The root element, or ``UnreadableMessage`` saying in one line what is wrong."""
    if len(data) > max_bytes:
        raise MessageTooLarge(
            f"the message has {len(data):,} bytes; the limit is {max_bytes:,} bytes"
        )
    if not data.strip():
        raise UnreadableMessage("the message is empty")
    if declares_doctype(data):
        raise _doctype_refused()
    try:
        tree = etree.parse(BytesIO(data), _parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadableMessage(f"the message is not well-formed XML: {_syntax(exc)}") from exc
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _doctype_refused()
    root = tree.getroot()
    for node in root.iter():
        if isinstance(node, etree._ProcessingInstruction | etree._Entity):
            raise UnreadableMessage("the message holds processing instructions or entities")
    return root


def _doctype_refused() -> UnreadableMessage:
    return UnreadableMessage(
        "the message declares a DOCTYPE; DTDs and entities are not allowed in CEB messages"
    )


def _syntax(exc: etree.XMLSyntaxError) -> str:
    last = exc.error_log.last_error
    message = (last.message if last is not None else str(exc.msg or exc)).strip().rstrip(".")
    line, column = exc.position or (0, 0)
    return f"{message} (line {line}, column {column})" if line else message
