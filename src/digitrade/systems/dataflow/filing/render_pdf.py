"""Render a draft as a PDF (reportlab), to print and sign without an office suite.

Chinese is set in STSong-Light, one of the CID fonts every PDF reader must supply: the file
names the font and embeds no glyphs, so no font file ships with the project. Invariant mode and
the draft's own date make the same draft give the same bytes.
"""

from __future__ import annotations

import io
from functools import cache
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as PdfParagraph

from digitrade.systems.dataflow.filing.document import (
    Bullets,
    Document,
    Facts,
    Paragraph,
    Questions,
    Section,
)
from digitrade.systems.dataflow.filing.model import Language

CHINESE_FONT = "STSong-Light"
_MARGIN = 20 * mm
_WIDTH = A4[0] - 2 * _MARGIN
_GREY = colors.HexColor("#555555")


@cache
def _register_chinese_font() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(CHINESE_FONT))


@cache
def _styles(language: Language) -> dict[str, ParagraphStyle]:
    chinese = language is Language.ZH_HANS
    # The CID font has no bold or italic faces: Chinese drafts mark emphasis by size and colour.
    regular = CHINESE_FONT if chinese else "Helvetica"
    bold = CHINESE_FONT if chinese else "Helvetica-Bold"
    italic = CHINESE_FONT if chinese else "Helvetica-Oblique"
    body = ParagraphStyle(
        "body",
        fontName=regular,
        fontSize=10.5,
        leading=15,
        spaceAfter=4,
        # Chinese has no spaces to break at: CJK wrapping breaks between characters.
        wordWrap="CJK" if chinese else None,
    )
    return {
        "body": body,
        "notice": ParagraphStyle(
            "notice",
            parent=body,
            fontName=bold,
            backColor=colors.HexColor("#fffbeb"),
            borderColor=colors.HexColor("#b45309"),
            borderWidth=1.5,
            borderPadding=6,
            spaceAfter=14,
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontName=bold, fontSize=18, leading=24, spaceAfter=10
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=bold, fontSize=13.5, leading=18, spaceBefore=10
        ),
        "basis": ParagraphStyle(
            "basis", parent=body, fontName=italic, fontSize=9, leading=12, textColor=_GREY
        ),
        "cell": ParagraphStyle("cell", parent=body, spaceAfter=0),
        "bullet": ParagraphStyle(
            "bullet", parent=body, leftIndent=12, bulletIndent=2, bulletFontName="Helvetica"
        ),
        "question": ParagraphStyle("question", parent=body, fontName=bold, spaceBefore=4),
        "answer": ParagraphStyle(
            "answer", parent=body, fontName=italic, textColor=_GREY, spaceAfter=10
        ),
    }


def render_pdf(document: Document) -> bytes:
    _register_chinese_font()
    styles = _styles(document.language)
    story: list[Flowable] = [
        _para(document.notice, styles["notice"], document.language),
        _para(document.title, styles["title"], document.language),
    ]
    for section in document.sections:
        story.extend(_section(section, document, styles))
    # The footer is drawn when a page ends, so text extraction reads it after the page's text.
    page = PageTemplate(
        "page",
        frames=[Frame(_MARGIN, _MARGIN, _WIDTH, A4[1] - 2 * _MARGIN, 0, 0, 0, 0)],
        onPage=lambda canvas, _pdf: _date_as_drafted(canvas, document),
        onPageEnd=lambda canvas, _pdf: _footer(canvas, document),
    )
    buffer = io.BytesIO()
    pdf = BaseDocTemplate(
        buffer,
        pagesize=A4,
        pageTemplates=[page],
        title=document.title,
        author="",
        subject=document.notice,
        creator="",
        lang=document.language.value,
        invariant=True,
    )
    pdf.build(story)
    return buffer.getvalue()


def _section(
    section: Section, document: Document, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    language = document.language
    flowables: list[Flowable] = [_para(section.heading, styles["heading"], language)]
    if section.basis:
        flowables.append(_para(section.basis, styles["basis"], language))
    for block in section.blocks:
        if isinstance(block, Paragraph):
            flowables.append(_para(block.text, styles["body"], language))
        elif isinstance(block, Facts):
            flowables.extend(_facts(block, styles["cell"], language))
        elif isinstance(block, Bullets):
            flowables.extend(
                _para(item, styles["bullet"], language, bullet="\u2022") for item in block.items
            )
        elif isinstance(block, Questions):
            # Numbered as in the DOCX, so the printed and edited drafts can be compared.
            numbered = len(block.items) > 1
            for number, item in enumerate(block.items, start=1):
                question = f"{number}. {item}" if numbered else item
                flowables.append(_para(question, styles["question"], language))
                flowables.append(_para(document.answer_placeholder, styles["answer"], language))
        else:
            raise TypeError(f"no PDF for {type(block).__name__}")
    return flowables


def _facts(block: Facts, style: ParagraphStyle, language: Language) -> list[Flowable]:
    rows = [
        [_para(label, style, language), _para(value, style, language)]
        for label, value in block.rows
    ]
    table = Table(rows, colWidths=[_WIDTH * 0.4, _WIDTH * 0.6], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f3f4f6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [table, Spacer(0, 8)]


def _para(
    text: str, style: ParagraphStyle, language: Language, bullet: str | None = None
) -> PdfParagraph:
    return PdfParagraph(_markup(text, language), style, bulletText=bullet)


def _markup(text: str, language: Language) -> str:
    """Paragraph markup for plain text: escaped, since reportlab reads tags in it.

    In an English draft, runs the Latin fonts cannot draw (a Chinese company name, say) are set in
    the Chinese font rather than left as empty boxes.
    """
    if language is Language.ZH_HANS:
        return escape(text)
    runs: list[str] = []
    for latin, characters in groupby(text, key=_latin):
        run = escape("".join(characters))
        runs.append(run if latin else f'<font face="{CHINESE_FONT}">{run}</font>')
    return "".join(runs)


def _latin(character: str) -> bool:
    # Helvetica and its faces are drawn in WinAnsi (cp1252) encoding.
    try:
        character.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _date_as_drafted(canvas: Canvas, document: Document) -> None:
    # Invariant mode dates every file 2000-01-01; the draft's own date says more, stays fixed.
    dated = document.dated.strftime("D:%Y%m%d000000+00'00'")
    canvas.setDateFormatter(lambda *_: dated)


def _footer(canvas: Canvas, document: Document) -> None:
    canvas.saveState()
    font = CHINESE_FONT if document.language is Language.ZH_HANS else "Helvetica"
    canvas.setFont(font, 8)
    canvas.setFillColor(_GREY)
    canvas.drawString(_MARGIN, _MARGIN / 2, document.title)
    canvas.drawRightString(A4[0] - _MARGIN, _MARGIN / 2, str(canvas.getPageNumber()))
    canvas.restoreState()
