"""EN 16931-3-3: the UN/CEFACT Cross Industry Invoice D16B syntax binding.

``read_cii`` maps every business term of the binding into the model; ``write_cii`` writes the
model back in the element order of the D16B XSD. CII has one document type: a credit note is an
rsm:CrossIndustryInvoice whose ram:TypeCode (BT-3) is a credit note code such as 381. Dates use
format 102 (CCYYMMDD).

What CII cannot carry as the model holds it, and what the writer does instead:

- BG-3: the D16B schema allows one ram:InvoiceReferencedDocument, so only the first preceding
  invoice is written.
- BT-29, BT-46, BT-60, BT-71 identifiers: those without a scheme are ram:ID, those with one
  ram:GlobalID, and the schema puts every ram:ID before every ram:GlobalID; the order across the
  two kinds is not kept.
- BT-7 and BT-8 live in the VAT breakdown (ram:ApplicableTradeTax, written on the first one): an
  invoice without a VAT breakdown (BG-23) cannot carry them.
- BT-147 without BT-148: ram:GrossPriceProductTradePrice needs its ram:ChargeAmount, so the gross
  price is written as BT-146 + BT-147.
- BT-6 equal to BT-5: the CII rules reject a VAT accounting currency that is the invoice currency
  (BR-53), so BT-6 and BT-111 are left out then.
Syntax conventions (read back to the same model):
- BT-8 codes are UNTDID 2475 in CII (5, 29, 72) and UNTDID 2005 in the model (3, 35, 432).
- BT-84 is ram:IBANID when it has the shape of an IBAN, otherwise ram:ProprietaryID.
- BT-11: ram:SpecifiedProcuringProject needs a ram:Name; ``Project reference`` is written.
- BG-16 with several credit accounts (BG-17) is one ram:SpecifiedTradeSettlementPaymentMeans per
  account, each repeating BT-81 and BT-82 (CII-SR-467/468).
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
    compact_date,
    decimal_text,
    first_present,
    located,
    missing,
    none_if_empty,
    parse_compact_date,
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

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NAMESPACES = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
_NSMAP: dict[str | None, str] = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}

DATE_FORMAT = "102"
TENDER_TYPE = "50"
INVOICED_OBJECT_TYPE = "130"
SUPPORTING_DOCUMENT_TYPE = "916"
VAT_SCHEME = "VA"
TAX_REGISTRATION_SCHEME = "FC"
PROJECT_NAME = "Project reference"
# BT-8: the model keeps the UNTDID 2005 codes of the UBL binding; CII uses UNTDID 2475.
_TAX_POINT_CODE_TO_CII = {"3": "5", "35": "29", "432": "72"}
_TAX_POINT_CODE_FROM_CII = {cii: ubl for ubl, cii in _TAX_POINT_CODE_TO_CII.items()}
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}")


# Reading ------------------------------------------------------------------------------------


def is_cii(root: Any) -> bool:
    name = etree.QName(root)
    return (name.namespace, name.localname) == (RSM, "CrossIndustryInvoice")


def read_cii(root: Any) -> Invoice:
    """The invoice a CII D16B rsm:CrossIndustryInvoice carries (root of a parsed tree)."""
    if not is_cii(root):
        raise BindingError(f"not a CII rsm:CrossIndustryInvoice: {etree.QName(root).text}")
    doc = Node(root, "/rsm:CrossIndustryInvoice", NAMESPACES)
    header = _required(doc, "rsm:ExchangedDocument", "BT-1")
    transaction = _required(doc, "rsm:SupplyChainTradeTransaction", "BG-25")
    agreement = _required(transaction, "ram:ApplicableHeaderTradeAgreement", "BG-4")
    delivery = transaction.first("ram:ApplicableHeaderTradeDelivery")
    settlement = _required(transaction, "ram:ApplicableHeaderTradeSettlement", "BT-5")
    currency = settlement.required_code("ram:InvoiceCurrencyCode", "BT-5")
    tax_currency = settlement.code("ram:TaxCurrencyCode")
    taxes = settlement.all("ram:ApplicableTradeTax")
    terms = settlement.all("ram:SpecifiedTradePaymentTerms")
    references = agreement.all("ram:AdditionalReferencedDocument")
    allowances_and_charges = settlement.all("ram:SpecifiedTradeAllowanceCharge")
    context = "rsm:ExchangedDocumentContext"
    with located(doc.path):
        return Invoice(
            number=header.required_text("ram:ID", "BT-1"),
            issue_date=_required_date(header, "ram:IssueDateTime/udt:DateTimeString", "BT-2"),
            type_code=header.required_code("ram:TypeCode", "BT-3"),
            currency=currency,
            tax_currency=tax_currency,
            tax_point_date=first_present(
                _date(tax, "ram:TaxPointDate/udt:DateString", "BT-7") for tax in taxes
            ),
            tax_point_date_code=_tax_point_date_code(taxes),
            due_date=first_present(
                _date(each, "ram:DueDateDateTime/udt:DateTimeString", "BT-9") for each in terms
            ),
            buyer_reference=agreement.text("ram:BuyerReference"),
            project_reference=agreement.text("ram:SpecifiedProcuringProject/ram:ID"),
            contract_reference=agreement.text(
                "ram:ContractReferencedDocument/ram:IssuerAssignedID"
            ),
            purchase_order_reference=agreement.text(
                "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
            ),
            sales_order_reference=agreement.text(
                "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID"
            ),
            receiving_advice_reference=(
                delivery.text("ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID")
                if delivery
                else None
            ),
            despatch_advice_reference=(
                delivery.text("ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID")
                if delivery
                else None
            ),
            tender_reference=first_present(
                each.text("ram:IssuerAssignedID")
                for each in references
                if each.code("ram:TypeCode") == TENDER_TYPE
            ),
            invoiced_object=first_present(
                _object_identifier(each, "BT-18")
                for each in references
                if each.code("ram:TypeCode") == INVOICED_OBJECT_TYPE
            ),
            buyer_accounting_reference=settlement.text(
                "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"
            ),
            payment_terms=first_present(each.text("ram:Description") for each in terms),
            notes=[_note(each) for each in header.all("ram:IncludedNote")],
            process_id=doc.text(
                f"{context}/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"
            ),
            specification_id=doc.required_text(
                f"{context}/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", "BT-24"
            ),
            preceding_invoices=[
                _preceding_invoice(each) for each in settlement.all("ram:InvoiceReferencedDocument")
            ],
            seller=_party(agreement, "ram:SellerTradeParty", ("BG-4", "BT-27", "BG-5", "BT-40")),
            buyer=_party(agreement, "ram:BuyerTradeParty", ("BG-7", "BT-44", "BG-8", "BT-55")),
            payee=_payee(settlement.first("ram:PayeeTradeParty")),
            tax_representative=_tax_representative(
                agreement.first("ram:SellerTaxRepresentativeTradeParty")
            ),
            delivery=_delivery(delivery),
            invoice_period=_period(
                settlement.first("ram:BillingSpecifiedPeriod"), ("BT-73", "BT-74")
            ),
            payment_instructions=_payment_instructions(settlement, terms),
            allowances=[
                _allowance_charge(each, ("BT-92", "BT-93", "BT-94", "BT-95", "BT-96"))
                for each in allowances_and_charges
                if not _is_charge(each)
            ],
            charges=[
                _allowance_charge(each, ("BT-99", "BT-100", "BT-101", "BT-102", "BT-103"))
                for each in allowances_and_charges
                if _is_charge(each)
            ],
            totals=_totals(settlement, currency, tax_currency),
            vat_breakdown=[_vat_breakdown(each) for each in taxes],
            supporting_documents=[
                _supporting_document(each)
                for each in references
                if each.code("ram:TypeCode") not in {TENDER_TYPE, INVOICED_OBJECT_TYPE}
            ],
            lines=[_line(each) for each in transaction.all("ram:IncludedSupplyChainTradeLineItem")],
        )


def _required(node: Node, path: str, term: str) -> Node:
    found = node.first(path)
    if found is None:
        raise missing(term, node.where(path))
    return found


def _date(node: Node, path: str, term: str) -> dt.date | None:
    value = node.code(path)
    if value is None:
        return None
    date_format = node.attribute(path, "format")
    if date_format not in {None, DATE_FORMAT}:
        raise BindingError(f"{term} at {node.where(path)}: date format {date_format} is not 102")
    return parse_compact_date(value, term, node.where(path))


def _required_date(node: Node, path: str, term: str) -> dt.date:
    value = _date(node, path, term)
    if value is None:
        raise missing(term, node.where(path))
    return value


def _tax_point_date_code(taxes: list[Node]) -> str | None:
    code = first_present(tax.code("ram:DueDateTypeCode") for tax in taxes)
    return None if code is None else _TAX_POINT_CODE_FROM_CII.get(code, code)


def _object_identifier(node: Node, term: str) -> Identifier:
    with located(node.path):
        return Identifier(
            value=node.required_text("ram:IssuerAssignedID", term),
            scheme=node.code("ram:ReferenceTypeCode"),
        )


def _note(node: Node) -> Note:
    with located(node.path):
        return Note(
            subject_code=node.code("ram:SubjectCode"),
            text=node.required_text("ram:Content", "BT-22"),
        )


def _preceding_invoice(node: Node) -> PrecedingInvoice:
    with located(node.path):
        return PrecedingInvoice(
            number=node.required_text("ram:IssuerAssignedID", "BT-25"),
            issue_date=_date(node, "ram:FormattedIssueDateTime/qdt:DateTimeString", "BT-26"),
        )


def _identifiers(party: Node) -> list[Identifier]:
    """ram:ID (no scheme) then ram:GlobalID (with its scheme), in document order."""
    found = [each.identifier(".") for each in party.all("ram:ID") + party.all("ram:GlobalID")]
    return [identifier for identifier in found if identifier is not None]


def _tax_registration(party: Node, scheme: str) -> str | None:
    return first_present(
        each.text()
        for each in party.all("ram:SpecifiedTaxRegistration/ram:ID")
        if (each.attribute(".", "schemeID") or "").upper() == scheme
    )


def _party(parent: Node, path: str, terms: tuple[str, str, str, str]) -> Party:
    group, name_term, address_group, country_term = terms
    party = _required(parent, path, group)
    address = _required(party, "ram:PostalTradeAddress", address_group)
    with located(party.path):
        return Party(
            name=party.required_text("ram:Name", name_term),
            trading_name=party.text("ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
            identifiers=_identifiers(party),
            legal_registration=party.identifier("ram:SpecifiedLegalOrganization/ram:ID"),
            vat_id=_tax_registration(party, VAT_SCHEME),
            tax_registration_id=_tax_registration(party, TAX_REGISTRATION_SCHEME),
            additional_legal_info=party.text("ram:Description"),
            electronic_address=party.identifier("ram:URIUniversalCommunication/ram:URIID"),
            address=_address(address, country_term),
            contact=_contact(party.first("ram:DefinedTradeContact")),
        )


def _address(node: Node, country_term: str) -> Address:
    with located(node.path):
        return Address(
            line1=node.text("ram:LineOne"),
            line2=node.text("ram:LineTwo"),
            line3=node.text("ram:LineThree"),
            city=node.text("ram:CityName"),
            postal_code=node.text("ram:PostcodeCode"),
            subdivision=node.text("ram:CountrySubDivisionName"),
            country=node.required_code("ram:CountryID", country_term),
        )


def _contact(node: Node | None) -> Contact | None:
    if node is None:
        return None
    contact = Contact(
        name=node.text("ram:PersonName") or node.text("ram:DepartmentName"),
        telephone=node.text("ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
        email=node.text("ram:EmailURIUniversalCommunication/ram:URIID"),
    )
    return none_if_empty(contact)


def _payee(node: Node | None) -> Payee | None:
    if node is None:
        return None
    with located(node.path):
        return Payee(
            name=node.required_text("ram:Name", "BT-59"),
            identifier=first_present(_identifiers(node)),
            legal_registration=node.identifier("ram:SpecifiedLegalOrganization/ram:ID"),
        )


def _tax_representative(node: Node | None) -> TaxRepresentative | None:
    if node is None:
        return None
    address = _required(node, "ram:PostalTradeAddress", "BG-12")
    vat_id = _tax_registration(node, VAT_SCHEME)
    if vat_id is None:
        raise missing("BT-63", node.where("ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"))
    with located(node.path):
        return TaxRepresentative(
            name=node.required_text("ram:Name", "BT-62"),
            vat_id=vat_id,
            address=_address(address, "BT-69"),
        )


def _delivery(node: Node | None) -> Delivery | None:
    if node is None:
        return None
    ship_to = node.first("ram:ShipToTradeParty")
    address = ship_to.first("ram:PostalTradeAddress") if ship_to else None
    with located(node.path):
        delivery = Delivery(
            party_name=ship_to.text("ram:Name") if ship_to else None,
            location=first_present(_identifiers(ship_to)) if ship_to else None,
            actual_date=_date(
                node,
                "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString",
                "BT-72",
            ),
            address=_address(address, "BT-80") if address else None,
        )
    return none_if_empty(delivery)


def _period(node: Node | None, terms: tuple[str, str]) -> Period | None:
    if node is None:
        return None
    period = Period(
        start=_date(node, "ram:StartDateTime/udt:DateTimeString", terms[0]),
        end=_date(node, "ram:EndDateTime/udt:DateTimeString", terms[1]),
    )
    return none_if_empty(period)


def _payment_instructions(settlement: Node, terms: list[Node]) -> PaymentInstructions | None:
    means = settlement.all("ram:SpecifiedTradeSettlementPaymentMeans")
    remittance = settlement.text("ram:PaymentReference")
    mandate = first_present(each.text("ram:DirectDebitMandateID") for each in terms)
    creditor = settlement.text("ram:CreditorReferenceID")
    if not means:
        if remittance or mandate or creditor:
            raise missing(
                "BT-81", settlement.where("ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode")
            )
        return None
    first = means[0]
    direct_debit = DirectDebit(
        mandate_reference=mandate,
        creditor_id=creditor,
        debited_account=first_present(
            each.text("ram:PayerPartyDebtorFinancialAccount/ram:IBANID") for each in means
        ),
    )
    with located(first.path):
        return PaymentInstructions(
            means_code=first.required_code("ram:TypeCode", "BT-81"),
            means_text=first_present(each.text("ram:Information") for each in means),
            remittance_information=remittance,
            credit_transfers=[
                _credit_transfer(each)
                for each in means
                if each.first("ram:PayeePartyCreditorFinancialAccount") is not None
            ],
            card=first_present(
                _card(card)
                for each in means
                if (card := each.first("ram:ApplicableTradeSettlementFinancialCard")) is not None
            ),
            direct_debit=none_if_empty(direct_debit),
        )


def _credit_transfer(node: Node) -> CreditTransfer:
    account = "ram:PayeePartyCreditorFinancialAccount"
    account_id = node.text(f"{account}/ram:IBANID") or node.text(f"{account}/ram:ProprietaryID")
    if account_id is None:
        raise missing("BT-84", node.where(f"{account}/ram:IBANID"))
    with located(node.path):
        return CreditTransfer(
            account_id=account_id,
            account_name=node.text(f"{account}/ram:AccountName"),
            service_provider=node.text("ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"),
        )


def _card(node: Node) -> PaymentCard:
    with located(node.path):
        return PaymentCard(
            primary_account_number=node.required_text("ram:ID", "BT-87"),
            holder_name=node.text("ram:CardholderName"),
        )


def _is_charge(node: Node) -> bool:
    value = node.required_code("ram:ChargeIndicator/udt:Indicator", "ChargeIndicator")
    if value not in {"true", "false", "1", "0"}:
        where = node.where("ram:ChargeIndicator/udt:Indicator")
        raise BindingError(f"{where}: {value!r} is not a boolean")
    return value in {"true", "1"}


def _allowance_charge(node: Node, terms: tuple[str, str, str, str, str]) -> AllowanceCharge:
    amount, base, percentage, category, rate = terms
    with located(node.path):
        return AllowanceCharge(
            amount=node.decimal("ram:ActualAmount", amount),
            base_amount=node.decimal("ram:BasisAmount", base),
            percentage=node.decimal("ram:CalculationPercent", percentage),
            vat_category=node.required_code("ram:CategoryTradeTax/ram:CategoryCode", category),
            vat_rate=node.decimal("ram:CategoryTradeTax/ram:RateApplicablePercent", rate),
            reason=node.text("ram:Reason"),
            reason_code=node.code("ram:ReasonCode"),
        )


def _totals(settlement: Node, currency: str, tax_currency: str | None) -> Totals:
    node = _required(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation", "BG-22")
    tax_totals = node.all("ram:TaxTotalAmount")

    def currency_of(each: Node) -> str | None:
        return each.attribute(".", "currencyID")

    vat_total = first_present(each for each in tax_totals if currency_of(each) in {None, currency})
    accounting = first_present(
        each
        for each in tax_totals
        if tax_currency
        and currency_of(each) == tax_currency
        and (vat_total is None or each.element is not vat_total.element)
    )
    with located(node.path):
        return Totals(
            line_total=node.required_decimal("ram:LineTotalAmount", "BT-106"),
            allowance_total=node.decimal("ram:AllowanceTotalAmount", "BT-107"),
            charge_total=node.decimal("ram:ChargeTotalAmount", "BT-108"),
            tax_exclusive=node.required_decimal("ram:TaxBasisTotalAmount", "BT-109"),
            vat_total=vat_total.decimal(".", "BT-110") if vat_total else None,
            vat_total_tax_currency=accounting.decimal(".", "BT-111") if accounting else None,
            tax_inclusive=node.required_decimal("ram:GrandTotalAmount", "BT-112"),
            prepaid=node.decimal("ram:TotalPrepaidAmount", "BT-113"),
            rounding=node.decimal("ram:RoundingAmount", "BT-114"),
            payable=node.required_decimal("ram:DuePayableAmount", "BT-115"),
        )


def _vat_breakdown(node: Node) -> VatBreakdown:
    with located(node.path):
        return VatBreakdown(
            taxable_amount=node.required_decimal("ram:BasisAmount", "BT-116"),
            tax_amount=node.required_decimal("ram:CalculatedAmount", "BT-117"),
            category=node.required_code("ram:CategoryCode", "BT-118"),
            rate=node.decimal("ram:RateApplicablePercent", "BT-119"),
            exemption_reason=node.text("ram:ExemptionReason"),
            exemption_reason_code=node.code("ram:ExemptionReasonCode"),
        )


def _supporting_document(node: Node) -> SupportingDocument:
    binary = node.first("ram:AttachmentBinaryObject")
    with located(node.path):
        return SupportingDocument(
            reference=node.required_text("ram:IssuerAssignedID", "BT-122"),
            description=node.text("ram:Name"),
            external_uri=node.text("ram:URIID"),
            attachment=read_attachment(binary) if binary is not None else None,
        )


def _line(node: Node) -> Line:
    product = _required(node, "ram:SpecifiedTradeProduct", "BG-31")
    agreement = _required(node, "ram:SpecifiedLineTradeAgreement", "BG-29")
    settlement = _required(node, "ram:SpecifiedLineTradeSettlement", "BG-30")
    quantity = "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"
    unit = node.attribute(quantity, "unitCode")
    if unit is None:
        raise missing("BT-130", f"{node.where(quantity)}/@unitCode")
    allowances_and_charges = settlement.all("ram:SpecifiedTradeAllowanceCharge")
    with located(node.path):
        return Line(
            id=node.required_text("ram:AssociatedDocumentLineDocument/ram:LineID", "BT-126"),
            note=node.text("ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content"),
            object_id=first_present(
                _object_identifier(each, "BT-128")
                for each in settlement.all("ram:AdditionalReferencedDocument")
                if each.code("ram:TypeCode") in {None, INVOICED_OBJECT_TYPE}
            ),
            quantity=node.required_decimal(quantity, "BT-129"),
            unit=unit,
            net_amount=settlement.decimal(
                "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", "BT-131"
            ),
            order_line_reference=agreement.text("ram:BuyerOrderReferencedDocument/ram:LineID"),
            accounting_reference=settlement.text(
                "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"
            ),
            period=_period(settlement.first("ram:BillingSpecifiedPeriod"), ("BT-134", "BT-135")),
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
            price=_price(agreement),
            item=_item(product, settlement),
        )


def _line_allowance_charge(node: Node, terms: tuple[str, str, str]) -> LineAllowanceCharge:
    amount, base, percentage = terms
    with located(node.path):
        return LineAllowanceCharge(
            amount=node.decimal("ram:ActualAmount", amount),
            base_amount=node.decimal("ram:BasisAmount", base),
            percentage=node.decimal("ram:CalculationPercent", percentage),
            reason=node.text("ram:Reason"),
            reason_code=node.code("ram:ReasonCode"),
        )


def _price(agreement: Node) -> Price:
    net = _required(agreement, "ram:NetPriceProductTradePrice", "BT-146")
    gross = agreement.first("ram:GrossPriceProductTradePrice")
    discount = (
        first_present(
            each
            for each in gross.all("ram:AppliedTradeAllowanceCharge")
            if each.first("ram:ChargeIndicator") is None or not _is_charge(each)
        )
        if gross
        else None
    )
    with located(agreement.path):
        return Price(
            net_price=net.required_decimal("ram:ChargeAmount", "BT-146"),
            discount=discount.decimal("ram:ActualAmount", "BT-147") if discount else None,
            gross_price=gross.decimal("ram:ChargeAmount", "BT-148") if gross else None,
            base_quantity=net.decimal("ram:BasisQuantity", "BT-149"),
            base_quantity_unit=net.attribute("ram:BasisQuantity", "unitCode"),
        )


def _item(product: Node, settlement: Node) -> Item:
    tax = "ram:ApplicableTradeTax"
    with located(product.path):
        return Item(
            name=product.required_text("ram:Name", "BT-153"),
            description=product.text("ram:Description"),
            sellers_id=product.text("ram:SellerAssignedID"),
            buyers_id=product.text("ram:BuyerAssignedID"),
            standard_id=product.identifier("ram:GlobalID"),
            classifications=[
                read_classification(each)
                for each in product.all("ram:DesignatedProductClassification/ram:ClassCode")
            ],
            origin_country=product.code("ram:OriginTradeCountry/ram:ID"),
            attributes=[
                _item_attribute(each) for each in product.all("ram:ApplicableProductCharacteristic")
            ],
            vat_category=settlement.required_code(f"{tax}/ram:CategoryCode", "BT-151"),
            vat_rate=settlement.decimal(f"{tax}/ram:RateApplicablePercent", "BT-152"),
        )


def _item_attribute(node: Node) -> ItemAttribute:
    with located(node.path):
        return ItemAttribute(
            name=node.required_text("ram:Description", "BT-160"),
            value=node.required_text("ram:Value", "BT-161"),
        )


# Writing ------------------------------------------------------------------------------------


def _ram(
    local_name: str, /, *children: Any, text: str | None = None, **attributes: str | None
) -> Any:
    return build(f"{{{RAM}}}{local_name}", _NSMAP, children, text, attributes)


def _date_element(local_name: str, value: dt.date | None, namespace: str = UDT) -> Any:
    """A date-time in format 102, e.g. ram:IssueDateTime/udt:DateTimeString."""
    return _ram(
        local_name,
        build(
            f"{{{namespace}}}DateTimeString",
            _NSMAP,
            text=compact_date(value),
            attributes={"format": DATE_FORMAT},
        ),
    )


def _indicator(value: bool) -> Any:
    return _ram(
        "ChargeIndicator",
        build(f"{{{UDT}}}Indicator", _NSMAP, text="true" if value else "false"),
    )


def _amount(local_name: str, value: Decimal | None) -> Any:
    return _ram(local_name, text=decimal_text(value))


def write_cii(invoice: Invoice) -> bytes:
    """The invoice as a CII D16B rsm:CrossIndustryInvoice (a credit note keeps its type code)."""
    _check_writable(invoice)
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=_NSMAP)
    root.extend(
        [
            _context(invoice),
            _exchanged_document(invoice),
            build(
                f"{{{RSM}}}SupplyChainTradeTransaction",
                _NSMAP,
                (
                    *[_line_element(line) for line in invoice.lines],
                    _agreement(invoice),
                    _header_delivery(invoice),
                    _settlement(invoice),
                ),
            ),
        ]
    )
    return serialise(root, _NSMAP)


def _check_writable(invoice: Invoice) -> None:
    if invoice.totals is None:
        raise BindingError("BG-22 Document totals are missing: complete the invoice first")
    for line in invoice.lines:
        if line.net_amount is None:
            raise BindingError(f"BT-131 of line {line.id} is missing: complete the invoice first")


def _context(invoice: Invoice) -> Any:
    return build(
        f"{{{RSM}}}ExchangedDocumentContext",
        _NSMAP,
        (
            _ram(
                "BusinessProcessSpecifiedDocumentContextParameter",
                _ram("ID", text=invoice.process_id),
            ),
            _ram(
                "GuidelineSpecifiedDocumentContextParameter",
                _ram("ID", text=invoice.specification_id),
            ),
        ),
    )


def _exchanged_document(invoice: Invoice) -> Any:
    return build(
        f"{{{RSM}}}ExchangedDocument",
        _NSMAP,
        (
            _ram("ID", text=invoice.number),
            _ram("TypeCode", text=invoice.type_code),
            _date_element("IssueDateTime", invoice.issue_date),
            *[
                _ram(
                    "IncludedNote",
                    _ram("Content", text=note.text),
                    _ram("SubjectCode", text=note.subject_code),
                )
                for note in invoice.notes
            ],
        ),
    )


def _identifier_elements(identifiers: list[Identifier]) -> list[Any]:
    return [
        *[_ram("ID", text=each.value) for each in identifiers if not each.scheme],
        *[
            _ram("GlobalID", text=each.value, schemeID=each.scheme)
            for each in identifiers
            if each.scheme
        ],
    ]


def _tax_registration_element(value: str | None, scheme: str) -> Any:
    if value is None:
        return None
    return _ram("SpecifiedTaxRegistration", _ram("ID", text=value, schemeID=scheme))


def _legal_organization(identifier: Identifier | None, trading_name: str | None) -> Any:
    return _ram(
        "SpecifiedLegalOrganization",
        _ram("ID", text=identifier.value, schemeID=identifier.scheme) if identifier else None,
        _ram("TradingBusinessName", text=trading_name),
    )


def _party_element(local_name: str, party: Party) -> Any:
    address = party.electronic_address
    return _ram(
        local_name,
        *_identifier_elements(party.identifiers),
        _ram("Name", text=party.name),
        _ram("Description", text=party.additional_legal_info),
        _legal_organization(party.legal_registration, party.trading_name),
        _contact_element(party.contact),
        _address_element(party.address),
        _ram(
            "URIUniversalCommunication",
            _ram("URIID", text=address.value, schemeID=address.scheme) if address else None,
        ),
        _tax_registration_element(party.vat_id, VAT_SCHEME),
        _tax_registration_element(party.tax_registration_id, TAX_REGISTRATION_SCHEME),
    )


def _contact_element(contact: Contact | None) -> Any:
    if contact is None:
        return None
    return _ram(
        "DefinedTradeContact",
        _ram("PersonName", text=contact.name),
        _ram("TelephoneUniversalCommunication", _ram("CompleteNumber", text=contact.telephone)),
        _ram("EmailURIUniversalCommunication", _ram("URIID", text=contact.email)),
    )


def _address_element(address: Address | None) -> Any:
    if address is None:
        return None
    return _ram(
        "PostalTradeAddress",
        _ram("PostcodeCode", text=address.postal_code),
        _ram("LineOne", text=address.line1),
        _ram("LineTwo", text=address.line2),
        _ram("LineThree", text=address.line3),
        _ram("CityName", text=address.city),
        _ram("CountryID", text=address.country),
        _ram("CountrySubDivisionName", text=address.subdivision),
    )


def _referenced_document(local_name: str, reference: str | None) -> Any:
    return _ram(local_name, _ram("IssuerAssignedID", text=reference))


def _typed_reference(identifier: Identifier | None, type_code: str) -> Any:
    if identifier is None:
        return None
    return _ram(
        "AdditionalReferencedDocument",
        _ram("IssuerAssignedID", text=identifier.value),
        _ram("TypeCode", text=type_code),
        _ram("ReferenceTypeCode", text=identifier.scheme),
    )


def _supporting_document_element(document: SupportingDocument) -> Any:
    attachment = document.attachment
    return _ram(
        "AdditionalReferencedDocument",
        _ram("IssuerAssignedID", text=document.reference),
        _ram("URIID", text=document.external_uri),
        _ram("TypeCode", text=SUPPORTING_DOCUMENT_TYPE),
        _ram("Name", text=document.description),
        _ram(
            "AttachmentBinaryObject",
            text=attachment.content_base64,
            mimeCode=attachment.mime_code,
            filename=attachment.filename,
        )
        if attachment
        else None,
    )


def _agreement(invoice: Invoice) -> Any:
    representative = invoice.tax_representative
    tender = Identifier(value=invoice.tender_reference) if invoice.tender_reference else None
    return _ram(
        "ApplicableHeaderTradeAgreement",
        _ram("BuyerReference", text=invoice.buyer_reference),
        _party_element("SellerTradeParty", invoice.seller),
        _party_element("BuyerTradeParty", invoice.buyer),
        _ram(
            "SellerTaxRepresentativeTradeParty",
            _ram("Name", text=representative.name),
            _address_element(representative.address),
            _tax_registration_element(representative.vat_id, VAT_SCHEME),
        )
        if representative
        else None,
        _referenced_document("SellerOrderReferencedDocument", invoice.sales_order_reference),
        _referenced_document("BuyerOrderReferencedDocument", invoice.purchase_order_reference),
        _referenced_document("ContractReferencedDocument", invoice.contract_reference),
        *[_supporting_document_element(each) for each in invoice.supporting_documents],
        _typed_reference(tender, TENDER_TYPE),
        _typed_reference(invoice.invoiced_object, INVOICED_OBJECT_TYPE),
        _ram(
            "SpecifiedProcuringProject",
            _ram("ID", text=invoice.project_reference),
            _ram("Name", text=PROJECT_NAME),
        )
        if invoice.project_reference
        else None,
    )


def _header_delivery(invoice: Invoice) -> Any:
    delivery = invoice.delivery or Delivery()
    ship_to = _ram(
        "ShipToTradeParty",
        *_identifier_elements([delivery.location] if delivery.location else []),
        _ram("Name", text=delivery.party_name),
        _address_element(delivery.address),
    )
    children = (
        ship_to,
        _ram(
            "ActualDeliverySupplyChainEvent",
            _date_element("OccurrenceDateTime", delivery.actual_date),
        ),
        _referenced_document("DespatchAdviceReferencedDocument", invoice.despatch_advice_reference),
        _referenced_document(
            "ReceivingAdviceReferencedDocument", invoice.receiving_advice_reference
        ),
    )
    # The schema requires the element even when the invoice has no delivery information.
    element = _ram("ApplicableHeaderTradeDelivery", *children)
    return (
        element
        if element is not None
        else etree.Element(f"{{{RAM}}}ApplicableHeaderTradeDelivery", nsmap=_NSMAP)
    )


def _accounting_currency(invoice: Invoice) -> str | None:
    """BT-6, unless it is the invoice currency, which the CII rules reject (BR-53)."""
    return None if invoice.tax_currency == invoice.currency else invoice.tax_currency


def _settlement(invoice: Invoice) -> Any:
    instructions = invoice.payment_instructions
    direct_debit = instructions.direct_debit if instructions else None
    payee = invoice.payee
    preceding = invoice.preceding_invoices[:1]  # D16B allows one
    return _ram(
        "ApplicableHeaderTradeSettlement",
        _ram("CreditorReferenceID", text=direct_debit.creditor_id if direct_debit else None),
        _ram(
            "PaymentReference",
            text=instructions.remittance_information if instructions else None,
        ),
        _ram("TaxCurrencyCode", text=_accounting_currency(invoice)),
        _ram("InvoiceCurrencyCode", text=invoice.currency),
        _ram(
            "PayeeTradeParty",
            *_identifier_elements([payee.identifier] if payee.identifier else []),
            _ram("Name", text=payee.name),
            _legal_organization(payee.legal_registration, None),
        )
        if payee
        else None,
        *_payment_means(instructions),
        *[
            _vat_breakdown_element(each, invoice if index == 0 else None)
            for index, each in enumerate(invoice.vat_breakdown)
        ],
        _period_element(invoice.invoice_period),
        *[_allowance_charge_element(each, False) for each in invoice.allowances],
        *[_allowance_charge_element(each, True) for each in invoice.charges],
        _ram(
            "SpecifiedTradePaymentTerms",
            _ram("Description", text=invoice.payment_terms),
            _date_element("DueDateDateTime", invoice.due_date),
            _ram(
                "DirectDebitMandateID",
                text=direct_debit.mandate_reference if direct_debit else None,
            ),
        ),
        _summation(invoice),
        *[
            _ram(
                "InvoiceReferencedDocument",
                _ram("IssuerAssignedID", text=each.number),
                _date_element("FormattedIssueDateTime", each.issue_date, QDT),
            )
            for each in preceding
        ],
        _ram(
            "ReceivableSpecifiedTradeAccountingAccount",
            _ram("ID", text=invoice.buyer_accounting_reference),
        ),
    )


def _is_iban(account_id: str) -> bool:
    return _IBAN.fullmatch(account_id.replace(" ", "")) is not None


def _payment_means(instructions: PaymentInstructions | None) -> list[Any]:
    """One payment means per credit account (BG-17); card and debited account go in the first."""
    if instructions is None:
        return []
    direct_debit = instructions.direct_debit
    card = instructions.card
    transfers: list[CreditTransfer | None] = [*instructions.credit_transfers] or [None]
    return [
        _ram(
            "SpecifiedTradeSettlementPaymentMeans",
            _ram("TypeCode", text=instructions.means_code),
            _ram("Information", text=instructions.means_text),
            _ram(
                "ApplicableTradeSettlementFinancialCard",
                _ram("ID", text=card.primary_account_number),
                _ram("CardholderName", text=card.holder_name),
            )
            if card and index == 0
            else None,
            _ram(
                "PayerPartyDebtorFinancialAccount",
                _ram("IBANID", text=direct_debit.debited_account),
            )
            if direct_debit and index == 0
            else None,
            *_credit_transfer_elements(transfer),
        )
        for index, transfer in enumerate(transfers)
    ]


def _credit_transfer_elements(transfer: CreditTransfer | None) -> list[Any]:
    if transfer is None:
        return []
    iban = _is_iban(transfer.account_id)
    return [
        _ram(
            "PayeePartyCreditorFinancialAccount",
            _ram("IBANID", text=transfer.account_id if iban else None),
            _ram("AccountName", text=transfer.account_name),
            _ram("ProprietaryID", text=None if iban else transfer.account_id),
        ),
        _ram(
            "PayeeSpecifiedCreditorFinancialInstitution",
            _ram("BICID", text=transfer.service_provider),
        ),
    ]


def _vat_breakdown_element(breakdown: VatBreakdown, invoice: Invoice | None) -> Any:
    """A ram:ApplicableTradeTax; the first also carries BT-7 and BT-8 (CII-SR-461/462)."""
    tax_point_date = invoice.tax_point_date if invoice else None
    code = invoice.tax_point_date_code if invoice else None
    return _ram(
        "ApplicableTradeTax",
        _amount("CalculatedAmount", breakdown.tax_amount),
        _ram("TypeCode", text="VAT"),
        _ram("ExemptionReason", text=breakdown.exemption_reason),
        _amount("BasisAmount", breakdown.taxable_amount),
        _ram("CategoryCode", text=breakdown.category),
        _ram("ExemptionReasonCode", text=breakdown.exemption_reason_code),
        _ram(
            "TaxPointDate",
            build(
                f"{{{UDT}}}DateString",
                _NSMAP,
                text=compact_date(tax_point_date),
                attributes={"format": DATE_FORMAT},
            ),
        ),
        _ram(
            "DueDateTypeCode",
            text=None if code is None else _TAX_POINT_CODE_TO_CII.get(code, code),
        ),
        _amount("RateApplicablePercent", breakdown.rate),
    )


def _period_element(period: Period | None) -> Any:
    if period is None:
        return None
    return _ram(
        "BillingSpecifiedPeriod",
        _date_element("StartDateTime", period.start),
        _date_element("EndDateTime", period.end),
    )


def _allowance_charge_element(item: AllowanceCharge, charge: bool) -> Any:
    if item.amount is None:
        term = "BT-99" if charge else "BT-92"
        raise BindingError(f"{term} amount of a document allowance or charge is missing")
    return _ram(
        "SpecifiedTradeAllowanceCharge",
        _indicator(charge),
        _amount("CalculationPercent", item.percentage),
        _amount("BasisAmount", item.base_amount),
        _amount("ActualAmount", item.amount),
        _ram("ReasonCode", text=item.reason_code),
        _ram("Reason", text=item.reason),
        _ram(
            "CategoryTradeTax",
            _ram("TypeCode", text="VAT"),
            _ram("CategoryCode", text=item.vat_category),
            _amount("RateApplicablePercent", item.vat_rate),
        ),
    )


def _summation(invoice: Invoice) -> Any:
    totals = invoice.totals
    assert totals is not None  # checked by _check_writable
    accounting_currency = _accounting_currency(invoice)
    return _ram(
        "SpecifiedTradeSettlementHeaderMonetarySummation",
        _amount("LineTotalAmount", totals.line_total),
        _amount("ChargeTotalAmount", totals.charge_total),
        _amount("AllowanceTotalAmount", totals.allowance_total),
        _amount("TaxBasisTotalAmount", totals.tax_exclusive),
        _ram("TaxTotalAmount", text=decimal_text(totals.vat_total), currencyID=invoice.currency),
        _ram(
            "TaxTotalAmount",
            text=decimal_text(totals.vat_total_tax_currency) if accounting_currency else None,
            currencyID=accounting_currency,
        ),
        _amount("RoundingAmount", totals.rounding),
        _amount("GrandTotalAmount", totals.tax_inclusive),
        _amount("TotalPrepaidAmount", totals.prepaid),
        _amount("DuePayableAmount", totals.payable),
    )


def _line_element(line: Line) -> Any:
    return _ram(
        "IncludedSupplyChainTradeLineItem",
        _ram(
            "AssociatedDocumentLineDocument",
            _ram("LineID", text=line.id),
            _ram("IncludedNote", _ram("Content", text=line.note)),
        ),
        _product_element(line.item),
        _ram(
            "SpecifiedLineTradeAgreement",
            _ram("BuyerOrderReferencedDocument", _ram("LineID", text=line.order_line_reference)),
            _gross_price_element(line.price),
            _ram(
                "NetPriceProductTradePrice",
                _amount("ChargeAmount", line.price.net_price),
                _basis_quantity(line.price),
            ),
        ),
        _ram(
            "SpecifiedLineTradeDelivery",
            _ram("BilledQuantity", text=decimal_text(line.quantity), unitCode=line.unit),
        ),
        _ram(
            "SpecifiedLineTradeSettlement",
            _ram(
                "ApplicableTradeTax",
                _ram("TypeCode", text="VAT"),
                _ram("CategoryCode", text=line.item.vat_category),
                _amount("RateApplicablePercent", line.item.vat_rate),
            ),
            _period_element(line.period),
            *[_line_allowance_charge_element(each, False) for each in line.allowances],
            *[_line_allowance_charge_element(each, True) for each in line.charges],
            _ram(
                "SpecifiedTradeSettlementLineMonetarySummation",
                _amount("LineTotalAmount", line.net_amount),
            ),
            _typed_reference(line.object_id, INVOICED_OBJECT_TYPE),
            _ram(
                "ReceivableSpecifiedTradeAccountingAccount",
                _ram("ID", text=line.accounting_reference),
            ),
        ),
    )


def _product_element(item: Item) -> Any:
    standard = item.standard_id
    return _ram(
        "SpecifiedTradeProduct",
        _ram("GlobalID", text=standard.value, schemeID=standard.scheme) if standard else None,
        _ram("SellerAssignedID", text=item.sellers_id),
        _ram("BuyerAssignedID", text=item.buyers_id),
        _ram("Name", text=item.name),
        _ram("Description", text=item.description),
        *[
            _ram(
                "ApplicableProductCharacteristic",
                _ram("Description", text=each.name),
                _ram("Value", text=each.value),
            )
            for each in item.attributes
        ],
        *[
            _ram(
                "DesignatedProductClassification",
                _ram(
                    "ClassCode",
                    text=each.code,
                    listID=each.list_id,
                    listVersionID=each.list_version,
                ),
            )
            for each in item.classifications
        ],
        _ram("OriginTradeCountry", _ram("ID", text=item.origin_country)),
    )


def _basis_quantity(price: Price) -> Any:
    return _ram(
        "BasisQuantity",
        text=decimal_text(price.base_quantity),
        unitCode=price.base_quantity_unit,
    )


def _gross_price_element(price: Price) -> Any:
    gross = price.gross_price
    if gross is None and price.discount is not None:
        gross = price.net_price + price.discount  # CII needs the gross price (BT-148)
    if gross is None:
        return None
    return _ram(
        "GrossPriceProductTradePrice",
        _amount("ChargeAmount", gross),
        _basis_quantity(price),
        _ram(
            "AppliedTradeAllowanceCharge",
            _indicator(False),
            _amount("ActualAmount", price.discount),
        )
        if price.discount is not None
        else None,
    )


def _line_allowance_charge_element(item: LineAllowanceCharge, charge: bool) -> Any:
    if item.amount is None:
        term = "BT-141" if charge else "BT-136"
        raise BindingError(f"{term} amount of a line allowance or charge is missing")
    return _ram(
        "SpecifiedTradeAllowanceCharge",
        _indicator(charge),
        _amount("CalculationPercent", item.percentage),
        _amount("BasisAmount", item.base_amount),
        _amount("ActualAmount", item.amount),
        _ram("ReasonCode", text=item.reason_code),
        _ram("Reason", text=item.reason),
    )
