"""The platform's JSON shape of a fapiao."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from digitrade.systems.einvoice.fapiao import FapiaoFormatError, read_json, write_json
from tests.systems.einvoice.fapiao.samples import ALL_SAMPLES, software_services


@pytest.mark.parametrize("name", sorted(ALL_SAMPLES))
def test_write_then_read_keeps_everything(name):
    invoice = ALL_SAMPLES[name]()
    back, findings = read_json(write_json(invoice))
    assert back == invoice
    assert [f for f in findings if f.severity != "info"] == []


def test_shape_amounts_are_strings_and_chinese_is_readable():
    text = write_json(software_services())
    data = json.loads(text)
    assert data["format"] == "digitrade.fapiao.v1"
    assert data["number"] == "24312000000012345678"
    assert data["issued_at"] == "2024-11-05T10:23:45+08:00"
    assert data["kind"] == "电子发票（增值税专用发票）"
    assert data["total_with_tax"] == "137800.00"
    assert data["lines"][0]["tax_rate"] == "6"
    assert data["lines"][0]["rate_kind"] == "percent"
    assert "上海云桥软件科技有限公司" in text.decode()
    assert "remarks" in data and "red_letter" not in data  # absent fields are left out


def test_numbers_are_read_as_decimals_and_findings_are_returned():
    data = json.loads(write_json(software_services()))
    data["total_tax"] = 7800.01
    invoice, findings = read_json(json.dumps(data))
    assert invoice.total_tax == Decimal("7800.01")
    assert {f.code for f in findings} == {"total-tax", "total-with-tax"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ('{"number": "1"}', "format"),
        ('{"format": "digitrade.fapiao.v1", "number": "1"}', "not a valid fapiao"),
    ],
)
def test_bad_documents_are_refused(text, message):
    with pytest.raises(FapiaoFormatError, match=message):
        read_json(text)


def test_refusal_lists_the_fields():
    data = json.loads(write_json(software_services()))
    data["lines"][0]["amount"] = "abc"
    with pytest.raises(FapiaoFormatError) as caught:
        read_json(json.dumps(data))
    assert [issue.field for issue in caught.value.fields] == ["lines.0.amount"]


def test_read_fapiao_tells_xml_from_json():
    from digitrade.systems.einvoice.fapiao import read_any, read_fapiao, write_xml

    invoice = software_services()
    assert read_any(write_json(invoice)) == invoice
    assert read_any(b"\xef\xbb\xbf  " + write_json(invoice)) == invoice
    assert read_fapiao(write_xml(invoice)) == (invoice, [])


def test_notes_and_findings_serialise():
    from digitrade.systems.einvoice.fapiao import check_consistency, to_en16931

    data = json.loads(write_json(software_services()))
    data["total_tax"] = "1.00"
    _, findings = read_json(json.dumps(data))
    assert set(findings[0].as_dict()) == {"code", "field", "severity", "message_en", "message_zh"}
    _, notes = to_en16931(software_services())
    assert set(notes[0].as_dict()) == {"field", "severity", "message_en", "message_zh"}
    assert check_consistency(software_services()) == []
