"""einvoice issued invoices and number counters

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import digitrade.core.db
from digitrade.core.migrations import create_append_only_guard, drop_append_only_guard

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "einvoice_issued",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("type_code", sa.String(length=3), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("payable_amount", sa.Numeric(precision=19, scale=2), nullable=False),
        sa.Column("buyer_name", sa.String(length=300), nullable=False),
        sa.Column("specification_id", sa.String(length=200), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("validation", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_einvoice_issued_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_einvoice_issued")),
        sa.UniqueConstraint(
            "organisation_id", "number", name=op.f("uq_einvoice_issued_organisation_id_number")
        ),
        sa.UniqueConstraint("sha256", name=op.f("uq_einvoice_issued_sha256")),
    )
    op.create_index(
        "ix_einvoice_issued_org_created",
        "einvoice_issued",
        ["organisation_id", "created_at"],
        unique=False,
    )
    # An issued invoice is never changed or deleted: corrections are credit notes.
    create_append_only_guard("einvoice_issued")
    op.create_table(
        "einvoice_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_einvoice_counter_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_einvoice_counter")),
        sa.UniqueConstraint(
            "organisation_id", "year", name=op.f("uq_einvoice_counter_organisation_id_year")
        ),
    )


def downgrade() -> None:
    op.drop_table("einvoice_counter")
    drop_append_only_guard("einvoice_issued")
    op.drop_index("ix_einvoice_issued_org_created", table_name="einvoice_issued")
    op.drop_table("einvoice_issued")
