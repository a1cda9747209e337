"""Tables of the services-trade monitor (prefix ``statistics_``).

- ``statistics_import``: one file taken in (template, UNCTAD panel, SDMX-CSV), its SHA-256 and
  counts; every observation it brought points back at it.
- ``statistics_observation``: one value for an economy, period, EBOPS code and flow, with its
  basis, status, source and vintage. A revision is a new row with the next vintage; the old row
  stays, only its ``current`` flag drops, so every earlier figure can still be shown.
- ``statistics_target``: targets as data (the plan's 2029 figures, the national share, and any
  a user adds).
- ``statistics_return`` / ``statistics_return_line``: enterprises' quarterly direct returns by
  EBOPS code, partner and flow, and their review.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

import digitrade.core.auth.models  # noqa: F401 - foreign keys point at its tables
from digitrade.core.db import Base, utcnow


class DataImport(Base):
    __tablename__ = "statistics_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    filename: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(300))
    row_count: Mapped[int] = mapped_column(Integer)
    revised_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(100))
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)
    leaf_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Observation(Base):
    __tablename__ = "statistics_observation"
    __table_args__ = (
        UniqueConstraint(
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
        # The dashboard asks for current values of one code across economies and years.
        Index("ix_statistics_observation_current", "current", "code", "economy", "year"),
        Index("ix_statistics_observation_series", "economy", "code", "flow", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("statistics_import.id", ondelete="RESTRICT")
    )
    economy: Mapped[str] = mapped_column(String(16))
    partner: Mapped[str] = mapped_column(String(16), default="W00")
    year: Mapped[int] = mapped_column(Integer)
    frequency: Mapped[str] = mapped_column(String(1))
    period_index: Mapped[int] = mapped_column(Integer)  # 0 year, 1-4 quarter, 1-12 month
    period: Mapped[str] = mapped_column(String(7))
    code: Mapped[str] = mapped_column(String(8))
    flow: Mapped[str] = mapped_column(String(6))
    basis: Mapped[str] = mapped_column(String(20))
    definition: Mapped[str] = mapped_column(String(16), default="")  # "" when not a DDS value
    mode: Mapped[int] = mapped_column(Integer, default=0)  # 0 when the mode is not known
    value: Mapped[Decimal] = mapped_column(Numeric(28, 6))
    currency: Mapped[str] = mapped_column(String(3))
    unit_multiplier: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(300))
    vintage: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Target(Base):
    __tablename__ = "statistics_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    economy: Mapped[str] = mapped_column(String(16))
    indicator: Mapped[str] = mapped_column(String(20))  # services_total | dds_total | dds_share
    definition: Mapped[str] = mapped_column(String(16))
    target_year: Mapped[int] = mapped_column(Integer)
    target_value: Mapped[Decimal] = mapped_column(Numeric(24, 6))
    unit: Mapped[str] = mapped_column(String(16))  # USD_millions | percent
    label_en: Mapped[str] = mapped_column(String(200))
    label_zh: Mapped[str] = mapped_column(String(200))
    citation: Mapped[str] = mapped_column(String(400))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DirectReturn(Base):
    __tablename__ = "statistics_return"
    __table_args__ = (UniqueConstraint("organisation_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    district: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(12))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    query_note: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(100))
    submitted_at: Mapped[dt.datetime | None] = mapped_column()
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReturnLine(Base):
    __tablename__ = "statistics_return_line"
    __table_args__ = (UniqueConstraint("return_id", "code", "partner", "flow"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("statistics_return.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(8))
    partner: Mapped[str] = mapped_column(String(16))
    flow: Mapped[str] = mapped_column(String(6))
    value: Mapped[Decimal] = mapped_column(Numeric(24, 2))
