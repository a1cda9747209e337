"""Field rules and arithmetic of CEB messages, on the fixtures and on tampered copies."""

from __future__ import annotations

import pytest

from digitrade.core.errors import ValidationFailed
from digitrade.systems.ecommerce.ceb import read_message, validate_message
from tests.systems.ecommerce.support import SYNTHETIC, fixtures, sample_bytes, synthetic_bytes


def errors(report):
    return {(issue.path, issue.message) for issue in report.errors}


def paths(report):
    return {issue.path for issue in report.errors}


@fixtures
@pytest.mark.parametrize("message_type", SYNTHETIC)
def test_synthetic_set_is_clean(message_type):
    report = validate_message(synthetic_bytes(message_type))
    assert report.message_type == message_type
    assert report.issues == ()
    assert report.valid


@fixtures
def test_public_sample_311_is_rejected_for_its_inconsistent_total():
    report = validate_message(sample_bytes("CEB311"))
    assert report.valid is False
    assert (
        "Order[1].OrderHead.goodsValue",
        "goodsValue 0.01 does not equal the sum of OrderList totalPrice 1.00",
    ) in errors(report)


@fixtures
def test_public_sample_621_is_clean():
    assert validate_message(sample_bytes("CEB621")).valid


@fixtures
def test_public_sample_303_has_a_placeholder_dxp_id():
    report = validate_message(sample_bytes("CEB303"))
    assert paths(report) == {"BaseTransfer.dxpId"}


def tampered(message_type: str, old: str, new: str):
    data = synthetic_bytes(message_type)
    assert old.encode() in data, old
    return validate_message(data.replace(old.encode(), new.encode(), 1))


@fixtures
@pytest.mark.parametrize(
    ("message_type", "old", "new", "path", "says"),
    [
        (
            "CEB311",
            "<ceb:orderType>I</ceb:orderType>",
            "<ceb:orderType>E</ceb:orderType>",
            "Order[1].OrderHead.orderType",
            "must be I",
        ),
        (
            "CEB311",
            "<ceb:currency>142</ceb:currency>",
            "<ceb:currency>502</ceb:currency>",
            "Order[1].OrderHead.currency",
            "must be 142",
        ),
        (
            "CEB311",
            "<ceb:appType>1</ceb:appType>",
            "<ceb:appType>4</ceb:appType>",
            "Order[1].OrderHead.appType",
            "one of 1, 2, 3",
        ),
        (
            "CEB311",
            "<ceb:appTime>20250101100000</ceb:appTime>",
            "<ceb:appTime>20251301100000</ceb:appTime>",
            "Order[1].OrderHead.appTime",
            "YYYYMMDDhhmmss",
        ),
        (
            "CEB311",
            "<ceb:orderNo>SYN202501010001</ceb:orderNo>",
            f"<ceb:orderNo>{'9' * 61}</ceb:orderNo>",
            "Order[1].OrderHead.orderNo",
            "at most 60 characters (has 61)",
        ),
        (
            "CEB311",
            "<ceb:ebpCode>3100000001</ceb:ebpCode>",
            f"<ceb:ebpCode>{'9' * 19}</ceb:ebpCode>",
            "Order[1].OrderHead.ebpCode",
            "at most 18",
        ),
        (
            "CEB311",
            "<ceb:freight>20.00</ceb:freight>",
            "<ceb:freight>-20.00</ceb:freight>",
            "Order[1].OrderHead.freight",
            "N19,5",
        ),
        (
            "CEB311",
            "<ceb:acturalPaid>1501.32</ceb:acturalPaid>",
            "<ceb:acturalPaid>1501.31</ceb:acturalPaid>",
            "Order[1].OrderHead.acturalPaid",
            "goodsValue + freight + taxTotal - discount = 1501.32",
        ),
        (
            "CEB311",
            "<ceb:totalPrice>1200.00</ceb:totalPrice>",
            "<ceb:totalPrice>1100.00</ceb:totalPrice>",
            "Order[1].OrderList[1].totalPrice",
            "qty 2 x price 600.00",
        ),
        (
            "CEB311",
            "<ceb:buyerIdNumber>110101200001010002</ceb:buyerIdNumber>",
            "<ceb:buyerIdNumber>110101200001010003</ceb:buyerIdNumber>",
            "Order[1].OrderHead.buyerIdNumber",
            "GB 11643",
        ),
        (
            "CEB311",
            "<ceb:consignee>测试用户</ceb:consignee>",
            "",
            "Order[1].OrderHead.consignee",
            "is required",
        ),
        (
            "CEB311",
            "<ceb:gmodel>50g/瓶</ceb:gmodel>",
            "<ceb:gmodel></ceb:gmodel>",
            "Order[1].OrderList[1].gmodel",
            "must not be empty",
        ),
        (
            "CEB311",
            "<ceb:gnum>1</ceb:gnum>",
            "<ceb:gnum>2</ceb:gnum>",
            "Order[1].OrderList[1].gnum",
            "must be 1",
        ),
        (
            "CEB411",
            "<ceb:payerIdType>1</ceb:payerIdType>",
            "<ceb:payerIdType>2</ceb:payerIdType>",
            "Payment[1].PaymentHead.payerIdType",
            "must be 1",
        ),
        (
            "CEB511",
            "<ceb:weight>0.25</ceb:weight>",
            "<ceb:weight>heavy</ceb:weight>",
            "Logistics[1].LogisticsHead.weight",
            "N19,5",
        ),
        (
            "CEB621",
            "<ceb:emsNo>T2200W000001</ceb:emsNo>",
            "<ceb:emsNo></ceb:emsNo>",
            "Inventory[1].InventoryHead.emsNo",
            "bonded trade mode 1210",
        ),
        (
            "CEB621",
            "<ceb:itemRecordNo>1</ceb:itemRecordNo>",
            "",
            "Inventory[1].InventoryList[1].itemRecordNo",
            "bonded trade mode 1210",
        ),
        (
            "CEB621",
            "<ceb:tradeMode>1210</ceb:tradeMode>",
            "<ceb:tradeMode>0110</ceb:tradeMode>",
            "Inventory[1].InventoryHead.tradeMode",
            "one of 1210, 1239, 9610",
        ),
        (
            "CEB621",
            "<ceb:gcode>3304990099</ceb:gcode>",
            "<ceb:gcode>330499</ceb:gcode>",
            "Inventory[1].InventoryList[1].gcode",
            "ten-digit HS code",
        ),
        (
            "CEB621",
            "<ceb:declTime>20250101</ceb:declTime>",
            "<ceb:declTime>2025-01-01</ceb:declTime>",
            "Inventory[1].InventoryHead.declTime",
            "YYYYMMDD",
        ),
        (
            "CEB625",
            "<ceb:invtNo>22002025I000000001</ceb:invtNo>",
            "<ceb:invtNo>X</ceb:invtNo>",
            "InvtRefund[1].InvtRefundHead.invtNo",
            "18 characters",
        ),
        (
            "CEB625",
            "<ceb:reason>消费者七日无理由退货</ceb:reason>",
            "",
            "InvtRefund[1].InvtRefundHead.reason",
            "is required",
        ),
    ],
)
def test_field_rules(message_type, old, new, path, says):
    report = tampered(message_type, old, new)
    assert report.valid is False
    found = [issue.message for issue in report.errors if issue.path == path]
    assert found, [issue.as_dict() for issue in report.issues]
    assert says in found[0]


