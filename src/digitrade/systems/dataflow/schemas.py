"""Shapes of the dataflow API and CLI (the assessment contract itself is parsed by
``rules.request_from_dict``, which names the offending field of any bad input)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

ASSESSMENT_EXAMPLE: dict[str, Any] = {
    "as_of": "2026-11-26",
    "processor": {
        "name": "Lin-gang Precision Export Ltd.",
        "is_ciio": False,
        "registered_in_ftz": True,
        "sector": "manufacturing",
    },
    "transfer": {"purpose": "other", "remote_access": False, "recipient_country": "DE"},
    "data": {
        "personal_information": True,
        "individuals": 120000,
        "sensitive_individuals": 0,
        "important_data": "none",
        "core_data": False,
    },
}


class LedgerReference(BaseModel):
    log: str
    index: int
    leaf_hash: str


class AssessmentResult(BaseModel):
    """The decision (``pathway``, ``basis``, ``obligations``, ``deadlines``, ``rules_version``)
    and, when saved for an organisation, where it is kept and anchored."""

    pathway: str
    basis: list[dict[str, Any]]
    obligations: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    rules_version: str
    unverified: list[str] = Field(default_factory=list)
    unverified_notes: list[dict[str, str]] = Field(
        default_factory=list,
        description="For each rule in unverified: rule_id, note and note_zh (its Chinese)",
    )
    counted_individuals: int = Field(description="This transfer plus earlier ones this year")
    counted_sensitive_individuals: int
    assessment_id: int | None = None
    ledger: LedgerReference | None = None


class AssessmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: int
    created_by: str
    as_of: dt.date
    pathway: str
    rules_version: str
    request: dict[str, Any]
    decision: dict[str, Any]
    ledger_index: int
    created_at: dt.datetime


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation_id: int
    transferred_on: dt.date
    recipient: str = Field(min_length=1, max_length=200)
    recipient_country: str = Field(pattern=r"^[A-Z]{2}$")
    purpose: str = Field(
        pattern=r"^(contract_with_individual|hr_management|emergency|statutory_duty|transit|other)$"
    )
    categories: list[str] = Field(default_factory=list, max_length=50)
    individuals: int = Field(ge=0, description="Distinct people this transfer adds this year")
    sensitive_individuals: int = Field(ge=0)
    pathway: str = Field(
        pattern=r"^(EXEMPT|STANDARD_CONTRACT_OR_CERTIFICATION|SECURITY_ASSESSMENT)$"
    )
    filing_number: str | None = Field(default=None, max_length=100)
    assessment_id: int | None = None


class TransferRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: int
    transferred_on: dt.date
    recipient: str
    recipient_country: str
    purpose: str
    categories: list[str]
    individuals: int
    sensitive_individuals: int
    pathway: str
    filing_number: str | None
    assessment_id: int | None
    ledger_index: int
    created_at: dt.datetime
    warnings: list[str] = Field(
        default_factory=list, description="Thresholds the year's count has now reached"
    )


class RegisterSummary(BaseModel):
    organisation_id: int
    year: int
    as_of: dt.date
    individuals: int
    sensitive_individuals: int
    thresholds: dict[str, int]
    warnings: list[str]
