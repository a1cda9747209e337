"""High-end cosmetics: 15% at RMB 10 per ml or g, or RMB 15 per piece, and above."""

from __future__ import annotations

import pytest

from digitrade.systems.ecommerce.tax import assess_order
from tests.systems.ecommerce.support import item, order


def ct_rate(unit_price: str, net_content: str, unit: str, order_date: str = "2025-06-01") -> str:
    line = item(
        unit_price=unit_price,
        excise={"kind": "cosmetics", "net_content": net_content, "unit": unit},
    )
    result = assess_order(order(line, order_date=order_date)).as_dict()
    return result["lines"][0]["consumption_tax_rate"]


@pytest.mark.parametrize(
    ("unit_price", "net_content", "unit", "rate"),
    [
        ("500.00", "50", "g", "0.15"),  # exactly RMB 10 per g: high-end
        ("499.99", "50", "g", "0"),  # just under
        ("300.00", "30", "ml", "0.15"),
        ("150.00", "10", "piece", "0.15"),  # a box of 10 masks, RMB 15 each
        ("149.99", "10", "piece", "0"),
        ("14.99", "1", "piece", "0"),
    ],
)
def test_thresholds(unit_price, net_content, unit, rate):
    assert ct_rate(unit_price, net_content, unit) == rate


def test_a_box_is_priced_per_smallest_unit():
    # RMB 100 for a box of 10 masks is RMB 10 a mask: under the RMB 15 per piece threshold
    assert ct_rate("100.00", "10", "piece") == "0"
    assert ct_rate("100.00", "1", "piece") == "0.15"


def test_cosmetics_before_october_2016_were_taxed_at_30_percent():
    assert ct_rate("10.00", "100", "ml", order_date="2016-09-30") == "0.3"
    assert ct_rate("10.00", "100", "ml", order_date="2016-10-01") == "0"


def test_the_basis_is_explained():
    line = item(unit_price="600", excise={"kind": "cosmetics", "net_content": "50", "unit": "g"})
    basis = assess_order(order(line)).as_dict()["lines"][0]["excise_basis"]
    assert basis == "high-end cosmetics at RMB 12.00 per g >= RMB 10"
