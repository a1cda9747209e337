"""Syntax conventions of the bindings, dispatch and the errors a caller gets.

The documents here are written by the bindings from invoices built in the model, then read back
or altered, so these tests need no official material.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from digitrade.systems.einvoice.bindings import (
    BindingError,
    read_invoice,
    syntax_of,
    write_invoice,
)
from digitrade.systems.einvoice.en16931.model import (
    DirectDebit,
    Invoice,
    Note,
    Payee,
    PaymentCard,
    PaymentInstructions,
    SyntaxName,
)
from tests.systems.einvoice.bindings.test_issuance import (
    french_intra_community_supply,
    german_credit_note,
    peppol_belgian_invoice,
)

UBL_NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
CII_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


def _tree(invoice: Invoice, syntax: SyntaxName) -> Any:
    return etree.fromstring(write_invoice(invoice, syntax))


def _read(root: Any) -> Invoice:
    return read_invoice(etree.fromstring(etree.tostring(root)))


def _remove(root: Any, path: str, namespaces: dict[str, str]) -> Any:
    for element in root.xpath(path, namespaces=namespaces):
        element.getparent().remove(element)
    return root


# Dispatch and serialisation ------------------------------------------------------------------


def test_read_invoice_dispatches_on_the_root() -> None:
    invoice = peppol_belgian_invoice()
    credit_note = german_credit_note()
    assert syntax_of(_tree(invoice, "ubl")) == "ubl"
    assert syntax_of(_tree(credit_note, "ubl")) == "ubl"
    assert syntax_of(_tree(invoice, "cii")) == "cii"
    assert _read(_tree(invoice, "ubl")) == invoice


def test_unknown_document_is_refused() -> None:
    with pytest.raises(BindingError, match="neither a UBL"):
        read_invoice(etree.fromstring(b"<Order xmlns='urn:example'/>"))


def test_unknown_syntax_is_refused() -> None:
    with pytest.raises(BindingError, match="unknown syntax"):
        write_invoice(peppol_belgian_invoice(), "edifact")  # type: ignore[arg-type]


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_output_is_utf8_with_declaration_and_indented(syntax: SyntaxName) -> None:
    written = write_invoice(french_intra_community_supply(), syntax)
    assert written.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    assert b"\n  <" in written
    assert "Bâtiment B".encode() in written


# UBL conventions -----------------------------------------------------------------------------


def test_note_subject_code_is_the_ubl_prefix() -> None:
    root = _tree(german_credit_note(), "ubl")
    assert root.findtext("cbc:Note", namespaces=UBL_NS) == "#AAI#Return of damaged goods, RMA 5531."
    assert _read(root).notes == [
        Note(subject_code="AAI", text="Return of damaged goods, RMA 5531.")
    ]


def test_sales_order_without_purchase_order_uses_the_peppol_placeholder() -> None:
    invoice = french_intra_community_supply().model_copy(update={"purchase_order_reference": None})
    root = _tree(invoice, "ubl")
    assert root.findtext("cac:OrderReference/cbc:ID", namespaces=UBL_NS) == "NA"
    assert _read(root).purchase_order_reference is None


def test_creditor_identifier_goes_to_the_payee_or_the_seller() -> None:
    invoice = peppol_belgian_invoice()
    assert invoice.payment_instructions is not None
    direct_debit = invoice.payment_instructions.model_copy(
        update={
            "means_code": "59",
            "credit_transfers": [],
            "direct_debit": DirectDebit(
                mandate_reference="MANDATE-7", creditor_id="BE69ZZZ050D000000008"
            ),
        }
    )
    with_seller = invoice.model_copy(update={"payment_instructions": direct_debit})
    sepa = "cac:PartyIdentification/cbc:ID[@schemeID='SEPA']"
    root = _tree(with_seller, "ubl")
    assert root.xpath(f"cac:AccountingSupplierParty/cac:Party/{sepa}/text()", namespaces=UBL_NS)
    assert _read(root) == with_seller

    with_payee = with_seller.model_copy(update={"payee": Payee(name="Collection Agent SA")})
    root = _tree(with_payee, "ubl")
    assert root.xpath(f"cac:PayeeParty/{sepa}/text()", namespaces=UBL_NS)
    assert not root.xpath(f"cac:AccountingSupplierParty/cac:Party/{sepa}", namespaces=UBL_NS)
    assert _read(root) == with_payee
    assert _read(_tree(with_payee, "cii")) == with_payee


def test_card_payment_round_trips_with_a_network_placeholder() -> None:
    invoice = peppol_belgian_invoice().model_copy(
        update={
            "payment_instructions": PaymentInstructions(
                means_code="54",
                card=PaymentCard(primary_account_number="1234", holder_name="J. Peeters"),
            )
        }
    )
    root = _tree(invoice, "ubl")
    assert root.findtext("cac:PaymentMeans/cac:CardAccount/cbc:NetworkID", namespaces=UBL_NS)
    assert _read(root) == invoice
    assert _read(_tree(invoice, "cii")) == invoice


def test_credit_note_project_reference_is_an_additional_document() -> None:
    credit_note = german_credit_note().model_copy(update={"project_reference": "PRJ-9"})
    root = _tree(credit_note, "ubl")
    reference = root.find("cac:AdditionalDocumentReference", namespaces=UBL_NS)
    assert reference.findtext("cbc:ID", namespaces=UBL_NS) == "PRJ-9"
    assert reference.findtext("cbc:DocumentTypeCode", namespaces=UBL_NS) == "50"
    assert _read(root) == credit_note


# CII conventions -----------------------------------------------------------------------------


def test_tax_point_date_code_uses_the_cii_code_list() -> None:
    invoice = french_intra_community_supply()
    root = _tree(invoice, "cii")
    codes = root.xpath("//ram:ApplicableTradeTax/ram:DueDateTypeCode/text()", namespaces=CII_NS)
    assert codes == ["5"]  # UNTDID 2475 "date of invoice" for UNTDID 2005 code 3
    assert _read(root).tax_point_date_code == "3"


def test_cii_dates_use_format_102() -> None:
    root = _tree(french_intra_community_supply(), "cii")
    issue = root.find("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", CII_NS)
    assert (issue.text, issue.get("format")) == ("20250829", "102")


def test_cii_keeps_one_preceding_invoice() -> None:
    credit_note = german_credit_note()
    two = credit_note.model_copy(
        update={"preceding_invoices": [*credit_note.preceding_invoices] * 2}
    )
    assert _read(_tree(two, "cii")).preceding_invoices == credit_note.preceding_invoices


# Errors --------------------------------------------------------------------------------------


def test_missing_invoice_number_names_the_term_and_path() -> None:
    root = _remove(_tree(peppol_belgian_invoice(), "ubl"), "cbc:ID", UBL_NS)
    with pytest.raises(BindingError, match=r"BT-1 is missing: expected at /Invoice/cbc:ID"):
        _read(root)


def test_missing_cii_seller_name_names_the_term_and_path() -> None:
    root = _tree(peppol_belgian_invoice(), "cii")
    _remove(root, "//ram:SellerTradeParty/ram:Name", CII_NS)
    with pytest.raises(BindingError, match=r"BT-27 is missing: expected at .*SellerTradeParty"):
        _read(root)


def test_unknown_country_code_names_the_term() -> None:
    root = _tree(peppol_belgian_invoice(), "ubl")
    country = root.find(
        "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode",
        UBL_NS,
    )
    country.text = "XX"
    with pytest.raises(BindingError, match=r"AccountingCustomerParty.*BT-40.*'XX'"):
        _read(root)


def test_malformed_amount_names_the_term() -> None:
    root = _tree(peppol_belgian_invoice(), "ubl")
    root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", UBL_NS).text = "12,50"
    with pytest.raises(BindingError, match=r"BT-115 .*'12,50' is not a decimal number"):
        _read(root)


def test_cii_date_in_another_format_is_refused() -> None:
    root = _tree(peppol_belgian_invoice(), "cii")
    root.find("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", CII_NS).set(
        "format", "203"
    )
    with pytest.raises(BindingError, match=r"BT-2 .*format 203"):
        _read(root)


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_writing_an_incomplete_invoice_is_refused(syntax: SyntaxName) -> None:
    invoice = peppol_belgian_invoice().model_copy(update={"totals": None})
    with pytest.raises(BindingError, match="BG-22"):
        write_invoice(invoice, syntax)


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_writing_a_line_without_net_amount_is_refused(syntax: SyntaxName) -> None:
    invoice = peppol_belgian_invoice()
    lines = [invoice.lines[0].model_copy(update={"net_amount": None}), *invoice.lines[1:]]
    with pytest.raises(BindingError, match="BT-131 of line 1"):
        write_invoice(invoice.model_copy(update={"lines": lines}), syntax)


def test_amounts_keep_their_decimal_text() -> None:
    invoice = french_intra_community_supply()
    root = _tree(invoice, "ubl")
    price = root.find("cac:InvoiceLine/cac:Price/cbc:PriceAmount", UBL_NS)
    assert (price.text, price.get("currencyID")) == ("9.50", "EUR")
    assert _read(root).lines[0].price.net_price == Decimal("9.50")
    assert _read(root).issue_date == dt.date(2025, 8, 29)
