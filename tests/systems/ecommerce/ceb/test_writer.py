"""Generated CEB messages: standard field order, round trips, refusal of invalid content."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from digitrade.core.errors import ValidationFailed
from digitrade.systems.ecommerce.ceb import (
    build_message,
    message_xml,
    read_message,
    validate_message,
)
from tests.systems.ecommerce.support import SYNTHETIC, fixtures, sample_bytes, synthetic_bytes

BASE = {
    "copCode": "3100000001",
    "copName": "测试跨境电商平台有限公司",
    "dxpMode": "DXP",
    "dxpId": "DXPENT0000000000",
}


@fixtures
@pytest.mark.parametrize("message_type", SYNTHETIC)
def test_round_trip_of_the_synthetic_set(message_type):
    original = read_message(synthetic_bytes(message_type))
    written = message_xml(original)
    assert written.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    again = read_message(written)
    assert again.as_dict() == original.as_dict()
    assert validate_message(written).issues == ()


@fixtures
def test_round_trip_of_the_public_621_sample():
    original = read_message(sample_bytes("CEB621"))
    assert read_message(message_xml(original)).as_dict() == original.as_dict()


@fixtures
def test_the_inconsistent_public_311_cannot_be_written():
    with pytest.raises(ValidationFailed) as caught:
        message_xml(read_message(sample_bytes("CEB311")))
    assert "Order[1].OrderHead.goodsValue" in {issue.field for issue in caught.value.fields}


def export_order(**head):
    values = {
        "appType": "1",
        "appTime": datetime(2025, 3, 1, 9, 30),
        "appStatus": "2",
        "orderType": "E",
        "orderNo": "EXP-0001",
        "ebpCode": "3100000001",
        "ebpName": "测试跨境电商平台有限公司",
        "ebcCode": "3100000002",
        "ebcName": "测试跨境电商企业有限公司",
        "goodsValue": Decimal("27.78"),
        "freight": Decimal("0"),
        "currency": "142",
    }
    values.update(head)
    line = {
        "gnum": 1,
        "itemNo": "SKU-1",
        "itemName": "手机支架",
        "unit": "011",
        "currency": "142",
        "qty": Decimal(2),
        "price": Decimal("13.89"),
        "totalPrice": Decimal("27.78"),
    }
    return [{"head": values, "lines": [line]}]


def test_fields_are_written_in_the_standard_order_whatever_the_input_order():
    documents = export_order()
    documents[0]["head"] = dict(reversed(list(documents[0]["head"].items())))
    xml = build_message("CEB303", documents, base_transfer=BASE)
    message = read_message(xml)
    names = [name for name, _ in message.documents[0].head.fields]
    assert names[:5] == ["guid", "appType", "appTime", "appStatus", "orderType"]
    assert message.documents[0].head.get("appTime") == "20250301093000"
    assert message.documents[0].head.get("goodsValue") == "27.78"
    assert len(message.documents[0].head.get("guid") or "") == 36
    assert message.guid == message.documents[0].head.get("guid")
    assert validate_message(xml).issues == ()


def test_invalid_content_is_refused_per_field():
    with pytest.raises(ValidationFailed) as caught:
        build_message(
            "CEB303", export_order(goodsValue=Decimal("30"), currency="RMB"), base_transfer=BASE
        )
    fields = {issue.field for issue in caught.value.fields}
    assert fields == {"Order[1].OrderHead.goodsValue", "Order[1].OrderHead.currency"}


@pytest.mark.parametrize(
    ("message_type", "documents", "field"),
    [
        ("CEB999", [{"head": {}}], "message_type"),
        ("CEB303", [], "documents"),
        ("CEB303", [{"head": {"colour": "red"}}], "Order[1].OrderHead.colour"),
        ("CEB303", [{"head": {"orderNo": True}}], "Order[1].OrderHead.orderNo"),
        ("CEB411", [{"head": {}, "lines": [{}]}], "Payment[1].lines"),
        ("CEB505", [{"head": {}, "lines": [{}]}], "Logistics[1].lines"),
    ],
)
def test_malformed_input(message_type, documents, field):
    with pytest.raises(ValidationFailed) as caught:
        build_message(message_type, documents)
    assert caught.value.fields[0].field == field


def test_flat_export_waybill():
    head = {
        "appType": "1",
        "appTime": "20250301093000",
        "appStatus": "2",
        "logisticsCode": "3100000004",
        "logisticsName": "测试物流有限公司",
        "logisticsNo": "YT1",
        "freight": "0",
        "insuredFee": "0",
        "currency": "142",
        "grossWeight": "0.2",
        "goodsInfo": "手机支架",
    }
    xml = build_message("CEB505", [{"head": head}], base_transfer=BASE)
    assert b"<ceb:Logistics>" in xml and b"LogisticsHead" not in xml
    assert validate_message(xml).valid
