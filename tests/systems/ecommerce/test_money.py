"""Apportionment and rounding of RMB amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitrade.systems.ecommerce.money import apportion, format_money, round_money


def test_round_half_up_to_the_fen():
    assert round_money(Decimal("0.005")) == Decimal("0.01")
    assert round_money(Decimal("0.015")) == Decimal("0.02")  # not banker's rounding
    assert round_money(Decimal("0.0049999")) == Decimal("0.00")
    assert format_money(Decimal(3)) == "3.00"


def test_apportion_by_weight():
    assert apportion(Decimal("10.00"), [Decimal(300), Decimal(100)]) == [
        Decimal("7.50"),
        Decimal("2.50"),
    ]


def test_left_over_fen_go_to_the_largest_remainders_first_line_on_ties():
    assert apportion(Decimal("0.10"), [Decimal(1)] * 3) == [
        Decimal("0.04"),
        Decimal("0.03"),
        Decimal("0.03"),
    ]
    assert apportion(Decimal("1.00"), [Decimal(1), Decimal(2)]) == [
        Decimal("0.33"),
        Decimal("0.67"),
    ]


def test_zero_total_and_zero_weights():
    assert apportion(Decimal("0"), [Decimal(1), Decimal(2)]) == [Decimal("0.00")] * 2
    assert apportion(Decimal("5.00"), [Decimal(0), Decimal(2)]) == [
        Decimal("0.00"),
        Decimal("5.00"),
    ]
    assert apportion(Decimal("5.00"), []) == []
    with pytest.raises(ValueError, match="positive total weight"):
        apportion(Decimal("5.00"), [Decimal(0)])


@given(
    st.decimals(min_value="0", max_value="100000", places=2),
    st.lists(st.decimals(min_value="0.01", max_value="50000", places=2), min_size=1, max_size=30),
)
def test_apportionment_sums_to_the_whole(total, weights):
    shares = apportion(total, weights)
    assert sum(shares) == total
    assert all(share >= 0 for share in shares)
    assert all(share == share.quantize(Decimal("0.01")) for share in shares)
    # No share strays more than a fen from its exact proportion.
    weight_sum = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share - total * weight / weight_sum) < Decimal("0.01")
