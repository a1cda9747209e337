"""Shapes of the e-invoicing API and CLI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Profile = Literal["auto", "en16931", "peppol"]
TargetFormat = Literal["ubl", "cii", "fapiao-xml", "fapiao-json"]


def profile_of(text: str | None) -> Profile:
    """The profile a form or option names; anything else is "auto"."""
    if text == "en16931":
        return "en16931"
    if text == "peppol":
        return "peppol"
    return "auto"


ISSUE_EXAMPLE: dict[str, Any] = {
    "organisation_id": 1,
    "profile": "peppol",
    "invoice": {
        "issue_date": "2026-11-26",
        "due_date": "2026-12-26",
        "currency": "USD",
        "buyer_reference": "PO-SG-2026-0415",
        "seller": {
            "name": "Lin-gang Export Demo Co., Ltd.",
            "vat_id": "CN91310115MA1K4EXAMP",
            "electronic_address": {"value": "6971000000014", "scheme": "0088"},
            "address": {"city": "Shanghai", "postal_code": "201306", "country": "CN"},
        },
        "buyer": {
            "name": "Harbourfront Analytics Pte. Ltd.",
            "electronic_address": {"value": "201912345K", "scheme": "0195"},
            "address": {"city": "Singapore", "postal_code": "098632", "country": "SG"},
        },
        "payment_instructions": {
            "means_code": "30",
            "credit_transfers": [
                {"account_id": "CN0012345678901234", "service_provider": "BKCHCNBJ300"}
            ],
        },
        "lines": [
            {
                "id": "1",
                "quantity": "120",
                "unit": "HUR",
                "price": {"net_price": "85.00"},
                "item": {"name": "Data platform engineering", "vat_category": "G", "vat_rate": "0"},
            }
        ],
    },
}


class RulePackRead(BaseModel):
    name: str
    version: str
    layer: str
    syntaxes: list[str]
    source: str
    effective: str | None = None
    installed_at: str | None = None
    files: int


class LedgerReference(BaseModel):
    log: str
    index: int
    leaf_hash: str


class IssueRequest(BaseModel):
    """An invoice to issue: the EN 16931 terms without number, totals or VAT breakdown, which the
    platform assigns and computes."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: int = Field(description="The seller organisation issuing the invoice")
    invoice: dict[str, Any] = Field(description="EN 16931 model (see /docs schema Invoice)")
    profile: Literal["en16931", "peppol"] = Field(
        default="peppol", description="peppol: Peppol BIS Billing 3.0; en16931: the core standard"
    )
    exemptions: dict[str, tuple[str | None, str | None]] = Field(
        default_factory=dict,
        description="Per VAT category (E, AE, K, G, O): [BT-120 reason text, BT-121 VATEX code]",
    )
    tax_currency_rate: Decimal | None = Field(
        default=None, description="Units of the VAT accounting currency (BT-6) per invoice unit"
    )
    prepaid: Decimal | None = Field(default=None, description="BT-113 Paid amount")


class IssuedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: int
    number: str
    type_code: str
    issue_date: dt.date
    currency: str
    payable_amount: Decimal
    buyer_name: str
    specification_id: str
    sha256: str
    created_by: str
    created_at: dt.datetime
    ledger: LedgerReference | None = None
    validation: dict[str, Any] = Field(default_factory=dict)


class VerificationResult(BaseModel):
    """What the platform knows of a file: issued here or not, and the ledger evidence."""

    issued_here: bool
    sha256: str
    number: str | None = None
    seller: str | None = None
    issue_date: dt.date | None = None
    payable_amount: Decimal | None = None
    currency: str | None = None
    ledger: LedgerReference | None = None
    integrated: bool = False
    inclusion_proof: dict[str, Any] | None = None
    message: str
