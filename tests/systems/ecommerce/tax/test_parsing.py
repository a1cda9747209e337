"""The assess-order contract is read strictly, and every rejection names its field."""

from __future__ import annotations

import pytest

from digitrade.core.errors import ValidationFailed
from digitrade.systems.ecommerce.tax import assess_order, order_from_dict
from tests.systems.ecommerce.support import WORKED_EXAMPLE, item, order


def rejection(request) -> str:
    with pytest.raises(ValidationFailed) as caught:
        order_from_dict(request)
    assert caught.value.fields, "the error names its field"
    return caught.value.fields[0].field


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mode": "9710"}, "mode"),
        ({"order_date": "2025-13-01"}, "order_date"),
        ({"freight": "-1"}, "freight"),
        ({"freight": "1.001"}, "freight"),
        ({"freight": True}, "freight"),
        ({"freight": "NaN"}, "freight"),
        ({"buyer_id": ""}, "buyer_id"),
        ({"items": []}, "items"),
        ({"colour": "red"}, "colour"),
        ({"non_cash_discount": "1200.01"}, "non_cash_discount"),
    ],
)
def test_bad_request_fields(change, field):
    assert rejection({**WORKED_EXAMPLE, **change}) == field


def test_orders_before_the_retail_import_policy_are_refused():
    with pytest.raises(ValidationFailed) as caught:
        assess_order({**WORKED_EXAMPLE, "order_date": "2016-04-07"})
    assert caught.value.fields[0].field == "order_date"
    assert "2016-04-08" in caught.value.detail


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 0}, "items[0].quantity"),
        ({"vat_rate": "1.5"}, "items[0].vat_rate"),
        ({"hs_code": "3304"}, "items[0].hs_code"),
        ({"on_positive_list": "yes"}, "items[0].on_positive_list"),
        ({"excise": {"kind": "tobacco"}}, "items[0].excise.kind"),
        ({"excise": {"kind": "cosmetics", "unit": "g"}}, "items[0].excise.net_content"),
        (
            {"excise": {"kind": "cosmetics", "net_content": 0, "unit": "g"}},
            "items[0].excise.net_content",
        ),
        ({"excise": {"kind": "ad_valorem"}}, "items[0].excise.rate"),
        ({"price": 1}, "items[0].price"),
    ],
)
def test_bad_item_fields(change, field):
    assert rejection(order(item(**change))) == field


def test_optional_fields_default():
    request = {
        k: v
        for k, v in WORKED_EXAMPLE.items()
        if k not in {"annual_total_before", "insurance", "non_cash_discount"}
    }
    parsed = order_from_dict(request)
    assert parsed.annual_total_before == parsed.insurance == parsed.non_cash_discount == 0
    assert parsed.items[0].indivisible is False


def test_json_numbers_are_read_as_the_decimals_written():
    request = {**WORKED_EXAMPLE, "freight": 20.1}
    request["items"] = [item(unit_price=0.1, vat_rate=0.13)]
    parsed = order_from_dict(request)
    assert str(parsed.freight) == "20.1"
    assert str(parsed.items[0].unit_price) == "0.1"
    assert str(parsed.items[0].vat_rate) == "0.13"


def test_goods_that_round_to_nothing_are_refused():
    assert rejection(order(item(unit_price="0.004"))) == "items"
