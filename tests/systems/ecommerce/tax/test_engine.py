"""Retail-import tax and limits: the research note's figures to the fen, limits at their edges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from digitrade.systems.ecommerce.tax import assess_order
from tests.systems.ecommerce.support import (
    ASSESS_ORDER_FIELDS,
    FACE_CREAM,
    WORKED_EXAMPLE,
    item,
    order,
)

CONTRACT = ASSESS_ORDER_FIELDS


def assessed(request):
    return assess_order(request).as_dict()


def codes(result):
    return [reason["code"] for reason in result["reasons"]]


def test_worked_example_reproduces_to_the_fen():
    result = assessed(WORKED_EXAMPLE)
    assert set(result) == CONTRACT
    assert result["allowed"] is True
    assert result["reasons"] == []
    assert result["dutiable_value"] == "1220.00"
    assert result["duty"] == "0.00"
    assert result["consumption_tax"] == "150.71"
    assert result["vat"] == "130.61"
    assert result["tax_total"] == "281.32"
    assert result["actual_paid"] == "1501.32"
    assert result["annual_total_after"] == "1220.00"
    [line] = result["lines"]
    assert line["treatment"] == "cbec_reduced"
    assert line["consumption_tax_rate"] == "0.15"
    assert "12.00 per g" in line["excise_basis"]


@pytest.mark.parametrize(
    ("excise", "expected_tax"),
    [
        # combined rate (c + v) / (1 - c) x 0.7 = 9.1% without consumption tax
        (None, "91.00"),
        # ... and 23.06% with high-end cosmetics at 15%: CT 123.53 + VAT 107.06
        ({"kind": "cosmetics", "net_content": "10", "unit": "ml"}, "230.59"),
    ],
)
def test_combined_rates_of_the_note(excise, expected_tax):
    line = item(unit_price="1000.00")
    if excise:
        line["excise"] = excise
    assert assessed(order(line))["tax_total"] == expected_tax


def test_money_is_always_two_decimals():
    result = assessed(order(item(unit_price="100")))
    for key in ("dutiable_value", "duty", "consumption_tax", "vat", "tax_total", "actual_paid"):
        assert result[key].count(".") == 1 and len(result[key].split(".")[1]) == 2


# Transaction limit ------------------------------------------------------------------------


def two_items(total: str) -> dict:
    half = (Decimal(total) / 2).quantize(Decimal("0.01"))
    rest = Decimal(total) - half
    return order(item(sku="A", unit_price=str(half)), item(sku="B", unit_price=str(rest)))


def test_exactly_5000_is_within_the_transaction_limit():
    result = assessed(two_items("5000.00"))
    assert result["allowed"] is True
    assert result["dutiable_value"] == "5000.00"
    assert result["duty"] == "0.00"


def test_one_fen_over_5000_with_two_items_is_refused():
    result = assessed(two_items("5000.01"))
    assert result["allowed"] is False
    assert codes(result) == ["over_transaction_limit"]
    assert result["tax_total"] == "0.00"
    assert result["annual_total_after"] == "0.00"
    assert {line["treatment"] for line in result["lines"]} == {"refused"}


def test_freight_and_insurance_count_toward_the_limit():
    result = assessed(
        order(
            item(sku="A", unit_price="2490"),
            item(sku="B", unit_price="2490"),
            freight="10.00",
            insurance="10.01",
        )
    )
    assert result["dutiable_value"] == "5000.01"
    assert result["allowed"] is False


def test_single_indivisible_item_over_5000_is_taxed_in_full():
    # duty 6000 x 10% = 600.00; VAT (6000 + 600) x 13% = 858.00
    result = assessed(order(item(unit_price="6000.00", mfn_duty_rate="0.10")))
    assert result["allowed"] is True
    assert codes(result) == ["single_item_full_tax"]
    assert (result["duty"], result["consumption_tax"], result["vat"]) == (
        "600.00",
        "0.00",
        "858.00",
    )
    assert result["tax_total"] == "1458.00"
    assert result["actual_paid"] == "7458.00"
    assert result["annual_total_after"] == "6000.00"
    assert result["lines"][0]["treatment"] == "general_trade_full"
    assert result["lines"][0]["duty_rate"] == "0.1"


def test_single_item_full_tax_with_consumption_tax():
    # 6000 for 50 g: duty 600; base 6600 / 0.85 = 7764.7058...; CT 1164.71; VAT 1009.41
    cream = {**FACE_CREAM, "unit_price": "6000.00", "quantity": 1, "indivisible": True}
    cream["mfn_duty_rate"] = "0.10"
    result = assessed(order(cream))
    assert (result["duty"], result["consumption_tax"], result["vat"]) == (
        "600.00",
        "1164.71",
        "1009.41",
    )


@pytest.mark.parametrize(
    "line",
    [
        item(unit_price="3000.00", quantity=2),  # quantity above one
        item(unit_price="6000.00", indivisible=False),  # divisible item
    ],
)
def test_over_5000_is_refused_unless_one_indivisible_item(line):
    result = assessed(order(line))
    assert result["allowed"] is False
    assert codes(result) == ["over_transaction_limit"]


# Annual limit -----------------------------------------------------------------------------


def test_reaching_26000_exactly_is_allowed():
    result = assessed(order(item(unit_price="1000.00"), annual_total_before="25000.00"))
    assert result["allowed"] is True
    assert result["annual_total_after"] == "26000.00"


def test_one_fen_over_26000_is_refused():
    result = assessed(order(item(unit_price="1000.00"), annual_total_before="25000.01"))
    assert result["allowed"] is False
    assert codes(result) == ["over_annual_limit"]
    assert result["annual_total_after"] == "25000.01"


def test_single_item_over_5000_still_bounded_by_the_annual_limit():
    allowed = assessed(order(item(unit_price="6000.00"), annual_total_before="20000.00"))
    refused = assessed(order(item(unit_price="6000.00"), annual_total_before="20000.01"))
    assert allowed["allowed"] is True and allowed["annual_total_after"] == "26000.00"
    assert refused["allowed"] is False and codes(refused) == ["over_annual_limit"]


def test_limits_before_2019_were_2000_and_20000():
    assert assessed(order(item(unit_price="2000.00", indivisible=False), order_date="2018-12-31"))[
        "allowed"
    ]
    over = assessed(order(item(unit_price="2000.01", indivisible=False), order_date="2018-12-31"))
    assert codes(over) == ["over_transaction_limit"]
    assert "2,000" in over["reasons"][0]["message"]
    assert assessed(order(item(unit_price="2000.01", indivisible=False), order_date="2019-01-01"))[
        "allowed"
    ]


# Other rules ------------------------------------------------------------------------------


def test_no_small_tax_waiver():
    # Personal articles under RMB 50 of tax are waived; retail imports are not.
    result = assessed(order(item(unit_price="10.00")))
    assert result["tax_total"] == "0.91"


def test_non_cash_discount_does_not_reduce_the_dutiable_value():
    plain = assessed(WORKED_EXAMPLE)
    discounted = assessed({**WORKED_EXAMPLE, "non_cash_discount": "100.00"})
    assert discounted["dutiable_value"] == plain["dutiable_value"] == "1220.00"
    assert discounted["tax_total"] == plain["tax_total"]
    assert discounted["actual_paid"] == "1401.32"


def test_freight_and_insurance_are_apportioned_by_value():
    result = assessed(
        order(
            item(sku="A", unit_price="300.00"),
            item(sku="B", unit_price="100.00"),
            freight="10.00",
            insurance="1.00",
        )
    )
    a, b = result["lines"]
    assert (a["freight"], b["freight"]) == ("7.50", "2.50")
    assert (a["insurance"], b["insurance"]) == ("0.75", "0.25")
    assert (a["dutiable_value"], b["dutiable_value"]) == ("308.25", "102.75")


def test_each_line_is_rounded_half_up_then_summed():
    # each line: 0.15 x 0.091 = 0.01365 -> VAT 0.01; the order total is the sum of the lines
    lines = [item(sku=f"S{n}", unit_price="0.15") for n in range(3)]
    result = assessed(order(*lines))
    assert [line["vat"] for line in result["lines"]] == ["0.01", "0.01", "0.01"]
    assert result["vat"] == "0.03"
    # 0.55 x 0.091 = 0.05005 rounds up; 0.05 x 0.091 = 0.00455 rounds down
    assert assessed(order(item(unit_price="0.55")))["vat"] == "0.05"
    assert assessed(order(item(unit_price="0.05")))["vat"] == "0.00"


def test_item_off_the_positive_list_is_refused():
    result = assessed(order(item(sku="X1", on_positive_list=False), item(sku="X2")))
    assert result["allowed"] is False
    assert codes(result) == ["not_on_positive_list"]
    assert "X1" in result["reasons"][0]["message"]
    assert "X2" not in result["reasons"][0]["message"]


def test_buyer_must_have_a_resident_id_number():
    result = assessed(order(buyer_id="110101200001010003"))
    assert codes(result) == ["buyer_id_invalid"]
    assert result["allowed"] is False


def test_all_refusal_reasons_are_given_together():
    result = assessed(
        order(item(unit_price="3000", quantity=2, on_positive_list=False), buyer_id="nobody")
    )
    assert codes(result) == ["not_on_positive_list", "buyer_id_invalid", "over_transaction_limit"]


@pytest.mark.parametrize("mode", ["9610", "1210", "1239"])
def test_every_retail_import_mode_is_taxed_alike(mode):
    assert assessed({**WORKED_EXAMPLE, "mode": mode})["tax_total"] == "281.32"


def test_ad_valorem_excise_at_the_stated_rate():
    line = item(unit_price="1000.00", excise={"kind": "ad_valorem", "rate": "0.20"})
    result = assessed(order(line))
    # base 1000 / 0.8 = 1250: CT 1250 x 0.2 x 0.7 = 175.00, VAT 1250 x 0.13 x 0.7 = 113.75
    assert (result["consumption_tax"], result["vat"]) == ("175.00", "113.75")