@fixtures
def test_guid_must_be_36_upper_case_characters():
    report = tampered(
        "CEB411",
        'guid="7A1C2B3D-0000-4000-8000-000000000411"',
        'guid="7a1c2b3d-0000-4000-8000-000000000411"',
    )
    assert paths(report) == {"@guid"}


@fixtures
def test_unknown_and_misplaced_fields_are_warnings():
    unknown = tampered(
        "CEB411",
        "<ceb:payTime>20250101100500</ceb:payTime>",
        "<ceb:payTime>20250101100500</ceb:payTime><ceb:colour>red</ceb:colour>",
    )
    assert unknown.valid
    assert [(i.path, i.severity.value) for i in unknown.issues] == [
        ("Payment[1].PaymentHead.colour", "warning")
    ]
    swapped = tampered(
        "CEB411",
        "<ceb:payCode>3100000003</ceb:payCode>\n      <ceb:payName>测试支付有限公司</ceb:payName>",
        "<ceb:payName>测试支付有限公司</ceb:payName><ceb:payCode>3100000003</ceb:payCode>",
    )
    assert swapped.valid
    assert [(i.path, i.message) for i in swapped.issues] == [
        ("Payment[1].PaymentHead.payCode", "must come before payName")
    ]


@fixtures
def test_duplicate_field_is_an_error():
    report = tampered(
        "CEB511",
        "<ceb:weight>0.25</ceb:weight>",
        "<ceb:weight>0.25</ceb:weight><ceb:weight>0.30</ceb:weight>",
    )
    assert "Logistics[1].LogisticsHead.weight" in paths(report)


@fixtures
def test_missing_base_transfer_and_foreign_elements():
    data = synthetic_bytes("CEB511")
    start = data.index(b"<ceb:BaseTransfer>")
    end = data.index(b"</ceb:BaseTransfer>") + len(b"</ceb:BaseTransfer>")
    report = validate_message(data[:start] + b"<other>x</other>" + data[end:])
    assert paths(report) == {"BaseTransfer", "other"}


@fixtures
def test_signature_required_only_when_asked():
    data = synthetic_bytes("CEB311")
    assert validate_message(data).valid
    report = validate_message(data, require_signature=True)
    assert paths(report) == {"Signature"}
    assert read_message(data).signed is False


def test_unknown_message_type_and_namespace():
    report = validate_message(b'<ceb:CEB999Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"/>')
    assert report.valid is False and "CEB999Message" in report.issues[0].message
    report = validate_message(b"<CEB311Message><Order/></CEB311Message>")
    assert "namespace" in report.issues[0].message


def test_missing_head_is_reported():
    data = (
        b'<ceb:CEB411Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="x" version="1.0">'
        b"<ceb:Payment/></ceb:CEB411Message>"
    )
    report = validate_message(data)
    assert "Payment[1].PaymentHead" in paths(report)


def test_tax_bill_totals_must_add_up():
    from digitrade.systems.ecommerce.ceb import build_message

    head = {
        "returnTime": "20250102100000000",
        "invtNo": "22002025I000000001",
        "taxNo": "22002025I000000001_01",
        "customsTax": "0",
        "valueAddedTax": "130.61",
        "consumptionTax": "150.71",
        "status": "1",
    }
    line = {
        "gnum": "1",
        "gcode": "3304990099",
        "taxPrice": "1220.00",
        "customsTax": "0",
        "valueAddedTax": "130.61",
        "consumptionTax": "150.71",
    }
    xml = build_message("CEB816", [{"head": head, "lines": [line]}])
    assert validate_message(xml).valid
    with pytest.raises(ValidationFailed, match=r"valueAddedTax 130\.62 does not equal the sum"):
        build_message("CEB816", [{"head": {**head, "valueAddedTax": "130.62"}, "lines": [line]}])
