"""Retail-import tax and limits: ``assess_order`` (MOF/GAC/SAT 2016 No.18, 2018 No.49).

The computation, line by line:

1. Goods value of a line = unit price x quantity, rounded half-up to the fen.
2. Freight and insurance are apportioned to the lines by goods value; the shares are whole fen
   and add up exactly to the order's freight and insurance.
3. Dutiable value P of a line = goods + its freight share + its insurance share. Non-cash
   discounts (points, vouchers, virtual currency) do not reduce it: the CEB311 ``goodsValue``
   includes them.
4. Within the limits (duty 0, 70% of VAT and consumption tax, no RMB 50 waiver)::

       CT  = P / (1 - c) x c x 0.7
       VAT = P / (1 - c) x v x 0.7

5. One indivisible item over the transaction limit (full general-trade taxes)::

       duty = P x d
       CT   = (P + duty) / (1 - c) x c
       VAT  = (P + duty) / (1 - c) x v

   where duty enters the base already rounded, as on a customs tax bill.
6. Each tax of each line is rounded half-up to the fen; order totals are sums of the lines.
7. ``actual_paid`` = goods + freight + insurance + taxes - non-cash discount (CEB311
   ``acturalPaid``; CEB311 has no insurance field, so insurance the buyer pays travels inside
   ``freight`` there).

A refused order is not a retail import: its taxes are reported as zero, nothing is withheld and
the annual total does not move. The readings taken on open points are listed in ``limits`` and
``excise``; in addition, an order counts as a single indivisible item only when it has one line,
of quantity 1, flagged ``indivisible`` (the note's reading of "仅一件商品").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from digitrade.systems.ecommerce.identity import identity_problem
from digitrade.systems.ecommerce.money import ZERO, apportion, format_money, round_money
from digitrade.systems.ecommerce.outcome import Reason
from digitrade.systems.ecommerce.tax.excise import consumption_tax_rate
from digitrade.systems.ecommerce.tax.limits import REDUCTION, LimitRegime, regime_on
from digitrade.systems.ecommerce.tax.model import (
    Assessment,
    LineAssessment,
    OrderItem,
    OrderRequest,
    Treatment,
)
from digitrade.systems.ecommerce.tax.parsing import order_from_dict

_ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class LineValue:
    """A line's share of the order before any tax."""

    item: OrderItem
    goods: Decimal
    freight: Decimal
    insurance: Decimal

    @property
    def dutiable(self) -> Decimal:
        return self.goods + self.freight + self.insurance


@dataclass(frozen=True, slots=True)
class LineTaxes:
    duty: Decimal
    consumption_tax: Decimal
    vat: Decimal


def assess_order(request: Mapping[str, Any] | OrderRequest) -> Assessment:
    """Assess one retail-import order given as the ``assess-order`` JSON contract."""
    order = request if isinstance(request, OrderRequest) else order_from_dict(request)
    return assess(order)


def assess(order: OrderRequest) -> Assessment:
    regime = regime_on(order.order_date)
    lines = line_values(order)
    dutiable = sum((line.dutiable for line in lines), ZERO)
    treatment, limit_reasons = limit_treatment(order, dutiable, regime)
    reasons = [*eligibility_refusals(order), *limit_reasons]
    if any(reason.code in REFUSAL_CODES for reason in reasons):
        treatment = Treatment.REFUSED
        reasons = [reason for reason in reasons if reason.code in REFUSAL_CODES]
    assessed = tuple(assess_line(line, treatment, order) for line in lines)
    taxes = sum((line.tax_total for line in assessed), ZERO)
    allowed = treatment is not Treatment.REFUSED
    return Assessment(
        allowed=allowed,
        reasons=tuple(reasons),
        dutiable_value=dutiable,
        duty=sum((line.duty for line in assessed), ZERO),
        consumption_tax=sum((line.consumption_tax for line in assessed), ZERO),
        vat=sum((line.vat for line in assessed), ZERO),
        actual_paid=dutiable + taxes - order.non_cash_discount,
        annual_total_after=order.annual_total_before + (dutiable if allowed else ZERO),
        lines=assessed,
    )


def line_values(order: OrderRequest) -> list[LineValue]:
    goods = [round_money(item.unit_price * item.quantity) for item in order.items]
    freight = apportion(order.freight, goods)
    insurance = apportion(order.insurance, goods)
    return [
        LineValue(item, goods[i], freight[i], insurance[i]) for i, item in enumerate(order.items)
    ]


# Reasons that make an order refused; the others only explain how it is taxed.
REFUSAL_CODES = frozenset(
    {
        "not_on_positive_list",
        "buyer_id_invalid",
        "over_transaction_limit",
        "over_annual_limit",
    }
)


