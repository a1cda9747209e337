"""documents: issuer keys, issued credentials with eBL title state, title transaction chain

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import digitrade.core.db

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documents_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("credential", sa.JSON(), nullable=False),
        sa.Column("credential_digest", sa.String(length=64), nullable=False),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("revoked_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("holder_organisation_id", sa.Integer(), nullable=True),
        sa.Column("title_status", sa.String(length=40), nullable=True),
        sa.Column("title_state", sa.JSON(), nullable=True),
        sa.Column("title_sequence", sa.Integer(), nullable=False),
        sa.Column("last_event_checksum", sa.String(length=64), nullable=True),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_documents_document_holder_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_documents_document_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents_document")),
        sa.UniqueConstraint(
            "organisation_id",
            "status_index",
            name=op.f("uq_documents_document_organisation_id_status_index"),
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_documents_document_uuid")),
    )
    op.create_index(
        op.f("ix_documents_document_credential_digest"),
        "documents_document",
        ["credential_digest"],
        unique=False,
    )
    op.create_index(
        "ix_documents_document_holder",
        "documents_document",
        ["holder_organisation_id"],
        unique=False,
    )
    op.create_table(
        "documents_issuer_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("signing_key_id", sa.Integer(), nullable=False),
        sa.Column("fragment", sa.String(length=20), nullable=False),
        sa.Column("valid_from", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_documents_issuer_key_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["signing_key_id"],
            ["core_signing_key.id"],
            name=op.f("fk_documents_issuer_key_signing_key_id_core_signing_key"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents_issuer_key")),
        sa.UniqueConstraint(
            "organisation_id",
            "fragment",
            name=op.f("uq_documents_issuer_key_organisation_id_fragment"),
        ),
    )
    op.create_table(
        "documents_title_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("actor_organisation_id", sa.Integer(), nullable=True),
        sa.Column("recipient_organisation_id", sa.Integer(), nullable=True),
        sa.Column("transaction", sa.JSON(), nullable=False),
        sa.Column("signed_content", sa.Text(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("previous_checksum", sa.String(length=64), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_documents_title_event_actor_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents_document.id"],
            name=op.f("fk_documents_title_event_document_id_documents_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_documents_title_event_recipient_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents_title_event")),
        sa.UniqueConstraint(
            "document_id", "sequence", name=op.f("uq_documents_title_event_document_id_sequence")
        ),
    )


def downgrade() -> None:
    op.drop_table("documents_title_event")
    op.drop_table("documents_issuer_key")
    op.drop_index("ix_documents_document_holder", table_name="documents_document")
    op.drop_index(op.f("ix_documents_document_credential_digest"), table_name="documents_document")
    op.drop_table("documents_document")
