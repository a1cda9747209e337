"""Clearing many CEB messages in one transaction (the ``ecommerce clear`` command's path).

The checks are the single-message path's own (``service._recheck``: three-order matching, tax
from the catalogue, the annual quota, the bonded book), run after each message of an order in
the order given, so every order ends with the same status, checks, tax and receipts as if its
messages had been sent one by one. What the batch saves is the database work around them:

- each message is read and validated once; stored messages of orders begun earlier are parsed
  from the per-process cache, the batch's own never again;
- the batch's orders are read (and locked) in one query per 500, the new ones inserted together;
- the quota rows of every buyer named by the batch, and the bonded-CBEC lots of every book and
  item its inventory lists name, are locked up front in a fixed order (buyer and year; book and
  item), and missing quota rows inserted together; changes are written by one flush at the end;
- releases are anchored in the ledger with one ``append_many``, receipts inserted together, and
  one audit event records the batch.

A message that cannot be read, or that would change an order already released, is reported with
its name and the others go on. Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from digitrade.core import audit
from digitrade.core.auth.principal import Principal
from digitrade.core.errors import DomainError
from digitrade.core.ledger import service as ledger
from digitrade.systems.ecommerce import matching, service
from digitrade.systems.ecommerce.ceb.model import Document
from digitrade.systems.ecommerce.ceb.validation import parse_timestamp
from digitrade.systems.ecommerce.models import (
    BondedLot,
    BuyerQuota,
    CatalogueItem,
    ClearanceOrder,
    ClearanceReceipt,
)
from digitrade.systems.ecommerce.permissions import DECLARE

CHUNK = 500
STATUSES = ("released", "pending", "accepted", "rejected", "held", "returned")


@dataclass
class BatchResult:
    """What a batch did: messages stored, the status of each order it touched, and the
    messages refused (``{file, error}``)."""

    messages: int = 0
    statuses: dict[int, str] = field(default_factory=dict)
    order_numbers: dict[int, str] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    def merge(self, other: BatchResult) -> None:
        self.messages += other.messages
        self.statuses.update(other.statuses)
        self.order_numbers.update(other.order_numbers)
        self.errors.extend(other.errors)

    def summary(self, files: int) -> dict[str, Any]:
        counts = dict.fromkeys(STATUSES, 0)
        for status in self.statuses.values():
            counts[status] = counts.get(status, 0) + 1
        return {
            "files": files,
            "messages": self.messages,
            "orders": len(self.statuses),
            **counts,
            "errors": self.errors,
        }


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class BatchBook:
    """The quota rows and bonded lots of a batch, locked up front (``service.ClearingBook``);
    anything not preloaded falls back to the one-row locks of ``service.DatabaseBook``."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self.session = session
        self.organisation_id = organisation_id
        self.fallback = service.DatabaseBook(session)
        self.quotas: dict[tuple[str, int], BuyerQuota] = {}
        self.lots: dict[tuple[str, str], BondedLot] = {}
        self._catalogue: dict[str, dict[str, Any]] | None = None
        self._locked_lots: set[tuple[str, str]] = set()

    # Preloading -------------------------------------------------------------------------------

    def lock_quotas(self, keys: set[tuple[str, int]]) -> None:
        """Lock (creating when missing) the quota rows of ``keys``, sorted by buyer and year."""
        ordered = sorted(keys)
        for chunk in _chunks(ordered):
            rows = self.session.scalars(
                select(BuyerQuota)
                .where(tuple_(BuyerQuota.buyer_id, BuyerQuota.year).in_(chunk))
                .order_by(BuyerQuota.buyer_id, BuyerQuota.year)
                .with_for_update()
            )
            self.quotas.update({(row.buyer_id, row.year): row for row in rows})
        missing = [key for key in ordered if key not in self.quotas]
        if not missing:
            return
        created = [
            BuyerQuota(buyer_id=buyer, year=year, total=Decimal(0)) for buyer, year in missing
        ]
        try:
            with self.session.begin_nested():
                self.session.add_all(created)
                self.session.flush()
        except IntegrityError:
            # Another transaction created some first: take them one at a time, as it committed.
            for buyer, year in missing:
                self.quotas[(buyer, year)] = service.lock_quota(self.session, buyer, year)
            return
        self.quotas.update({(row.buyer_id, row.year): row for row in created})

    def lock_lots(self, keys: set[tuple[str, str]]) -> None:
        """Lock the bonded-CBEC lots of ``keys`` (book, item), sorted; missing lots stay absent
        (a release from them is short)."""
        ordered = sorted(keys)
        for chunk in _chunks(ordered):
            rows = self.session.scalars(
                select(BondedLot)
                .where(
                    BondedLot.organisation_id == self.organisation_id,
                    BondedLot.status == service.BONDED_CBEC,
                    tuple_(BondedLot.book_no, BondedLot.item_no).in_(chunk),
                )
                .order_by(BondedLot.book_no, BondedLot.item_no)
                .with_for_update()
            )
            self.lots.update({(row.book_no, row.item_no): row for row in rows})
        self._locked_lots.update(ordered)

    # service.ClearingBook ---------------------------------------------------------------------

    def quota(self, buyer_id: str, year: int) -> BuyerQuota:
        row = self.quotas.get((buyer_id, year))
        if row is None:
            row = self.quotas[(buyer_id, year)] = self.fallback.quota(buyer_id, year)
        return row

    def catalogue(self, organisation_id: int) -> dict[str, dict[str, Any]]:
        if self._catalogue is None:
            self._catalogue = {
                item.item_no: item.tax
                for item in self.session.scalars(
                    select(CatalogueItem).where(CatalogueItem.organisation_id == organisation_id)
                )
            }
        return self._catalogue

    def take_bonded(
        self,
        actor: Principal,
        organisation_id: int,
        book_no: str,
        totals: dict[str, int],
        *,
        reference: str | None,
        order_no: str,
    ) -> None:
        if any((book_no, item_no) not in self._locked_lots for item_no in totals):
            self.fallback.take_bonded(
                actor, organisation_id, book_no, totals, reference=reference, order_no=order_no
            )
            return
        lots: list[BondedLot] = []
        for item_no in sorted(totals):  # the order and refusal of service._take_bonded
            lot = self.lots.get((book_no, item_no))
            on_hand = lot.quantity if lot is not None else 0
            if lot is None or on_hand < totals[item_no]:
                raise service._short(
                    book_no, item_no, service.BONDED_CBEC, on_hand, totals[item_no]
                )
            lots.append(lot)
        for lot in lots:
            service._move(
                self.session,
                actor,
                lot,
                service.RELEASE,
                -totals[lot.item_no],
                reference=reference,
                order_no=order_no,
            )


