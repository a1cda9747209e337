"""A format-neutral draft document: the content is decided once, then rendered as HTML or DOCX."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from digitrade.systems.dataflow.filing.model import Language


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Facts:
    """Label and value pairs, shown as a two-column table."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Questions:
    """What the author must answer in the section, each followed by a space to answer."""

    items: tuple[str, ...]


Block = Paragraph | Facts | Bullets | Questions


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]
    # The rule the section implements, printed under its heading.
    basis: str = ""


@dataclass(frozen=True)
class Document:
    file_stem: str
    language: Language
    title: str
    notice: str
    sections: tuple[Section, ...]
    answer_placeholder: str
    dated: date
