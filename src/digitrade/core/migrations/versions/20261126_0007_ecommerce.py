"""ecommerce clearance orders, item tax catalogue and buyers' annual quota

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import digitrade.core.db

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ecommerce_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("order_no", sa.String(length=60), nullable=False),
        sa.Column("ebp_code", sa.String(length=18), nullable=True),
        sa.Column("buyer_id", sa.String(length=60), nullable=True),
        sa.Column("mode", sa.String(length=4), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("order_message", sa.Text(), nullable=True),
        sa.Column("payment_message", sa.Text(), nullable=True),
        sa.Column("waybill_message", sa.Text(), nullable=True),
        sa.Column("inventory_message", sa.Text(), nullable=True),
        sa.Column("match_result", sa.JSON(), nullable=True),
        sa.Column("assessment", sa.JSON(), nullable=True),
        sa.Column("dutiable_value", sa.Numeric(precision=19, scale=2), nullable=True),
        sa.Column("quota_year", sa.Integer(), nullable=True),
        sa.Column("released_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("returned_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_ecommerce_order_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ecommerce_order")),
        sa.UniqueConstraint(
            "organisation_id", "order_no", name=op.f("uq_ecommerce_order_organisation_id_order_no")
        ),
    )
    op.create_index(
        op.f("ix_ecommerce_order_buyer_id"), "ecommerce_order", ["buyer_id"], unique=False
    )
    op.create_index(
        "ix_ecommerce_order_org_status",
        "ecommerce_order",
        ["organisation_id", "status"],
        unique=False,
    )
    op.create_table(
        "ecommerce_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("item_no", sa.String(length=60), nullable=False),
        sa.Column("tax", sa.JSON(), nullable=False),
        sa.Column("updated_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_ecommerce_item_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ecommerce_item")),
        sa.UniqueConstraint(
            "organisation_id", "item_no", name=op.f("uq_ecommerce_item_organisation_id_item_no")
        ),
    )
    op.create_table(
        "ecommerce_quota",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("total", sa.Numeric(precision=19, scale=2), nullable=False),
        sa.Column("updated_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ecommerce_quota")),
        sa.UniqueConstraint("buyer_id", "year", name=op.f("uq_ecommerce_quota_buyer_id_year")),
    )


def downgrade() -> None:
    op.drop_table("ecommerce_quota")
    op.drop_table("ecommerce_item")
    op.drop_index("ix_ecommerce_order_org_status", table_name="ecommerce_order")
    op.drop_index(op.f("ix_ecommerce_order_buyer_id"), table_name="ecommerce_order")
    op.drop_table("ecommerce_order")
