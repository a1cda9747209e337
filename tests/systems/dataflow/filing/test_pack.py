"""Filing packs: which drafts each pathway gets, what they say, and that user text stays text."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zlib
from datetime import date

import docx
import pytest

from digitrade.systems.dataflow.filing import FilingInput, FilingInputError, build_pack

PIPIA = {"pipia-report.html", "pipia-report.docx", "pipia-report.pdf"}
SCC = {"scc-annex.html", "scc-annex.docx", "scc-annex.pdf"}
SA = {"sa-self-assessment.html", "sa-self-assessment.docx", "sa-self-assessment.pdf"}


def _answers(**fields) -> FilingInput:
    values = {
        "processor_name": "Lin-gang Precision Export Ltd.",
        "recipient_name": "Hamburg Analytics GmbH",
        "recipient_country": "DE",
        "purposes": ["after-sales service"],
        "categories": ["Contact details", "Vehicle identification numbers"],
        "individuals": 1_234_567,
        "sensitive_individuals": 8_765,
        "retention": "3 years after the contract ends",
        "pathway": "SECURITY_ASSESSMENT",
        "decided_on": date(2026, 11, 26),
        "basis_lines": ["Provisions (CAC Order No. 16) Art 7(2): 1,000,000 or more individuals"],
        "language": "en",
    }
    values.update(fields)
    return FilingInput(**values)


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


# A PDF reader just big enough for what reportlab writes, so the tests do not trust the library
# that made the file: objects, ASCII85+Flate content streams, and literal strings shown by Tj.
_OBJECT = re.compile(rb"\d+ 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)~>\s*endstream", re.S)
_SHOWN = re.compile(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj|(T\*)", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_SIMPLE_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _pdf_fonts(pdf: bytes) -> dict[bytes, bytes]:
    """Resource name (F1, ...) to base font name."""
    fonts = {}
    for body in _OBJECT.findall(pdf):
        name = re.search(rb"/Name /(F\d+)", body)
        base = re.search(rb"/BaseFont /([\w-]+)", body)
        if name and base:
            fonts[name.group(1)] = base.group(1)
    return fonts


def _unescape(literal: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _SIMPLE_ESCAPES.get(code, code)

    return _ESCAPE.sub(one, literal)


def _pdf_text(pdf: bytes) -> str:
    """Every string the pages show, in order; STSong-Light strings are UTF-16BE (UniGB-UCS2-H).

    A line break reads as a space after Latin text, which wraps at spaces, and as nothing after
    Chinese, which wraps between characters.
    """
    fonts = _pdf_fonts(pdf)
    shown = []
    for stream in _STREAM.findall(pdf):
        content = zlib.decompress(base64.a85decode(stream.strip()))
        font = b""
        for switch, literal, line_end in _SHOWN.findall(content):
            if switch:
                font = fonts[switch]
            elif line_end:
                shown.append("" if font == b"STSong-Light" else " ")
            elif font == b"STSong-Light":
                shown.append(_unescape(literal).decode("utf-16-be"))
            else:
                # PDF's WinAnsiEncoding also puts a bullet at 0x7F, where cp1252 has none.
                shown.append(_unescape(literal).decode("cp1252").replace("\x7f", "\u2022"))
    return "".join(shown)


def _pdf_pages(pdf: bytes) -> int:
    pages = len(re.findall(rb"/Type /Page\b(?!s)", pdf))
    declared = re.search(rb"/Count (\d+)[^>]*/Type /Pages", pdf)
    assert declared, "no page tree"
    assert int(declared.group(1)) == pages
    return pages


# --- which documents for which pathway ----------------------------------------------------


@pytest.mark.parametrize(
    ("pathway", "expected"),
    [
        ("SECURITY_ASSESSMENT", PIPIA | SA),
        ("STANDARD_CONTRACT_OR_CERTIFICATION", PIPIA | SCC),
        ("standard_contract", PIPIA | SCC),
        ("certification", PIPIA),
        ("EXEMPT", PIPIA),
    ],
)
def test_documents_follow_the_pathway(pathway, expected):
    assert set(build_pack(_answers(pathway=pathway))) == expected


def test_security_assessment_of_important_data_without_personal_information():
    pack = build_pack(_answers(individuals=0, sensitive_individuals=0, categories=["Port data"]))
    assert set(pack) == SA


def test_explicit_personal_information_flag_wins():
    pack = build_pack(
        _answers(
            pathway="EXEMPT", individuals=0, sensitive_individuals=0, personal_information=True
        )
    )
    assert set(pack) == PIPIA


def test_exempt_without_personal_information_has_nothing_to_draft():
    with pytest.raises(FilingInputError, match="nothing to draft"):
        build_pack(_answers(pathway="EXEMPT", individuals=0, sensitive_individuals=0))


def test_a_prohibited_export_gets_no_pack():
    with pytest.raises(FilingInputError, match="prohibited"):
        build_pack(_answers(pathway="PROHIBITED"))


# --- contents -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_docx_opens_and_holds_the_key_facts(language):
    pack = build_pack(_answers(pathway="STANDARD_CONTRACT_OR_CERTIFICATION", language=language))
    for name in ("pipia-report.docx", "scc-annex.docx"):
        text = _docx_text(pack[name])
        assert "Hamburg Analytics GmbH" in text
        assert "Lin-gang Precision Export Ltd." in text
        assert "1,234,567" in text
        assert "8,765" in text
        assert "3 years after the contract ends" in text
        assert "Vehicle identification numbers" in text


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_pdf_is_well_formed_and_holds_the_key_facts(language):
    pack = build_pack(_answers(pathway="STANDARD_CONTRACT_OR_CERTIFICATION", language=language))
    for name in ("pipia-report.pdf", "scc-annex.pdf"):
        pdf = pack[name]
        assert pdf.startswith(b"%PDF-")
        assert pdf.rstrip().endswith(b"%%EOF")
        assert f"/Lang ({language})".encode() in pdf
        text = _pdf_text(pdf)
        assert "Hamburg Analytics GmbH" in text
        assert "Lin-gang Precision Export Ltd." in text
        assert "1,234,567" in text
        assert "8,765" in text
        assert "3 years after the contract ends" in text
        assert "Vehicle identification numbers" in text
    assert _pdf_pages(pack["pipia-report.pdf"]) >= 2, "the report outline runs over a page"


def test_chinese_pdf_is_set_in_the_chinese_cid_font():
    pack = build_pack(_answers(language="zh-Hans"))
    pdf = pack["sa-self-assessment.pdf"]
    assert b"/BaseFont /STSong-Light" in pdf
    assert b"/Encoding /UniGB-UCS2-H" in pdf
    assert b"FontFile" not in pdf, "the font is named, not embedded"
    text = _pdf_text(pdf)
    assert text.startswith("草稿")
    assert text.index("不构成法律意见") < text.index("数据出境风险自评估报告")
    assert "【待填写】" in text


def test_english_pdf_sets_chinese_names_in_the_chinese_font():
    pack = build_pack(_answers(processor_name="上海临港精密出口有限公司"))
    pdf = pack["pipia-report.pdf"]
    assert b"/BaseFont /Helvetica" in pdf
    assert b"/BaseFont /STSong-Light" in pdf
    assert "上海临港精密出口有限公司" in _pdf_text(pdf)
    plain = build_pack(_answers())["pipia-report.pdf"]
    assert b"STSong-Light" not in plain, "no Chinese font where no Chinese is shown"


def test_english_drafts_say_they_are_drafts_and_not_legal_advice():
    pack = build_pack(_answers())
    for name in ("pipia-report.docx", "sa-self-assessment.docx"):
        first = docx.Document(io.BytesIO(pack[name])).paragraphs[0].text
        assert first.startswith("DRAFT")
        assert "not legal advice" in first
    html = pack["pipia-report.html"].decode()
    assert html.index("not legal advice") < html.index("<h1>")
    pdf_text = _pdf_text(pack["pipia-report.pdf"])
    assert pdf_text.startswith("DRAFT")
    assert pdf_text.index("not legal advice") < pdf_text.index("Personal information protection")


def test_chinese_drafts_say_they_are_drafts_and_not_legal_advice():
    pack = build_pack(_answers(language="zh-Hans"))
    first = docx.Document(io.BytesIO(pack["sa-self-assessment.docx"])).paragraphs[0].text
    assert first.startswith("草稿")
    assert "不构成法律意见" in first
    html = pack["sa-self-assessment.html"].decode()
    assert '<html lang="zh-Hans">' in html
    assert html.index("不构成法律意见") < html.index("<h1>")
    assert "数据出境风险自评估报告" in html


def test_sections_cite_their_rules():
    english = _docx_text(build_pack(_answers())["sa-self-assessment.docx"])
    for citation in ("SA Measures Art 5(1)", "Art 5(6)", "Art 9", "SA Measures Art 8"):
        assert citation in english
    chinese = build_pack(_answers(language="zh-Hans"))["pipia-report.html"].decode()
    assert "《个人信息保护法》第五十六条第（三）项" in chinese


def test_the_engines_reasons_are_carried_over():
    text = _docx_text(build_pack(_answers())["sa-self-assessment.docx"])
    assert "Provisions (CAC Order No. 16) Art 7(2)" in text


def test_gaps_are_marked_not_invented():
    pack = build_pack(
        _answers(pathway="standard_contract", retention="-", recipient_name="", language="zh-Hans")
    )
    text = _docx_text(pack["scc-annex.docx"])
    assert "【待填写】" in text
    assert "未声明" in text, "no onward transfer declared"
    assert "DE（按境外接收方所在地推定，请确认）" in text


def test_html_escapes_user_text():
    hostile = '<script>alert("x")</script>'
    pack = build_pack(
        _answers(
            pathway="STANDARD_CONTRACT",
            recipient_name=hostile,
            purposes=[hostile],
            basis_lines=[hostile],
        )
    )
    for name in ("pipia-report.html", "scc-annex.html"):
        html = pack[name].decode()
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_docx_keeps_user_text_as_text_and_drops_characters_xml_cannot_hold():
    pack = build_pack(_answers(recipient_name="<b>R&D</b>\x00\x07 Ltd"))
    assert "<b>R&D</b> Ltd" in _docx_text(pack["pipia-report.docx"])


def test_pdf_keeps_user_text_as_text():
    # reportlab reads markup in paragraph text: user text must not be taken for it.
    hostile = '<font name="nope" size="99">R&D</font> <para>'
    pack = build_pack(_answers(recipient_name=hostile, purposes=[hostile]))
    text = _pdf_text(pack["pipia-report.pdf"])
    assert hostile in text


def test_the_same_answers_give_the_same_bytes():
    assert build_pack(_answers()) == build_pack(_answers())


def test_the_pdf_is_dated_by_the_decision_not_the_clock():
    pdf = build_pack(_answers())["pipia-report.pdf"]
    assert b"/CreationDate (D:20261126000000+00'00')" in pdf
    assert b"/ModDate (D:20261126000000+00'00')" in pdf


def test_another_process_writes_the_same_pdf():
    # Hash seeds differ between processes: nothing may depend on set or dict order of strings.
    script = (
        "import hashlib, json, sys; from datetime import date;"
        "from digitrade.systems.dataflow.filing import FilingInput, build_pack;"
        "answers = json.loads(sys.argv[1]);"
        "answers['decided_on'] = date.fromisoformat(answers['decided_on']);"
        "pack = build_pack(FilingInput(**answers));"
        "print(hashlib.sha256(pack['pipia-report.pdf']).hexdigest())"
    )
    answers = json.dumps(dataclasses.asdict(_answers(language="zh-Hans")), default=str)
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", script, answers],
        capture_output=True,
        check=True,
        text=True,
        env=environment,
    ).stdout.strip()
    here = build_pack(_answers(language="zh-Hans"))["pipia-report.pdf"]
    assert other == hashlib.sha256(here).hexdigest()


# --- bad input ----------------------------------------------------------------------------


def test_every_bad_field_is_reported():
    with pytest.raises(FilingInputError) as raised:
        build_pack(
            _answers(
                processor_name=" ",
                individuals=-1,
                sensitive_individuals=True,
                pathway="adequacy",
                language="fr",
                purposes=["x" * 5000],
            )
        )
    fields = {issue.field for issue in raised.value.issues}
    assert fields == {
        "processor_name",
        "individuals",
        "sensitive_individuals",
        "pathway",
        "language",
        "purposes[0]",
    }
    assert raised.value.status == 422


def test_input_is_not_modified():
    answers = _answers(purposes=["a", " ", "b"])
    before = dataclasses.replace(answers)
    build_pack(answers)
    assert answers == before
