"""ecommerce receipts: the customs-style receipt of each message received and each release

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import digitrade.core.db

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ecommerce_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("request_type", sa.String(length=8), nullable=False),
        sa.Column("receipt_type", sa.String(length=8), nullable=False),
        sa.Column("request_guid", sa.String(length=36), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=4), nullable=False),
        sa.Column("info", sa.String(length=1000), nullable=False),
        sa.Column("keys", sa.JSON(), nullable=False),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["ecommerce_order.id"],
            name=op.f("fk_ecommerce_receipt_order_id_ecommerce_order"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ecommerce_receipt")),
    )
    op.create_index(
        "ix_ecommerce_receipt_order", "ecommerce_receipt", ["order_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_ecommerce_receipt_order", table_name="ecommerce_receipt")
    op.drop_table("ecommerce_receipt")
