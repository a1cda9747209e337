"""Clearing many CEB messages in one transaction (the ``ecommerce clear`` command's path).

The checks are the single-message path's own (``service._recheck``: three-order matching, tax
from the catalogue, the annual quota, the bonded book), and every order ends with the same
status, checks, tax, receipts, quota and book as if its messages had been sent one by one. What
the batch saves:

- each message is read and validated once; stored messages of orders begun earlier are parsed
  from the per-process cache, the batch's own never again;
- an order whose messages all come in the batch can be matched and assessed before the clearing
  transaction opens (``evaluate_ahead``, no lock); clearing uses that evaluation when the order
  is still new, the catalogue unchanged and the buyer's locked total the one it assumed, so on
  SQLite (one writer at a time) the write lock is held for little more than the writing;
- an order whose batch messages each have a role of their own, replacing nothing stored, is
  checked once, after the last of them, at that message's place in the batch (so quota and book
  are taken in the same order as one by one); its earlier messages are answered from the subsets
  they completed (``_matched_once``). Any other order is re-checked after each of its messages;
- the batch's orders are read (and locked) in one query per 500, the new ones inserted together
  with one executemany. On SQLite (one writer at a time, so an order not found cannot appear
  before commit) a new order whose batch messages each have a role of their own is a draft
  instead: a row outside the session, cleared as any other and inserted whole at the end, not
  inserted empty and then updated; its messages are answered once it has its id;
- the quota rows of every buyer named by the batch, and the bonded-CBEC lots of every book and
  item its inventory lists name, are locked up front in a fixed order (buyer and year; book and
  item), the missing quota rows inserted with one executemany (on SQLite, at the end, with the
  totals the batch reached); quota, lot and order changes are written by one flush at the end;
- releases are anchored in the ledger with one ``append_many``; receipts and the lots' journal
  rows are inserted with one executemany each; one audit event records the batch with each
  release (order, ledger index, amounts, bonded drawdown), and every order keeps its receipts.

A message that cannot be read, or that would change an order already released, is reported with
its name and the others go on. Services flush, never commit.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute, Session

from digitrade.core import audit
from digitrade.core.auth.principal import Principal
from digitrade.core.db import insert_values, utcnow
from digitrade.core.errors import DomainError
from digitrade.core.ledger import service as ledger
from digitrade.systems.ecommerce import matching, service
from digitrade.systems.ecommerce.ceb.codes import CustomsStatus
from digitrade.systems.ecommerce.ceb.model import Document
from digitrade.systems.ecommerce.models import (
    BondedLot,
    BondedMovement,
    BuyerQuota,
    ClearanceOrder,
    ClearanceReceipt,
)
from digitrade.systems.ecommerce.permissions import DECLARE
from digitrade.systems.ecommerce.schemas import ROLES

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


def refresh_statuses(session: Session, result: BatchResult) -> None:
    """Set each order of ``result`` to its status in the database now: after batches cleared
    side by side, whichever finished last may not hold an order's last status."""
    ids = sorted(result.statuses)
    for chunk in _chunks(ids):
        for order_id, status in session.execute(
            select(ClearanceOrder.id, ClearanceOrder.status).where(ClearanceOrder.id.in_(chunk))
        ):
            result.statuses[order_id] = status


def _pairs_among(
    first: QueryableAttribute[Any],
    second: QueryableAttribute[Any],
    pairs: Iterable[tuple[Any, Any]],
) -> ColumnElement[bool]:
    """Rows whose (first, second) may be one of ``pairs``: each column in its own list, which
    the two-column unique index serves on SQLite and PostgreSQL alike (SQLite plans a row-value
    IN as a scan of the whole table). A cross of the lists can bring a few rows more (one buyer
    in two years, say); callers keep the pairs they asked for."""
    listed = list(pairs)
    return and_(
        first.in_(sorted({a for a, _ in listed})), second.in_(sorted({b for _, b in listed}))
    )


