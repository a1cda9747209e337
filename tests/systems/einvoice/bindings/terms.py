"""Where each EN 16931 business term lives: in the model, in UBL 2.1 and in CII D16B.

The XPaths follow EN 16931-3-2 (UBL) and EN 16931-3-3 (CII) as the CEN validation artefacts
v1.3.16 test them; UBL paths start at the document element (Invoice or CreditNote), CII paths at
rsm:CrossIndustryInvoice. A model path is a dotted attribute path where ``name[]`` walks a list.
"""

from __future__ import annotations

from typing import Any, NamedTuple

NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}


class Term(NamedTuple):
    model: str
    ubl: str
    cii: str


# UBL ------------------------------------------------------------------------------------------
U_SELLER = "cac:AccountingSupplierParty/cac:Party"
U_BUYER = "cac:AccountingCustomerParty/cac:Party"
U_PAYEE = "cac:PayeeParty"
U_REP = "cac:TaxRepresentativeParty"
U_MEANS = "cac:PaymentMeans"
U_TOTAL = "cac:LegalMonetaryTotal"
U_VAT = "cac:TaxTotal/cac:TaxSubtotal"
U_LINE = "(cac:InvoiceLine|cac:CreditNoteLine)"
U_ITEM = f"{U_LINE}/cac:Item"
U_NOT_SEPA = "[not(translate(@schemeID, 'sepa', 'SEPA') = 'SEPA')]"


def _indicator(path: str, value: bool) -> str:
    """A predicate on an xsd:boolean: "true"/"1" or "false"/"0"."""
    word, digit = ("true", "1") if value else ("false", "0")
    return f"[normalize-space({path}) = '{word}' or normalize-space({path}) = '{digit}']"


U_ALLOWANCE = "cac:AllowanceCharge" + _indicator("cbc:ChargeIndicator", False)
U_CHARGE = "cac:AllowanceCharge" + _indicator("cbc:ChargeIndicator", True)
C_IS_ALLOWANCE = _indicator("ram:ChargeIndicator/udt:Indicator", False)
C_IS_CHARGE = _indicator("ram:ChargeIndicator/udt:Indicator", True)
U_OBJECT = "cac:AdditionalDocumentReference[normalize-space(cbc:DocumentTypeCode) = '130']"
U_PROJECT = (
    "/cn:CreditNote/cac:AdditionalDocumentReference[normalize-space(cbc:DocumentTypeCode) = '50']"
)
U_SUPPORTING = (
    "cac:AdditionalDocumentReference[not(normalize-space(cbc:DocumentTypeCode) = '130')]"
    "[not(/cn:CreditNote and normalize-space(cbc:DocumentTypeCode) = '50')]"
)
U_PRICE = f"{U_LINE}/cac:Price"

# CII ------------------------------------------------------------------------------------------
C_CONTEXT = "rsm:ExchangedDocumentContext"
C_DOC = "rsm:ExchangedDocument"
C_TX = "rsm:SupplyChainTradeTransaction"
C_AGREEMENT = f"{C_TX}/ram:ApplicableHeaderTradeAgreement"
C_DELIVERY = f"{C_TX}/ram:ApplicableHeaderTradeDelivery"
C_SETTLEMENT = f"{C_TX}/ram:ApplicableHeaderTradeSettlement"
C_SELLER = f"{C_AGREEMENT}/ram:SellerTradeParty"
C_BUYER = f"{C_AGREEMENT}/ram:BuyerTradeParty"
C_PAYEE = f"{C_SETTLEMENT}/ram:PayeeTradeParty"
C_REP = f"{C_AGREEMENT}/ram:SellerTaxRepresentativeTradeParty"
C_SHIP_TO = f"{C_DELIVERY}/ram:ShipToTradeParty"
C_MEANS = f"{C_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans"
C_TERMS = f"{C_SETTLEMENT}/ram:SpecifiedTradePaymentTerms"
C_SUM = f"{C_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
C_VAT = f"{C_SETTLEMENT}/ram:ApplicableTradeTax"
C_ALLOWANCE = f"{C_SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge{C_IS_ALLOWANCE}"
C_CHARGE = f"{C_SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge{C_IS_CHARGE}"
C_REFERENCE = f"{C_AGREEMENT}/ram:AdditionalReferencedDocument"
# Every reference that is not a tender (50) or an invoiced object (130) is a supporting document
# (the CEN rules apply BR-52 to all of them); the writer gives them type code 916.
C_SUPPORTING = (
    f"{C_REFERENCE}[not(normalize-space(ram:TypeCode) = '50')]"
    "[not(normalize-space(ram:TypeCode) = '130')]"
)
C_LINE = f"{C_TX}/ram:IncludedSupplyChainTradeLineItem"
C_LINE_SETTLEMENT = f"{C_LINE}/ram:SpecifiedLineTradeSettlement"
C_LINE_AGREEMENT = f"{C_LINE}/ram:SpecifiedLineTradeAgreement"
C_PRODUCT = f"{C_LINE}/ram:SpecifiedTradeProduct"
C_INVOICE_CURRENCY = f"/rsm:CrossIndustryInvoice/{C_SETTLEMENT}/ram:InvoiceCurrencyCode"
C_TAX_CURRENCY = f"/rsm:CrossIndustryInvoice/{C_SETTLEMENT}/ram:TaxCurrencyCode"


