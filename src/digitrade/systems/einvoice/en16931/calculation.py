"""The EN 16931 calculation rules: line net amounts, allowances, charges, VAT breakdown, totals.

The rules followed (EN 16931-1 section 6 and the BR-CO-* business rules):
- BT-131 = BT-129 x (BT-146 / BT-149) + sum(BT-141) - sum(BT-136)            (BR-24-ish, 6.4)
- an allowance or charge given as base x percentage gets amount = base x percentage / 100
- BT-116 per VAT category and rate = lines + charges - allowances of that category  (BR-S-08...)
- BT-117 = BT-116 x BT-119 / 100, zero for the exempt categories               (BR-CO-17)
- BT-106 = sum(BT-131); BT-109 = BT-106 - BT-107 + BT-108; BT-110 = sum(BT-117)  (BR-CO-10..15)
- BT-112 = BT-109 + BT-110; BT-115 = BT-112 - BT-113 + BT-114                  (BR-CO-15, -16)
Every amount is rounded half-up to two decimals, as the validation artefacts expect.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from digitrade.systems.einvoice.en16931.model import (
    AllowanceCharge,
    Invoice,
    Line,
    LineAllowanceCharge,
    Totals,
    VatBreakdown,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Categories that carry no VAT amount; each needs an exemption reason (BR-E-10, BR-AE-10 ...).
ZERO_TAX_CATEGORIES = frozenset({"Z", "E", "AE", "K", "G", "O"})
NEEDS_EXEMPTION_REASON = frozenset({"E", "AE", "K", "G", "O"})
# Default reason texts where the issuer gives none (VATEX codes are the machine-readable form).
DEFAULT_EXEMPTION = {
    "AE": ("Reverse charge", "VATEX-EU-AE"),
    "K": ("Intra-Community supply", "VATEX-EU-IC"),
    "G": ("Export outside the EU", "VATEX-EU-G"),
    "O": ("Not subject to VAT", "VATEX-EU-O"),
}


class CalculationError(ValueError):
    """The invoice cannot be completed: the message says which term is wrong."""


# Totals stay below this so that they are exact wherever they are stored (15 significant digits).
LARGEST_TOTAL = Decimal(10) ** 13


def money(value: Decimal) -> Decimal:
    if not value.is_finite() or abs(value) >= LARGEST_TOTAL:
        raise CalculationError(f"an amount of {value:E} is beyond what an invoice may carry")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _allowance_amount(item: AllowanceCharge | LineAllowanceCharge, where: str) -> Decimal:
    if item.amount is not None:
        return money(item.amount)
    if item.base_amount is None or item.percentage is None:
        raise CalculationError(f"{where}: give an amount, or a base amount and a percentage")
    return money(item.base_amount * item.percentage / 100)


def line_net_amount(line: Line) -> Decimal:
    base_quantity = line.price.base_quantity or Decimal(1)
    if base_quantity <= 0:
        raise CalculationError(f"line {line.id}: the price base quantity (BT-149) must be positive")
    gross = line.quantity * line.price.net_price / base_quantity
    charges = sum(
        (_allowance_amount(c, f"line {line.id} charge") for c in line.charges), start=ZERO
    )
    allowances = sum(
        (_allowance_amount(a, f"line {line.id} allowance") for a in line.allowances), start=ZERO
    )
    return money(gross) + charges - allowances


def _vat_key(category: str, rate: Decimal | None) -> tuple[str, Decimal | None]:
    if category == "O":
        return category, None
    if rate is None:
        raise CalculationError(f"VAT category {category} needs a rate (0 for exempt categories)")
    if category in ZERO_TAX_CATEGORIES - {"O"} and rate != 0:
        raise CalculationError(f"VAT category {category} must have rate 0, got {rate}")
    return category, rate  # Decimal hashes by value: 20 and 20.00 are one key


def vat_breakdown(
    lines: Iterable[Line],
    allowances: Iterable[AllowanceCharge],
    charges: Iterable[AllowanceCharge],
    exemptions: dict[str, tuple[str | None, str | None]],
) -> list[VatBreakdown]:
    """BG-23: one entry per VAT category and rate, in first-seen order."""
    taxable: dict[tuple[str, Decimal | None], Decimal] = {}
    for line in lines:
        assert line.net_amount is not None  # complete() fills it before
        key = _vat_key(line.item.vat_category, line.item.vat_rate)
        taxable[key] = taxable.get(key, ZERO) + line.net_amount
    for charge in charges:
        key = _vat_key(charge.vat_category, charge.vat_rate)
        taxable[key] = taxable.get(key, ZERO) + _allowance_amount(charge, "document charge")
    for allowance in allowances:
        key = _vat_key(allowance.vat_category, allowance.vat_rate)
        taxable[key] = taxable.get(key, ZERO) - _allowance_amount(allowance, "document allowance")
    breakdown = []
    for (category, rate), amount in taxable.items():
        tax = ZERO if category in ZERO_TAX_CATEGORIES else money(amount * (rate or 0) / 100)
        reason, code = exemptions.get(category, (None, None))
        if category in NEEDS_EXEMPTION_REASON and not (reason or code):
            reason, code = DEFAULT_EXEMPTION.get(category, (None, None))
            if not (reason or code):
                raise CalculationError(
                    f"VAT category {category} needs an exemption reason (BT-120 or BT-121)"
                )
        breakdown.append(
            VatBreakdown(
                taxable_amount=money(amount),
                tax_amount=tax,
                category=category,
                rate=rate,
                exemption_reason=reason if category in NEEDS_EXEMPTION_REASON else None,
                exemption_reason_code=code if category in NEEDS_EXEMPTION_REASON else None,
            )
        )
    return breakdown


def complete(
    invoice: Invoice,
    *,
    exemptions: dict[str, tuple[str | None, str | None]] | None = None,
    tax_currency_rate: Decimal | None = None,
    prepaid: Decimal | None = None,
) -> Invoice:
    """A copy of ``invoice`` with every computed term filled: BT-131, BT-92/99, BG-22, BG-23.

    ``exemptions`` maps a VAT category to its (BT-120 text, BT-121 code). ``tax_currency_rate``
    converts BT-110 into BT-6 for BT-111 (units of BT-6 per unit of BT-5).
    """
    if invoice.totals is not None or invoice.vat_breakdown:
        raise CalculationError("totals and VAT breakdown are computed; leave them out")
    if invoice.tax_currency == invoice.currency:
        # BR-53 / PEPPOL-EN16931-R005: BT-6 is only given when it differs from BT-5.
        raise CalculationError("the VAT accounting currency (BT-6) must differ from BT-5")
    if invoice.tax_currency and (tax_currency_rate is None or tax_currency_rate <= 0):
        raise CalculationError("a VAT accounting currency (BT-6) needs a positive exchange rate")
    lines = [
        line.model_copy(
            update={
                "net_amount": line_net_amount(line),
                "allowances": [
                    a.model_copy(update={"amount": _allowance_amount(a, f"line {line.id}")})
                    for a in line.allowances
                ],
                "charges": [
                    c.model_copy(update={"amount": _allowance_amount(c, f"line {line.id}")})
                    for c in line.charges
                ],
            }
        )
        for line in invoice.lines
    ]
    allowances = [
        a.model_copy(update={"amount": _allowance_amount(a, "document allowance")})
        for a in invoice.allowances
    ]
    charges = [
        c.model_copy(update={"amount": _allowance_amount(c, "document charge")})
        for c in invoice.charges
    ]
    breakdown = vat_breakdown(lines, allowances, charges, exemptions or {})
    line_total = money(sum((line.net_amount or ZERO for line in lines), start=ZERO))
    allowance_total = sum((a.amount or ZERO for a in allowances), start=ZERO)
    charge_total = sum((c.amount or ZERO for c in charges), start=ZERO)
    tax_exclusive = money(line_total - allowance_total + charge_total)
    vat_total = sum((b.tax_amount for b in breakdown), start=ZERO)
    tax_inclusive = money(tax_exclusive + vat_total)
    paid = money(prepaid) if prepaid else None
    totals = Totals(
        line_total=line_total,
        allowance_total=allowance_total if allowances else None,
        charge_total=charge_total if charges else None,
        tax_exclusive=tax_exclusive,
        vat_total=vat_total,
        vat_total_tax_currency=(
            money(vat_total * tax_currency_rate)
            if invoice.tax_currency
            and invoice.tax_currency != invoice.currency
            and tax_currency_rate is not None
            else None
        ),
        tax_inclusive=tax_inclusive,
        prepaid=paid,
        payable=money(tax_inclusive - (paid or ZERO)),
    )
    return invoice.model_copy(
        update={
            "lines": lines,
            "allowances": allowances,
            "charges": charges,
            "vat_breakdown": breakdown,
            "totals": totals,
        }
    )