def _one_writer(session: Session) -> bool:
    """Whether the database has one writer at a time (SQLite): a row not found under the write
    lock cannot appear before this transaction commits, so a new row can wait until the end and
    be inserted whole, instead of inserted at once (taking its key against concurrent
    transactions) and updated."""
    return session.get_bind().dialect.name == "sqlite"


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
        # Journal rows of the releases from preloaded lots, inserted together by ``write``.
        self.movements: list[dict[str, Any]] = []
        # Quota rows new to the database, outside the session (``_one_writer``): ``write``
        # inserts them with the totals the batch reached.
        self.new_quotas: list[BuyerQuota] = []

    # Preloading -------------------------------------------------------------------------------

    def lock_quotas(self, keys: set[tuple[str, int]]) -> None:
        """Lock (creating when missing) the quota rows of ``keys``, sorted by buyer and year:
        one locked read per buyer and year, the missing rows inserted with one executemany (on
        SQLite, by ``write`` at the end with their totals, instead of inserted and updated)."""
        ordered = sorted(keys)
        self._read_quotas(ordered)
        missing = [key for key in ordered if key not in self.quotas]
        if not missing:
            return
        now = utcnow()
        if _one_writer(self.session):
            for buyer, year in missing:
                row = BuyerQuota(buyer_id=buyer, year=year, total=Decimal(0), updated_at=now)
                self.quotas[(buyer, year)] = row
                self.new_quotas.append(row)
            return
        try:
            with self.session.begin_nested():
                insert_values(
                    self.session,
                    BuyerQuota.__table__,  # type: ignore[arg-type]
                    [
                        {
                            "buyer_id": buyer,
                            "year": year,
                            "total": Decimal(0),
                            "updated_at": now,
                        }
                        for buyer, year in missing
                    ],
                )
        except IntegrityError:
            # Another transaction created some first: take them one at a time, as it committed.
            for buyer, year in missing:
                self.quotas[(buyer, year)] = service.lock_quota(self.session, buyer, year)
            return
        self._read_quotas(missing)

    def _read_quotas(self, keys: list[tuple[str, int]]) -> None:
        for chunk in _chunks(keys):
            wanted = set(chunk)
            rows = self.session.scalars(
                select(BuyerQuota)
                .where(_pairs_among(BuyerQuota.buyer_id, BuyerQuota.year, chunk))
                .order_by(BuyerQuota.buyer_id, BuyerQuota.year)
                .with_for_update()
            )
            self.quotas.update(
                {
                    (row.buyer_id, row.year): row
                    for row in rows
                    if (row.buyer_id, row.year) in wanted
                }
            )

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
                    _pairs_among(BondedLot.book_no, BondedLot.item_no, chunk),
                )
                .order_by(BondedLot.book_no, BondedLot.item_no)
                .with_for_update()
            )
            wanted = set(chunk)
            self.lots.update(
                {
                    (row.book_no, row.item_no): row
                    for row in rows
                    if (row.book_no, row.item_no) in wanted
                }
            )
        self._locked_lots.update(ordered)

    # service.ClearingBook ---------------------------------------------------------------------

    def quota(self, buyer_id: str, year: int) -> BuyerQuota:
        row = self.quotas.get((buyer_id, year))
        if row is None:
            row = self.quotas[(buyer_id, year)] = self.fallback.quota(buyer_id, year)
        return row

    def catalogue(self, organisation_id: int) -> dict[str, dict[str, Any]]:
        if self._catalogue is None:
            self._catalogue = service.catalogue_taxes(self.session, organisation_id)
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
        now = utcnow()
        subject = actor.subject[:100]
        for lot in lots:  # service._move's change and journal row, written by ``write``
            quantity = -totals[lot.item_no]
            lot.quantity = lot.quantity + quantity
            self.movements.append(
                {
                    "lot_id": lot.id,
                    "kind": service.RELEASE,
                    "quantity": quantity,
                    "reference": reference,
                    "order_no": order_no,
                    "peer_lot_id": None,
                    "note": None,
                    "actor": subject,
                    "created_at": now,
                }
            )

    def write(self) -> None:
        """Insert the new quota rows and the journal rows collected (after the lots' own changes
        are flushed)."""
        now = utcnow()  # as the flush of an updated row would stamp it
        insert_values(
            self.session,
            BuyerQuota.__table__,  # type: ignore[arg-type]
            [
                {"buyer_id": row.buyer_id, "year": row.year, "total": row.total, "updated_at": now}
                for row in self.new_quotas
            ],
        )
        self.new_quotas = []
        insert_values(self.session, BondedMovement.__table__, self.movements)  # type: ignore[arg-type]
        self.movements = []