def _address(model: str, ubl: str, cii: str, terms: tuple[str, ...]) -> dict[str, Term]:
    """The seven terms of a postal address (BG-5, BG-8, BG-12, BG-15) in term order."""
    fields = (
        ("line1", "cbc:StreetName", "ram:LineOne"),
        ("line2", "cbc:AdditionalStreetName", "ram:LineTwo"),
        ("line3", "cac:AddressLine/cbc:Line", "ram:LineThree"),
        ("city", "cbc:CityName", "ram:CityName"),
        ("postal_code", "cbc:PostalZone", "ram:PostcodeCode"),
        ("subdivision", "cbc:CountrySubentity", "ram:CountrySubDivisionName"),
        ("country", "cac:Country/cbc:IdentificationCode", "ram:CountryID"),
    )
    return {
        term: Term(f"{model}.{name}", f"{ubl}/{u}", f"{cii}/{c}")
        for term, (name, u, c) in zip(terms, fields, strict=True)
    }


def _party(model: str, ubl: str, cii: str, terms: tuple[str, ...]) -> dict[str, Term]:
    """Name, trading name, identifier (+scheme), legal id (+scheme), VAT id, electronic address."""
    name, trading, ident, ident_scheme, legal, legal_scheme, vat, endpoint, endpoint_scheme = terms
    return {
        name: Term(
            f"{model}.name", f"{ubl}/cac:PartyLegalEntity/cbc:RegistrationName", f"{cii}/ram:Name"
        ),
        trading: Term(
            f"{model}.trading_name",
            f"{ubl}/cac:PartyName/cbc:Name",
            f"{cii}/ram:SpecifiedLegalOrganization/ram:TradingBusinessName",
        ),
        ident: Term(
            f"{model}.identifiers[].value",
            f"{ubl}/cac:PartyIdentification/cbc:ID{U_NOT_SEPA}",
            f"{cii}/ram:ID | {cii}/ram:GlobalID",
        ),
        ident_scheme: Term(
            f"{model}.identifiers[].scheme",
            f"{ubl}/cac:PartyIdentification/cbc:ID{U_NOT_SEPA}/@schemeID",
            f"{cii}/ram:GlobalID/@schemeID",
        ),
        legal: Term(
            f"{model}.legal_registration.value",
            f"{ubl}/cac:PartyLegalEntity/cbc:CompanyID",
            f"{cii}/ram:SpecifiedLegalOrganization/ram:ID",
        ),
        legal_scheme: Term(
            f"{model}.legal_registration.scheme",
            f"{ubl}/cac:PartyLegalEntity/cbc:CompanyID/@schemeID",
            f"{cii}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID",
        ),
        vat: Term(
            f"{model}.vat_id",
            f"{ubl}/cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) = 'VAT']"
            "/cbc:CompanyID",
            f"{cii}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID = 'VA']",
        ),
        endpoint: Term(
            f"{model}.electronic_address.value",
            f"{ubl}/cbc:EndpointID",
            f"{cii}/ram:URIUniversalCommunication/ram:URIID",
        ),
        endpoint_scheme: Term(
            f"{model}.electronic_address.scheme",
            f"{ubl}/cbc:EndpointID/@schemeID",
            f"{cii}/ram:URIUniversalCommunication/ram:URIID/@schemeID",
        ),
    }


def _contact(model: str, ubl: str, cii: str, terms: tuple[str, str, str]) -> dict[str, Term]:
    name, telephone, email = terms
    contact = f"{cii}/ram:DefinedTradeContact"
    return {
        name: Term(
            f"{model}.contact.name",
            f"{ubl}/cac:Contact/cbc:Name",
            f"{contact}/ram:PersonName | {contact}/ram:DepartmentName",
        ),
        telephone: Term(
            f"{model}.contact.telephone",
            f"{ubl}/cac:Contact/cbc:Telephone",
            f"{contact}/ram:TelephoneUniversalCommunication/ram:CompleteNumber",
        ),
        email: Term(
            f"{model}.contact.email",
            f"{ubl}/cac:Contact/cbc:ElectronicMail",
            f"{contact}/ram:EmailURIUniversalCommunication/ram:URIID",
        ),
    }


