"""Consumption tax rate of a line.

High-end cosmetics (高档化妆品), 财税〔2016〕103号, from 1 October 2016: 15% when the price is
at least RMB 10 per millilitre or gram, or at least RMB 15 per piece or sheet; below that, no
consumption tax. A "piece" is the smallest indivisible unit, so a box of 10 masks is priced per
mask (``net_content`` = 10, ``unit`` = piece).

Readings taken where the research note is silent or unverified:

- The price tested is the retail unit price of the item (as in the note's worked example:
  RMB 600 for 50 g is RMB 12 per gram), not the duty-paid value including apportioned freight.
- Before 1 October 2016 cosmetics were taxed at 30% whatever the price (recalled).
- Other consumption-tax goods are not modelled one by one: the operator states the statutory
  rate with ``{"kind": "ad_valorem", "rate": ...}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from digitrade.core.text import Text
from digitrade.systems.ecommerce.money import round_money
from digitrade.systems.ecommerce.tax.model import ContentUnit, ExciseKind, OrderItem
from digitrade.systems.ecommerce.texts import render

HIGH_END_COSMETICS_FROM = date(2016, 10, 1)
HIGH_END_COSMETICS_RATE = Decimal("0.15")
COSMETICS_RATE_BEFORE = Decimal("0.30")
PRICE_PER_ML_OR_G = Decimal(10)
PRICE_PER_PIECE = Decimal(15)


@dataclass(frozen=True, slots=True)
class ExciseRate:
    rate: Decimal
    basis: Text


_PER = {
    ContentUnit.ML: Text("ml", "毫升"),
    ContentUnit.G: Text("g", "克"),
    ContentUnit.PIECE: Text("piece", "片（张）"),
}


def consumption_tax_rate(item: OrderItem, on: date) -> ExciseRate:
    excise = item.excise
    if excise.kind is ExciseKind.NONE:
        return ExciseRate(Decimal(0), render("excise.none"))
    if excise.kind is ExciseKind.AD_VALOREM:
        assert excise.rate is not None
        return ExciseRate(excise.rate, render("excise.ad_valorem"))
    return _cosmetics(item, on)


def _cosmetics(item: OrderItem, on: date) -> ExciseRate:
    if on < HIGH_END_COSMETICS_FROM:
        return ExciseRate(COSMETICS_RATE_BEFORE, render("excise.cosmetics_before"))
    excise = item.excise
    assert excise.net_content is not None and excise.unit is not None
    threshold = PRICE_PER_PIECE if excise.unit is ContentUnit.PIECE else PRICE_PER_ML_OR_G
    # Compare price >= threshold x content instead of dividing: exact, no rounding.
    high_end = item.unit_price >= threshold * excise.net_content
    values: dict[str, object] = {
        "price": round_money(item.unit_price / excise.net_content),
        "per": _PER[excise.unit],
        "comparison": ">=" if high_end else "<",
        "threshold": threshold,
    }
    if high_end:
        return ExciseRate(HIGH_END_COSMETICS_RATE, render("excise.high_end", **values))
    return ExciseRate(Decimal(0), render("excise.not_high_end", **values))
