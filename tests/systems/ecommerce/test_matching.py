"""Three-order matching on the synthetic set and on tampered copies: one named check each."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from digitrade.core.errors import ValidationFailed
from digitrade.systems.ecommerce.ceb import read_message
from digitrade.systems.ecommerce.matching import (
    CHECKS,
    ROLE_MESSAGE,
    MatchingContext,
    Tolerance,
    check_orders,
    document_for,
)
from tests.systems.ecommerce.support import fixtures, synthetic_bytes

pytestmark = fixtures
CHINESE = re.compile(r"[\u4e00-\u9fff]")

REGISTERED = frozenset({f"310000000{n}" for n in range(1, 7)})
FULL_CONTEXT = MatchingContext(
    expected_tax=Decimal("281.32"),
    annual_total_before=Decimal("0"),
    registered_enterprises=REGISTERED,
)
NAMES = [
    "keys",
    "buyer_identity",
    "payer_identity",
    "amounts",
    "goods",
    "freight",
    "consignee",
    "limits",
    "tax",
    "enterprise_codes",
    "timing",
]


def documents(**tampering: list[tuple[str, str]]):
    found = {}
    for role, message_type in ROLE_MESSAGE.items():
        data = synthetic_bytes(message_type)
        for old, new in tampering.get(role, []):
            assert old.encode() in data, old
            data = data.replace(old.encode(), new.encode())
        found[role] = document_for(role, read_message(data))
    return found


def run(context=FULL_CONTEXT, drop=(), **tampering):
    found = documents(**tampering)
    for role in drop:
        found[role] = None
    return check_orders(
        found["order"], found["payment"], found["waybill"], found["inventory"], context=context
    )


def by_name(result):
    return {check.name: check for check in result.checks}


def test_synthetic_set_is_released():
    result = run()
    assert [check.name for check in result.checks] == NAMES
    assert all(check.passed for check in result.checks), result.as_dict()
    assert result.released is True
    assert result.as_dict()["status"] == "released"
    assert result.return_status == "800"


def test_contract():
    out = run().as_dict()
    assert {"released", "status", "checks"} <= out.keys()
    assert set(out["checks"][0]) == {"name", "passed", "detail", "detail_zh"}


def test_without_reference_data_the_list_is_accepted_not_released():
    result = run(context=MatchingContext())
    assert result.as_dict()["status"] == "accepted"
    assert result.return_status == "120"
    checks = by_name(result)
    assert {name for name, check in checks.items() if check.passed is None} == {
        "limits",
        "tax",
        "enterprise_codes",
    }
    assert "not recomputed" in checks["tax"].detail


@pytest.mark.parametrize("missing", ["order", "payment", "waybill", "inventory"])
def test_a_missing_counterpart_is_pending_not_a_failure(missing):
    result = run(drop=(missing,))
    assert result.as_dict()["status"] == "pending"
    assert result.return_status is None
    assert result.released is False
    assert not any(check.passed is False for check in result.checks)
    waiting = [check for check in result.checks if check.passed is None]
    assert waiting and all(ROLE_MESSAGE[missing] in check.detail for check in waiting)


def test_when_the_counterpart_arrives_the_check_is_rerun():
    found = documents()
    first = check_orders(
        found["order"], None, found["waybill"], found["inventory"], context=FULL_CONTEXT
    )
    assert first.as_dict()["status"] == "pending"
    again = check_orders(
        found["order"], found["payment"], found["waybill"], found["inventory"], context=FULL_CONTEXT
    )
    assert again.released


def test_a_failure_among_present_messages_rejects_even_while_waiting():
    result = run(
        drop=("waybill",),
        payment=[
            ("<ceb:amountPaid>1501.32</ceb:amountPaid>", "<ceb:amountPaid>1500.00</ceb:amountPaid>")
        ],
    )
    assert result.as_dict()["status"] == "rejected"
    assert result.return_status == "100"


ID = "110101200001010002"
OTHER_ID = "11010120000101001X"


@pytest.mark.parametrize(
    ("check", "tampering", "says"),
    [
        (
            "keys",
            {
                "payment": [
                    (
                        "<ceb:orderNo>SYN202501010001</ceb:orderNo>",
                        "<ceb:orderNo>SYN202501010009</ceb:orderNo>",
                    )
                ]
            },
            "orderNo differs",
        ),
        (
            "keys",
            {
                "inventory": [
                    (
                        "<ceb:logisticsNo>YT0000000000001</ceb:logisticsNo>",
                        "<ceb:logisticsNo>YT0000000000009</ceb:logisticsNo>",
                    )
                ]
            },
            "logisticsNo differs",
        ),
        (
            "buyer_identity",
            {
                "inventory": [
                    (
                        "<ceb:buyerName>测试用户</ceb:buyerName>",
                        "<ceb:buyerName>别人</ceb:buyerName>",
                    )
                ]
            },
            "buyerName differs",
        ),
        (
            "payer_identity",
            {
                "payment": [
                    (
                        f"<ceb:payerIdNumber>{ID}</ceb:payerIdNumber>",
                        f"<ceb:payerIdNumber>{OTHER_ID}</ceb:payerIdNumber>",
                    )
                ]
            },
            "identity number differs",
        ),
        (
            "amounts",
            {
                "payment": [
                    (
                        "<ceb:amountPaid>1501.32</ceb:amountPaid>",
                        "<ceb:amountPaid>1501.31</ceb:amountPaid>",
                    )
                ]
            },
            "amount paid differs: order 1501.32, payment 1501.31",
        ),
        (
            "goods",
            {"inventory": [("<ceb:qty>2</ceb:qty>", "<ceb:qty>3</ceb:qty>")]},
            "line 1 qty differs",
        ),
        (
            "goods",
            {
                "inventory": [
                    ("<ceb:itemNo>SKU-FC-50G</ceb:itemNo>", "<ceb:itemNo>SKU-OTHER</ceb:itemNo>")
                ]
            },
            "line 1 itemNo differs",
        ),
        (
            "freight",
            {"waybill": [("<ceb:freight>20.00</ceb:freight>", "<ceb:freight>25.00</ceb:freight>")]},
            "freight differs: order 20.00, waybill 25.00",
        ),
        (
            "freight",
            {
                "waybill": [
                    ("<ceb:insuredFee>0</ceb:insuredFee>", "<ceb:insuredFee>1.00</ceb:insuredFee>")
                ]
            },
            "insuredFee differs",
        ),
        (
            "consignee",
            {
                "waybill": [
                    (
                        "<ceb:consigneeAddress>上海市浦东新区测试路1号</ceb:consigneeAddress>",
                        "<ceb:consigneeAddress>上海市浦东新区测试路2号</ceb:consigneeAddress>",
                    )
                ]
            },
            "consigneeAddress differs",
        ),
        (
            "enterprise_codes",
            {
                "inventory": [
                    (
                        "<ceb:ebcCode>3100000002</ceb:ebcCode>",
                        "<ceb:ebcCode>3100000009</ceb:ebcCode>",
                    )
                ]
            },
            "ebcCode differs",
        ),
        (
            "enterprise_codes",
            {
                "payment": [
                    (
                        "<ceb:payCode>3100000003</ceb:payCode>",
                        "<ceb:payCode>3100000007</ceb:payCode>",
                    )
                ]
            },
            "payCode differs",
        ),
        (
            "timing",
            {
                "order": [
                    (
                        "<ceb:appTime>20250101100000</ceb:appTime>",
                        "<ceb:appTime>20250101120000</ceb:appTime>",
                    )
                ]
            },
            "the order's appTime 20250101120000 is after the list's appTime 20250101110000",
        ),
    ],
)
def test_each_check_catches_its_mismatch(check, tampering, says):
    result = run(**tampering)
    failed = [c for c in result.checks if c.passed is False]
    assert check in {c.name for c in failed}, result.as_dict()
    assert says in by_name(result)[check].detail
    assert CHINESE.search(by_name(result)[check].detail_zh), by_name(result)[check]
    assert result.as_dict()["status"] == "rejected"


def test_tax_is_compared_with_the_recomputed_tax():
    wrong = MatchingContext(
        expected_tax=Decimal("281.33"),
        annual_total_before=Decimal(0),
        registered_enterprises=REGISTERED,
    )
    result = run(context=wrong)
    assert by_name(result)["tax"].passed is False
    assert "recomputed 281.33, order 281.32" in by_name(result)["tax"].detail


def test_unregistered_enterprise():
    context = MatchingContext(
        expected_tax=Decimal("281.32"),
        annual_total_before=Decimal(0),
        registered_enterprises=REGISTERED - {"3100000004"},
    )
    check = by_name(run(context=context))["enterprise_codes"]
    assert check.passed is False
    assert "3100000004 is not registered" in check.detail


def test_annual_limit():
    context = MatchingContext(
        expected_tax=Decimal("281.32"),
        annual_total_before=Decimal("24780.01"),
        registered_enterprises=REGISTERED,
    )
    check = by_name(run(context=context))["limits"]
    assert check.passed is False and "26,000" in check.detail
    at_limit = MatchingContext(
        expected_tax=Decimal("281.32"),
        annual_total_before=Decimal("24780.00"),
        registered_enterprises=REGISTERED,
    )
    assert by_name(run(context=at_limit))["limits"].passed is True


def test_tolerance_is_exact_by_default_and_configurable():
    tampering = {
        "payment": [
            ("<ceb:amountPaid>1501.32</ceb:amountPaid>", "<ceb:amountPaid>1560.00</ceb:amountPaid>")
        ]
    }
    assert by_name(run(**tampering))["amounts"].passed is False
    lenient = MatchingContext(
        tolerance=Tolerance(Decimal(5)),
        expected_tax=Decimal("281.32"),
        annual_total_before=Decimal(0),
        registered_enterprises=REGISTERED,
    )
    assert by_name(run(context=lenient, **tampering))["amounts"].passed is True
    too_far = {
        "payment": [
            ("<ceb:amountPaid>1501.32</ceb:amountPaid>", "<ceb:amountPaid>1580.00</ceb:amountPaid>")
        ]
    }
    assert by_name(run(context=lenient, **too_far))["amounts"].passed is False


def test_checks_are_small_named_functions():
    assert len(CHECKS) == len(NAMES)
    assert all(check.__name__ == f"check_{name}" for check, name in zip(CHECKS, NAMES, strict=True))


def test_roles_take_their_message_type_and_one_document():
    with pytest.raises(ValidationFailed, match="must be a CEB311"):
        document_for("order", read_message(synthetic_bytes("CEB411")))
    with pytest.raises(ValidationFailed):
        check_orders(None, None, None, None)


def test_an_order_before_the_retail_import_policy_fails_the_limits_check():
    result = run(
        order=[
            (
                "<ceb:appTime>20250101100000</ceb:appTime>",
                "<ceb:appTime>20150101100000</ceb:appTime>",
            )
        ]
    )
    check = by_name(result)["limits"]
    assert check.passed is False and "before the retail-import tax policy" in check.detail
