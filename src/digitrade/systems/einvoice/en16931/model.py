"""The EN 16931-1 semantic data model as typed Python objects.

Every field names its business term (BT-n) or group (BG-n), so the UBL and CII bindings, the
fully digitalised e-invoice mapping and the rendering all speak the same vocabulary. Amounts and
quantities are ``Decimal``; dates are ``datetime.date``; codes are checked against the code lists
that the EN 16931 validation artefacts use (``codelists``).

An ``Invoice`` read from a file keeps the totals and VAT breakdown the file states. An invoice being
issued leaves them out and ``calculation.complete`` computes them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from digitrade.systems.einvoice.en16931 import codelists

EN16931_SPECIFICATION = "urn:cen.eu:en16931:2017"
PEPPOL_BIS3_SPECIFICATION = (
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
)
PEPPOL_BIS3_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

# Characters XML 1.0 cannot carry (C0 controls other than tab, newline, carriage return).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Bounds that keep every amount exact through computation and storage (15 significant digits).
LARGEST = Decimal(10) ** 12
DECIMAL_PLACES = 10

# UNTDID 1001 codes that a UBL CreditNote (rather than an Invoice) carries.
CREDIT_NOTE_TYPES = frozenset(codelists.CREDIT_NOTE_TYPE_CODES)


def _in(code_list: frozenset[str], name: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in code_list:
            raise ValueError(f"{value!r} is not a known {name}")
        return value

    return AfterValidator(check)


CurrencyCode = Annotated[str, _in(codelists.CURRENCY_CODES, "ISO 4217 currency code")]
CountryCode = Annotated[str, _in(codelists.COUNTRY_CODES, "ISO 3166-1 alpha-2 country code")]
UnitCode = Annotated[str, _in(codelists.UNIT_CODES, "UN/ECE Rec 20/21 unit code")]
VatCategory = Annotated[str, _in(codelists.VAT_CATEGORY_CODES, "UNTDID 5305 VAT category")]
TypeCode = Annotated[
    str,
    _in(
        codelists.INVOICE_TYPE_CODES | codelists.CREDIT_NOTE_TYPE_CODES,
        "UNTDID 1001 invoice type code",
    ),
]
PeriodCode = Annotated[
    str, _in(codelists.PERIOD_DESCRIPTION_CODES, "UNTDID 2005 tax point date code")
]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]


class Term(BaseModel):
    """Base of every model object: unknown fields are errors, values are checked on assignment.

    Every text must be writable as XML 1.0 and every number must be finite and within
    ``LARGEST`` with at most ``DECIMAL_PLACES`` decimals, so that a value the model accepts can
    always be computed, written and stored exactly.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="after")
    @classmethod
    def _writable(cls, value: object) -> object:
        if isinstance(value, str) and XML_FORBIDDEN.search(value):
            raise ValueError("contains a control character XML cannot carry")
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError("must be a finite number")
            if abs(value) >= LARGEST:
                raise ValueError(f"must be less than {LARGEST:,} in size")
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int) and exponent < -DECIMAL_PLACES:
                raise ValueError(f"has more than {DECIMAL_PLACES} decimals")
        return value


class Identifier(Term):
    """An identifier with its optional scheme (ISO 6523 ICD, EAS or UNTDID 1153)."""

    value: Text
    scheme: str | None = None


class Note(Term):
    """BG-1 Invoice note."""

    subject_code: str | None = Field(default=None, description="BT-21 Invoice note subject code")
    text: Text = Field(description="BT-22 Invoice note")


class PrecedingInvoice(Term):
    """BG-3 Preceding invoice reference."""

    number: Text = Field(description="BT-25 Preceding Invoice reference")
    issue_date: dt.date | None = Field(
        default=None, description="BT-26 Preceding Invoice issue date"
    )


class Address(Term):
    """BG-5 / BG-8 / BG-12 / BG-15 postal address."""

    line1: str | None = Field(default=None, description="BT-35 Address line 1")
    line2: str | None = Field(default=None, description="BT-36 Address line 2")
    line3: str | None = Field(default=None, description="BT-162 Address line 3")
    city: str | None = Field(default=None, description="BT-37 City")
    postal_code: str | None = Field(default=None, description="BT-38 Post code")
    subdivision: str | None = Field(default=None, description="BT-39 Country subdivision")
    country: CountryCode = Field(description="BT-40 Country code")


class Contact(Term):
    """BG-6 / BG-9 contact."""

    name: str | None = Field(default=None, description="BT-41 Contact point")
    telephone: str | None = Field(default=None, description="BT-42 Contact telephone number")
    email: str | None = Field(default=None, description="BT-43 Contact email address")


