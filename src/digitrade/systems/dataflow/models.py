"""Tables of the cross-border data export compliance system (prefix ``dataflow_``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

import digitrade.core.auth.models  # noqa: F401 - foreign keys point at its tables
from digitrade.core.db import Base, utcnow


class Assessment(Base):
    """A saved decision: the request as given, the decision, and where it is anchored."""

    __tablename__ = "dataflow_assessment"
    __table_args__ = (Index("ix_dataflow_assessment_org_created", "organisation_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    created_by: Mapped[str] = mapped_column(String(100))
    as_of: Mapped[dt.date] = mapped_column(Date)
    pathway: Mapped[str] = mapped_column(String(40))
    rules_version: Mapped[str] = mapped_column(String(60))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)
    ledger_index: Mapped[int] = mapped_column(BigInteger)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Transfer(Base):
    """One outbound transfer in an organisation's register.

    ``individuals`` and ``sensitive_individuals`` are the distinct people this transfer adds to
    the year's count (people already counted earlier in the year are not declared again).
    """

    __tablename__ = "dataflow_transfer"
    __table_args__ = (Index("ix_dataflow_transfer_org_date", "organisation_id", "transferred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    transferred_on: Mapped[dt.date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(200))
    recipient_country: Mapped[str] = mapped_column(String(2))
    purpose: Mapped[str] = mapped_column(String(40))
    categories: Mapped[list[str]] = mapped_column(JSON)
    individuals: Mapped[int] = mapped_column(Integer)
    sensitive_individuals: Mapped[int] = mapped_column(Integer)
    pathway: Mapped[str] = mapped_column(String(40))
    filing_number: Mapped[str | None] = mapped_column(String(100))
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataflow_assessment.id", ondelete="RESTRICT")
    )
    created_by: Mapped[str] = mapped_column(String(100))
    ledger_index: Mapped[int] = mapped_column(BigInteger)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InstalledList(Base):
    """An edition of an FTZ data export list installed by an administrator (CSV, XLSX or JSON),
    kept as the canonical JSON of the list; it takes precedence over a shipped edition of the
    same jurisdiction and version."""

    __tablename__ = "dataflow_ftz_list"
    __table_args__ = (UniqueConstraint("jurisdiction", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(100))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(String(255))
    installed_by: Mapped[str] = mapped_column(String(100))
    ledger_index: Mapped[int] = mapped_column(BigInteger)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OrganisationCategory(Base):
    """A data category an organisation adds to the shipped taxonomy for its own inventory."""

    __tablename__ = "dataflow_category"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    code: Mapped[str] = mapped_column(String(100))
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
