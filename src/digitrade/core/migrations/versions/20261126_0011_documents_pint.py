"""documents: DCSA PINT 3.0 peers, envelopes sent and received, eBLs received from peers

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import digitrade.core.db

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documents_pint_peer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_code", sa.String(length=12), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("kid", sa.String(length=300), nullable=False),
        sa.Column("public_jwk", sa.JSON(), nullable=False),
        sa.Column("extra_keys", sa.JSON(), nullable=False),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents_pint_peer")),
        sa.UniqueConstraint("platform_code", name=op.f("uq_documents_pint_peer_platform_code")),
    )
    op.create_table(
        "documents_pint_ebl",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transport_document_checksum", sa.String(length=64), nullable=False),
        sa.Column("transport_document_reference", sa.String(length=100), nullable=False),
        sa.Column("transport_document", sa.JSON(), nullable=False),
        sa.Column("chain", sa.JSON(), nullable=False),
        sa.Column("title_state", sa.JSON(), nullable=False),
        sa.Column("title_status", sa.String(length=40), nullable=False),
        sa.Column("holder_organisation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sender_platform", sa.String(length=12), nullable=False),
        sa.Column("envelope_reference", sa.String(length=100), nullable=False),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_documents_pint_ebl_holder_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents_pint_ebl")),
        sa.UniqueConstraint(
            "transport_document_checksum",
            name=op.f("uq_documents_pint_ebl_transport_document_checksum"),
        ),
    )
    op.create_index(
        "ix_documents_pint_ebl_holder",
        "documents_pint_ebl",
        ["holder_organisation_id"],
        unique=False,
    )
    op.create_table(
        "documents_pint_envelope",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("peer_platform", sa.String(length=12), nullable=False),
        sa.Column("transport_document_checksum", sa.String(length=64), nullable=False),
        sa.Column("last_entry_checksum", sa.String(length=64), nullable=False),
        sa.Column("envelope", sa.JSON(), nullable=False),
        sa.Column("additional_documents", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("response_code", sa.String(length=4), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("signed_response", sa.Text(), nullable=True),
        sa.Column("recipient_organisation_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents_document.id"],
            name=op.f("fk_documents_pint_envelope_document_id_documents_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_documents_pint_envelope_recipient_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents_pint_envelope")),
        sa.UniqueConstraint("reference", name=op.f("uq_documents_pint_envelope_reference")),
    )
    op.create_index(
        "ix_documents_pint_envelope_document",
        "documents_pint_envelope",
        ["transport_document_checksum"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_documents_pint_envelope_document", table_name="documents_pint_envelope")
    op.drop_table("documents_pint_envelope")
    op.drop_index("ix_documents_pint_ebl_holder", table_name="documents_pint_ebl")
    op.drop_table("documents_pint_ebl")
    op.drop_table("documents_pint_peer")
