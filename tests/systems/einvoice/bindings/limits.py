"""The terms a syntax cannot carry exactly as the model holds them (see the binding docstrings).

A round trip through the other syntax is compared after ``comparable`` applies exactly these
differences, so everything else must survive unchanged:

Through CII (EN 16931-3-3, D16B):
- BG-3 Preceding invoice reference: D16B has one ram:InvoiceReferencedDocument; only the first
  preceding invoice is kept.
- BT-29 / BT-46 identifiers: ram:ID (no scheme) precedes ram:GlobalID (with scheme) in the schema,
  so the identifiers come back with those without a scheme first.
- BT-148 Item gross price: ram:GrossPriceProductTradePrice needs its amount; a discount (BT-147)
  without gross price comes back with BT-148 = BT-146 + BT-147.
- BT-6 / BT-111: the CII rules reject a VAT accounting currency equal to the invoice currency
  (BR-53), so such a BT-6 (and its BT-111) is left out.
- BT-7 / BT-8: carried inside the VAT breakdown; without BG-23 they are lost.
Through UBL (EN 16931-3-2, UBL 2.1):
- BT-147 Item price discount: cac:Price/cac:AllowanceCharge needs its amount; a gross price
  without discount comes back with BT-147 = BT-148 - BT-146.
- BT-110: cac:TaxTotal/cbc:TaxAmount is mandatory; a VAT breakdown without BT-110 comes back with
  BT-110 = sum of BT-117.
- BT-9 in a credit note: only cac:PaymentMeans/cbc:PaymentDueDate can carry it, so it is lost
  without payment instructions (BG-16).
"""

from __future__ import annotations

from decimal import Decimal

from digitrade.systems.einvoice.en16931.model import Identifier, Invoice, Line, Party, SyntaxName


def comparable(invoice: Invoice, through: SyntaxName) -> Invoice:
    """``invoice`` as it must come back after a trip through the syntax ``through``."""
    return _through_cii(invoice) if through == "cii" else _through_ubl(invoice)


def _schemeless_first(identifiers: list[Identifier]) -> list[Identifier]:
    return sorted(identifiers, key=lambda identifier: identifier.scheme is not None)


def _party_through_cii(party: Party) -> Party:
    return party.model_copy(update={"identifiers": _schemeless_first(party.identifiers)})


def _line_through_cii(line: Line) -> Line:
    price = line.price
    if price.gross_price is None and price.discount is not None:
        price = price.model_copy(update={"gross_price": price.net_price + price.discount})
    return line.model_copy(update={"price": price})


def _through_cii(invoice: Invoice) -> Invoice:
    update: dict[str, object] = {
        "preceding_invoices": invoice.preceding_invoices[:1],
        "seller": _party_through_cii(invoice.seller),
        "buyer": _party_through_cii(invoice.buyer),
        "lines": [_line_through_cii(line) for line in invoice.lines],
    }
    if invoice.tax_currency == invoice.currency:
        update["tax_currency"] = None
        if invoice.totals is not None:
            update["totals"] = invoice.totals.model_copy(update={"vat_total_tax_currency": None})
    if not invoice.vat_breakdown:
        update |= {"tax_point_date": None, "tax_point_date_code": None}
    return invoice.model_copy(update=update)


def _line_through_ubl(line: Line) -> Line:
    price = line.price
    if price.discount is None and price.gross_price is not None:
        price = price.model_copy(update={"discount": price.gross_price - price.net_price})
    return line.model_copy(update={"price": price})


def _through_ubl(invoice: Invoice) -> Invoice:
    update: dict[str, object] = {"lines": [_line_through_ubl(line) for line in invoice.lines]}
    totals = invoice.totals
    if totals is not None and totals.vat_total is None and invoice.vat_breakdown:
        vat_total = sum((each.tax_amount for each in invoice.vat_breakdown), start=Decimal(0))
        update["totals"] = totals.model_copy(update={"vat_total": vat_total})
    if invoice.is_credit_note and invoice.payment_instructions is None:
        update["due_date"] = None
    return invoice.model_copy(update=update)