def _allowances(
    model: str, ubl: str, cii: str, terms: tuple[str, ...], *, document: bool
) -> dict[str, Term]:
    """BG-20/21 (with VAT category and rate) or BG-27/28."""
    fields = [
        ("amount", "cbc:Amount", "ram:ActualAmount"),
        ("base_amount", "cbc:BaseAmount", "ram:BasisAmount"),
        ("percentage", "cbc:MultiplierFactorNumeric", "ram:CalculationPercent"),
    ]
    if document:
        fields += [
            ("vat_category", "cac:TaxCategory/cbc:ID", "ram:CategoryTradeTax/ram:CategoryCode"),
            (
                "vat_rate",
                "cac:TaxCategory/cbc:Percent",
                "ram:CategoryTradeTax/ram:RateApplicablePercent",
            ),
        ]
    fields += [
        ("reason", "cbc:AllowanceChargeReason", "ram:Reason"),
        ("reason_code", "cbc:AllowanceChargeReasonCode", "ram:ReasonCode"),
    ]
    return {
        term: Term(f"{model}.{name}", f"{ubl}/{u}", f"{cii}/{c}")
        for term, (name, u, c) in zip(terms, fields, strict=True)
    }


TERMS: dict[str, Term] = {
    "BT-1": Term("number", "cbc:ID", f"{C_DOC}/ram:ID"),
    "BT-2": Term("issue_date", "cbc:IssueDate", f"{C_DOC}/ram:IssueDateTime/udt:DateTimeString"),
    "BT-3": Term(
        "type_code", "cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode", f"{C_DOC}/ram:TypeCode"
    ),
    "BT-5": Term("currency", "cbc:DocumentCurrencyCode", f"{C_SETTLEMENT}/ram:InvoiceCurrencyCode"),
    "BT-6": Term(
        "tax_currency",
        "cbc:TaxCurrencyCode",
        f"{C_SETTLEMENT}/ram:TaxCurrencyCode",
    ),
    "BT-7": Term("tax_point_date", "cbc:TaxPointDate", f"{C_VAT}/ram:TaxPointDate/udt:DateString"),
    "BT-8": Term(
        "tax_point_date_code",
        "cac:InvoicePeriod/cbc:DescriptionCode",
        f"{C_VAT}/ram:DueDateTypeCode",
    ),
    "BT-9": Term(
        "due_date",
        "cbc:DueDate | cac:PaymentMeans/cbc:PaymentDueDate",
        f"{C_TERMS}/ram:DueDateDateTime/udt:DateTimeString",
    ),
    "BT-10": Term("buyer_reference", "cbc:BuyerReference", f"{C_AGREEMENT}/ram:BuyerReference"),
    "BT-11": Term(
        "project_reference",
        f"cac:ProjectReference/cbc:ID | {U_PROJECT}/cbc:ID",
        f"{C_AGREEMENT}/ram:SpecifiedProcuringProject/ram:ID",
    ),
    "BT-12": Term(
        "contract_reference",
        "cac:ContractDocumentReference/cbc:ID",
        f"{C_AGREEMENT}/ram:ContractReferencedDocument/ram:IssuerAssignedID",
    ),
    "BT-13": Term(
        "purchase_order_reference",
        # "NA" with a sales order is the Peppol placeholder for "no purchase order".
        "cac:OrderReference/cbc:ID[not(normalize-space() = 'NA' and ../cbc:SalesOrderID)]",
        f"{C_AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
    ),
    "BT-14": Term(
        "sales_order_reference",
        "cac:OrderReference/cbc:SalesOrderID",
        f"{C_AGREEMENT}/ram:SellerOrderReferencedDocument/ram:IssuerAssignedID",
    ),
    "BT-15": Term(
        "receiving_advice_reference",
        "cac:ReceiptDocumentReference/cbc:ID",
        f"{C_DELIVERY}/ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID",
    ),
    "BT-16": Term(
        "despatch_advice_reference",
        "cac:DespatchDocumentReference/cbc:ID",
        f"{C_DELIVERY}/ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID",
    ),
    "BT-17": Term(
        "tender_reference",
        "cac:OriginatorDocumentReference/cbc:ID",
        f"{C_REFERENCE}[normalize-space(ram:TypeCode) = '50']/ram:IssuerAssignedID",
    ),
    "BT-18": Term(
        "invoiced_object.value",
        f"{U_OBJECT}/cbc:ID",
        f"{C_REFERENCE}[normalize-space(ram:TypeCode) = '130']/ram:IssuerAssignedID",
    ),
    "BT-18-1": Term(
        "invoiced_object.scheme",
        f"{U_OBJECT}/cbc:ID/@schemeID",
        f"{C_REFERENCE}[normalize-space(ram:TypeCode) = '130']/ram:ReferenceTypeCode",
    ),
    "BT-19": Term(
        "buyer_accounting_reference",
        "cbc:AccountingCost",
        f"{C_SETTLEMENT}/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID",
    ),
    "BT-20": Term("payment_terms", "cac:PaymentTerms/cbc:Note", f"{C_TERMS}/ram:Description"),
    "BT-21": Term(
        "notes[].subject_code",
        "cbc:Note[starts-with(., '#') and substring(., 5, 1) = '#']",
        f"{C_DOC}/ram:IncludedNote/ram:SubjectCode",
    ),
    "BT-22": Term("notes[].text", "cbc:Note", f"{C_DOC}/ram:IncludedNote/ram:Content"),
    "BT-23": Term(
        "process_id",
        "cbc:ProfileID",
        f"{C_CONTEXT}/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
    ),
    "BT-24": Term(
        "specification_id",
        "cbc:CustomizationID",
        f"{C_CONTEXT}/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
    ),
    "BT-25": Term(
        "preceding_invoices[].number",
        "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
        f"{C_SETTLEMENT}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
    ),
    "BT-26": Term(
        "preceding_invoices[].issue_date",
        "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate",
        f"{C_SETTLEMENT}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString",
    ),
    **_party(
        "seller",
        U_SELLER,
        C_SELLER,
        ("BT-27", "BT-28", "BT-29", "BT-29-1", "BT-30", "BT-30-1", "BT-31", "BT-34", "BT-34-1"),
    ),
    "BT-32": Term(
        "seller.tax_registration_id",
        f"{U_SELLER}/cac:PartyTaxScheme[not(normalize-space(cac:TaxScheme/cbc:ID) = 'VAT')]"
        "/cbc:CompanyID",
        f"{C_SELLER}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID = 'FC']",
    ),
    "BT-33": Term(
        "seller.additional_legal_info",
        f"{U_SELLER}/cac:PartyLegalEntity/cbc:CompanyLegalForm",
        f"{C_SELLER}/ram:Description",
    ),
    **_address(
        "seller.address",
        f"{U_SELLER}/cac:PostalAddress",
        f"{C_SELLER}/ram:PostalTradeAddress",
        ("BT-35", "BT-36", "BT-162", "BT-37", "BT-38", "BT-39", "BT-40"),
    ),
    **_contact("seller", U_SELLER, C_SELLER, ("BT-41", "BT-42", "BT-43")),
    **_party(
        "buyer",
        U_BUYER,
        C_BUYER,
        ("BT-44", "BT-45", "BT-46", "BT-46-1", "BT-47", "BT-47-1", "BT-48", "BT-49", "BT-49-1"),
    ),
    **_address(
        "buyer.address",
        f"{U_BUYER}/cac:PostalAddress",
        f"{C_BUYER}/ram:PostalTradeAddress",
        ("BT-50", "BT-51", "BT-163", "BT-52", "BT-53", "BT-54", "BT-55"),
    ),
    **_contact("buyer", U_BUYER, C_BUYER, ("BT-56", "BT-57", "BT-58")),
    "BT-59": Term("payee.name", f"{U_PAYEE}/cac:PartyName/cbc:Name", f"{C_PAYEE}/ram:Name"),
    "BT-60": Term(
        "payee.identifier.value",
        f"{U_PAYEE}/cac:PartyIdentification/cbc:ID{U_NOT_SEPA}",
        f"{C_PAYEE}/ram:ID | {C_PAYEE}/ram:GlobalID",
    ),
    "BT-60-1": Term(
        "payee.identifier.scheme",
        f"{U_PAYEE}/cac:PartyIdentification/cbc:ID{U_NOT_SEPA}/@schemeID",
        f"{C_PAYEE}/ram:GlobalID/@schemeID",
    ),
    "BT-61": Term(
        "payee.legal_registration.value",
        f"{U_PAYEE}/cac:PartyLegalEntity/cbc:CompanyID",
        f"{C_PAYEE}/ram:SpecifiedLegalOrganization/ram:ID",
    ),
    "BT-61-1": Term(
        "payee.legal_registration.scheme",
        f"{U_PAYEE}/cac:PartyLegalEntity/cbc:CompanyID/@schemeID",
        f"{C_PAYEE}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID",
    ),
    "BT-62": Term(
        "tax_representative.name", f"{U_REP}/cac:PartyName/cbc:Name", f"{C_REP}/ram:Name"
    ),
    "BT-63": Term(
        "tax_representative.vat_id",
        f"{U_REP}/cac:PartyTaxScheme/cbc:CompanyID",
        f"{C_REP}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID = 'VA']",
    ),
    **_address(
        "tax_representative.address",
        f"{U_REP}/cac:PostalAddress",
        f"{C_REP}/ram:PostalTradeAddress",
        ("BT-64", "BT-65", "BT-164", "BT-66", "BT-67", "BT-68", "BT-69"),
    ),
    "BT-70": Term(
        "delivery.party_name",
        "cac:Delivery/cac:DeliveryParty/cac:PartyName/cbc:Name",
        f"{C_SHIP_TO}/ram:Name",
    ),
    "BT-71": Term(
        "delivery.location.value",
        "cac:Delivery/cac:DeliveryLocation/cbc:ID",
        f"{C_SHIP_TO}/ram:ID | {C_SHIP_TO}/ram:GlobalID",
    ),
    "BT-71-1": Term(
        "delivery.location.scheme",
        "cac:Delivery/cac:DeliveryLocation/cbc:ID/@schemeID",
        f"{C_SHIP_TO}/ram:GlobalID/@schemeID",
    ),
    "BT-72": Term(
        "delivery.actual_date",
        "cac:Delivery/cbc:ActualDeliveryDate",
        f"{C_DELIVERY}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString",
    ),
    "BT-73": Term(
        "invoice_period.start",
        "cac:InvoicePeriod/cbc:StartDate",
        f"{C_SETTLEMENT}/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString",
    ),
    "BT-74": Term(
        "invoice_period.end",
        "cac:InvoicePeriod/cbc:EndDate",
        f"{C_SETTLEMENT}/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString",
    ),
    **_address(
        "delivery.address",
        "cac:Delivery/cac:DeliveryLocation/cac:Address",
        f"{C_SHIP_TO}/ram:PostalTradeAddress",
        ("BT-75", "BT-76", "BT-165", "BT-77", "BT-78", "BT-79", "BT-80"),
    ),
    "BT-81": Term(
        "payment_instructions.means_code",
        f"{U_MEANS}/cbc:PaymentMeansCode",
        f"{C_MEANS}/ram:TypeCode",
    ),
    "BT-82": Term(
        "payment_instructions.means_text",
        f"{U_MEANS}/cbc:PaymentMeansCode/@name",
        f"{C_MEANS}/ram:Information",
    ),
    "BT-83": Term(
        "payment_instructions.remittance_information",
        f"{U_MEANS}/cbc:PaymentID",
        f"{C_SETTLEMENT}/ram:PaymentReference",
    ),
    "BT-84": Term(
        "payment_instructions.credit_transfers[].account_id",
        f"{U_MEANS}/cac:PayeeFinancialAccount/cbc:ID",
        f"{C_MEANS}/ram:PayeePartyCreditorFinancialAccount/ram:IBANID"
        f" | {C_MEANS}/ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID",
    ),
    "BT-85": Term(
        "payment_instructions.credit_transfers[].account_name",
        f"{U_MEANS}/cac:PayeeFinancialAccount/cbc:Name",
        f"{C_MEANS}/ram:PayeePartyCreditorFinancialAccount/ram:AccountName",
    ),
    "BT-86": Term(
        "payment_instructions.credit_transfers[].service_provider",
        f"{U_MEANS}/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID",
        f"{C_MEANS}/ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID",
    ),
    "BT-87": Term(
        "payment_instructions.card.primary_account_number",
        f"{U_MEANS}/cac:CardAccount/cbc:PrimaryAccountNumberID",
        f"{C_MEANS}/ram:ApplicableTradeSettlementFinancialCard/ram:ID",
    ),
    "BT-88": Term(
        "payment_instructions.card.holder_name",
        f"{U_MEANS}/cac:CardAccount/cbc:HolderName",
        f"{C_MEANS}/ram:ApplicableTradeSettlementFinancialCard/ram:CardholderName",
    ),
    "BT-89": Term(
        "payment_instructions.direct_debit.mandate_reference",
        f"{U_MEANS}/cac:PaymentMandate/cbc:ID",
        f"{C_TERMS}/ram:DirectDebitMandateID",
    ),
    "BT-90": Term(
        "payment_instructions.direct_debit.creditor_id",
        f"({U_SELLER} | {U_PAYEE})/cac:PartyIdentification/cbc:ID[@schemeID = 'SEPA']"
        "[/*/cac:PaymentMeans]",
        f"{C_SETTLEMENT}/ram:CreditorReferenceID",
    ),
    "BT-91": Term(
        "payment_instructions.direct_debit.debited_account",
        f"{U_MEANS}/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID",
        f"{C_MEANS}/ram:PayerPartyDebtorFinancialAccount/ram:IBANID",
    ),
    **_allowances(
        "allowances[]",
        U_ALLOWANCE,
        C_ALLOWANCE,
        ("BT-92", "BT-93", "BT-94", "BT-95", "BT-96", "BT-97", "BT-98"),
        document=True,
    ),
    **_allowances(
        "charges[]",
        U_CHARGE,
        C_CHARGE,
        ("BT-99", "BT-100", "BT-101", "BT-102", "BT-103", "BT-104", "BT-105"),
        document=True,
    ),
    "BT-106": Term(
        "totals.line_total", f"{U_TOTAL}/cbc:LineExtensionAmount", f"{C_SUM}/ram:LineTotalAmount"
    ),
    "BT-107": Term(
        "totals.allowance_total",
        f"{U_TOTAL}/cbc:AllowanceTotalAmount",
        f"{C_SUM}/ram:AllowanceTotalAmount",
    ),
    "BT-108": Term(
        "totals.charge_total", f"{U_TOTAL}/cbc:ChargeTotalAmount", f"{C_SUM}/ram:ChargeTotalAmount"
    ),
    "BT-109": Term(
        "totals.tax_exclusive",
        f"{U_TOTAL}/cbc:TaxExclusiveAmount",
        f"{C_SUM}/ram:TaxBasisTotalAmount",
    ),
    "BT-110": Term(
        "totals.vat_total",
        "cac:TaxTotal/cbc:TaxAmount[@currencyID = /*/cbc:DocumentCurrencyCode]",
        f"{C_SUM}/ram:TaxTotalAmount[not(@currencyID) or @currencyID = {C_INVOICE_CURRENCY}]",
    ),
    "BT-111": Term(
        "totals.vat_total_tax_currency",
        "cac:TaxTotal/cbc:TaxAmount[@currencyID = /*/cbc:TaxCurrencyCode]"
        "[not(/*/cbc:TaxCurrencyCode = /*/cbc:DocumentCurrencyCode)]",
        f"{C_SUM}/ram:TaxTotalAmount[@currencyID = {C_TAX_CURRENCY}]"
        f"[not({C_TAX_CURRENCY} = {C_INVOICE_CURRENCY})]",
    ),
    "BT-112": Term(
        "totals.tax_inclusive",
        f"{U_TOTAL}/cbc:TaxInclusiveAmount",
        f"{C_SUM}/ram:GrandTotalAmount",
    ),
    "BT-113": Term(
        "totals.prepaid", f"{U_TOTAL}/cbc:PrepaidAmount", f"{C_SUM}/ram:TotalPrepaidAmount"
    ),
    "BT-114": Term(
        "totals.rounding", f"{U_TOTAL}/cbc:PayableRoundingAmount", f"{C_SUM}/ram:RoundingAmount"
    ),
    "BT-115": Term(
        "totals.payable", f"{U_TOTAL}/cbc:PayableAmount", f"{C_SUM}/ram:DuePayableAmount"
    ),
    "BT-116": Term(
        "vat_breakdown[].taxable_amount", f"{U_VAT}/cbc:TaxableAmount", f"{C_VAT}/ram:BasisAmount"
    ),
    "BT-117": Term(
        "vat_breakdown[].tax_amount", f"{U_VAT}/cbc:TaxAmount", f"{C_VAT}/ram:CalculatedAmount"
    ),
    "BT-118": Term(
        "vat_breakdown[].category", f"{U_VAT}/cac:TaxCategory/cbc:ID", f"{C_VAT}/ram:CategoryCode"
    ),
    "BT-119": Term(
        "vat_breakdown[].rate",
        f"{U_VAT}/cac:TaxCategory/cbc:Percent",
        f"{C_VAT}/ram:RateApplicablePercent",
    ),
    "BT-120": Term(
        "vat_breakdown[].exemption_reason",
        f"{U_VAT}/cac:TaxCategory/cbc:TaxExemptionReason",
        f"{C_VAT}/ram:ExemptionReason",
    ),
    "BT-121": Term(
        "vat_breakdown[].exemption_reason_code",
        f"{U_VAT}/cac:TaxCategory/cbc:TaxExemptionReasonCode",
        f"{C_VAT}/ram:ExemptionReasonCode",
    ),
    "BT-122": Term(
        "supporting_documents[].reference",
        f"{U_SUPPORTING}/cbc:ID",
        f"{C_SUPPORTING}/ram:IssuerAssignedID",
    ),
    "BT-123": Term(
        "supporting_documents[].description",
        f"{U_SUPPORTING}/cbc:DocumentDescription",
        f"{C_SUPPORTING}/ram:Name",
    ),
    "BT-124": Term(
        "supporting_documents[].external_uri",
        f"{U_SUPPORTING}/cac:Attachment/cac:ExternalReference/cbc:URI",
        f"{C_SUPPORTING}/ram:URIID",
    ),
    "BT-125": Term(
        "supporting_documents[].attachment.content_base64",
        f"{U_SUPPORTING}/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        f"{C_SUPPORTING}/ram:AttachmentBinaryObject",
    ),
    "BT-125-1": Term(
        "supporting_documents[].attachment.mime_code",
        f"{U_SUPPORTING}/cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode",
        f"{C_SUPPORTING}/ram:AttachmentBinaryObject/@mimeCode",
    ),
    "BT-125-2": Term(
        "supporting_documents[].attachment.filename",
        f"{U_SUPPORTING}/cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@filename",
        f"{C_SUPPORTING}/ram:AttachmentBinaryObject/@filename",
    ),
    "BT-126": Term(
        "lines[].id", f"{U_LINE}/cbc:ID", f"{C_LINE}/ram:AssociatedDocumentLineDocument/ram:LineID"
    ),
    "BT-127": Term(
        "lines[].note",
        f"{U_LINE}/cbc:Note",
        f"{C_LINE}/ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content",
    ),
    "BT-128": Term(
        "lines[].object_id.value",
        f"{U_LINE}/cac:DocumentReference/cbc:ID",
        f"{C_LINE_SETTLEMENT}/ram:AdditionalReferencedDocument/ram:IssuerAssignedID",
    ),
    "BT-128-1": Term(
        "lines[].object_id.scheme",
        f"{U_LINE}/cac:DocumentReference/cbc:ID/@schemeID",
        f"{C_LINE_SETTLEMENT}/ram:AdditionalReferencedDocument/ram:ReferenceTypeCode",
    ),
    "BT-129": Term(
        "lines[].quantity",
        f"{U_LINE}/cbc:InvoicedQuantity | {U_LINE}/cbc:CreditedQuantity",
        f"{C_LINE}/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity",
    ),
    "BT-130": Term(
        "lines[].unit",
        f"{U_LINE}/cbc:InvoicedQuantity/@unitCode | {U_LINE}/cbc:CreditedQuantity/@unitCode",
        f"{C_LINE}/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode",
    ),
    "BT-131": Term(
        "lines[].net_amount",
        f"{U_LINE}/cbc:LineExtensionAmount",
        f"{C_LINE_SETTLEMENT}/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
    ),
    "BT-132": Term(
        "lines[].order_line_reference",
        f"{U_LINE}/cac:OrderLineReference/cbc:LineID",
        f"{C_LINE_AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:LineID",
    ),
    "BT-133": Term(
        "lines[].accounting_reference",
        f"{U_LINE}/cbc:AccountingCost",
        f"{C_LINE_SETTLEMENT}/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID",
    ),
    "BT-134": Term(
        "lines[].period.start",
        f"{U_LINE}/cac:InvoicePeriod/cbc:StartDate",
        f"{C_LINE_SETTLEMENT}/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString",
    ),
    "BT-135": Term(
        "lines[].period.end",
        f"{U_LINE}/cac:InvoicePeriod/cbc:EndDate",
        f"{C_LINE_SETTLEMENT}/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString",
    ),
    **_allowances(
        "lines[].allowances[]",
        f"{U_LINE}/{U_ALLOWANCE}",
        f"{C_LINE_SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge{C_IS_ALLOWANCE}",
        ("BT-136", "BT-137", "BT-138", "BT-139", "BT-140"),
        document=False,
    ),
    **_allowances(
        "lines[].charges[]",
        f"{U_LINE}/{U_CHARGE}",
        f"{C_LINE_SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge{C_IS_CHARGE}",
        ("BT-141", "BT-142", "BT-143", "BT-144", "BT-145"),
        document=False,
    ),
    "BT-146": Term(
        "lines[].price.net_price",
        f"{U_PRICE}/cbc:PriceAmount",
        f"{C_LINE_AGREEMENT}/ram:NetPriceProductTradePrice/ram:ChargeAmount",
    ),
    "BT-147": Term(
        "lines[].price.discount",
        f"{U_PRICE}/cac:AllowanceCharge/cbc:Amount",
        f"{C_LINE_AGREEMENT}/ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge"
        "/ram:ActualAmount",
    ),
    "BT-148": Term(
        "lines[].price.gross_price",
        f"{U_PRICE}/cac:AllowanceCharge/cbc:BaseAmount",
        f"{C_LINE_AGREEMENT}/ram:GrossPriceProductTradePrice/ram:ChargeAmount",
    ),
    "BT-149": Term(
        "lines[].price.base_quantity",
        f"{U_PRICE}/cbc:BaseQuantity",
        f"{C_LINE_AGREEMENT}/ram:NetPriceProductTradePrice/ram:BasisQuantity",
    ),
    "BT-150": Term(
        "lines[].price.base_quantity_unit",
        f"{U_PRICE}/cbc:BaseQuantity/@unitCode",
        f"{C_LINE_AGREEMENT}/ram:NetPriceProductTradePrice/ram:BasisQuantity/@unitCode",
    ),
    "BT-151": Term(
        "lines[].item.vat_category",
        f"{U_ITEM}/cac:ClassifiedTaxCategory/cbc:ID",
        f"{C_LINE_SETTLEMENT}/ram:ApplicableTradeTax/ram:CategoryCode",
    ),
    "BT-152": Term(
        "lines[].item.vat_rate",
        f"{U_ITEM}/cac:ClassifiedTaxCategory/cbc:Percent",
        f"{C_LINE_SETTLEMENT}/ram:ApplicableTradeTax/ram:RateApplicablePercent",
    ),
    "BT-153": Term("lines[].item.name", f"{U_ITEM}/cbc:Name", f"{C_PRODUCT}/ram:Name"),
    "BT-154": Term(
        "lines[].item.description", f"{U_ITEM}/cbc:Description", f"{C_PRODUCT}/ram:Description"
    ),
    "BT-155": Term(
        "lines[].item.sellers_id",
        f"{U_ITEM}/cac:SellersItemIdentification/cbc:ID",
        f"{C_PRODUCT}/ram:SellerAssignedID",
    ),
    "BT-156": Term(
        "lines[].item.buyers_id",
        f"{U_ITEM}/cac:BuyersItemIdentification/cbc:ID",
        f"{C_PRODUCT}/ram:BuyerAssignedID",
    ),
    "BT-157": Term(
        "lines[].item.standard_id.value",
        f"{U_ITEM}/cac:StandardItemIdentification/cbc:ID",
        f"{C_PRODUCT}/ram:GlobalID",
    ),
    "BT-157-1": Term(
        "lines[].item.standard_id.scheme",
        f"{U_ITEM}/cac:StandardItemIdentification/cbc:ID/@schemeID",
        f"{C_PRODUCT}/ram:GlobalID/@schemeID",
    ),
    "BT-158": Term(
        "lines[].item.classifications[].code",
        f"{U_ITEM}/cac:CommodityClassification/cbc:ItemClassificationCode",
        f"{C_PRODUCT}/ram:DesignatedProductClassification/ram:ClassCode",
    ),
    "BT-158-1": Term(
        "lines[].item.classifications[].list_id",
        f"{U_ITEM}/cac:CommodityClassification/cbc:ItemClassificationCode/@listID",
        f"{C_PRODUCT}/ram:DesignatedProductClassification/ram:ClassCode/@listID",
    ),
    "BT-158-2": Term(
        "lines[].item.classifications[].list_version",
        f"{U_ITEM}/cac:CommodityClassification/cbc:ItemClassificationCode/@listVersionID",
        f"{C_PRODUCT}/ram:DesignatedProductClassification/ram:ClassCode/@listVersionID",
    ),
    "BT-159": Term(
        "lines[].item.origin_country",
        f"{U_ITEM}/cac:OriginCountry/cbc:IdentificationCode",
        f"{C_PRODUCT}/ram:OriginTradeCountry/ram:ID",
    ),
    "BT-160": Term(
        "lines[].item.attributes[].name",
        f"{U_ITEM}/cac:AdditionalItemProperty/cbc:Name",
        f"{C_PRODUCT}/ram:ApplicableProductCharacteristic/ram:Description",
    ),
    "BT-161": Term(
        "lines[].item.attributes[].value",
        f"{U_ITEM}/cac:AdditionalItemProperty/cbc:Value",
        f"{C_PRODUCT}/ram:ApplicableProductCharacteristic/ram:Value",
    ),
}

