"""Tables of the e-commerce clearance system (prefix ``ecommerce_``).

- ``ecommerce_order``: one retail-import order of a platform organisation, keyed by its order
  number (``orderNo``), with the four CEB messages as received, the last matching result and the
  tax assessment.
- ``ecommerce_item``: the platform's catalogue of tax data per item (``itemNo``): tariff code,
  rates, excise; the CEB messages do not carry rates, the tax engine needs them.
- ``ecommerce_quota``: the annual retail-import total per buyer identity number and calendar year.
- ``ecommerce_bonded_lot``: bonded account book stock (1210) per book, item and status tag.
- ``ecommerce_bonded_movement``: the append-only journal of every change to a lot's quantity.
- ``ecommerce_receipt``: the customs-style receipt (CEB312, 412, 512, 622) answering each message
  received and each release of an order.
- ``ecommerce_receipt_endpoint``: where a platform organisation wants its receipts sent, and how
  far delivery has got (a cursor over the receipt ids, so the hot path writes nothing more).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
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


class ClearanceOrder(Base):
    __tablename__ = "ecommerce_order"
    __table_args__ = (
        UniqueConstraint("organisation_id", "order_no"),
        Index("ix_ecommerce_order_org_status", "organisation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    order_no: Mapped[str] = mapped_column(String(60))
    ebp_code: Mapped[str | None] = mapped_column(String(18))
    buyer_id: Mapped[str | None] = mapped_column(String(60), index=True)
    mode: Mapped[str | None] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16))
    order_message: Mapped[str | None] = mapped_column(Text)
    payment_message: Mapped[str | None] = mapped_column(Text)
    waybill_message: Mapped[str | None] = mapped_column(Text)
    inventory_message: Mapped[str | None] = mapped_column(Text)
    match_result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    dutiable_value: Mapped[Decimal | None] = mapped_column(Numeric(19, 2))
    quota_year: Mapped[int | None] = mapped_column(Integer)
    released_at: Mapped[dt.datetime | None] = mapped_column()
    returned_at: Mapped[dt.datetime | None] = mapped_column()
    # The release anchored in the platform ledger (kind ecommerce.release).
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)
    leaf_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CatalogueItem(Base):
    __tablename__ = "ecommerce_item"
    __table_args__ = (UniqueConstraint("organisation_id", "item_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    item_no: Mapped[str] = mapped_column(String(60))
    tax: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BuyerQuota(Base):
    """Running total of a buyer's retail imports in a calendar year (RMB, dutiable value)."""

    __tablename__ = "ecommerce_quota"
    __table_args__ = (UniqueConstraint("buyer_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(Numeric(19, 2), default=Decimal(0))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BondedLot(Base):
    """Units of one item in one bonded account book (1210, same-warehouse storage) with one
    status tag (``bonded_cbec``, ``general_bonded`` or ``non_bonded``): the book quantity on hand.

    ``quantity`` is only ever changed together with a ``BondedMovement`` row, under the lot's row
    lock, and is never negative.
    """

    __tablename__ = "ecommerce_bonded_lot"
    __table_args__ = (
        UniqueConstraint("organisation_id", "book_no", "item_no", "status"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    book_no: Mapped[str] = mapped_column(String(30))
    item_no: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BondedMovement(Base):
    """Append-only journal of a bonded lot: receipt, release (by a CEB621 inventory list),
    transfer out / in between statuses, return in, stock-take adjustment. ``quantity`` is signed
    (positive in, negative out); the sum over a lot equals its book quantity."""

    __tablename__ = "ecommerce_bonded_movement"
    __table_args__ = (Index("ix_ecommerce_bonded_movement_lot", "lot_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("ecommerce_bonded_lot.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str | None] = mapped_column(String(60))
    order_no: Mapped[str | None] = mapped_column(String(60))
    peer_lot_id: Mapped[int | None] = mapped_column(
        ForeignKey("ecommerce_bonded_lot.id", ondelete="RESTRICT")
    )
    note: Mapped[str | None] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ClearanceReceipt(Base):
    """The receipt answering one message of an order (the CEB standard's ``returnStatus``,
    ``returnInfo`` and ``returnTime``): 120 accepted into the system, 100 refused, 800 released.
    ``keys`` are the head fields the receipt repeats from its request (``orderNo``, ``copNo``,
    ``preNo``, ``invtNo``...); the XML is written from them on request."""

    __tablename__ = "ecommerce_receipt"
    __table_args__ = (Index("ix_ecommerce_receipt_order", "order_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("ecommerce_order.id", ondelete="RESTRICT"))
    request_type: Mapped[str] = mapped_column(String(8))
    receipt_type: Mapped[str] = mapped_column(String(8))
    request_guid: Mapped[str] = mapped_column(String(36))
    guid: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(4))
    info: Mapped[str] = mapped_column(String(1000))
    keys: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReceiptEndpoint(Base):
    """A platform organisation's receipt inbox: each new receipt of its orders is POSTed there as
    CEB XML, in receipt order, signed with HMAC-SHA256 under ``secret``. ``delivered_through`` is
    the id of the last receipt delivered; a failure stops delivery at that receipt and retries it
    later (``next_attempt_at``), so receipts arrive in order and at least once."""

    __tablename__ = "ecommerce_receipt_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT"), unique=True
    )
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    delivered_through: Mapped[int] = mapped_column(BigInteger, default=0)
    delivered: Mapped[int] = mapped_column(BigInteger, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # in a row, since the last success
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(500))
    last_delivered_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
