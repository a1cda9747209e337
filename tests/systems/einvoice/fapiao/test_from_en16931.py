"""EN 16931 -> a representation in the fapiao layout, e.g. an incoming Peppol invoice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from digitrade.systems.einvoice.en16931 import calculation
from digitrade.systems.einvoice.en16931.model import LineAllowanceCharge, PrecedingInvoice
from digitrade.systems.einvoice.fapiao import (
    InvoiceKind,
    MappingNote,
    RateKind,
    check_consistency,
    from_en16931,
    parse_amount_in_words,
    write_json,
    write_xml,
)
from tests.systems.einvoice.fapiao.samples import (
    GERMAN_SELLER,
    SHANGHAI_BUYER,
    en_line,
    peppol_invoice,
)

D = Decimal


def by_field(notes: list[MappingNote]) -> dict[str, str]:
    return {note.field: note.severity for note in notes}


def test_converted_at_the_exchange_rate_and_marked_as_representation():
    fapiao, notes = from_en16931(peppol_invoice(), exchange_rate=D("7.8123"))
    assert fapiao.number is None and not fapiao.is_issued
    assert fapiao.representation is not None
    assert fapiao.representation.source_number == "RA-2024-0815"
    assert fapiao.representation.source_currency == "EUR"
    assert fapiao.representation.exchange_rate == D("7.8123")
    assert fapiao.representation.amounts_currency == "CNY"
    assert fapiao.issue_date == dt.date(2024, 11, 20)
    consulting, licence, material, allowance = fapiao.lines
    assert consulting.amount == D("11718.45")  # 1500.00 EUR x 7.8123
    assert consulting.quantity == D("12.5") and consulting.unit == "小时"
    assert licence.unit is None  # C62 is a plain count
    assert material.unit == "KWT"  # no Chinese unit known: the code is written
    assert (consulting.rate_kind, consulting.tax_rate) == (RateKind.PERCENT, D(19))
    assert allowance.item_name == "Rabatt" and allowance.amount == D("-1171.85")
    assert allowance.quantity is None and allowance.unit_price is None
    # Totals follow from the lines; the amount in words states the total.
    assert fapiao.total_amount == sum(line.amount for line in fapiao.lines)
    assert parse_amount_in_words(fapiao.total_with_tax_in_words) == fapiao.total_with_tax
    findings = check_consistency(fapiao)
    assert {f.code for f in findings if f.severity == "error"} == set()
    fields = by_field(notes)
    assert fields["BT-5"] == "approximated"
    for lost in ("BG-13", "BT-83", "BT-154", "BT-158", "seller.BT-43", "seller.BT-34/BT-49"):
        assert fields[lost] == "lost", lost
    assert fields["BG-20"] == "approximated"


def test_parties_bank_and_remarks():
    fapiao, notes = from_en16931(peppol_invoice(), exchange_rate=D("7.8123"))
    assert fapiao.seller.name == "Rheinland Analytics GmbH"
    assert fapiao.seller.tax_id == "DE811907980"
    assert fapiao.seller.address == "Hafenstraße 12, Köln, 50667, DE"
    assert fapiao.seller.telephone == "+49 221 123456"
    assert fapiao.seller.bank_account == "DE89370400440532013000"
    assert fapiao.seller.bank_name == "COBADEFFXXX"
    assert fapiao.buyer.tax_id == "91310115MA1K4XW7P1"
    assert fapiao.buyer.address == "上海市浦东新区张江路665号3层"
    assert fapiao.remarks is not None
    remark_lines = fapiao.remarks.split("\n")
    assert remark_lines[0] == "Thank you for your business."
    assert "采购订单号 (purchase order): 4500012345" in remark_lines
    assert "付款到期日 (due date): 2024-12-20" in remark_lines
    assert by_field(notes)["BT-13"] == "approximated"
    assert fapiao.kind is InvoiceKind.ORDINARY


def test_line_taxes_add_up_to_the_vat_the_invoice_states():
    fapiao, _ = from_en16931(peppol_invoice(), exchange_rate=D("7.8123"))
    source = calculation.complete(peppol_invoice())
    assert source.totals is not None
    assert fapiao.total_tax == (source.totals.vat_total * D("7.8123")).quantize(D("0.01"))
    # Each line stays within a fen of its own rounded tax, so the fapiao checks accept it.
    assert not [f for f in check_consistency(fapiao) if f.code == "line-tax"]


def test_per_line_rounding_is_spread_by_whole_fen():
    lines = [en_line(str(i), f"Item {i}", "1", "H87", "10.05", rate="13") for i in range(1, 4)]
    invoice = peppol_invoice(currency="CNY", allowances=[], lines=lines)
    fapiao, notes = from_en16931(invoice)
    # EN: 30.15 x 13 % = 3.92; per line 10.05 x 13 % = 1.31 (x3 = 3.93): one line gives a fen.
    assert sorted(line.tax_amount for line in fapiao.lines) == [D("1.30"), D("1.31"), D("1.31")]
    assert fapiao.total_tax == D("3.92")
    assert by_field(notes)["lines[].tax_amount"] == "info"


def test_without_an_exchange_rate_the_amounts_stay_and_are_reported():
    fapiao, notes = from_en16931(peppol_invoice())
    assert fapiao.representation is not None
    assert fapiao.representation.amounts_currency == "EUR"
    assert fapiao.lines[0].amount == D("1500.00")
    [note] = [n for n in notes if n.field == "BT-5"]
    assert note.severity == "approximated" and "exchange rate" in note.message_en


def test_credit_note_becomes_a_red_letter_representation():
    credit = peppol_invoice(
        type_code="381",
        currency="CNY",
        allowances=[],
        preceding_invoices=[
            PrecedingInvoice(number="RA-2024-0815", issue_date=dt.date(2024, 11, 20))
        ],
        lines=[en_line("1", "Data pipeline consulting", "2", "HUR", "120.00", rate="6")],
    )
    fapiao, _ = from_en16931(credit)
    assert fapiao.is_red_letter
    assert fapiao.red_letter is not None
    assert fapiao.red_letter.original_invoice_number == "RA-2024-0815"
    assert fapiao.lines[0].quantity == -2 and fapiao.lines[0].amount == D("-240.00")
    assert fapiao.total_with_tax == D("-254.40")
    assert fapiao.total_with_tax_in_words == "（负数）贰佰伍拾肆圆肆角整"
    assert not [f for f in check_consistency(fapiao) if f.severity == "error"]


def test_credit_note_without_preceding_invoice_is_reported():
    credit = peppol_invoice(type_code="381", currency="CNY")
    fapiao, notes = from_en16931(credit)
    assert fapiao.red_letter is None
    assert by_field(notes)["BG-3"] == "lost"
    assert "red-letter-missing" in {f.code for f in check_consistency(fapiao)}


def test_line_allowances_are_folded_into_the_amount_and_the_price():
    line = en_line(
        "1", "Consulting", "10", "HUR", "100.00", rate="6",
        allowances=[LineAllowanceCharge(amount=D("50.00"), reason="Volume")],
    )  # fmt: skip
    fapiao, notes = from_en16931(peppol_invoice(currency="CNY", allowances=[], lines=[line]))
    [converted] = fapiao.lines
    assert converted.amount == D("950.00") and converted.unit_price == D(95)
    assert by_field(notes)["line 1.BT-146"] == "approximated"


def test_categories_map_to_prc_rate_kinds():
    lines = [
        en_line("1", "Book", "1", "H87", "100", category="E", rate="0"),
        en_line("2", "Export", "1", "H87", "100", category="G", rate="0"),
        en_line("3", "Reverse charge", "1", "H87", "100", category="AE", rate="0"),
    ]
    fapiao, notes = from_en16931(peppol_invoice(currency="CNY", allowances=[], lines=lines))
    assert [(line.rate_kind, line.tax_rate) for line in fapiao.lines] == [
        (RateKind.EXEMPT, None),
        (RateKind.PERCENT, D(0)),
        (RateKind.PERCENT, D(0)),
    ]
    assert by_field(notes)["line 3.BT-151"] == "approximated"
    only_o = [en_line("1", "Disbursement", "1", "H87", "100", category="O", rate=None)]
    invoice = peppol_invoice(
        currency="CNY",
        allowances=[],
        lines=only_o,
        seller=GERMAN_SELLER.model_copy(update={"vat_id": None}),
        buyer=SHANGHAI_BUYER.model_copy(update={"vat_id": None}),
    )
    fapiao, _ = from_en16931(invoice)
    assert fapiao.lines[0].rate_kind is RateKind.NOT_TAXABLE


def test_an_invoice_with_stated_totals_is_taken_as_it_is():
    completed = calculation.complete(peppol_invoice(currency="CNY"))
    fapiao, _ = from_en16931(completed, kind=InvoiceKind.SPECIAL_VAT)
    assert completed.totals is not None
    assert fapiao.total_amount == completed.totals.tax_exclusive
    assert fapiao.total_tax == completed.totals.vat_total
    assert fapiao.kind is InvoiceKind.SPECIAL_VAT


@pytest.mark.parametrize("rate", [D(0), D(-1)])
def test_exchange_rate_must_be_positive(rate):
    with pytest.raises(ValueError, match="positive"):
        from_en16931(peppol_invoice(), exchange_rate=rate)


def test_representation_files_say_what_they_are():
    fapiao, _ = from_en16931(peppol_invoice(), exchange_rate=D("7.8123"))
    assert "不是发票" in write_xml(fapiao).decode()
    assert '"source_number": "RA-2024-0815"' in write_json(fapiao).decode()