def eligibility_refusals(order: OrderRequest) -> list[Reason]:
    reasons: list[Reason] = []
    unlisted = [item.sku for item in order.items if not item.on_positive_list]
    if unlisted:
        reasons.append(
            Reason.of("not_on_positive_list", "tax.not_on_positive_list", skus=", ".join(unlisted))
        )
    problem = identity_problem(order.buyer_id)
    if problem is not None:
        reasons.append(Reason.of("buyer_id_invalid", "tax.buyer_id_invalid", problem=problem))
    return reasons


def is_single_indivisible_item(items: Sequence[OrderItem]) -> bool:
    return len(items) == 1 and items[0].quantity == _ONE and items[0].indivisible


def limit_treatment(
    order: OrderRequest, dutiable: Decimal, regime: LimitRegime
) -> tuple[Treatment, list[Reason]]:
    """Reduced, full or refused by the transaction and annual limits of ``regime``."""
    annual_after = order.annual_total_before + dutiable
    over_annual = annual_after > regime.annual_limit
    if dutiable <= regime.transaction_limit:
        if over_annual:
            return Treatment.REFUSED, [_over_annual(order, dutiable, regime)]
        return Treatment.REDUCED, []
    if not is_single_indivisible_item(order.items):
        return Treatment.REFUSED, [
            Reason.of(
                "over_transaction_limit",
                "tax.over_transaction_limit",
                dutiable=format_money(dutiable),
                limit=regime.transaction_limit,
                instrument=regime.instrument,
            )
        ]
    if over_annual:
        return Treatment.REFUSED, [_over_annual(order, dutiable, regime)]
    return Treatment.FULL, [
        Reason.of(
            "single_item_full_tax",
            "tax.single_item_full_tax",
            dutiable=format_money(dutiable),
            limit=regime.transaction_limit,
            instrument=regime.instrument,
        )
    ]


def _over_annual(order: OrderRequest, dutiable: Decimal, regime: LimitRegime) -> Reason:
    """Worded only for an order that passes the annual limit (most do not)."""
    return Reason.of(
        "over_annual_limit",
        "tax.over_annual_limit",
        before=format_money(order.annual_total_before),
        dutiable=format_money(dutiable),
        after=format_money(order.annual_total_before + dutiable),
        limit=regime.annual_limit,
        instrument=regime.instrument,
    )


def assess_line(line: LineValue, treatment: Treatment, order: OrderRequest) -> LineAssessment:
    excise = consumption_tax_rate(line.item, order.order_date)
    if treatment is Treatment.REDUCED:
        taxes = reduced_taxes(line.dutiable, excise.rate, line.item.vat_rate)
    elif treatment is Treatment.FULL:
        taxes = full_taxes(line.dutiable, line.item.mfn_duty_rate, excise.rate, line.item.vat_rate)
    else:
        taxes = LineTaxes(ZERO, ZERO, ZERO)
    return LineAssessment(
        sku=line.item.sku,
        hs_code=line.item.hs_code,
        name=line.item.name,
        quantity=line.item.quantity,
        unit_price=line.item.unit_price,
        goods_value=line.goods,
        freight=line.freight,
        insurance=line.insurance,
        dutiable_value=line.dutiable,
        duty_rate=line.item.mfn_duty_rate if treatment is Treatment.FULL else ZERO,
        consumption_tax_rate=excise.rate,
        vat_rate=line.item.vat_rate,
        duty=taxes.duty,
        consumption_tax=taxes.consumption_tax,
        vat=taxes.vat,
        treatment=treatment,
        excise_basis=excise.basis.en,
        excise_basis_zh=excise.basis.zh,
    )


def reduced_taxes(dutiable: Decimal, ct_rate: Decimal, vat_rate: Decimal) -> LineTaxes:
    """Duty 0; consumption tax and VAT at 70% of the statutory amount."""
    base = dutiable / (_ONE - ct_rate)
    return LineTaxes(
        duty=ZERO,
        consumption_tax=round_money(base * ct_rate * REDUCTION),
        vat=round_money(base * vat_rate * REDUCTION),
    )


def full_taxes(
    dutiable: Decimal, duty_rate: Decimal, ct_rate: Decimal, vat_rate: Decimal
) -> LineTaxes:
    """General-trade taxes in full: duty at the MFN rate, then consumption tax and VAT."""
    duty = round_money(dutiable * duty_rate)
    base = (dutiable + duty) / (_ONE - ct_rate)
    return LineTaxes(
        duty=duty,
        consumption_tax=round_money(base * ct_rate),
        vat=round_money(base * vat_rate),
    )