@dataclass
class _Parsed:
    name: str
    text: str
    guid: str
    role: str
    document: Document
    order_no: str
    digest: str  # service.message_digest


def _roles_by_order(parsed: Iterable[_Parsed]) -> dict[str, list[str]]:
    """The roles of each order's messages in the batch, in arrival order."""
    roles: dict[str, list[str]] = {}
    for item in parsed:
        roles.setdefault(item.order_no, []).append(item.role)
    return roles


def _each_role_once(arrived: list[str]) -> bool:
    return len(set(arrived)) == len(arrived)


@dataclass(slots=True)
class OrderDraft:
    """A new order cleared outside the session (``service.OrderState``): the columns of a
    ``ClearanceOrder``, inserted whole by ``_insert_drafts``, which gives it its id."""

    organisation_id: int
    order_no: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    id: int = 0  # none yet
    ebp_code: str | None = None
    buyer_id: str | None = None
    mode: str | None = None
    order_message: str | None = None
    payment_message: str | None = None
    waybill_message: str | None = None
    inventory_message: str | None = None
    match_result: dict[str, Any] | None = None
    assessment: dict[str, Any] | None = None
    dutiable_value: Decimal | None = None
    quota_year: int | None = None
    released_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    ledger_index: int | None = None
    leaf_hash: bytes | None = None


# Every column of an order but its id, which the database gives.
_DRAFT_COLUMNS = tuple(
    column.key for column in ClearanceOrder.__table__.columns if column.key != "id"
)


def _lock_orders(
    session: Session, organisation_id: int, roles: dict[str, list[str]]
) -> tuple[dict[str, service.OrderState], dict[str, OrderDraft]]:
    """The batch's orders, locked, sorted by number, and the drafts among them.

    A missing order is inserted at once (taking its number), or, on a database with one writer
    at a time (``_one_writer``) when its batch messages each have a role of their own, it is a
    draft: a plain object outside the session, inserted whole by ``_insert_drafts`` once
    cleared."""
    ordered = sorted(roles)
    rows: dict[str, service.OrderState] = dict(_read_orders(session, organisation_id, ordered))
    drafts: dict[str, OrderDraft] = {}
    if _one_writer(session):
        now = utcnow()
        for number, arrived in roles.items():
            if number not in rows and _each_role_once(arrived):
                rows[number] = drafts[number] = OrderDraft(
                    organisation_id=organisation_id,
                    order_no=number,
                    status=matching.ClearanceStatus.PENDING.value,
                    created_at=now,
                    updated_at=now,
                )
    missing = [number for number in ordered if number not in rows]
    rows.update(_insert_orders(session, organisation_id, missing))
    return rows, drafts


