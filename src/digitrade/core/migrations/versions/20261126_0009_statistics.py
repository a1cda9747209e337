"""statistics: observations with vintages, imports, targets, enterprise direct returns

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import digitrade.core.db

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "statistics_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("economy", sa.String(length=16), nullable=False),
        sa.Column("indicator", sa.String(length=20), nullable=False),
        sa.Column("definition", sa.String(length=16), nullable=False),
        sa.Column("target_year", sa.Integer(), nullable=False),
        sa.Column("target_value", sa.Numeric(precision=24, scale=6), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("label_zh", sa.String(length=200), nullable=False),
        sa.Column("citation", sa.String(length=400), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_target")),
        sa.UniqueConstraint("key", name=op.f("uq_statistics_target_key")),
    )
    op.create_table(
        "statistics_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("revised_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_statistics_import_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_import")),
    )
    op.create_table(
        "statistics_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("query_note", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=100), nullable=True),
        sa.Column("submitted_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("reviewed_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_statistics_return_organisation_id_core_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_return")),
        sa.UniqueConstraint(
            "organisation_id", "period", name=op.f("uq_statistics_return_organisation_id_period")
        ),
    )
    op.create_table(
        "statistics_observation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("economy", sa.String(length=16), nullable=False),
        sa.Column("partner", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=1), nullable=False),
        sa.Column("period_index", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("flow", sa.String(length=6), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("definition", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=28, scale=6), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("unit_multiplier", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("created_at", digitrade.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["statistics_import.id"],
            name=op.f("fk_statistics_observation_import_id_statistics_import"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_observation")),
        sa.UniqueConstraint(
            "economy",
            "partner",
            "period",
            "code",
            "flow",
            "basis",
            "definition",
            "mode",
            "vintage",
            name="uq_statistics_observation_series_vintage",
        ),
    )
    op.create_index(
        "ix_statistics_observation_current",
        "statistics_observation",
        ["current", "code", "economy", "year"],
        unique=False,
    )
    op.create_index(
        "ix_statistics_observation_series",
        "statistics_observation",
        ["economy", "code", "flow", "period"],
        unique=False,
    )
    op.create_table(
        "statistics_return_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("partner", sa.String(length=16), nullable=False),
        sa.Column("flow", sa.String(length=6), nullable=False),
        sa.Column("value", sa.Numeric(precision=24, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["statistics_return.id"],
            name=op.f("fk_statistics_return_line_return_id_statistics_return"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_return_line")),
        sa.UniqueConstraint(
            "return_id",
            "code",
            "partner",
            "flow",
            name=op.f("uq_statistics_return_line_return_id_code_partner_flow"),
        ),
    )
    op.create_index(
        op.f("ix_statistics_return_line_return_id"),
        "statistics_return_line",
        ["return_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_statistics_return_line_return_id"), table_name="statistics_return_line")
    op.drop_table("statistics_return_line")
    op.drop_index("ix_statistics_observation_series", table_name="statistics_observation")
    op.drop_index("ix_statistics_observation_current", table_name="statistics_observation")
    op.drop_table("statistics_observation")
    op.drop_table("statistics_return")
    op.drop_table("statistics_import")
    op.drop_table("statistics_target")