class Party(Term):
    """BG-4 Seller or BG-7 Buyer (seller-only terms stay empty for a buyer)."""

    name: Text = Field(description="BT-27 Seller name / BT-44 Buyer name")
    trading_name: str | None = Field(default=None, description="BT-28 / BT-45 Trading name")
    identifiers: list[Identifier] = Field(
        default_factory=list, description="BT-29 Seller identifier / BT-46 Buyer identifier"
    )
    legal_registration: Identifier | None = Field(
        default=None, description="BT-30 / BT-47 Legal registration identifier"
    )
    vat_id: str | None = Field(default=None, description="BT-31 / BT-48 VAT identifier")
    tax_registration_id: str | None = Field(
        default=None, description="BT-32 Seller tax registration identifier"
    )
    additional_legal_info: str | None = Field(
        default=None, description="BT-33 Seller additional legal information"
    )
    electronic_address: Identifier | None = Field(
        default=None, description="BT-34 / BT-49 Electronic address (scheme: EAS code)"
    )
    address: Address = Field(description="BG-5 / BG-8 Postal address")
    contact: Contact | None = Field(default=None, description="BG-6 / BG-9 Contact")


class Payee(Term):
    """BG-10 Payee."""

    name: Text = Field(description="BT-59 Payee name")
    identifier: Identifier | None = Field(default=None, description="BT-60 Payee identifier")
    legal_registration: Identifier | None = Field(
        default=None, description="BT-61 Payee legal registration identifier"
    )


class TaxRepresentative(Term):
    """BG-11 Seller tax representative party."""

    name: Text = Field(description="BT-62 Seller tax representative name")
    vat_id: Text = Field(description="BT-63 Seller tax representative VAT identifier")
    address: Address = Field(description="BG-12 Seller tax representative postal address")


class Delivery(Term):
    """BG-13 Delivery information."""

    party_name: str | None = Field(default=None, description="BT-70 Deliver to party name")
    location: Identifier | None = Field(default=None, description="BT-71 Deliver to location id")
    actual_date: dt.date | None = Field(default=None, description="BT-72 Actual delivery date")
    address: Address | None = Field(default=None, description="BG-15 Deliver to address")


class Period(Term):
    """BG-14 Invoicing period / BG-26 Invoice line period."""

    start: dt.date | None = Field(default=None, description="BT-73 / BT-134 Start date")
    end: dt.date | None = Field(default=None, description="BT-74 / BT-135 End date")


class CreditTransfer(Term):
    """BG-17 Credit transfer."""

    account_id: Text = Field(description="BT-84 Payment account identifier (IBAN or other)")
    account_name: str | None = Field(default=None, description="BT-85 Payment account name")
    service_provider: str | None = Field(
        default=None, description="BT-86 Payment service provider identifier (BIC)"
    )


class PaymentCard(Term):
    """BG-18 Payment card information."""

    primary_account_number: Text = Field(description="BT-87 Payment card primary account number")
    holder_name: str | None = Field(default=None, description="BT-88 Payment card holder name")


class DirectDebit(Term):
    """BG-19 Direct debit."""

    mandate_reference: str | None = Field(default=None, description="BT-89 Mandate reference")
    creditor_id: str | None = Field(default=None, description="BT-90 Bank assigned creditor id")
    debited_account: str | None = Field(default=None, description="BT-91 Debited account id")


class PaymentInstructions(Term):
    """BG-16 Payment instructions."""

    means_code: str = Field(description="BT-81 Payment means type code (UNTDID 4461)")
    means_text: str | None = Field(default=None, description="BT-82 Payment means text")
    remittance_information: str | None = Field(default=None, description="BT-83 Remittance info")
    credit_transfers: list[CreditTransfer] = Field(default_factory=list, description="BG-17")
    card: PaymentCard | None = Field(default=None, description="BG-18")
    direct_debit: DirectDebit | None = Field(default=None, description="BG-19")


class AllowanceCharge(Term):
    """BG-20 Document level allowance / BG-21 Document level charge."""

    amount: Decimal | None = Field(
        default=None,
        description="BT-92 / BT-99 Amount (computed from base and percentage if left out)",
    )
    base_amount: Decimal | None = Field(default=None, description="BT-93 / BT-100 Base amount")
    percentage: Decimal | None = Field(default=None, description="BT-94 / BT-101 Percentage")
    vat_category: VatCategory = Field(description="BT-95 / BT-102 VAT category code")
    vat_rate: Decimal | None = Field(default=None, description="BT-96 / BT-103 VAT rate")
    reason: str | None = Field(default=None, description="BT-97 / BT-104 Reason")
    reason_code: str | None = Field(default=None, description="BT-98 / BT-105 Reason code")


