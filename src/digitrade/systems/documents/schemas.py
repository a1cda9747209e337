"""Data shapes of the verifiable documents API (Pydantic)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal[
    "transport-document", "documentary-credit", "crew-certificate", "certificate-of-origin"
]
TitleAction = Literal[
    "TRANSFER",
    "ENDORSE",
    "ENDORSE_TO_ORDER",
    "BLANK_ENDORSE",
    "SURRENDER_FOR_DELIVERY",
    "SURRENDER_FOR_AMENDMENT",
    "SACC",
    "SREJ",
    "SIGN",
]


class IssueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    subject: dict[str, Any] = Field(
        description="the credentialSubject: a DCSA eBL 3.0 TransportDocument, or the fields of "
        "a documentary credit, crew certificate or certificate of origin"
    )
    holder_organisation_id: int | None = Field(
        default=None, description="for an eBL: the organisation it is issued to (issue-to party)"
    )
    valid_until: dt.date | None = None


class TitleEventRead(BaseModel):
    sequence: int
    action: str
    actor: str
    recipient: str | None
    checksum: str
    previous_checksum: str | None
    signed_content: str
    ledger_index: int | None
    created_at: dt.datetime


class DocumentRead(BaseModel):
    id: int
    uuid: str
    kind: str
    reference: str
    issuer_organisation_id: int
    issuer: str
    issuer_did: str
    status: str = Field(description="valid, revoked or suspended")
    holder_organisation_id: int | None = None
    holder: str | None = None
    title_status: str | None = None
    title_sequence: int = 0
    credential_digest: str
    ledger_index: int | None
    created_at: dt.datetime
    verify_url: str


class DocumentDetail(DocumentRead):
    credential: dict[str, Any]
    title_events: list[TitleEventRead] = Field(default_factory=list)


class TitleActionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: TitleAction
    acting_organisation_id: int = Field(description="the organisation acting: the current holder")
    recipient_organisation_id: int | None = None
    expected_sequence: int | None = Field(
        default=None,
        description="the title sequence the actor saw; a transfer of an older state (a replay "
        "or a fork) is refused",
    )


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: Literal["revocation", "suspension"]
    value: bool = True


class Check(BaseModel):
    name: str
    passed: bool
    reason: str
    reason_zh: str = ""
    detail: dict[str, Any] | None = None


class VerificationReport(BaseModel):
    """The contract of ``digitrade documents verify``: ``verified`` and each check."""

    verified: bool
    checks: list[Check]
    format: str = ""
    document: dict[str, Any] | None = None


class KeyRead(BaseModel):
    fragment: str
    verification_method: str
    public_key_multibase: str
    valid_from: dt.datetime
    revoked_at: dt.datetime | None
