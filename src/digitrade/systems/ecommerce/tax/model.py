"""What goes into a retail-import assessment and what comes out: frozen data, no behaviour.

The input mirrors the ``assess-order`` JSON contract; ``Assessment.as_dict()`` is the JSON the
CLI, the API and the pages carry, with money as strings with two decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from digitrade.systems.ecommerce.money import format_money
from digitrade.systems.ecommerce.outcome import Reason


class RetailImportMode(StrEnum):
    """Supervision modes under which retail imports are taxed by this engine."""

    DIRECT_PURCHASE = "9610"
    BONDED = "1210"
    BONDED_A = "1239"


class ExciseKind(StrEnum):
    NONE = "none"
    # 高档化妆品: 15% at or above RMB 10 per ml/g or RMB 15 per piece (see ``excise``).
    COSMETICS = "cosmetics"
    # Any other ad valorem consumption tax; the operator states the statutory rate.
    AD_VALOREM = "ad_valorem"


class ContentUnit(StrEnum):
    ML = "ml"
    G = "g"
    PIECE = "piece"


class Treatment(StrEnum):
    """How a line is taxed."""

    # Within the limits: duty 0, VAT and consumption tax at 70% (2016 No.18 art 2).
    REDUCED = "cbec_reduced"
    # One indivisible item over the transaction limit: full duty, VAT and consumption tax
    # (2018 No.49 art 2).
    FULL = "general_trade_full"
    # Not a retail import: nothing is computed or withheld.
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Excise:
    kind: ExciseKind
    net_content: Decimal | None = None
    unit: ContentUnit | None = None
    rate: Decimal | None = None


NO_EXCISE = Excise(ExciseKind.NONE)


@dataclass(frozen=True, slots=True)
class OrderItem:
    sku: str
    hs_code: str
    name: str
    unit_price: Decimal
    quantity: Decimal
    vat_rate: Decimal
    mfn_duty_rate: Decimal
    excise: Excise
    on_positive_list: bool
    indivisible: bool


@dataclass(frozen=True, slots=True)
class OrderRequest:
    mode: RetailImportMode
    order_date: date
    buyer_id: str
    annual_total_before: Decimal
    freight: Decimal
    insurance: Decimal
    non_cash_discount: Decimal
    items: tuple[OrderItem, ...]


def _rate(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


@dataclass(frozen=True, slots=True)
class LineAssessment:
    sku: str
    hs_code: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    goods_value: Decimal
    freight: Decimal
    insurance: Decimal
    dutiable_value: Decimal
    duty_rate: Decimal
    consumption_tax_rate: Decimal
    vat_rate: Decimal
    duty: Decimal
    consumption_tax: Decimal
    vat: Decimal
    treatment: Treatment
    excise_basis: str
    excise_basis_zh: str

    @property
    def tax_total(self) -> Decimal:
        return self.duty + self.consumption_tax + self.vat

    def as_dict(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "hs_code": self.hs_code,
            "name": self.name,
            "quantity": _rate(self.quantity),
            "unit_price": format(self.unit_price, "f"),
            "goods_value": format_money(self.goods_value),
            "freight": format_money(self.freight),
            "insurance": format_money(self.insurance),
            "dutiable_value": format_money(self.dutiable_value),
            "treatment": self.treatment.value,
            "duty_rate": _rate(self.duty_rate),
            "consumption_tax_rate": _rate(self.consumption_tax_rate),
            "vat_rate": _rate(self.vat_rate),
            "excise_basis": self.excise_basis,
            "excise_basis_zh": self.excise_basis_zh,
            "duty": format_money(self.duty),
            "consumption_tax": format_money(self.consumption_tax),
            "vat": format_money(self.vat),
            "tax_total": format_money(self.tax_total),
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    allowed: bool
    reasons: tuple[Reason, ...]
    dutiable_value: Decimal
    duty: Decimal
    consumption_tax: Decimal
    vat: Decimal
    actual_paid: Decimal
    annual_total_after: Decimal
    lines: tuple[LineAssessment, ...]

    @property
    def tax_total(self) -> Decimal:
        return self.duty + self.consumption_tax + self.vat

    def as_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "dutiable_value": format_money(self.dutiable_value),
            "duty": format_money(self.duty),
            "consumption_tax": format_money(self.consumption_tax),
            "vat": format_money(self.vat),
            "tax_total": format_money(self.tax_total),
            "actual_paid": format_money(self.actual_paid),
            "annual_total_after": format_money(self.annual_total_after),
            "lines": [line.as_dict() for line in self.lines],
        }
