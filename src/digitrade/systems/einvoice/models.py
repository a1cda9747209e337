"""Tables of the e-invoicing system (prefix ``einvoice_``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

import digitrade.core.auth.models  # noqa: F401 - foreign keys point at its tables
from digitrade.core.db import Base, utcnow


class IssuedInvoice(Base):
    """An invoice issued on the platform: the file as released, its model, and its anchor.

    ``document`` is the UBL file exactly as released; ``sha256`` is its digest, the key by which
    anyone holding the file can find and verify it.
    """

    __tablename__ = "einvoice_issued"
    __table_args__ = (
        UniqueConstraint("organisation_id", "number"),
        Index("ix_einvoice_issued_org_created", "organisation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    number: Mapped[str] = mapped_column(String(64))
    type_code: Mapped[str] = mapped_column(String(3))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    payable_amount: Mapped[Decimal] = mapped_column(Numeric(19, 2))
    buyer_name: Mapped[str] = mapped_column(String(300))
    specification_id: Mapped[str] = mapped_column(String(200))
    model: Mapped[dict[str, Any]] = mapped_column(JSON)
    document: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    validation: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(100))
    ledger_index: Mapped[int] = mapped_column(BigInteger)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InvoiceCounter(Base):
    """The next invoice number of a seller in a year (numbers are gapless per seller and year)."""

    __tablename__ = "einvoice_counter"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    year: Mapped[int] = mapped_column(Integer)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
