"""Receipts answer requests with customs status codes."""

from __future__ import annotations

from datetime import datetime

import pytest

from digitrade.core.errors import ValidationFailed
from digitrade.systems.ecommerce.ceb import (
    RECEIPT_FOR,
    build_receipt,
    read_message,
    receipt_results,
    validate_message,
)
from tests.systems.ecommerce.support import fixtures, synthetic_bytes

AT = datetime(2025, 1, 1, 11, 0, 5, 250000)
ASSIGNED = {"preNo": "B20250101000000001", "invtNo": "22002025I000000001"}


def test_every_request_has_its_receipt():
    assert RECEIPT_FOR == {
        "CEB311": "CEB312",
        "CEB411": "CEB412",
        "CEB511": "CEB512",
        "CEB621": "CEB622",
        "CEB625": "CEB626",
        "CEB303": "CEB304",
        "CEB505": "CEB506",
        "CEB603": "CEB604",
    }


@fixtures
@pytest.mark.parametrize(
    ("request_type", "status", "keys"),
    [
        (
            "CEB311",
            "120",
            {"ebpCode": "3100000001", "ebcCode": "3100000002", "orderNo": "SYN202501010001"},
        ),
        ("CEB411", "120", {"payCode": "3100000003", "payTransactionId": "PAY202501010001"}),
        ("CEB511", "100", {"logisticsCode": "3100000004", "logisticsNo": "YT0000000000001"}),
        ("CEB621", "800", {"customsCode": "2200", "copNo": "COP202501010001", **ASSIGNED}),
        ("CEB625", "399", {"agentCode": "3100000005", **ASSIGNED}),
    ],
)
def test_receipt_of_the_synthetic_messages(request_type, status, keys):
    request = read_message(synthetic_bytes(request_type))
    xml = build_receipt(request, status=status, info="测试回执", at=AT, assigned=ASSIGNED)
    assert validate_message(xml).issues == ()
    receipt = read_message(xml)
    assert receipt.message_type == RECEIPT_FOR[request_type]
    [result] = receipt_results(receipt)
    assert result.guid == request.documents[0].head.get("guid")
    assert result.status == status
    assert result.time == "20250101110005250"
    assert keys.items() <= dict(result.keys).items()


@fixtures
def test_status_names():
    request = read_message(synthetic_bytes("CEB621"))
    names = {
        status: receipt_results(
            read_message(build_receipt(request, status=status, info="x", at=AT, assigned=ASSIGNED))
        )[0].status_name
        for status in ("100", "120", "800", "-1")
    }
    assert names == {
        "100": "rejected by customs",
        "120": "accepted by customs",
        "800": "released",
        "-1": "processing error",
    }


@fixtures
def test_unknown_status_and_non_requests_are_refused():
    request = read_message(synthetic_bytes("CEB311"))
    with pytest.raises(ValidationFailed, match="returnStatus"):
        build_receipt(request, status="42", info="x", at=AT)
    receipt = read_message(build_receipt(request, status="2", info="x", at=AT))
    with pytest.raises(ValidationFailed, match="has no receipt"):
        build_receipt(receipt, status="120", info="x", at=AT)
    with pytest.raises(ValidationFailed, match="not a receipt"):
        receipt_results(request)


@fixtures
def test_a_list_receipt_needs_the_numbers_customs_assigns():
    request = read_message(synthetic_bytes("CEB621"))  # preNo is still empty
    with pytest.raises(ValidationFailed) as caught:
        build_receipt(request, status="120", info="x", at=AT)
    assert "InventoryReturn[1].preNo" in {issue.field for issue in caught.value.fields}


def test_published_receipt_sample_reads():
    # The form published by the Shaanxi single window (default namespace, 17-digit time).
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<CEB312Message xmlns="http://www.chinaport.gov.cn/ceb" '
        'guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94" version="1.0"><OrderReturn>'
        "<guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</guid><ebpCode>1105910159</ebpCode>"
        "<ebcCode>1105910159</ebcCode><orderNo>order20160321116420545</orderNo>"
        "<returnStatus>2</returnStatus><returnTime>20160428182238000</returnTime>"
        "<returnInfo>新增申报成功</returnInfo></OrderReturn></CEB312Message>"
    ).encode()
    assert validate_message(xml).issues == ()
    assert receipt_results(read_message(xml))[0].status_name == "declaring at the e-port"
