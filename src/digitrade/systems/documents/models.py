"""Tables of the verifiable documents system (prefix ``documents_``).

- ``documents_issuer_key``: an organisation's document keys (Ed25519, sealed in
  ``core_signing_key``), published as verification methods of its ``did:web`` document. A
  rotated key stays listed with its retirement date, so documents signed before stay verifiable.
- ``documents_document``: one issued credential (the signed W3C VC as issued, its digest, its
  index in the issuer's status lists, its ledger entry) and, for an electronic bill of lading,
  who controls it now (holder, status, sequence of the last title transaction).
- ``documents_title_event``: the append-only chain of title transactions of an eBL (ISSUE,
  TRANSFER, ENDORSE..., SURRENDER_*, SACC, SREJ), each signed by its actor and anchored in the
  ledger. ``(document_id, sequence)`` is unique: two transfers of the same state cannot both land.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

import digitrade.core.auth.models
import digitrade.core.crypto.keys  # noqa: F401
from digitrade.core.audit import AppendOnlyViolation
from digitrade.core.db import Base, utcnow


class IssuerKey(Base):
    __tablename__ = "documents_issuer_key"
    __table_args__ = (UniqueConstraint("organisation_id", "fragment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    signing_key_id: Mapped[int] = mapped_column(
        ForeignKey("core_signing_key.id", ondelete="RESTRICT")
    )
    fragment: Mapped[str] = mapped_column(String(20))  # "key-1": the DID URL fragment
    valid_from: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Document(Base):
    __tablename__ = "documents_document"
    __table_args__ = (
        UniqueConstraint("organisation_id", "status_index"),
        Index("ix_documents_document_holder", "holder_organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    kind: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(100))
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)
    credential_digest: Mapped[str] = mapped_column(String(64), index=True)
    status_index: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)
    leaf_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    # Electronic bills of lading only: who controls it now.
    holder_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    title_status: Mapped[str | None] = mapped_column(String(40))
    title_state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    title_sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_event_checksum: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TitleEvent(Base):
    __tablename__ = "documents_title_event"
    __table_args__ = (UniqueConstraint("document_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents_document.id", ondelete="RESTRICT")
    )
    sequence: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    actor_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    recipient_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    transaction: Mapped[dict[str, Any]] = mapped_column(JSON)
    signed_content: Mapped[str] = mapped_column(Text)  # compact JWS by the actor's key
    checksum: Mapped[str] = mapped_column(String(64))  # SHA-256 of signed_content
    previous_checksum: Mapped[str | None] = mapped_column(String(64))
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)
    leaf_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


@event.listens_for(TitleEvent, "before_update")
def _refuse_update(*_args: Any) -> None:
    raise AppendOnlyViolation("eBL title transactions are append-only")


@event.listens_for(TitleEvent, "before_delete")
def _refuse_delete(*_args: Any) -> None:
    raise AppendOnlyViolation("eBL title transactions are append-only")
