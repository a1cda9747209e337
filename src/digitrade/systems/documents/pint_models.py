"""Tables of DCSA PINT 3.0 transfers between eBL platforms (prefix ``documents_pint_``).

- ``documents_pint_peer``: the other platforms this one trusts: platform code, the base URL of
  their PINT API, their platform signing key (JWK with ``kid``) and further keys they vouch for
  (their carriers' issuance keys), so signatures in an envelope can be checked offline.
- ``documents_pint_envelope``: envelopes received (``in``) and sent (``out``): the envelope as
  received or sent, its checksums, the additional documents received, and the signed answer.
- ``documents_pint_ebl``: eBLs received from another platform and now controlled by an
  organisation here: the transport document, the accepted transfer chain and its title state.
  One row per transport document checksum; the chain is what replays and forks are judged by.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

import digitrade.core.auth.models
import digitrade.systems.documents.models  # noqa: F401 - foreign keys point at its tables
from digitrade.core.db import Base, utcnow


class PintPeer(Base):
    __tablename__ = "documents_pint_peer"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_code: Mapped[str] = mapped_column(String(12), unique=True)
    base_url: Mapped[str] = mapped_column(String(500))  # where /v3/envelopes lives
    kid: Mapped[str] = mapped_column(String(300))
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)  # the platform's signing key
    # Further keys the peer publishes (its carriers' issuance-manifest keys), each a JWK.
    extra_keys: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PintEnvelope(Base):
    __tablename__ = "documents_pint_envelope"
    __table_args__ = (Index("ix_documents_pint_envelope_document", "transport_document_checksum"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), unique=True)  # envelopeReference
    direction: Mapped[str] = mapped_column(String(3))  # "in" or "out"
    peer_platform: Mapped[str] = mapped_column(String(12))
    transport_document_checksum: Mapped[str] = mapped_column(String(64))
    last_entry_checksum: Mapped[str] = mapped_column(String(64))
    envelope: Mapped[dict[str, Any]] = mapped_column(JSON)
    # checksum -> base64 content, for the additional documents received
    additional_documents: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20))  # started, accepted, refused
    response_code: Mapped[str | None] = mapped_column(String(4))
    reason: Mapped[str | None] = mapped_column(Text)
    signed_response: Mapped[str | None] = mapped_column(Text)
    recipient_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    document_id: Mapped[int | None] = mapped_column(  # the eBL sent, for "out"
        ForeignKey("documents_document.id", ondelete="RESTRICT")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PintEbl(Base):
    __tablename__ = "documents_pint_ebl"
    __table_args__ = (Index("ix_documents_pint_ebl_holder", "holder_organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transport_document_checksum: Mapped[str] = mapped_column(String(64), unique=True)
    transport_document_reference: Mapped[str] = mapped_column(String(100))
    transport_document: Mapped[dict[str, Any]] = mapped_column(JSON)
    chain: Mapped[list[str]] = mapped_column(JSON)  # the signed chain entries, in order
    title_state: Mapped[dict[str, Any]] = mapped_column(JSON)
    title_status: Mapped[str] = mapped_column(String(40))
    holder_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    status: Mapped[str] = mapped_column(String(20))  # "held"
    sender_platform: Mapped[str] = mapped_column(String(12))
    envelope_reference: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
