"""Issuing invoices: build them in the model, complete them, write UBL and CII, validate.

Each invoice is completed by ``calculation.complete`` and written in both syntaxes; both documents
must pass their XSD and the EN 16931 rules, the Peppol one also Peppol BIS 3.0.19, and both must
read back to the completed invoice (up to the documented limits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from lxml import etree

from digitrade.systems.einvoice.bindings import BindingError, read_invoice, write_invoice
from digitrade.systems.einvoice.en16931.calculation import complete
from digitrade.systems.einvoice.en16931.model import (
    PEPPOL_BIS3_PROCESS,
    PEPPOL_BIS3_SPECIFICATION,
    Address,
    AllowanceCharge,
    Attachment,
    Classification,
    Contact,
    CreditTransfer,
    Delivery,
    Identifier,
    Invoice,
    Item,
    ItemAttribute,
    Line,
    LineAllowanceCharge,
    Note,
    Party,
    Payee,
    PaymentInstructions,
    Period,
    PrecedingInvoice,
    Price,
    SupportingDocument,
    SyntaxName,
)
from tests.systems.einvoice.bindings.limits import comparable
from tests.systems.einvoice.bindings.official import Checker

pytestmark = pytest.mark.fixtures


def shanghai_services_export() -> Invoice:
    """A Shanghai provider of data services invoices a Singapore client in USD; VAT books in CNY.

    Cross-border services are zero-rated exports: category G with its exemption reason.
    """
    invoice = Invoice(
        number="SH-2025-000187",
        issue_date=dt.date(2025, 7, 1),
        currency="USD",
        tax_currency="CNY",
        due_date=dt.date(2025, 7, 31),
        buyer_reference="SG-PO-77812",
        contract_reference="MSA-2024-019",
        payment_terms="Net 30 days by telegraphic transfer",
        notes=[Note(text="Export of services; VAT not charged.")],
        seller=Party(
            name="Shanghai Lianhe Digital Services Co., Ltd.",
            trading_name="Lianhe Digital",
            legal_registration=Identifier(value="91310115MA1K4B2X7Q"),
            vat_id="CN91310115MA1K4B2X7Q",
            electronic_address=Identifier(value="ar@lianhe-digital.example.cn", scheme="EM"),
            address=Address(
                line1="Room 1203, 88 Century Avenue",
                city="Shanghai",
                postal_code="200120",
                subdivision="Pudong New Area",
                country="CN",
            ),
            contact=Contact(name="Accounts receivable", telephone="+86 21 5888 0000"),
        ),
        buyer=Party(
            name="Lion City Analytics Pte. Ltd.",
            legal_registration=Identifier(value="201912345K", scheme="0195"),
            vat_id="SG201912345K",
            address=Address(
                line1="1 Raffles Place",
                line2="#20-01 One Raffles Place Tower 2",
                city="Singapore",
                postal_code="048616",
                country="SG",
            ),
        ),
        invoice_period=Period(start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30)),
        payment_instructions=PaymentInstructions(
            means_code="30",
            remittance_information="SH-2025-000187",
            credit_transfers=[
                CreditTransfer(
                    account_id="310066726018010012345",
                    account_name="Shanghai Lianhe Digital Services Co., Ltd.",
                    service_provider="BKCHCNBJ300",
                )
            ],
        ),
        lines=[
            Line(
                id="1",
                quantity=Decimal("1"),
                unit="MON",
                period=Period(start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30)),
                price=Price(net_price=Decimal("12000.00")),
                item=Item(
                    name="Cloud data analytics platform, enterprise tier",
                    vat_category="G",
                    vat_rate=Decimal("0"),
                ),
            ),
            Line(
                id="2",
                quantity=Decimal("42.5"),
                unit="HUR",
                price=Price(net_price=Decimal("150.00")),
                item=Item(
                    name="Implementation consulting",
                    description="Data pipeline set-up for the Singapore warehouse",
                    vat_category="G",
                    vat_rate=Decimal("0"),
                ),
            ),
        ],
    )
    return complete(invoice, tax_currency_rate=Decimal("7.1520"))


def peppol_belgian_invoice() -> Invoice:
    """A Peppol BIS 3 invoice between two Belgian companies: 21 % and 6 % VAT, an allowance and
    a charge on document level, payment by credit transfer with a structured reference.

    The enterprise numbers (ICD 0208) carry valid mod-97 check digits (PEPPOL-COMMON-R043).
    """
    invoice = Invoice(
        number="BE-2025-0042",
        issue_date=dt.date(2025, 9, 15),
        currency="EUR",
        due_date=dt.date(2025, 10, 15),
        specification_id=PEPPOL_BIS3_SPECIFICATION,
        process_id=PEPPOL_BIS3_PROCESS,
        buyer_reference="ALN-PROC-2025-17",
        purchase_order_reference="PO-88213",
        payment_terms="30 days end of invoice",
        seller=Party(
            name="Brussels Trade Data BV",
            legal_registration=Identifier(value="0412345614", scheme="0208"),
            vat_id="BE0412345614",
            electronic_address=Identifier(value="0412345614", scheme="0208"),
            address=Address(
                line1="Rue de la Loi 42", city="Brussels", postal_code="1040", country="BE"
            ),
            contact=Contact(name="Billing desk", email="billing@btd.example.be"),
        ),
        buyer=Party(
            name="Antwerp Logistics NV",
            legal_registration=Identifier(value="0798765405", scheme="0208"),
            vat_id="BE0798765405",
            electronic_address=Identifier(value="0798765405", scheme="0208"),
            address=Address(
                line1="Noorderlaan 100", city="Antwerpen", postal_code="2030", country="BE"
            ),
        ),
        payment_instructions=PaymentInstructions(
            means_code="30",
            means_text="Credit transfer",
            remittance_information="+++041/2345/61414+++",
            credit_transfers=[
                CreditTransfer(account_id="BE71096123456769", service_provider="GKCCBEBB")
            ],
        ),
        allowances=[
            AllowanceCharge(
                base_amount=Decimal("800.00"),
                percentage=Decimal("5"),
                vat_category="S",
                vat_rate=Decimal("21"),
                reason="Volume discount",
                reason_code="95",
            )
        ],
        charges=[
            AllowanceCharge(
                amount=Decimal("25.00"),
                vat_category="S",
                vat_rate=Decimal("21"),
                reason="Freight service",
                reason_code="FC",
            )
        ],
        lines=[
            Line(
                id="1",
                quantity=Decimal("10"),
                unit="EA",
                price=Price(net_price=Decimal("80.00")),
                item=Item(
                    name="Customs data filing",
                    sellers_id="CDF-01",
                    vat_category="S",
                    vat_rate=Decimal("21"),
                ),
            ),
            Line(
                id="2",
                quantity=Decimal("3"),
                unit="EA",
                price=Price(net_price=Decimal("39.95")),
                item=Item(
                    name="Printed customs compliance handbook",
                    vat_category="S",
                    vat_rate=Decimal("6"),
                ),
            ),
        ],
    )
    return complete(invoice)


def german_credit_note() -> Invoice:
    """A credit note (381) for goods returned against an earlier invoice, refunded by SEPA."""
    invoice = Invoice(
        number="GS-2025-0007",
        issue_date=dt.date(2025, 5, 20),
        type_code="381",
        currency="EUR",
        due_date=dt.date(2025, 6, 3),
        buyer_reference="04011000-12345-34",
        notes=[Note(subject_code="AAI", text="Return of damaged goods, RMA 5531.")],
        preceding_invoices=[
            PrecedingInvoice(number="RE-2025-0815", issue_date=dt.date(2025, 5, 2))
        ],
        seller=Party(
            name="Rheinland Bürotechnik GmbH",
            vat_id="DE123456789",
            legal_registration=Identifier(value="HRB 12345"),
            address=Address(
                line1="Königsallee 1", city="Düsseldorf", postal_code="40212", country="DE"
            ),
            contact=Contact(name="Buchhaltung", email="buchhaltung@rbt.example.de"),
        ),
        buyer=Party(
            name="Kölner Kanzlei Partnerschaft mbB",
            vat_id="DE987654321",
            address=Address(line1="Domkloster 4", city="Köln", postal_code="50667", country="DE"),
        ),
        payment_instructions=PaymentInstructions(
            means_code="58",
            credit_transfers=[CreditTransfer(account_id="DE89370400440532013000")],
        ),
        lines=[
            Line(
                id="1",
                quantity=Decimal("2"),
                unit="C62",
                price=Price(net_price=Decimal("249.00")),
                item=Item(name="Laser printer LX-400", vat_category="S", vat_rate=Decimal("19")),
            )
        ],
    )
    return complete(invoice)


def french_intra_community_supply() -> Invoice:
    """Goods shipped from France to Germany (category K) using most of the model: line
    allowances and charges, price discount and base quantity, item identifiers and attributes,
    delivery, payee, attachments, references and a prepayment.
    """
    csv_base64 = "bGluZSxxdWFudGl0eQoxLDEwMAoyLDQK"
    invoice = Invoice(
        number="FR-2025-3120",
        issue_date=dt.date(2025, 8, 29),
        currency="EUR",
        tax_point_date_code="3",
        due_date=dt.date(2025, 9, 28),
        buyer_reference="LEIT-4411",
        project_reference="PRJ-MAINZ-07",
        contract_reference="CT-2025-11",
        purchase_order_reference="4500098765",
        sales_order_reference="SO-77120",
        receiving_advice_reference="WE-2025-0909",
        despatch_advice_reference="BL-2025-3120",
        tender_reference="LOT-3",
        invoiced_object=Identifier(value="MZ-HALLE-2", scheme="AUN"),
        buyer_accounting_reference="4711-6000",
        seller=Party(
            name="Ateliers Lyonnais de Mécanique SAS",
            trading_name="ALM",
            identifiers=[Identifier(value="3012345000016", scheme="0088")],
            legal_registration=Identifier(value="552100554", scheme="0002"),
            vat_id="FR40552100554",
            additional_legal_info="SAS au capital de 200 000 EUR",
            electronic_address=Identifier(value="3012345000016", scheme="0088"),
            address=Address(
                line1="12 rue de la République",
                line3="Bâtiment B",
                city="Lyon",
                postal_code="69002",
                country="FR",
            ),
            contact=Contact(name="Service clients", telephone="+33 4 72 00 00 00"),
        ),
        buyer=Party(
            name="Mainzer Maschinenbau AG",
            identifiers=[Identifier(value="MMB-001")],
            vat_id="DE811234567",
            electronic_address=Identifier(value="4000001000005", scheme="0088"),
            address=Address(line1="Rheinallee 8", city="Mainz", postal_code="55118", country="DE"),
        ),
        payee=Payee(
            name="Factor Finance SA",
            identifier=Identifier(value="3098765000019", scheme="0088"),
            legal_registration=Identifier(value="775670417", scheme="0002"),
        ),
        delivery=Delivery(
            party_name="Mainzer Maschinenbau AG, Werk 2",
            location=Identifier(value="4000001000012", scheme="0088"),
            actual_date=dt.date(2025, 8, 27),
            address=Address(
                line1="Industriestraße 20", city="Mainz", postal_code="55120", country="DE"
            ),
        ),
        invoice_period=Period(start=dt.date(2025, 8, 1), end=dt.date(2025, 8, 31)),
        payment_instructions=PaymentInstructions(
            means_code="58",
            remittance_information="FR-2025-3120",
            credit_transfers=[
                CreditTransfer(
                    account_id="FR7630006000011234567890189",
                    account_name="Factor Finance SA",
                    service_provider="AGRIFRPP",
                )
            ],
        ),
        supporting_documents=[
            SupportingDocument(
                reference="BL-2025-3120",
                description="Delivery note",
                attachment=Attachment(
                    content_base64=csv_base64, mime_code="text/csv", filename="delivery.csv"
                ),
            ),
            SupportingDocument(
                reference="CERT-EN10204",
                description="Material certificate 3.1",
                external_uri="https://alm.example.fr/certificates/3120.pdf",
            ),
        ],
        lines=[
            Line(
                id="10",
                note="Batch 2025-34",
                object_id=Identifier(value="SN-88412", scheme="AUN"),
                quantity=Decimal("100"),
                unit="C62",
                order_line_reference="10",
                accounting_reference="6000-MACH",
                period=Period(start=dt.date(2025, 8, 1), end=dt.date(2025, 8, 27)),
                allowances=[
                    LineAllowanceCharge(
                        base_amount=Decimal("95.00"),
                        percentage=Decimal("5"),
                        reason="Loyalty discount",
                        reason_code="95",
                    )
                ],
                charges=[
                    LineAllowanceCharge(amount=Decimal("2.00"), reason="Packing", reason_code="ABL")
                ],
                price=Price(
                    net_price=Decimal("9.50"),
                    discount=Decimal("0.50"),
                    gross_price=Decimal("10.00"),
                    base_quantity=Decimal("10"),
                    base_quantity_unit="C62",
                ),
                item=Item(
                    name="Hex bolt M12x80, zinc plated",
                    description="DIN 931 / ISO 4014, property class 8.8",
                    sellers_id="ALM-M12-80",
                    buyers_id="MMB-55012",
                    standard_id=Identifier(value="03012345000123", scheme="0160"),
                    classifications=[
                        Classification(code="73181562", list_id="HS", list_version="2022")
                    ],
                    origin_country="FR",
                    attributes=[ItemAttribute(name="Coating", value="Zinc, 8 µm")],
                    vat_category="K",
                    vat_rate=Decimal("0"),
                ),
            ),
            Line(
                id="20",
                quantity=Decimal("4"),
                unit="H87",
                price=Price(net_price=Decimal("212.40")),
                item=Item(name="Flange coupling FC-120", vat_category="K", vat_rate=Decimal("0")),
            ),
        ],
    )
    return complete(invoice, prepaid=Decimal("200.00"))


ISSUED: dict[str, Callable[[], Invoice]] = {
    "shanghai-services-export": shanghai_services_export,
    "peppol-belgian-invoice": peppol_belgian_invoice,
    "german-credit-note": german_credit_note,
    "french-intra-community-supply": french_intra_community_supply,
}


@pytest.mark.parametrize("name", ISSUED)
@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_issued_invoice_is_valid_and_reads_back(
    checker: Checker, name: str, syntax: SyntaxName
) -> None:
    invoice = ISSUED[name]()
    written = write_invoice(invoice, syntax)
    peppol = invoice.claims_peppol and syntax == "ubl"
    assert checker.problems(written, "peppol" if peppol else "en16931") == []
    assert read_invoice(etree.fromstring(written)) == comparable(invoice, syntax)


def test_credit_note_is_a_ubl_credit_note_and_a_cii_381() -> None:
    credit_note = german_credit_note()
    ubl = etree.fromstring(write_invoice(credit_note, "ubl"))
    cii = etree.fromstring(write_invoice(credit_note, "cii"))
    assert etree.QName(ubl).localname == "CreditNote"
    assert ubl.findtext("{*}CreditNoteTypeCode") == "381"
    assert cii.findtext("{*}ExchangedDocument/{*}TypeCode") == "381"
    # A credit note carries its due date in the payment means (no cbc:DueDate in UBL 2.1).
    assert ubl.findtext("{*}PaymentMeans/{*}PaymentDueDate") == "2025-06-03"


def test_accounting_currency_total_is_written_in_both_syntaxes() -> None:
    invoice = shanghai_services_export()
    assert invoice.totals is not None
    ubl = etree.fromstring(write_invoice(invoice, "ubl"))
    cii = etree.fromstring(write_invoice(invoice, "cii"))
    assert [each.get("currencyID") for each in ubl.iterfind("{*}TaxTotal/{*}TaxAmount")] == [
        "USD",
        "CNY",
    ]
    assert [each.get("currencyID") for each in cii.iter("{*}TaxTotalAmount")] == ["USD", "CNY"]


def test_peppol_invoice_without_endpoint_is_refused() -> None:
    invoice = peppol_belgian_invoice()
    buyer = invoice.buyer.model_copy(update={"electronic_address": None})
    with pytest.raises(BindingError, match="BT-49"):
        write_invoice(invoice.model_copy(update={"buyer": buyer}), "ubl")


def test_peppol_invoice_without_process_is_refused() -> None:
    invoice = peppol_belgian_invoice().model_copy(update={"process_id": None})
    with pytest.raises(BindingError, match="BT-23"):
        write_invoice(invoice, "ubl")
