"""EN 16931-3-2: the UBL 2.1 syntax binding (Invoice and CreditNote), with the Peppol BIS 3 rules.

``read_ubl`` maps every business term of the binding into the model; ``write_ubl`` writes the
model back in the element order of the UBL 2.1 XSD, a CreditNote when the type code (BT-3) is a
credit note code.

What UBL cannot carry as the model holds it, and what the writer does instead:

- BT-9 in a CreditNote: UBL 2.1 CreditNote has no cbc:DueDate; the due date goes into the first
  cac:PaymentMeans/cbc:PaymentDueDate, so a credit note without payment instructions (BG-16)
  cannot carry it and it is left out.
- BT-147 without BT-148 is fine, but cac:Price/cac:AllowanceCharge needs an amount: a gross price
  (BT-148) without a discount is written with BT-147 = BT-148 - BT-146.
- BT-110: cac:TaxTotal/cbc:TaxAmount is mandatory; with a VAT breakdown but no BT-110 the sum of
  BT-117 is written (BR-CO-14).
- BG-18: cac:CardAccount/cbc:NetworkID is mandatory in UBL and has no EN 16931 term; it is written
  as ``NA``.
Syntax conventions (read back to the same model):
- BT-21 is the ``#CODE#`` prefix of cbc:Note (BR-CL-08).
- BT-11 in a CreditNote is an cac:AdditionalDocumentReference with cbc:DocumentTypeCode 50.
- BT-90 is the cac:PartyIdentification/cbc:ID with schemeID SEPA of the payee, or of the seller
  when there is no payee.
- BT-13 absent with BT-14 present: cac:OrderReference/cbc:ID carries ``NA`` (Peppol), which
  reads back as absent.
- BG-16 with several credit accounts (BG-17) is one cac:PaymentMeans per account, each repeating
  BT-81 and BT-83; BT-82 is written once (UBL-SR-46).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from lxml import etree

from digitrade.systems.einvoice.bindings.common import (
    BindingError,
    Node,
    build,
    decimal_text,
    first_present,
    iso_date,
    located,
    missing,
    none_if_empty,
    parse_iso_date,
    read_attachment,
    read_classification,
    serialise,
)
from digitrade.systems.einvoice.en16931.model import (
    Address,
    AllowanceCharge,
    Contact,
    CreditTransfer,
    Delivery,
    DirectDebit,
    Identifier,
    Invoice,
    Item,
    ItemAttribute,
    Line,
    LineAllowanceCharge,
    Note,
    Party,
    Payee,
    PaymentCard,
    PaymentInstructions,
    Period,
    PrecedingInvoice,
    Price,
    SupportingDocument,
    TaxRepresentative,
    Totals,
    VatBreakdown,
)

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NAMESPACES = {"cac": CAC, "cbc": CBC}
_CHILD_NSMAP: dict[str | None, str] = {"cac": CAC, "cbc": CBC}

INVOICED_OBJECT_TYPE = "130"
CREDIT_NOTE_PROJECT_TYPE = "50"
SEPA_SCHEME = "SEPA"
NO_PURCHASE_ORDER = "NA"
UNKNOWN_CARD_NETWORK = "NA"
_NOTE_SUBJECT = re.compile(r"#([A-Za-z0-9]{3})#(.*)", re.DOTALL)

# Reading ------------------------------------------------------------------------------------


def document_kind(root: Any) -> str:
    """``Invoice`` or ``CreditNote``; anything else is not a UBL 2.1 invoice document."""
    name = etree.QName(root)
    if (name.namespace, name.localname) == (INVOICE_NS, "Invoice"):
        return "Invoice"
    if (name.namespace, name.localname) == (CREDIT_NOTE_NS, "CreditNote"):
        return "CreditNote"
    raise BindingError(f"not a UBL 2.1 Invoice or CreditNote: {name.text}")


def read_ubl(root: Any) -> Invoice:
    """The invoice a UBL 2.1 Invoice or CreditNote document carries (root of a parsed tree)."""
    kind = document_kind(root)
    doc = Node(root, f"/{kind}", NAMESPACES)
    currency = doc.required_code("cbc:DocumentCurrencyCode", "BT-5")
    tax_currency = doc.code("cbc:TaxCurrencyCode")
    has_payment_means = doc.first("cac:PaymentMeans") is not None
    vat_total, accounting_total = _tax_totals(doc, currency, tax_currency)
    with located(doc.path):
        return Invoice(
            number=doc.required_text("cbc:ID", "BT-1"),
            issue_date=_required_date(doc, "cbc:IssueDate", "BT-2"),
            type_code=doc.required_code(f"cbc:{kind}TypeCode", "BT-3"),
            currency=currency,
            tax_currency=tax_currency,
            tax_point_date=_date(doc, "cbc:TaxPointDate", "BT-7"),
            tax_point_date_code=doc.code("cac:InvoicePeriod/cbc:DescriptionCode"),
            due_date=_date(doc, "cbc:DueDate", "BT-9")
            or _date(doc, "cac:PaymentMeans/cbc:PaymentDueDate", "BT-9"),
            buyer_reference=doc.text("cbc:BuyerReference"),
            project_reference=_project_reference(doc, kind),
            contract_reference=doc.text("cac:ContractDocumentReference/cbc:ID"),
            purchase_order_reference=_purchase_order_reference(doc),
            sales_order_reference=doc.text("cac:OrderReference/cbc:SalesOrderID"),
            receiving_advice_reference=doc.text("cac:ReceiptDocumentReference/cbc:ID"),
            despatch_advice_reference=doc.text("cac:DespatchDocumentReference/cbc:ID"),
            tender_reference=doc.text("cac:OriginatorDocumentReference/cbc:ID"),
            invoiced_object=first_present(
                reference.identifier("cbc:ID")
                for reference in _document_references(doc, {INVOICED_OBJECT_TYPE})
            ),
            buyer_accounting_reference=doc.text("cbc:AccountingCost"),
            payment_terms=doc.text("cac:PaymentTerms/cbc:Note"),
            notes=[_note(node) for node in doc.all("cbc:Note")],
            process_id=doc.text("cbc:ProfileID"),
            specification_id=doc.required_text("cbc:CustomizationID", "BT-24"),
            preceding_invoices=[
                _preceding_invoice(node)
                for node in doc.all("cac:BillingReference/cac:InvoiceDocumentReference")
            ],
            seller=_party(
                doc,
                "cac:AccountingSupplierParty/cac:Party",
                ("BG-4", "BT-27", "BG-5", "BT-40"),
                keep_sepa=not has_payment_means,
            ),
            buyer=_party(
                doc,
                "cac:AccountingCustomerParty/cac:Party",
                ("BG-7", "BT-44", "BG-8", "BT-55"),
                keep_sepa=True,
            ),
            payee=_payee(doc.first("cac:PayeeParty"), keep_sepa=not has_payment_means),
            tax_representative=_tax_representative(doc.first("cac:TaxRepresentativeParty")),
            delivery=_delivery(doc.first("cac:Delivery")),
            invoice_period=_period(doc.first("cac:InvoicePeriod"), ("BT-73", "BT-74")),
            payment_instructions=_payment_instructions(doc),
            allowances=[
                _allowance_charge(node, ("BT-92", "BT-93", "BT-94", "BT-95", "BT-96"))
                for node in doc.all("cac:AllowanceCharge")
                if not _is_charge(node)
            ],
            charges=[
                _allowance_charge(node, ("BT-99", "BT-100", "BT-101", "BT-102", "BT-103"))
                for node in doc.all("cac:AllowanceCharge")
                if _is_charge(node)
            ],
            totals=_totals(doc, vat_total, accounting_total),
            vat_breakdown=[
                _vat_breakdown(node)
                for node in (vat_total.all("cac:TaxSubtotal") if vat_total else [])
            ],
            supporting_documents=[
                _supporting_document(node)
                for node in _document_references(doc, None)
                if node.code("cbc:DocumentTypeCode") not in _special_reference_types(kind)
            ],
            lines=[_line(node, kind) for node in doc.all(f"cac:{kind}Line")],
        )


def _required_date(node: Node, path: str, term: str) -> dt.date:
    return parse_iso_date(node.required_code(path, term), term, node.where(path))


def _date(node: Node, path: str, term: str) -> dt.date | None:
    value = node.code(path)
    return None if value is None else parse_iso_date(value, term, node.where(path))


def _special_reference_types(kind: str) -> set[str | None]:
    if kind == "CreditNote":
        return {INVOICED_OBJECT_TYPE, CREDIT_NOTE_PROJECT_TYPE}
    return {INVOICED_OBJECT_TYPE}


def _document_references(doc: Node, type_codes: set[str] | None) -> list[Node]:
    """The cac:AdditionalDocumentReference elements, or those with one of ``type_codes``."""
    references = doc.all("cac:AdditionalDocumentReference")
    if type_codes is None:
        return references
    return [node for node in references if node.code("cbc:DocumentTypeCode") in type_codes]


def _project_reference(doc: Node, kind: str) -> str | None:
    if kind == "CreditNote":
        return first_present(
            node.text("cbc:ID") for node in _document_references(doc, {CREDIT_NOTE_PROJECT_TYPE})
        )
    return doc.text("cac:ProjectReference/cbc:ID")


def _purchase_order_reference(doc: Node) -> str | None:
    order = doc.text("cac:OrderReference/cbc:ID")
    placeholder = order is not None and order.strip() == NO_PURCHASE_ORDER
    if placeholder and doc.text("cac:OrderReference/cbc:SalesOrderID") is not None:
        return None
    return order


def _note(node: Node) -> Note:
    text = node.required_text(".", "BT-22")
    subject = _NOTE_SUBJECT.fullmatch(text)
    with located(node.path):
        if subject and subject.group(2).strip():
            return Note(subject_code=subject.group(1), text=subject.group(2))
        return Note(text=text)


def _preceding_invoice(node: Node) -> PrecedingInvoice:
    with located(node.path):
        return PrecedingInvoice(
            number=node.required_text("cbc:ID", "BT-25"),
            issue_date=_date(node, "cbc:IssueDate", "BT-26"),
        )


def _is_sepa(node: Node) -> bool:
    return (node.attribute(".", "schemeID") or "").upper() == SEPA_SCHEME


def _party_identifiers(party: Node, *, keep_sepa: bool) -> list[Identifier]:
    found = [
        node.identifier(".")
        for node in party.all("cac:PartyIdentification/cbc:ID")
        if keep_sepa or not _is_sepa(node)
    ]
    return [identifier for identifier in found if identifier is not None]


def _party_tax_id(party: Node, *, vat: bool) -> str | None:
    for scheme in party.all("cac:PartyTaxScheme"):
        is_vat = (scheme.code("cac:TaxScheme/cbc:ID") or "").upper() == "VAT"
        if is_vat == vat and scheme.text("cbc:CompanyID") is not None:
            return scheme.text("cbc:CompanyID")
    return None


def _party(doc: Node, path: str, terms: tuple[str, str, str, str], *, keep_sepa: bool) -> Party:
    group, name_term, address_group, country_term = terms
    party = doc.first(path)
    if party is None:
        raise missing(group, doc.where(path))
    address = party.first("cac:PostalAddress")
    if address is None:
        raise missing(address_group, party.where("cac:PostalAddress"))
    with located(party.path):
        return Party(
            name=party.required_text("cac:PartyLegalEntity/cbc:RegistrationName", name_term),
            trading_name=party.text("cac:PartyName/cbc:Name"),
            identifiers=_party_identifiers(party, keep_sepa=keep_sepa),
            legal_registration=party.identifier("cac:PartyLegalEntity/cbc:CompanyID"),
            vat_id=_party_tax_id(party, vat=True),
            tax_registration_id=_party_tax_id(party, vat=False),
            additional_legal_info=party.text("cac:PartyLegalEntity/cbc:CompanyLegalForm"),
            electronic_address=party.identifier("cbc:EndpointID"),
            address=_address(address, country_term),
            contact=_contact(party.first("cac:Contact")),
        )


def _address(node: Node, country_term: str) -> Address:
    with located(node.path):
        return Address(
            line1=node.text("cbc:StreetName"),
            line2=node.text("cbc:AdditionalStreetName"),
            line3=node.text("cac:AddressLine/cbc:Line"),
            city=node.text("cbc:CityName"),
            postal_code=node.text("cbc:PostalZone"),
            subdivision=node.text("cbc:CountrySubentity"),
            country=node.required_code("cac:Country/cbc:IdentificationCode", country_term),
        )


def _contact(node: Node | None) -> Contact | None:
    if node is None:
        return None
    contact = Contact(
        name=node.text("cbc:Name"),
        telephone=node.text("cbc:Telephone"),
        email=node.text("cbc:ElectronicMail"),
    )
    return none_if_empty(contact)


def _payee(node: Node | None, *, keep_sepa: bool) -> Payee | None:
    if node is None:
        return None
    with located(node.path):
        return Payee(
            name=node.required_text("cac:PartyName/cbc:Name", "BT-59"),
            identifier=first_present(_party_identifiers(node, keep_sepa=keep_sepa)),
            legal_registration=node.identifier("cac:PartyLegalEntity/cbc:CompanyID"),
        )


def _tax_representative(node: Node | None) -> TaxRepresentative | None:
    if node is None:
        return None
    address = node.first("cac:PostalAddress")
    if address is None:
        raise missing("BG-12", node.where("cac:PostalAddress"))
    vat_id = _party_tax_id(node, vat=True) or node.text("cac:PartyTaxScheme/cbc:CompanyID")
    if vat_id is None:
        raise missing("BT-63", node.where("cac:PartyTaxScheme/cbc:CompanyID"))
    with located(node.path):
        return TaxRepresentative(
            name=node.required_text("cac:PartyName/cbc:Name", "BT-62"),
            vat_id=vat_id,
            address=_address(address, "BT-69"),
        )


def _delivery(node: Node | None) -> Delivery | None:
    if node is None:
        return None
    address = node.first("cac:DeliveryLocation/cac:Address")
    with located(node.path):
        delivery = Delivery(
            party_name=node.text("cac:DeliveryParty/cac:PartyName/cbc:Name"),
            location=node.identifier("cac:DeliveryLocation/cbc:ID"),
            actual_date=_date(node, "cbc:ActualDeliveryDate", "BT-72"),
            address=_address(address, "BT-80") if address is not None else None,
        )
    return none_if_empty(delivery)


def _period(node: Node | None, terms: tuple[str, str]) -> Period | None:
    if node is None:
        return None
    period = Period(
        start=_date(node, "cbc:StartDate", terms[0]),
        end=_date(node, "cbc:EndDate", terms[1]),
    )
    return none_if_empty(period)


def _payment_instructions(doc: Node) -> PaymentInstructions | None:
    means = doc.all("cac:PaymentMeans")
    if not means:
        return None
    first = means[0]
    with located(first.path):
        return PaymentInstructions(
            means_code=first.required_code("cbc:PaymentMeansCode", "BT-81"),
            means_text=first_present(
                node.attribute("cbc:PaymentMeansCode", "name") for node in means
            ),
            remittance_information=first_present(node.text("cbc:PaymentID") for node in means),
            credit_transfers=[
                _credit_transfer(account)
                for node in means
                if (account := node.first("cac:PayeeFinancialAccount")) is not None
            ],
            card=first_present(
                _card(card) for node in means if (card := node.first("cac:CardAccount")) is not None
            ),
            direct_debit=_direct_debit(doc, means),
        )


def _credit_transfer(node: Node) -> CreditTransfer:
    with located(node.path):
        return CreditTransfer(
            account_id=node.required_text("cbc:ID", "BT-84"),
            account_name=node.text("cbc:Name"),
            service_provider=node.text("cac:FinancialInstitutionBranch/cbc:ID"),
        )


def _card(node: Node) -> PaymentCard:
    with located(node.path):
        return PaymentCard(
            primary_account_number=node.required_text("cbc:PrimaryAccountNumberID", "BT-87"),
            holder_name=node.text("cbc:HolderName"),
        )


def _creditor_id(doc: Node) -> str | None:
    candidates = doc.all("cac:PayeeParty/cac:PartyIdentification/cbc:ID") + doc.all(
        "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID"
    )
    return first_present(node.text() for node in candidates if _is_sepa(node))


def _direct_debit(doc: Node, means: list[Node]) -> DirectDebit | None:
    mandate = first_present(node.first("cac:PaymentMandate") for node in means)
    direct_debit = DirectDebit(
        mandate_reference=mandate.text("cbc:ID") if mandate else None,
        creditor_id=_creditor_id(doc),
        debited_account=mandate.text("cac:PayerFinancialAccount/cbc:ID") if mandate else None,
    )
    return none_if_empty(direct_debit)


def _is_charge(node: Node) -> bool:
    value = node.required_code("cbc:ChargeIndicator", "ChargeIndicator")
    if value not in {"true", "false", "1", "0"}:
        raise BindingError(f"{node.where('cbc:ChargeIndicator')}: {value!r} is not a boolean")
    return value in {"true", "1"}


def _allowance_charge(node: Node, terms: tuple[str, str, str, str, str]) -> AllowanceCharge:
    amount, base, percentage, category, rate = terms
    with located(node.path):
        return AllowanceCharge(
            amount=node.decimal("cbc:Amount", amount),
            base_amount=node.decimal("cbc:BaseAmount", base),
            percentage=node.decimal("cbc:MultiplierFactorNumeric", percentage),
            vat_category=node.required_code("cac:TaxCategory/cbc:ID", category),
            vat_rate=node.decimal("cac:TaxCategory/cbc:Percent", rate),
            reason=node.text("cbc:AllowanceChargeReason"),
            reason_code=node.code("cbc:AllowanceChargeReasonCode"),
        )


def _tax_totals(
    doc: Node, currency: str, tax_currency: str | None
) -> tuple[Node | None, Node | None]:
    """The cac:TaxTotal in the invoice currency (BT-110, BG-23) and the one in BT-6 (BT-111)."""
    totals = doc.all("cac:TaxTotal")

    def currency_of(node: Node) -> str | None:
        return node.attribute("cbc:TaxAmount", "currencyID")

    main = first_present(node for node in totals if node.first("cac:TaxSubtotal") is not None)
    main = main or first_present(node for node in totals if currency_of(node) in {None, currency})
    accounting = first_present(
        node
        for node in totals
        if tax_currency
        and currency_of(node) == tax_currency
        and (main is None or node.element is not main.element)
    )
    return main, accounting


def _totals(doc: Node, vat_total: Node | None, accounting_total: Node | None) -> Totals:
    node = doc.first("cac:LegalMonetaryTotal")
    if node is None:
        raise missing("BG-22", doc.where("cac:LegalMonetaryTotal"))
    with located(node.path):
        return Totals(
            line_total=node.required_decimal("cbc:LineExtensionAmount", "BT-106"),
            allowance_total=node.decimal("cbc:AllowanceTotalAmount", "BT-107"),
            charge_total=node.decimal("cbc:ChargeTotalAmount", "BT-108"),
            tax_exclusive=node.required_decimal("cbc:TaxExclusiveAmount", "BT-109"),
            vat_total=vat_total.decimal("cbc:TaxAmount", "BT-110") if vat_total else None,
            vat_total_tax_currency=(
                accounting_total.decimal("cbc:TaxAmount", "BT-111") if accounting_total else None
            ),
            tax_inclusive=node.required_decimal("cbc:TaxInclusiveAmount", "BT-112"),
            prepaid=node.decimal("cbc:PrepaidAmount", "BT-113"),
            rounding=node.decimal("cbc:PayableRoundingAmount", "BT-114"),
            payable=node.required_decimal("cbc:PayableAmount", "BT-115"),
        )


def _vat_breakdown(node: Node) -> VatBreakdown:
    with located(node.path):
        return VatBreakdown(
            taxable_amount=node.required_decimal("cbc:TaxableAmount", "BT-116"),
            tax_amount=node.required_decimal("cbc:TaxAmount", "BT-117"),
            category=node.required_code("cac:TaxCategory/cbc:ID", "BT-118"),
            rate=node.decimal("cac:TaxCategory/cbc:Percent", "BT-119"),
            exemption_reason=node.text("cac:TaxCategory/cbc:TaxExemptionReason"),
            exemption_reason_code=node.code("cac:TaxCategory/cbc:TaxExemptionReasonCode"),
        )


def _supporting_document(node: Node) -> SupportingDocument:
    embedded = node.first("cac:Attachment/cbc:EmbeddedDocumentBinaryObject")
    with located(node.path):
        return SupportingDocument(
            reference=node.required_text("cbc:ID", "BT-122"),
            description=node.text("cbc:DocumentDescription"),
            external_uri=node.text("cac:Attachment/cac:ExternalReference/cbc:URI"),
            attachment=read_attachment(embedded) if embedded is not None else None,
        )


def _line(node: Node, kind: str) -> Line:
    quantity = "cbc:InvoicedQuantity" if kind == "Invoice" else "cbc:CreditedQuantity"
    unit = node.attribute(quantity, "unitCode")
    if unit is None:
        raise missing("BT-130", f"{node.where(quantity)}/@unitCode")
    item = node.first("cac:Item")
    if item is None:
        raise missing("BG-31", node.where("cac:Item"))
    price = node.first("cac:Price")
    if price is None:
        raise missing("BG-29", node.where("cac:Price"))
    allowances_and_charges = node.all("cac:AllowanceCharge")
    with located(node.path):
        return Line(
            id=node.required_text("cbc:ID", "BT-126"),
            note=node.text("cbc:Note"),
            object_id=first_present(
                reference.identifier("cbc:ID")
                for reference in node.all("cac:DocumentReference")
                if reference.code("cbc:DocumentTypeCode") in {None, INVOICED_OBJECT_TYPE}
            ),
            quantity=node.required_decimal(quantity, "BT-129"),
            unit=unit,
            net_amount=node.decimal("cbc:LineExtensionAmount", "BT-131"),
            order_line_reference=node.text("cac:OrderLineReference/cbc:LineID"),
            accounting_reference=node.text("cbc:AccountingCost"),
            period=_period(node.first("cac:InvoicePeriod"), ("BT-134", "BT-135")),
            allowances=[
                _line_allowance_charge(each, ("BT-136", "BT-137", "BT-138"))
                for each in allowances_and_charges
                if not _is_charge(each)
            ],
            charges=[
                _line_allowance_charge(each, ("BT-141", "BT-142", "BT-143"))
                for each in allowances_and_charges
                if _is_charge(each)
            ],
            price=_price(price),
            item=_item(item),
        )


def _line_allowance_charge(node: Node, terms: tuple[str, str, str]) -> LineAllowanceCharge:
    amount, base, percentage = terms
    with located(node.path):
        return LineAllowanceCharge(
            amount=node.decimal("cbc:Amount", amount),
            base_amount=node.decimal("cbc:BaseAmount", base),
            percentage=node.decimal("cbc:MultiplierFactorNumeric", percentage),
            reason=node.text("cbc:AllowanceChargeReason"),
            reason_code=node.code("cbc:AllowanceChargeReasonCode"),
        )


def _price(node: Node) -> Price:
    discount = first_present(
        each for each in node.all("cac:AllowanceCharge") if not _is_charge(each)
    )
    with located(node.path):
        return Price(
            net_price=node.required_decimal("cbc:PriceAmount", "BT-146"),
            discount=discount.decimal("cbc:Amount", "BT-147") if discount else None,
            gross_price=discount.decimal("cbc:BaseAmount", "BT-148") if discount else None,
            base_quantity=node.decimal("cbc:BaseQuantity", "BT-149"),
            base_quantity_unit=node.attribute("cbc:BaseQuantity", "unitCode"),
        )


def _item(node: Node) -> Item:
    with located(node.path):
        return Item(
            name=node.required_text("cbc:Name", "BT-153"),
            description=node.text("cbc:Description"),
            sellers_id=node.text("cac:SellersItemIdentification/cbc:ID"),
            buyers_id=node.text("cac:BuyersItemIdentification/cbc:ID"),
            standard_id=node.identifier("cac:StandardItemIdentification/cbc:ID"),
            classifications=[
                read_classification(each)
                for each in node.all("cac:CommodityClassification/cbc:ItemClassificationCode")
            ],
            origin_country=node.code("cac:OriginCountry/cbc:IdentificationCode"),
            attributes=[_item_attribute(each) for each in node.all("cac:AdditionalItemProperty")],
            vat_category=node.required_code("cac:ClassifiedTaxCategory/cbc:ID", "BT-151"),
            vat_rate=node.decimal("cac:ClassifiedTaxCategory/cbc:Percent", "BT-152"),
        )


def _item_attribute(node: Node) -> ItemAttribute:
    with located(node.path):
        return ItemAttribute(
            name=node.required_text("cbc:Name", "BT-160"),
            value=node.required_text("cbc:Value", "BT-161"),
        )


# Writing ------------------------------------------------------------------------------------


def _cbc(local_name: str, value: str | None, /, **attributes: str | None) -> Any:
    return build(f"{{{CBC}}}{local_name}", _CHILD_NSMAP, text=value, attributes=attributes)


def _cac(name: str, *children: Any) -> Any:
    return build(f"{{{CAC}}}{name}", _CHILD_NSMAP, children)


def _amount(name: str, value: Decimal | None, currency: str | None) -> Any:
    return _cbc(name, decimal_text(value), currencyID=currency)


def _identifier(name: str, identifier: Identifier | None) -> Any:
    if identifier is None:
        return None
    return _cbc(name, identifier.value, schemeID=identifier.scheme)


def write_ubl(invoice: Invoice) -> bytes:
    """The invoice as a UBL 2.1 Invoice, or CreditNote for a credit note type code (BT-3)."""
    _check_writable(invoice)
    credit_note = invoice.is_credit_note
    kind = "CreditNote" if credit_note else "Invoice"
    nsmap: dict[str | None, str] = {
        None: CREDIT_NOTE_NS if credit_note else INVOICE_NS,
        "cac": CAC,
        "cbc": CBC,
    }
    root = etree.Element(f"{{{nsmap[None]}}}{kind}", nsmap=nsmap)
    children = [
        *_header(invoice, credit_note),
        *_references(invoice, credit_note),
        *_parties(invoice),
        *_payment_means(invoice, credit_note),
        _cac("PaymentTerms", _cbc("Note", invoice.payment_terms)),
        *[_allowance_charge_element(each, False, invoice.currency) for each in invoice.allowances],
        *[_allowance_charge_element(each, True, invoice.currency) for each in invoice.charges],
        *_tax_total_elements(invoice),
        _monetary_total(invoice),
        *[_line_element(line, credit_note, invoice.currency) for line in invoice.lines],
    ]
    root.extend(child for child in children if child is not None)
    return serialise(root, nsmap)


def _check_writable(invoice: Invoice) -> None:
    if invoice.totals is None:
        raise BindingError("BG-22 Document totals are missing: complete the invoice first")
    for line in invoice.lines:
        if line.net_amount is None:
            raise BindingError(f"BT-131 of line {line.id} is missing: complete the invoice first")
    if invoice.claims_peppol:
        _check_peppol(invoice)


def _check_peppol(invoice: Invoice) -> None:
    """Peppol BIS 3 terms a writer cannot make up (PEPPOL-EN16931-R001, R003, R010, R020)."""
    if not invoice.process_id:
        raise BindingError("Peppol BIS 3 needs BT-23 Business process type (cbc:ProfileID)")
    for party, term in ((invoice.seller, "BT-34"), (invoice.buyer, "BT-49")):
        address = party.electronic_address
        if address is None or not address.scheme:
            raise BindingError(
                f"Peppol BIS 3 needs {term} Electronic address with its scheme "
                "(cac:Party/cbc:EndpointID/@schemeID)"
            )
    if not (invoice.buyer_reference or invoice.purchase_order_reference):
        raise BindingError("Peppol BIS 3 needs BT-10 Buyer reference or BT-13 Purchase order")


def _header(invoice: Invoice, credit_note: bool) -> list[Any]:
    tax_point = _cbc("TaxPointDate", iso_date(invoice.tax_point_date))
    children = [
        _cbc("CustomizationID", invoice.specification_id),
        _cbc("ProfileID", invoice.process_id),
        _cbc("ID", invoice.number),
        _cbc("IssueDate", iso_date(invoice.issue_date)),
    ]
    if credit_note:
        children += [tax_point, _cbc("CreditNoteTypeCode", invoice.type_code)]
    else:
        children += [
            _cbc("DueDate", iso_date(invoice.due_date)),
            _cbc("InvoiceTypeCode", invoice.type_code),
        ]
    children += [_note_element(note) for note in invoice.notes]
    if not credit_note:
        children.append(tax_point)
    period = invoice.invoice_period or Period()
    return [
        *children,
        _cbc("DocumentCurrencyCode", invoice.currency),
        _cbc("TaxCurrencyCode", invoice.tax_currency),
        _cbc("AccountingCost", invoice.buyer_accounting_reference),
        _cbc("BuyerReference", invoice.buyer_reference),
        _cac(
            "InvoicePeriod",
            _cbc("StartDate", iso_date(period.start)),
            _cbc("EndDate", iso_date(period.end)),
            _cbc("DescriptionCode", invoice.tax_point_date_code),
        ),
    ]


def _note_element(note: Note) -> Any:
    text = f"#{note.subject_code}#{note.text}" if note.subject_code else note.text
    return _cbc("Note", text)


def _references(invoice: Invoice, credit_note: bool) -> list[Any]:
    order = invoice.purchase_order_reference
    if order is None and invoice.sales_order_reference is not None:
        order = NO_PURCHASE_ORDER
    before = [
        _cac(
            "OrderReference",
            _cbc("ID", order),
            _cbc("SalesOrderID", invoice.sales_order_reference),
        ),
        *[
            _cac(
                "BillingReference",
                _cac(
                    "InvoiceDocumentReference",
                    _cbc("ID", preceding.number),
                    _cbc("IssueDate", iso_date(preceding.issue_date)),
                ),
            )
            for preceding in invoice.preceding_invoices
        ],
        _cac("DespatchDocumentReference", _cbc("ID", invoice.despatch_advice_reference)),
        _cac("ReceiptDocumentReference", _cbc("ID", invoice.receiving_advice_reference)),
    ]
    originator = _cac("OriginatorDocumentReference", _cbc("ID", invoice.tender_reference))
    contract = _cac("ContractDocumentReference", _cbc("ID", invoice.contract_reference))
    additional = [
        _typed_reference(invoice.invoiced_object, INVOICED_OBJECT_TYPE),
        *[_supporting_document_element(document) for document in invoice.supporting_documents],
    ]
    if credit_note:
        project = Identifier(value=invoice.project_reference) if invoice.project_reference else None
        additional.insert(1, _typed_reference(project, CREDIT_NOTE_PROJECT_TYPE))
        return [*before, contract, *additional, originator]
    project_element = _cac("ProjectReference", _cbc("ID", invoice.project_reference))
    return [*before, originator, contract, *additional, project_element]


def _typed_reference(identifier: Identifier | None, type_code: str) -> Any:
    if identifier is None:
        return None
    return _cac(
        "AdditionalDocumentReference",
        _identifier("ID", identifier),
        _cbc("DocumentTypeCode", type_code),
    )


def _supporting_document_element(document: SupportingDocument) -> Any:
    attachment = document.attachment
    embedded = (
        _cbc(
            "EmbeddedDocumentBinaryObject",
            attachment.content_base64,
            mimeCode=attachment.mime_code,
            filename=attachment.filename,
        )
        if attachment
        else None
    )
    return _cac(
        "AdditionalDocumentReference",
        _cbc("ID", document.reference),
        _cbc("DocumentDescription", document.description),
        _cac(
            "Attachment",
            embedded,
            _cac("ExternalReference", _cbc("URI", document.external_uri)),
        ),
    )


def _parties(invoice: Invoice) -> list[Any]:
    direct_debit = invoice.payment_instructions and invoice.payment_instructions.direct_debit
    creditor = direct_debit.creditor_id if direct_debit else None
    payee = invoice.payee
    return [
        _cac(
            "AccountingSupplierParty",
            _party_element(invoice.seller, creditor if payee is None else None),
        ),
        _cac("AccountingCustomerParty", _party_element(invoice.buyer, None)),
        _payee_element(payee, creditor) if payee else None,
        _tax_representative_element(invoice.tax_representative),
        _delivery_element(invoice.delivery),
    ]


def _sepa_identification(creditor: str | None) -> Any:
    if creditor is None:
        return None
    return _cac("PartyIdentification", _cbc("ID", creditor, schemeID=SEPA_SCHEME))


def _party_element(party: Party, creditor: str | None) -> Any:
    return _cac(
        "Party",
        _identifier("EndpointID", party.electronic_address),
        *[_cac("PartyIdentification", _identifier("ID", each)) for each in party.identifiers],
        _sepa_identification(creditor),
        _cac("PartyName", _cbc("Name", party.trading_name)),
        _address_element("PostalAddress", party.address),
        _party_tax_scheme(party.vat_id, "VAT"),
        _party_tax_scheme(party.tax_registration_id, "TAX"),
        _cac(
            "PartyLegalEntity",
            _cbc("RegistrationName", party.name),
            _identifier("CompanyID", party.legal_registration),
            _cbc("CompanyLegalForm", party.additional_legal_info),
        ),
        _contact_element(party.contact),
    )


def _party_tax_scheme(company_id: str | None, scheme: str) -> Any:
    if company_id is None:
        return None
    return _cac(
        "PartyTaxScheme",
        _cbc("CompanyID", company_id),
        _cac("TaxScheme", _cbc("ID", scheme)),
    )


def _address_element(name: str, address: Address | None) -> Any:
    if address is None:
        return None
    return _cac(
        name,
        _cbc("StreetName", address.line1),
        _cbc("AdditionalStreetName", address.line2),
        _cbc("CityName", address.city),
        _cbc("PostalZone", address.postal_code),
        _cbc("CountrySubentity", address.subdivision),
        _cac("AddressLine", _cbc("Line", address.line3)),
        _cac("Country", _cbc("IdentificationCode", address.country)),
    )


def _contact_element(contact: Contact | None) -> Any:
    if contact is None:
        return None
    return _cac(
        "Contact",
        _cbc("Name", contact.name),
        _cbc("Telephone", contact.telephone),
        _cbc("ElectronicMail", contact.email),
    )


def _payee_element(payee: Payee, creditor: str | None) -> Any:
    return _cac(
        "PayeeParty",
        _cac("PartyIdentification", _identifier("ID", payee.identifier)),
        _sepa_identification(creditor),
        _cac("PartyName", _cbc("Name", payee.name)),
        _cac("PartyLegalEntity", _identifier("CompanyID", payee.legal_registration)),
    )


def _tax_representative_element(representative: TaxRepresentative | None) -> Any:
    if representative is None:
        return None
    return _cac(
        "TaxRepresentativeParty",
        _cac("PartyName", _cbc("Name", representative.name)),
        _address_element("PostalAddress", representative.address),
        _party_tax_scheme(representative.vat_id, "VAT"),
    )


def _delivery_element(delivery: Delivery | None) -> Any:
    if delivery is None:
        return None
    return _cac(
        "Delivery",
        _cbc("ActualDeliveryDate", iso_date(delivery.actual_date)),
        _cac(
            "DeliveryLocation",
            _identifier("ID", delivery.location),
            _address_element("Address", delivery.address),
        ),
        _cac("DeliveryParty", _cac("PartyName", _cbc("Name", delivery.party_name))),
    )


def _payment_means(invoice: Invoice, credit_note: bool) -> list[Any]:
    """One cac:PaymentMeans per credit account (BG-17); card and mandate go in the first."""
    instructions = invoice.payment_instructions
    if instructions is None:
        return []
    due_date = iso_date(invoice.due_date) if credit_note else None
    transfers: list[CreditTransfer | None] = [*instructions.credit_transfers] or [None]
    return [
        _cac(
            "PaymentMeans",
            _cbc(
                "PaymentMeansCode",
                instructions.means_code,
                name=instructions.means_text if index == 0 else None,  # UBL-SR-46: once
            ),
            _cbc("PaymentDueDate", due_date if index == 0 else None),
            _cbc("PaymentID", instructions.remittance_information),
            _card_element(instructions.card) if index == 0 else None,
            _financial_account(transfer),
            _mandate_element(instructions.direct_debit) if index == 0 else None,
        )
        for index, transfer in enumerate(transfers)
    ]


def _card_element(card: PaymentCard | None) -> Any:
    if card is None:
        return None
    return _cac(
        "CardAccount",
        _cbc("PrimaryAccountNumberID", card.primary_account_number),
        _cbc("NetworkID", UNKNOWN_CARD_NETWORK),
        _cbc("HolderName", card.holder_name),
    )


def _financial_account(transfer: CreditTransfer | None) -> Any:
    if transfer is None:
        return None
    return _cac(
        "PayeeFinancialAccount",
        _cbc("ID", transfer.account_id),
        _cbc("Name", transfer.account_name),
        _cac("FinancialInstitutionBranch", _cbc("ID", transfer.service_provider)),
    )


def _mandate_element(direct_debit: DirectDebit | None) -> Any:
    if direct_debit is None:
        return None
    return _cac(
        "PaymentMandate",
        _cbc("ID", direct_debit.mandate_reference),
        _cac("PayerFinancialAccount", _cbc("ID", direct_debit.debited_account)),
    )


def _tax_category(
    name: str,
    category: str,
    rate: Decimal | None,
    exemption_code: str | None = None,
    exemption_reason: str | None = None,
) -> Any:
    return _cac(
        name,
        _cbc("ID", category),
        _cbc("Percent", decimal_text(rate)),
        _cbc("TaxExemptionReasonCode", exemption_code),
        _cbc("TaxExemptionReason", exemption_reason),
        _cac("TaxScheme", _cbc("ID", "VAT")),
    )


def _allowance_charge_element(item: AllowanceCharge, charge: bool, currency: str) -> Any:
    if item.amount is None:
        term = "BT-99" if charge else "BT-92"
        raise BindingError(f"{term} amount of a document allowance or charge is missing")
    return _cac(
        "AllowanceCharge",
        _cbc("ChargeIndicator", "true" if charge else "false"),
        _cbc("AllowanceChargeReasonCode", item.reason_code),
        _cbc("AllowanceChargeReason", item.reason),
        _cbc("MultiplierFactorNumeric", decimal_text(item.percentage)),
        _amount("Amount", item.amount, currency),
        _amount("BaseAmount", item.base_amount, currency),
        _tax_category("TaxCategory", item.vat_category, item.vat_rate),
    )


def _tax_total_elements(invoice: Invoice) -> list[Any]:
    totals = invoice.totals
    assert totals is not None  # checked by _check_writable
    vat_total = totals.vat_total
    if vat_total is None and invoice.vat_breakdown:
        vat_total = sum((each.tax_amount for each in invoice.vat_breakdown), start=Decimal(0))
    main = (
        _cac(
            "TaxTotal",
            _amount("TaxAmount", vat_total, invoice.currency),
            *[_tax_subtotal(each, invoice.currency) for each in invoice.vat_breakdown],
        )
        if vat_total is not None
        else None
    )
    accounting = None
    if totals.vat_total_tax_currency is not None:
        if invoice.tax_currency is None:
            raise BindingError("BT-111 needs BT-6 VAT accounting currency code")
        accounting = _cac(
            "TaxTotal",
            _amount("TaxAmount", totals.vat_total_tax_currency, invoice.tax_currency),
        )
    return [main, accounting]


def _tax_subtotal(breakdown: VatBreakdown, currency: str) -> Any:
    return _cac(
        "TaxSubtotal",
        _amount("TaxableAmount", breakdown.taxable_amount, currency),
        _amount("TaxAmount", breakdown.tax_amount, currency),
        _tax_category(
            "TaxCategory",
            breakdown.category,
            breakdown.rate,
            breakdown.exemption_reason_code,
            breakdown.exemption_reason,
        ),
    )


def _monetary_total(invoice: Invoice) -> Any:
    totals = invoice.totals
    assert totals is not None  # checked by _check_writable
    currency = invoice.currency
    return _cac(
        "LegalMonetaryTotal",
        _amount("LineExtensionAmount", totals.line_total, currency),
        _amount("TaxExclusiveAmount", totals.tax_exclusive, currency),
        _amount("TaxInclusiveAmount", totals.tax_inclusive, currency),
        _amount("AllowanceTotalAmount", totals.allowance_total, currency),
        _amount("ChargeTotalAmount", totals.charge_total, currency),
        _amount("PrepaidAmount", totals.prepaid, currency),
        _amount("PayableRoundingAmount", totals.rounding, currency),
        _amount("PayableAmount", totals.payable, currency),
    )


def _line_element(line: Line, credit_note: bool, currency: str) -> Any:
    period = line.period or Period()
    object_reference = (
        _cac(
            "DocumentReference",
            _identifier("ID", line.object_id),
            _cbc("DocumentTypeCode", INVOICED_OBJECT_TYPE),
        )
        if line.object_id
        else None
    )
    return _cac(
        "CreditNoteLine" if credit_note else "InvoiceLine",
        _cbc("ID", line.id),
        _cbc("Note", line.note),
        _cbc(
            "CreditedQuantity" if credit_note else "InvoicedQuantity",
            decimal_text(line.quantity),
            unitCode=line.unit,
        ),
        _amount("LineExtensionAmount", line.net_amount, currency),
        _cbc("AccountingCost", line.accounting_reference),
        _cac(
            "InvoicePeriod",
            _cbc("StartDate", iso_date(period.start)),
            _cbc("EndDate", iso_date(period.end)),
        ),
        _cac("OrderLineReference", _cbc("LineID", line.order_line_reference)),
        object_reference,
        *[_line_allowance_charge_element(each, False, currency) for each in line.allowances],
        *[_line_allowance_charge_element(each, True, currency) for each in line.charges],
        _item_element(line.item),
        _price_element(line.price, currency),
    )


def _line_allowance_charge_element(item: LineAllowanceCharge, charge: bool, currency: str) -> Any:
    if item.amount is None:
        term = "BT-141" if charge else "BT-136"
        raise BindingError(f"{term} amount of a line allowance or charge is missing")
    return _cac(
        "AllowanceCharge",
        _cbc("ChargeIndicator", "true" if charge else "false"),
        _cbc("AllowanceChargeReasonCode", item.reason_code),
        _cbc("AllowanceChargeReason", item.reason),
        _cbc("MultiplierFactorNumeric", decimal_text(item.percentage)),
        _amount("Amount", item.amount, currency),
        _amount("BaseAmount", item.base_amount, currency),
    )


def _item_element(item: Item) -> Any:
    return _cac(
        "Item",
        _cbc("Description", item.description),
        _cbc("Name", item.name),
        _cac("BuyersItemIdentification", _cbc("ID", item.buyers_id)),
        _cac("SellersItemIdentification", _cbc("ID", item.sellers_id)),
        _cac("StandardItemIdentification", _identifier("ID", item.standard_id)),
        _cac("OriginCountry", _cbc("IdentificationCode", item.origin_country)),
        *[
            _cac(
                "CommodityClassification",
                _cbc(
                    "ItemClassificationCode",
                    each.code,
                    listID=each.list_id,
                    listVersionID=each.list_version,
                ),
            )
            for each in item.classifications
        ],
        _tax_category("ClassifiedTaxCategory", item.vat_category, item.vat_rate),
        *[
            _cac("AdditionalItemProperty", _cbc("Name", each.name), _cbc("Value", each.value))
            for each in item.attributes
        ],
    )


def _price_element(price: Price, currency: str) -> Any:
    discount = price.discount
    if discount is None and price.gross_price is not None:
        discount = price.gross_price - price.net_price  # UBL needs the amount (BT-147)
    price_discount = (
        _cac(
            "AllowanceCharge",
            _cbc("ChargeIndicator", "false"),
            _amount("Amount", discount, currency),
            _amount("BaseAmount", price.gross_price, currency),
        )
        if discount is not None
        else None
    )
    return _cac(
        "Price",
        _amount("PriceAmount", price.net_price, currency),
        _cbc(
            "BaseQuantity",
            decimal_text(price.base_quantity),
            unitCode=price.base_quantity_unit,
        ),
        price_discount,
    )