class LineAllowanceCharge(Term):
    """BG-27 Invoice line allowance / BG-28 Invoice line charge."""

    amount: Decimal | None = Field(default=None, description="BT-136 / BT-141 Amount")
    base_amount: Decimal | None = Field(default=None, description="BT-137 / BT-142 Base amount")
    percentage: Decimal | None = Field(default=None, description="BT-138 / BT-143 Percentage")
    reason: str | None = Field(default=None, description="BT-139 / BT-144 Reason")
    reason_code: str | None = Field(default=None, description="BT-140 / BT-145 Reason code")


class Totals(Term):
    """BG-22 Document totals."""

    line_total: Decimal = Field(description="BT-106 Sum of Invoice line net amount")
    allowance_total: Decimal | None = Field(default=None, description="BT-107 Sum of allowances")
    charge_total: Decimal | None = Field(default=None, description="BT-108 Sum of charges")
    tax_exclusive: Decimal = Field(description="BT-109 Invoice total amount without VAT")
    vat_total: Decimal | None = Field(default=None, description="BT-110 Invoice total VAT amount")
    vat_total_tax_currency: Decimal | None = Field(
        default=None, description="BT-111 Invoice total VAT amount in accounting currency"
    )
    tax_inclusive: Decimal = Field(description="BT-112 Invoice total amount with VAT")
    prepaid: Decimal | None = Field(default=None, description="BT-113 Paid amount")
    rounding: Decimal | None = Field(default=None, description="BT-114 Rounding amount")
    payable: Decimal = Field(description="BT-115 Amount due for payment")


class VatBreakdown(Term):
    """BG-23 VAT breakdown."""

    taxable_amount: Decimal = Field(description="BT-116 VAT category taxable amount")
    tax_amount: Decimal = Field(description="BT-117 VAT category tax amount")
    category: VatCategory = Field(description="BT-118 VAT category code")
    rate: Decimal | None = Field(default=None, description="BT-119 VAT category rate")
    exemption_reason: str | None = Field(default=None, description="BT-120 Exemption reason text")
    exemption_reason_code: str | None = Field(
        default=None, description="BT-121 VAT exemption reason code (VATEX)"
    )


class Attachment(Term):
    """BT-125 Attached document (base64 content with its MIME code and file name)."""

    content_base64: str = Field(description="BT-125 Attached document")
    mime_code: str = Field(description="BT-125-1 Attached document Mime code")
    filename: str = Field(description="BT-125-2 Attached document Filename")


class SupportingDocument(Term):
    """BG-24 Additional supporting documents."""

    reference: Text = Field(description="BT-122 Supporting document reference")
    description: str | None = Field(default=None, description="BT-123 Description")
    external_uri: str | None = Field(default=None, description="BT-124 External document location")
    attachment: Attachment | None = Field(default=None, description="BT-125 Attached document")


class Price(Term):
    """BG-29 Price details."""

    net_price: Decimal = Field(ge=0, description="BT-146 Item net price")
    discount: Decimal | None = Field(default=None, description="BT-147 Item price discount")
    gross_price: Decimal | None = Field(default=None, description="BT-148 Item gross price")
    base_quantity: Decimal | None = Field(
        default=None, description="BT-149 Item price base quantity"
    )
    base_quantity_unit: UnitCode | None = Field(
        default=None, description="BT-150 Item price base quantity unit of measure code"
    )


class Classification(Term):
    """BT-158 Item classification identifier with its scheme (UNTDID 7143) and version."""

    code: Text
    list_id: str = Field(description="BT-158-1 Scheme identifier")
    list_version: str | None = Field(default=None, description="BT-158-2 Scheme version")


class ItemAttribute(Term):
    """BG-32 Item attributes."""

    name: Text = Field(description="BT-160 Item attribute name")
    value: Text = Field(description="BT-161 Item attribute value")


class Item(Term):
    """BG-31 Item information (with BG-30 line VAT information)."""

    name: Text = Field(description="BT-153 Item name")
    description: str | None = Field(default=None, description="BT-154 Item description")
    sellers_id: str | None = Field(default=None, description="BT-155 Item Seller's identifier")
    buyers_id: str | None = Field(default=None, description="BT-156 Item Buyer's identifier")
    standard_id: Identifier | None = Field(
        default=None, description="BT-157 Item standard identifier"
    )
    classifications: list[Classification] = Field(default_factory=list, description="BT-158")
    origin_country: CountryCode | None = Field(default=None, description="BT-159 Country of origin")
    attributes: list[ItemAttribute] = Field(default_factory=list, description="BG-32")
    vat_category: VatCategory = Field(description="BT-151 Invoiced item VAT category code")
    vat_rate: Decimal | None = Field(default=None, description="BT-152 Invoiced item VAT rate")


