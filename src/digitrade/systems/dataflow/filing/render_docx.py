"""Render a draft as a Word document (python-docx), byte-for-byte reproducible."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, time

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt

from digitrade.systems.dataflow.filing.document import (
    Bullets,
    Document,
    Facts,
    Paragraph,
    Questions,
)
from digitrade.systems.dataflow.filing.model import Language

# Zip entries carry a timestamp; a fixed one makes the same draft give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CHINESE_FONT = "SimSun"


def render_docx(document: Document) -> bytes:
    word = docx.Document()
    _set_fonts(word, document.language)
    notice = word.add_paragraph()
    notice_run = notice.add_run(document.notice)
    notice_run.bold = True
    notice_run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    word.add_heading(document.title, level=0)
    for section in document.sections:
        word.add_heading(section.heading, level=1)
        if section.basis:
            basis = word.add_paragraph().add_run(section.basis)
            basis.italic = True
            basis.font.size = Pt(9)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                word.add_paragraph(block.text)
            elif isinstance(block, Facts):
                table = word.add_table(rows=0, cols=2)
                table.style = "Table Grid"
                for label, value in block.rows:
                    cells = table.add_row().cells
                    cells[0].text = label
                    cells[1].text = value
                word.add_paragraph()
            elif isinstance(block, Bullets):
                for item in block.items:
                    word.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Questions):
                # Numbered by hand: Word's list numbering would run on across sections.
                numbered = len(block.items) > 1
                for number, item in enumerate(block.items, start=1):
                    question = f"{number}. {item}" if numbered else item
                    word.add_paragraph().add_run(question).bold = True
                    word.add_paragraph().add_run(document.answer_placeholder).italic = True
    _set_properties(word, document)
    buffer = io.BytesIO()
    word.save(buffer)
    return _with_fixed_timestamps(buffer.getvalue())


def _set_fonts(word: docx.document.Document, language: Language) -> None:
    normal = word.styles["Normal"]
    normal.font.size = Pt(10.5)
    if language is Language.ZH_HANS:
        # Word picks East Asian glyphs from the eastAsia font slot, not from font.name.
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), _CHINESE_FONT)


def _set_properties(word: docx.document.Document, document: Document) -> None:
    properties = word.core_properties
    properties.title = document.title
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = document.notice
    properties.language = document.language.value
    properties.revision = 1
    dated = datetime.combine(document.dated, time(), tzinfo=UTC)
    properties.created = dated
    properties.modified = dated


def _with_fixed_timestamps(package: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry.filename))
    return buffer.getvalue()