@dataclass
class _Parsed:
    name: str
    text: str
    guid: str
    role: str
    document: Document
    order_no: str


def _lock_orders(
    session: Session, organisation_id: int, order_nos: set[str]
) -> dict[str, ClearanceOrder]:
    """The batch's orders, locked, sorted by number; the missing ones created together."""
    ordered = sorted(order_nos)
    rows: dict[str, ClearanceOrder] = {}
    for chunk in _chunks(ordered):
        found = session.scalars(
            select(ClearanceOrder)
            .where(
                ClearanceOrder.organisation_id == organisation_id,
                ClearanceOrder.order_no.in_(chunk),
            )
            .order_by(ClearanceOrder.order_no)
            .with_for_update()
        )
        rows.update({row.order_no: row for row in found})
    missing = [number for number in ordered if number not in rows]
    if not missing:
        return rows
    created = [
        ClearanceOrder(
            organisation_id=organisation_id,
            order_no=number,
            status=matching.ClearanceStatus.PENDING.value,
        )
        for number in missing
    ]
    try:
        with session.begin_nested():
            session.add_all(created)
            session.flush()
    except IntegrityError:
        for number in missing:
            rows[number] = service._lock_order(session, organisation_id, number)
        return rows
    rows.update({row.order_no: row for row in created})
    return rows


