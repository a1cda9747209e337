"""Properties of the tax engine over generated orders."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from digitrade.systems.ecommerce.tax import assess_order
from digitrade.systems.ecommerce.tax.model import Treatment
from tests.systems.ecommerce.support import VALID_BUYER

money = st.decimals(min_value="0.01", max_value="4000", places=2)
small_money = st.decimals(min_value="0", max_value="300", places=2)


@st.composite
def items(draw):
    cosmetic = draw(st.booleans())
    line = {
        "sku": draw(st.text(alphabet="ABCDEFGH0123456789", min_size=1, max_size=8)),
        "hs_code": "3304990099",
        "name": "goods",
        "unit_price": str(draw(money)),
        "quantity": draw(st.integers(min_value=1, max_value=4)),
        "vat_rate": draw(st.sampled_from(["0.09", "0.13"])),
        "mfn_duty_rate": draw(st.sampled_from(["0", "0.05", "0.10"])),
        "on_positive_list": True,
        "indivisible": draw(st.booleans()),
    }
    if cosmetic:
        line["excise"] = {
            "kind": "cosmetics",
            "net_content": str(draw(st.integers(min_value=1, max_value=200))),
            "unit": draw(st.sampled_from(["ml", "g", "piece"])),
        }
    return line


@st.composite
def orders(draw):
    lines = draw(st.lists(items(), min_size=1, max_size=5))
    goods = sum(Decimal(line["unit_price"]) * line["quantity"] for line in lines)
    discount = draw(st.decimals(min_value="0", max_value=str(goods), places=2))
    return {
        "mode": draw(st.sampled_from(["9610", "1210", "1239"])),
        "order_date": "2025-06-01",
        "buyer_id": VALID_BUYER,
        "annual_total_before": str(draw(st.decimals(min_value="0", max_value="27000", places=2))),
        "freight": str(draw(small_money)),
        "insurance": str(draw(small_money)),
        "non_cash_discount": str(discount),
        "items": lines,
    }


def amount(text: str) -> Decimal:
    return Decimal(text)


@settings(max_examples=300, deadline=None)
@given(orders())
def test_assessment_invariants(request):
    result = assess_order(request)
    out = result.as_dict()
    lines = out["lines"]
    # Nothing is ever negative.
    for key in ("dutiable_value", "duty", "consumption_tax", "vat", "tax_total", "actual_paid"):
        assert amount(out[key]) >= 0, key
    # Freight and insurance are apportioned to the fen, exactly.
    assert sum(amount(line["freight"]) for line in lines) == amount(request["freight"])
    assert sum(amount(line["insurance"]) for line in lines) == amount(request["insurance"])
    # Totals are the sums of the rounded lines.
    for key in ("duty", "consumption_tax", "vat", "tax_total", "dutiable_value"):
        assert sum(amount(line[key]) for line in lines) == amount(out[key]), key
    assert amount(out["tax_total"]) == (
        amount(out["duty"]) + amount(out["consumption_tax"]) + amount(out["vat"])
    )
    goods = sum(amount(line["goods_value"]) for line in lines)
    dutiable = goods + amount(request["freight"]) + amount(request["insurance"])
    assert amount(out["dutiable_value"]) == dutiable
    assert amount(out["actual_paid"]) == (
        dutiable + amount(out["tax_total"]) - amount(request["non_cash_discount"])
    )
    # Allowed exactly when the limits allow it.
    before = amount(request["annual_total_before"])
    single = (
        len(request["items"]) == 1
        and request["items"][0]["quantity"] == 1
        and request["items"][0]["indivisible"]
    )
    within = (dutiable <= 5000 or single) and before + dutiable <= 26000
    assert out["allowed"] is within
    expected_after = before + dutiable if within else before
    assert amount(out["annual_total_after"]) == expected_after
    if within and dutiable <= 5000:
        assert all(line.treatment is Treatment.REDUCED for line in result.lines)
        assert amount(out["duty"]) == 0


@settings(max_examples=200, deadline=None)
@given(orders(), small_money)
def test_more_freight_never_means_less_tax(request, extra):
    # Freight is part of the dutiable value: adding some raises the tax (or refuses the order),
    # up to rounding. Tax is rounded half-up per line and freight is shared out by value in whole
    # fen, so one more fen of freight can move a fen of allocation between lines and a line's
    # rounded VAT and consumption tax can each drop by a fen: at most two fen per line.
    base = assess_order(request)
    more = assess_order({**request, "freight": str(Decimal(request["freight"]) + extra)})
    if base.allowed and more.allowed and base.lines[0].treatment is more.lines[0].treatment:
        assert more.tax_total >= base.tax_total - Decimal("0.02") * len(base.lines)
