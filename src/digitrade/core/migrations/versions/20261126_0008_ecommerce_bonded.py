"""ecommerce bonded account book: lots and their movement journal

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import digitrade.core.db

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ecommerce_bonded_lot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("book_no", sa.String(length=30), nullable=False),
        sa.Column("item_no", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "quantity >= 0", name=op.f("ck_ecommerce_bonded_lot_quantity_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_ecommerce_bonded_lot_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ecommerce_bonded_lot")),
        sa.UniqueConstraint(
            "organisation_id",
            "book_no",
            "item_no",
            "status",
            name=op.f("uq_ecommerce_bonded_lot_organisation_id_book_no_item_no_status"),
        ),
    )
    op.create_table(
        "ecommerce_bonded_movement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=True),
        sa.Column("order_no", sa.String(length=60), nullable=True),
        sa.Column("peer_lot_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_lot_id"],
            ["ecommerce_bonded_lot.id"],
            name=op.f("fk_ecommerce_bonded_movement_peer_lot_id_ecommerce_bonded_lot"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["ecommerce_bonded_lot.id"],
            name=op.f("fk_ecommerce_bonded_movement_lot_id_ecommerce_bonded_lot"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ecommerce_bonded_movement")),
    )
    op.create_index(
        "ix_ecommerce_bonded_movement_lot",
        "ecommerce_bonded_movement",
        ["lot_id", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_ecommerce_bonded_movement_lot", table_name="ecommerce_bonded_movement")
    op.drop_table("ecommerce_bonded_movement")
    op.drop_table("ecommerce_bonded_lot")