# Repeatable terms whose every occurrence in a conformant document is one value in the model.
COUNTED = frozenset(
    {
        "BT-22", "BT-84", "BT-92", "BT-99", "BT-116", "BT-122", "BT-126", "BT-129", "BT-131",
        "BT-136", "BT-141", "BT-146", "BT-151", "BT-153", "BT-158", "BT-160", "BT-161",
    }
)  # fmt: skip


def present(root: Any, xpath: str) -> int:
    """How many nodes (elements or attributes) the XPath selects with non-blank text."""
    found = root.xpath(xpath, namespaces=NAMESPACES)
    if not isinstance(found, list):
        found = [found]
    return sum(1 for node in found if _carries_text(node))


def _carries_text(node: Any) -> bool:
    """An element with text, or an attribute (a scheme) of an element with text."""
    if hasattr(node, "itertext"):
        return bool("".join(node.itertext()).strip())
    if getattr(node, "is_attribute", False):
        return bool(str(node).strip()) and _carries_text(node.getparent())
    return bool(str(node).strip())


def model_values(invoice: Any, path: str) -> list[Any]:
    """The non-empty values at a model path (``name[]`` walks into a list)."""
    current: list[Any] = [invoice]
    for part in path.split("."):
        name = part.removesuffix("[]")
        following: list[Any] = []
        for value in current:
            if value is None:
                continue
            attribute = getattr(value, name)
            following.extend(attribute if part.endswith("[]") else [attribute])
        current = following
    return [value for value in current if value is not None and value != ""]