class Line(Term):
    """BG-25 Invoice line."""

    id: Text = Field(description="BT-126 Invoice line identifier")
    note: str | None = Field(default=None, description="BT-127 Invoice line note")
    object_id: Identifier | None = Field(default=None, description="BT-128 Invoice line object id")
    quantity: Decimal = Field(description="BT-129 Invoiced quantity")
    unit: UnitCode = Field(description="BT-130 Invoiced quantity unit of measure code")
    net_amount: Decimal | None = Field(
        default=None, description="BT-131 Invoice line net amount (computed when issuing)"
    )
    order_line_reference: str | None = Field(
        default=None, description="BT-132 Referenced purchase order line reference"
    )
    accounting_reference: str | None = Field(
        default=None, description="BT-133 Invoice line Buyer accounting reference"
    )
    period: Period | None = Field(default=None, description="BG-26 Invoice line period")
    allowances: list[LineAllowanceCharge] = Field(default_factory=list, description="BG-27")
    charges: list[LineAllowanceCharge] = Field(default_factory=list, description="BG-28")
    price: Price = Field(description="BG-29 Price details")
    item: Item = Field(description="BG-31 Item information")


class Invoice(Term):
    """BG-0 Invoice: one commercial invoice or credit note, independent of syntax."""

    number: Text = Field(description="BT-1 Invoice number")
    issue_date: dt.date = Field(description="BT-2 Invoice issue date")
    type_code: TypeCode = Field(default="380", description="BT-3 Invoice type code")
    currency: CurrencyCode = Field(description="BT-5 Invoice currency code")
    tax_currency: CurrencyCode | None = Field(
        default=None, description="BT-6 VAT accounting currency code"
    )
    tax_point_date: dt.date | None = Field(
        default=None, description="BT-7 Value added tax point date"
    )
    tax_point_date_code: PeriodCode | None = Field(
        default=None, description="BT-8 Value added tax point date code (UNTDID 2005)"
    )
    due_date: dt.date | None = Field(default=None, description="BT-9 Payment due date")
    buyer_reference: str | None = Field(default=None, description="BT-10 Buyer reference")
    project_reference: str | None = Field(default=None, description="BT-11 Project reference")
    contract_reference: str | None = Field(default=None, description="BT-12 Contract reference")
    purchase_order_reference: str | None = Field(
        default=None, description="BT-13 Purchase order reference"
    )
    sales_order_reference: str | None = Field(
        default=None, description="BT-14 Sales order reference"
    )
    receiving_advice_reference: str | None = Field(
        default=None, description="BT-15 Receiving advice reference"
    )
    despatch_advice_reference: str | None = Field(
        default=None, description="BT-16 Despatch advice reference"
    )
    tender_reference: str | None = Field(default=None, description="BT-17 Tender or lot reference")
    invoiced_object: Identifier | None = Field(
        default=None, description="BT-18 Invoiced object identifier (scheme: UNTDID 1153)"
    )
    buyer_accounting_reference: str | None = Field(
        default=None, description="BT-19 Buyer accounting reference"
    )
    payment_terms: str | None = Field(default=None, description="BT-20 Payment terms")
    notes: list[Note] = Field(default_factory=list, description="BG-1 Invoice note")
    process_id: str | None = Field(default=None, description="BT-23 Business process type")
    specification_id: str = Field(
        default=EN16931_SPECIFICATION, description="BT-24 Specification identifier"
    )
    preceding_invoices: list[PrecedingInvoice] = Field(default_factory=list, description="BG-3")
    seller: Party = Field(description="BG-4 Seller")
    buyer: Party = Field(description="BG-7 Buyer")
    payee: Payee | None = Field(default=None, description="BG-10 Payee")
    tax_representative: TaxRepresentative | None = Field(default=None, description="BG-11")
    delivery: Delivery | None = Field(default=None, description="BG-13 Delivery information")
    invoice_period: Period | None = Field(default=None, description="BG-14 Invoicing period")
    payment_instructions: PaymentInstructions | None = Field(default=None, description="BG-16")
    allowances: list[AllowanceCharge] = Field(default_factory=list, description="BG-20")
    charges: list[AllowanceCharge] = Field(default_factory=list, description="BG-21")
    totals: Totals | None = Field(default=None, description="BG-22 (computed when issuing)")
    vat_breakdown: list[VatBreakdown] = Field(
        default_factory=list, description="BG-23 (computed when issuing)"
    )
    supporting_documents: list[SupportingDocument] = Field(
        default_factory=list, description="BG-24"
    )
    lines: list[Line] = Field(min_length=1, description="BG-25 Invoice line")

    @property
    def is_credit_note(self) -> bool:
        """A UBL CreditNote document carries this invoice (UNTDID 1001 credit note codes)."""
        return self.type_code in CREDIT_NOTE_TYPES

    @property
    def claims_peppol(self) -> bool:
        return "urn:fdc:peppol.eu:2017:poacc:billing:3.0" in self.specification_id


SyntaxName = Literal["ubl", "cii"]
