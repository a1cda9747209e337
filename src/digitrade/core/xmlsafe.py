"""Parse untrusted XML without its tricks, for every system that takes XML from outside.

The trade formats the platform reads (UBL, CII, CEB messages, ...) are defined by XML Schema and
never need a DTD, so any DOCTYPE is refused. That rules out entity expansion (billion laughs),
external entities (``file:///etc/passwd``) and remote DTDs in one go. The parser never loads a DTD,
never substitutes an entity, never opens a network connection and refuses huge trees, so even a
DOCTYPE the prolog check missed cannot be used. Each system raises its own error classes (their
codes are part of its API); this module holds the mechanism.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from lxml import etree

from digitrade.core.errors import DomainError

_SPACE = re.compile(r"\s*")
_PROLOG_HEAD = 64 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class XmlRefusals:
    """How a system names what it refuses: ``noun`` ("document", "message") and its errors."""

    noun: str
    unreadable: Callable[[str], DomainError]
    too_large: Callable[[str], DomainError]
    doctype_reason: str  # e.g. "DTDs and entities are not allowed in e-invoices"
    refuse_instructions: bool = False  # processing instructions other than the declaration


_local = threading.local()


def _parser() -> Any:
    # lxml parsers keep per-parse state, so each thread gets its own.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,  # readers walk children; comments carry no data here
        )
        _local.parser = parser
    return parser


def declares_doctype(data: bytes) -> bool:
    """Whether the prolog of ``data`` holds a DOCTYPE declaration (read before any parsing)."""
    head = data[:_PROLOG_HEAD].removeprefix(_UTF8_BOM)
    if head.startswith(_UTF16_BOMS):
        text = head.decode("utf-16", errors="ignore")
    elif b"<!DOCTYPE" not in head:  # the common case, found without decoding
        return False
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


def parse_untrusted(data: bytes, *, max_bytes: int, refusals: XmlRefusals) -> Any:
    """The parsed document (an lxml ElementTree), or the system's error saying in one line what
    is wrong."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"parse_untrusted takes bytes, not {type(data).__name__}")
    data = bytes(data)
    noun = refusals.noun
    if len(data) > max_bytes:
        raise refusals.too_large(
            f"the {noun} has {len(data):,} bytes; the limit is {max_bytes:,} bytes"
        )
    if not data.strip():
        raise refusals.unreadable(f"the {noun} is empty")
    if declares_doctype(data):
        raise refusals.unreadable(_doctype_message(refusals))
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise refusals.unreadable(
            f"the {noun} is not well-formed XML: {syntax_message(exc)}"
        ) from exc
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise refusals.unreadable(_doctype_message(refusals))
    if refusals.refuse_instructions:
        # The filtered walks run in C: only nodes of these kinds become Python objects.
        root = tree.getroot()
        kinds = (etree.ProcessingInstruction, etree.Entity)
        for _node in chain(
            root.iter(*kinds),
            root.itersiblings(*kinds, preceding=True),
            root.itersiblings(*kinds),
        ):
            raise refusals.unreadable(f"the {noun} holds processing instructions or entities")
    return tree


def _doctype_message(refusals: XmlRefusals) -> str:
    return f"the {refusals.noun} declares a DOCTYPE; {refusals.doctype_reason}"


def syntax_message(exc: Any) -> str:
    """lxml's reason for a syntax error, with its line and column."""
    last = exc.error_log.last_error
    message = (last.message if last is not None else str(exc.msg or exc)).strip().rstrip(".")
    line, column = exc.position or (0, 0)
    return f"{message} (line {line}, column {column})" if line else message