def _buyer_year(order: Document | None) -> tuple[str, int] | None:
    if order is None:
        return None
    declared = parse_timestamp(order.head.text("appTime"))
    buyer = order.head.text("buyerIdNumber")
    return (buyer, declared.year) if declared is not None and buyer else None


def clear_batch(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int,
    messages: Sequence[tuple[str, bytes]],
) -> BatchResult:
    """Store and clear ``messages`` (name, bytes) of one platform organisation in the caller's
    transaction; the result names each message refused."""
    actor.require(DECLARE, organisation_id)
    result = BatchResult()
    parsed: list[_Parsed] = []
    for name, data in messages:
        try:
            text, message, role, document, order_no = service.parse_checked(data)
        except DomainError as exc:
            result.errors.append({"file": name, "error": exc.detail})
            continue
        parsed.append(_Parsed(name, text, message.guid, role, document, order_no[:60]))
    if not parsed:
        return result
    rows = _lock_orders(session, organisation_id, {p.order_no for p in parsed})
    documents: dict[str, dict[str, Document | None]] = {}
    for order_no, row in rows.items():
        documents[order_no] = service._documents(row)
    # Everything the checks will lock, locked now in a fixed order.
    quota_keys: set[tuple[str, int]] = set()
    lot_keys: set[tuple[str, str]] = set()
    for stored in documents.values():
        key = _buyer_year(stored[matching.ORDER])
        if key is not None:
            quota_keys.add(key)
    for item in parsed:
        if item.role == matching.ORDER:
            key = _buyer_year(item.document)
            if key is not None:
                quota_keys.add(key)
        inventories = [item.document] if item.role == matching.INVENTORY else []
        stored_inventory = documents[item.order_no][matching.INVENTORY]
        if stored_inventory is not None:
            inventories.append(stored_inventory)
        for inventory in inventories:
            if inventory.head.text("tradeMode") != service.BONDED_MODE:
                continue
            lines = service.bonded_lines(inventory)
            if not isinstance(lines, str):
                lot_keys.update((lines[0], item_no) for item_no in lines[1])
    book = BatchBook(session, organisation_id)
    book.lock_quotas(quota_keys)
    book.lock_lots(lot_keys)

    receipts: list[ClearanceReceipt] = []
    released: list[ClearanceOrder] = []
    replaced = 0
    for item in parsed:
        row = rows[item.order_no]
        if row.status in service._DONE:
            result.errors.append({"file": item.name, "error": service._already_done(row).detail})
            continue
        order_documents = documents[item.order_no]
        replaced += service._store(row, item.role, item.text, item.document)
        order_documents[item.role] = item.document
        done = service._recheck(session, actor, row, order_documents, book)
        receipts.extend(
            service.receipts_for(row, item.role, item.document, order_documents, released=done)
        )
        if done:
            released.append(row)
        result.messages += 1
        result.statuses[row.id] = row.status
        result.order_numbers[row.id] = row.order_no
    anchored = ledger.append_many(session, [service.release_entry(actor, row) for row in released])
    for row, entry in zip(released, anchored, strict=True):
        row.ledger_index = entry.index
        row.leaf_hash = entry.leaf_hash
    session.add_all(receipts)
    session.flush()
    counts = dict.fromkeys(STATUSES, 0)
    for status in result.statuses.values():
        counts[status] += 1
    audit.record(
        session,
        actor=actor,
        action="ecommerce.batch.clear",
        entity_type="ecommerce_order",
        entity_id=f"batch of {result.messages}",
        organisation_id=organisation_id,
        after={
            "messages": result.messages,
            "replaced": replaced,
            "orders": counts,
            "released": [
                {
                    "order_no": row.order_no,
                    "ledger_index": row.ledger_index,
                    "dutiable_value": (row.assessment or {}).get("dutiable_value"),
                    "tax_total": (row.assessment or {}).get("tax_total"),
                    "bonded": (row.match_result or {}).get("bonded"),
                }
                for row in released
            ],
            "refused": len(result.errors),
        },
    )
    return result