def _insert_orders(
    session: Session, organisation_id: int, missing: list[str]
) -> dict[str, ClearanceOrder]:
    """Insert the orders ``missing`` (sorted) together and lock them; if another transaction
    inserted any first, each is locked one at a time, as that transaction committed."""
    rows: dict[str, ClearanceOrder] = {}
    if not missing:
        return rows
    now = utcnow()
    try:
        with session.begin_nested():
            insert_values(
                session,
                ClearanceOrder.__table__,  # type: ignore[arg-type]
                [
                    {
                        "organisation_id": organisation_id,
                        "order_no": number,
                        "status": matching.ClearanceStatus.PENDING.value,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for number in missing
                ],
            )
    except IntegrityError:
        for number in missing:
            rows[number] = service._lock_order(session, organisation_id, number)
        return rows
    rows.update(_read_orders(session, organisation_id, missing))
    return rows


def _insert_drafts(session: Session, organisation_id: int, drafts: Sequence[OrderDraft]) -> None:
    """Insert the drafts (sorted by number) whole, with one executemany, and give each its id."""
    if not drafts:
        return
    now = utcnow()  # as the flush of an updated row would stamp it
    for row in drafts:
        row.updated_at = now
    insert_values(
        session,
        ClearanceOrder.__table__,  # type: ignore[arg-type]
        [{name: getattr(row, name) for name in _DRAFT_COLUMNS} for row in drafts],
    )
    ids: dict[str, int] = {}
    for chunk in _chunks([row.order_no for row in drafts]):
        found = session.execute(
            select(ClearanceOrder.order_no, ClearanceOrder.id).where(
                ClearanceOrder.organisation_id == organisation_id,
                ClearanceOrder.order_no.in_(chunk),
            )
        )
        ids.update((number, order_id) for number, order_id in found)
    for row in drafts:
        row.id = ids[row.order_no]


def _read_orders(
    session: Session, organisation_id: int, order_nos: list[str]
) -> dict[str, ClearanceOrder]:
    rows: dict[str, ClearanceOrder] = {}
    for chunk in _chunks(order_nos):
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
    return rows


def _matched_once(
    roles: dict[str, list[str]],
    rows: dict[str, service.OrderState],
    documents: dict[str, dict[str, Document | None]],
) -> set[str]:
    """The orders whose batch messages can be matched once, after the last of them: each role
    arrives at most once and replaces nothing stored, so every earlier state of the order is a
    subset of its last one.

    Matching a subset finds no more disagreements than matching the whole (each check compares
    the messages present, and the fee source of the limits check is compared by the freight
    check); with no failed check at the end, each earlier message was answered "accepted;
    waiting for ...". A partial set touches no quota or lot, so nothing else depends on when it
    is checked. Any other order is re-checked after each of its messages, as one by one."""
    return {
        order_no
        for order_no, arrived in roles.items()
        if len(arrived) > 1
        and _each_role_once(arrived)
        and rows[order_no].status not in service._DONE
        and all(documents[order_no][role] is None for role in arrived)
    }


def _failed(row: service.OrderState) -> bool:
    """Whether a check of the order's last matching failed."""
    return any(check.get("passed") is False for check in (row.match_result or {}).get("checks", []))


def _partial_answer(
    row: service.OrderState, item: _Parsed, present: dict[str, Document | None], failed: bool
) -> dict[str, Any]:
    """The receipt ``service.receipt_rows`` gives a message whose order was still incomplete
    (``present`` are its messages then): refused with the failing checks, or waiting
    (``failed``: whether the order's complete set failed a check, ``_failed``)."""
    match = None
    if failed:  # the subset may fail too: match it as the single path did
        match = matching.check_orders(
            present[matching.ORDER],
            present[matching.PAYMENT],
            present[matching.WAYBILL],
            present[matching.INVENTORY],
        )
    if match is not None and match.status is matching.ClearanceStatus.REJECTED:
        return service.receipt_values(
            row,
            item.role,
            item.document,
            CustomsStatus.REJECTED.value,
            service.refusal(match.as_dict(), None),
        )
    missing = [role for role in ROLES if present[role] is None]
    return service.receipt_values(
        row,
        item.role,
        item.document,
        CustomsStatus.ACCEPTED.value,
        "accepted; waiting for " + ", ".join(service.REQUEST_TYPE[r] for r in missing),
    )


def _answer(
    answers: list[list[dict[str, Any]]],
    place: int,
    row: service.OrderState,
    item: _Parsed,
    documents: dict[str, Document | None],
    released: bool,
    waiting: dict[str, list[tuple[int, _Parsed, dict[str, Document | None]]]],
) -> None:
    """The receipts answering the message checked at ``place``, and the earlier messages of its
    order still waiting for their answer (an order matched once)."""
    answers[place] = service.receipt_rows(
        row, item.role, item.document, documents, released=released
    )
    earlier_messages = waiting.pop(item.order_no, [])
    failed = bool(earlier_messages) and _failed(row)
    for earlier_place, earlier, present in earlier_messages:
        answers[earlier_place] = [_partial_answer(row, earlier, present, failed)]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a batch allocates many small objects that all live
    until it ends, and the collector would otherwise walk them again and again for nothing
    (about a tenth of a batch's time). Whatever cycles the batch leaves are collected after.
    Pauses nest; a caller running the steps of a batch one after the other pauses around them
    all, so that the collector resumes once the batch's objects are released (resumed while they
    live, it walks them all at once; those in reference cycles wait for it). The pause is
    process-wide: it suits a command or a worker process clearing batches, not a process whose
    other threads keep working meanwhile."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass
class PreparedBatch:
    """Messages read and validated, not yet cleared: ``parsed`` in arrival order and the
    messages refused (``{file, error}``); after ``evaluate_ahead``, the evaluation of each
    order whose messages all arrive in the batch, with the catalogue it used."""

    parsed: list[_Parsed] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    organisation_id: int | None = None
    catalogue: dict[str, dict[str, Any]] | None = None
    evaluations: dict[str, service.Evaluation] = field(default_factory=dict)


def prepare_batch(messages: Sequence[tuple[str, bytes]]) -> PreparedBatch:
    """Read and validate ``messages`` (name, bytes). No database: a caller can prepare the next
    batch before it opens the transaction that clears it, so that on SQLite the write lock is
    not held while messages are parsed, and processes clearing side by side overlap."""
    prepared = PreparedBatch()
    with collector_paused():
        for name, data in messages:
            try:
                text, message, role, document, order_no = service.parse_checked(data)
            except DomainError as exc:
                prepared.errors.append({"file": name, "error": exc.detail})
                continue
            prepared.parsed.append(
                _Parsed(
                    name,
                    text,
                    message.guid,
                    role,
                    document,
                    order_no[:60],
                    # For its release, taken here rather than under the write lock.
                    service.message_digest(data),
                )
            )
    return prepared


def evaluate_ahead(session: Session, organisation_id: int, prepared: PreparedBatch) -> None:
    """Match and assess, before the clearing transaction, each order whose messages all arrive
    in ``prepared`` (every role at most once), from the catalogue and the buyers' annual totals
    as ``session`` reads them now (no lock). Clearing then uses an evaluation only for an order
    the database still holds no message of, when the catalogue is unchanged and the buyer's
    locked total is the one assumed; anything else is evaluated again under the locks. Run in a
    read transaction of its own, this keeps the write lock short (on SQLite, one writer at a
    time)."""
    candidates = {
        order_no: dict.fromkeys(ROLES)
        for order_no, arrived in _roles_by_order(prepared.parsed).items()
        if len(arrived) > 1 and _each_role_once(arrived)
    }
    for item in prepared.parsed:
        if item.order_no in candidates:
            candidates[item.order_no][item.role] = item.document
    if not candidates:
        return
    keys = {order_no: service.quota_key(documents) for order_no, documents in candidates.items()}
    totals = _quota_totals(session, {key for key in keys.values() if key is not None})
    catalogue = service.catalogue_taxes(session, organisation_id)
    with collector_paused():
        for order_no, documents in candidates.items():
            key = keys[order_no]
            total = None if key is None else totals.get(key, Decimal(0))
            prepared.evaluations[order_no] = service.evaluate(documents, catalogue, total)
    prepared.organisation_id = organisation_id
    prepared.catalogue = catalogue


def _quota_totals(session: Session, keys: set[tuple[str, int]]) -> dict[tuple[str, int], Decimal]:
    totals: dict[tuple[str, int], Decimal] = {}
    for chunk in _chunks(sorted(keys)):
        rows = session.execute(
            select(BuyerQuota.buyer_id, BuyerQuota.year, BuyerQuota.total).where(
                _pairs_among(BuyerQuota.buyer_id, BuyerQuota.year, chunk)
            )
        )
        wanted = set(chunk)
        totals.update(
            {(buyer, year): total for buyer, year, total in rows if (buyer, year) in wanted}
        )
    return totals


def clear_batch(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int,
    messages: Sequence[tuple[str, bytes]],
) -> BatchResult:
    """Store and clear ``messages`` (name, bytes) of one platform organisation in the caller's
    transaction; the result names each message refused. On SQLite that transaction must hold
    the write lock from its start (``core.db.transaction`` takes it at BEGIN IMMEDIATE): new rows
    are inserted at the end on the strength of not being found at the start (``_one_writer``)."""
    actor.require(DECLARE, organisation_id)
    prepared = prepare_batch(messages)
    evaluate_ahead(session, organisation_id, prepared)
    return clear_prepared(session, actor=actor, organisation_id=organisation_id, prepared=prepared)


def clear_prepared(
    session: Session, *, actor: Principal, organisation_id: int, prepared: PreparedBatch
) -> BatchResult:
    """``clear_batch`` of messages already read (``prepare_batch``)."""
    actor.require(DECLARE, organisation_id)
    with collector_paused():
        return _clear(session, actor, organisation_id, prepared)


def _clear(
    session: Session, actor: Principal, organisation_id: int, prepared: PreparedBatch
) -> BatchResult:
    result = BatchResult()
    result.errors.extend(prepared.errors)
    parsed = prepared.parsed
    if not parsed:
        return result
    roles = _roles_by_order(parsed)
    rows, drafts = _lock_orders(session, organisation_id, roles)
    documents: dict[str, dict[str, Document | None]] = {}
    for order_no, row in rows.items():
        documents[order_no] = service._documents(row)
    # Everything the checks will lock, locked now in a fixed order.
    quota_keys: set[tuple[str, int]] = set()
    lot_keys: set[tuple[str, str]] = set()
    for stored in documents.values():
        key = service.buyer_year(stored[matching.ORDER])
        if key is not None:
            quota_keys.add(key)
    for item in parsed:
        if item.role == matching.ORDER:
            key = service.buyer_year(item.document)
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
            if isinstance(lines, tuple):
                lot_keys.update((lines[0], item_no) for item_no in lines[1])
    book = BatchBook(session, organisation_id)
    book.lock_quotas(quota_keys)
    book.lock_lots(lot_keys)

    once = _matched_once(roles, rows, documents)
    evaluations: dict[str, service.Evaluation] = {}
    if (
        prepared.evaluations
        and prepared.organisation_id == organisation_id
        and book.catalogue(organisation_id) == prepared.catalogue
    ):
        evaluations = prepared.evaluations
    last_arrival = {item.order_no: index for index, item in enumerate(parsed)}
    # The receipts answering each message, in arrival order; a message of an order matched once
    # holds its place until the order's last message of the batch is checked.
    answers: list[list[dict[str, Any]]] = []
    waiting: dict[str, list[tuple[int, _Parsed, dict[str, Document | None]]]] = {}
    # The last message of each draft, answered once the draft has its id (nothing later in the
    # batch changes a draft: its messages each come once, and the last of them checks it).
    unanswered: list[tuple[int, _Parsed, dict[str, Document | None], bool]] = []
    touched: dict[str, service.OrderState] = {}
    # The digest of each message the batch stored, by order and role (a later one replaces).
    digests: dict[str, dict[str, str]] = {}
    released: list[service.OrderState] = []
    replaced = 0
    for index, item in enumerate(parsed):
        row = rows[item.order_no]
        if row.status in service._DONE:
            result.errors.append({"file": item.name, "error": service._already_done(row).detail})
            continue
        order_documents = documents[item.order_no]
        replaced += service._store(row, item.role, item.text, item.document)
        order_documents[item.role] = item.document
        result.messages += 1
        touched[item.order_no] = row
        digests.setdefault(item.order_no, {})[item.role] = item.digest
        if item.order_no in once and index != last_arrival[item.order_no]:
            waiting.setdefault(item.order_no, []).append(
                (len(answers), item, dict(order_documents))
            )
            answers.append([])
            continue
        # An order matched once is checked on exactly the batch's messages: what was worked
        # out ahead of the transaction holds for it (``evaluate_ahead``).
        ahead = evaluations.get(item.order_no) if item.order_no in once else None
        done = service._recheck(session, actor, row, order_documents, book, ahead)
        if done:
            released.append(row)
        answers.append([])
        if item.order_no in drafts:
            unanswered.append((len(answers) - 1, item, order_documents, done))
        else:
            _answer(answers, len(answers) - 1, row, item, order_documents, done, waiting)
    entries = [service.release_entry(actor, row, digests[row.order_no]) for row in released]
    # Without autoflush the appending statement writes no order: one flush below then writes
    # each order once, its ledger anchor included, instead of once before it and once after.
    with session.no_autoflush:
        anchored = ledger.append_many(session, entries)
    for row, entry in zip(released, anchored, strict=True):
        row.ledger_index = entry.index
        row.leaf_hash = entry.leaf_hash
    _insert_drafts(session, organisation_id, [drafts[number] for number in sorted(drafts)])
    for place, item, order_documents, done in unanswered:
        _answer(answers, place, rows[item.order_no], item, order_documents, done, waiting)
    for row in touched.values():
        result.statuses[row.id] = row.status
        result.order_numbers[row.id] = row.order_no
    session.flush()
    insert_values(
        session,
        ClearanceReceipt.__table__,  # type: ignore[arg-type]
        [receipt for answer in answers for receipt in answer],
    )
    book.write()
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
