"""E-commerce clearance use cases shared by the API and the CLI.

A platform organisation sends the four CEB messages of a retail-import order (order CEB311,
payment CEB411, waybill CEB511, inventory list CEB621) in any order. Each is validated, stored
against its order (``orderNo`` within the organisation) and three-order matching is run on what
has arrived: a missing counterpart leaves the order ``pending`` and it is re-checked when the
counterpart arrives. With all four, the tax is assessed from the item catalogue and the buyer's
annual total, which is locked for the duration (``SELECT ... FOR UPDATE`` on PostgreSQL, the
write lock taken at ``BEGIN IMMEDIATE`` on SQLite), so concurrent orders can never together pass
the annual limit. A released order reserves its dutiable value in the quota; an accepted return
credits it back. Services flush, never commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from digitrade.core import audit
from digitrade.core.auth.principal import Principal
from digitrade.core.db import fetch_page, utcnow
from digitrade.core.errors import (
    Conflict,
    DomainError,
    FieldIssue,
    NotFound,
    ValidationFailed,
    validation_error,
)
from digitrade.core.ledger import service as ledger
from digitrade.core.text import Text
from digitrade.systems.ecommerce import matching, returns, settlement, tax, taxbill
from digitrade.systems.ecommerce.ceb import build_message, read_message, validate
from digitrade.systems.ecommerce.ceb.codes import RETURN_STATUSES, CustomsStatus
from digitrade.systems.ecommerce.ceb.model import CebMessage, Document, Issue
from digitrade.systems.ecommerce.ceb.receipts import build_receipt
from digitrade.systems.ecommerce.ceb.spec import RECEIPT_FOR, SPECS
from digitrade.systems.ecommerce.ceb.validation import ValidationReport, parse_timestamp
from digitrade.systems.ecommerce.identity import identity_number_problem
from digitrade.systems.ecommerce.models import (
    BondedLot,
    BondedMovement,
    BuyerQuota,
    CatalogueItem,
    ClearanceOrder,
    ClearanceReceipt,
    ReceiptEndpoint,
)
from digitrade.systems.ecommerce.money import format_money
from digitrade.systems.ecommerce.permissions import DECLARE, READ
from digitrade.systems.ecommerce.schemas import (
    ROLES,
    BondedAdjust,
    BondedLine,
    BondedLotRead,
    BondedMovementRead,
    BondedMoveResult,
    BondedReceive,
    BondedRelease,
    BondedReturnIn,
    BondedTransfer,
    CatalogueItemRead,
    CatalogueItemWrite,
    OrderDetail,
    OrderRead,
    QuotaRead,
    ReceiptEndpointRead,
    ReceiptEndpointWrite,
    ReceiptFeed,
    ReceiptRead,
    ReturnCreate,
    ReturnResult,
    SettlementLine,
    SettlementTotal,
    StockTakeLine,
    StockTakeReport,
    StockTakeRequest,
    TaxSettlement,
)
from digitrade.systems.ecommerce.texts import render

CHINA = ZoneInfo("Asia/Shanghai")
ROLE_OF_TYPE = {code: role for role, code in matching.ROLE_MESSAGE.items()}
RETURNED = "returned"
HELD = "held"
BONDED_MODE = "1210"
BONDED_CBEC = "bonded_cbec"
RELEASED_KIND = "ecommerce.release"
_DONE = frozenset({matching.ClearanceStatus.RELEASED.value, RETURNED})


class QuotaExceeded(Conflict):
    """The buyer's annual retail-import limit would be exceeded (title: Conflict's)."""

    code = "ecommerce.quota-exceeded"


class MessageInvalid(ValidationFailed):
    """The CEB message does not pass validation; ``extra`` carries the full report."""

    code = "ecommerce.message-invalid"


# Quota ------------------------------------------------------------------------------------


def lock_quota(session: Session, buyer_id: str, year: int) -> BuyerQuota:
    """The buyer's quota row for ``year``, created when missing, locked until the transaction
    ends (PostgreSQL row lock; SQLite write transactions are already serialised)."""
    query = (
        select(BuyerQuota)
        .where(BuyerQuota.buyer_id == buyer_id, BuyerQuota.year == year)
        .with_for_update()
    )
    row = session.scalars(query).one_or_none()
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = BuyerQuota(buyer_id=buyer_id, year=year, total=Decimal(0))
            session.add(row)
            session.flush()
        return row
    except IntegrityError:
        # A concurrent transaction created it first (it waited on that one's commit).
        return session.scalars(query).one()


def reserve_quota(session: Session, *, buyer_id: str, year: int, amount: Decimal) -> BuyerQuota:
    """Add ``amount`` to the buyer's annual total, or raise ``QuotaExceeded``."""
    limit = tax.regime_on(dt.date(year, 12, 31), field="year").annual_limit
    row = lock_quota(session, buyer_id, year)
    after = row.total + amount
    if after > limit:
        raise QuotaExceeded(
            f"annual total {format_money(after)} would exceed the RMB {limit:,} annual limit",
            extra={"total": format_money(row.total), "limit": format_money(Decimal(limit))},
        )
    row.total = after
    session.flush()
    return row


def get_quota(session: Session, *, actor: Principal, buyer_id: str, year: int) -> QuotaRead:
    """The buyer's annual total; readable by members of any organisation (platform staff)."""
    actor.require(READ)
    problem = identity_number_problem(buyer_id)
    if problem is not None:
        raise validation_error("buyer_id", problem)
    limit = Decimal(tax.regime_on(dt.date(year, 12, 31), field="year").annual_limit)
    total = session.scalar(
        select(BuyerQuota.total).where(BuyerQuota.buyer_id == buyer_id, BuyerQuota.year == year)
    ) or Decimal(0)
    return QuotaRead(
        buyer_id=buyer_id,
        year=year,
        total=format_money(total),
        limit=format_money(limit),
        remaining=format_money(max(limit - total, Decimal(0))),
    )


# Catalogue --------------------------------------------------------------------------------


def _item_contract(item_no: str, data: CatalogueItemWrite) -> dict[str, Any]:
    item = data.model_dump(exclude_none=True)
    item["name"] = item.get("name") or item_no
    return item


def put_item(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int,
    item_no: str,
    data: CatalogueItemWrite,
) -> CatalogueItemRead:
    actor.require(DECLARE, organisation_id)
    if not item_no or len(item_no) > 60:
        raise validation_error("item_no", "must be 1 to 60 characters")
    contract = _item_contract(item_no, data)
    probe = {"sku": item_no, "unit_price": "1", "quantity": "1", **contract}
    try:  # the tax engine's own parser checks the rates, code and excise
        tax.order_from_dict(
            {
                "mode": "1210",
                "order_date": "2025-01-01",
                "buyer_id": "x",
                "freight": "0",
                "items": [probe],
            }
        )
    except ValidationFailed as exc:
        raise ValidationFailed(
            exc.detail.replace("items[0].", ""),
            fields=[FieldIssue(f.field.removeprefix("items[0]."), f.message) for f in exc.fields],
        ) from None
    row = session.scalars(
        select(CatalogueItem).where(
            CatalogueItem.organisation_id == organisation_id, CatalogueItem.item_no == item_no
        )
    ).one_or_none()
    before = row.tax if row is not None else None
    if row is None:
        row = CatalogueItem(organisation_id=organisation_id, item_no=item_no, tax=contract)
        session.add(row)
    else:
        row.tax = contract
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="ecommerce.item.put",
        entity_type="ecommerce_item",
        entity_id=row.id,
        organisation_id=organisation_id,
        before=before,
        after=contract,
    )
    return CatalogueItemRead(item_no=item_no, organisation_id=organisation_id, **data.model_dump())


# Messages and orders ----------------------------------------------------------------------


def _field(path: str) -> str:
    """The issue's dotted path; the whole message (``/``) is the uploaded ``file``."""
    return "file" if path in {"", "/"} else path


def _message_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise validation_error("file", "the message must be UTF-8 encoded") from None


def parse_checked(data: bytes) -> tuple[str, CebMessage, str, Document, str]:
    """Read and validate a message once: its text, the parsed message, its three-order role,
    its document and its order number; ``MessageInvalid`` or a validation error otherwise."""
    message: CebMessage | None = None
    try:
        message = read_message(data)
    except DomainError as exc:
        report = ValidationReport(None, None, 0, (Issue("/", exc.detail),))
    else:
        report = ValidationReport(
            message.message_type, message.guid, len(message.documents), tuple(validate(message))
        )
    if message is None or not report.valid:
        summary = "; ".join(f"{i.path}: {i.message}" for i in report.errors)
        extra: dict[str, Any] = {
            "report": report.as_dict(),
            "detail_zh": "报文有错误："
            + "；".join(f"{i.path}：{i.message_zh or i.message}" for i in report.errors)[:600],
        }
        refusal_receipt = _refusal_receipt(message, summary)
        if refusal_receipt is not None:
            extra["receipt"] = refusal_receipt
        raise MessageInvalid(
            "the message has errors: " + summary[:600],
            fields=[FieldIssue(_field(i.path), i.message) for i in report.errors],
            extra=extra,
        )
    text = _message_text(data)
    role = ROLE_OF_TYPE.get(message.message_type)
    if role is None:
        raise validation_error(
            "file",
            f"{message.message_type} is not one of the three-order messages "
            f"({', '.join(matching.ROLE_MESSAGE.values())})",
        )
    document = matching.document_for(role, message)
    assert document is not None
    order_no = document.head.text("orderNo")
    if not order_no:
        raise validation_error("orderNo", "is required to file the message against its order")
    return text, message, role, document, order_no


def _refusal_receipt(message: CebMessage | None, errors: str) -> dict[str, str] | None:
    """The receipt customs would send for a message it refuses (``returnStatus`` 100), when the
    message is readable enough to be answered: its type has a receipt and it has documents."""
    if message is None or message.message_type not in RECEIPT_FOR or not message.documents:
        return None
    info = ("refused: " + errors)[:1000]
    try:
        now = dt.datetime.now(CHINA).replace(tzinfo=None)
        xml = build_receipt(message, status="100", info=info, at=now)
    except DomainError:  # a key too malformed to repeat: the report says it all
        return None
    return {
        "receipt_type": RECEIPT_FOR[message.message_type],
        "status": "100",
        "info": info,
        "xml": xml.decode("utf-8"),
    }


class OrderState(Protocol):
    """What clearing reads and sets on an order: a ``ClearanceOrder`` row, or a batch's draft of
    a new order (``batch.OrderDraft``), a plain object that costs a fraction of a row to work on
    and is inserted whole once cleared."""

    @property
    def id(self) -> int: ...
    @property
    def organisation_id(self) -> int: ...
    @property
    def order_no(self) -> str: ...
    @property
    def created_at(self) -> dt.datetime: ...

    status: str
    ebp_code: str | None
    buyer_id: str | None
    mode: str | None
    order_message: str | None
    payment_message: str | None
    waybill_message: str | None
    inventory_message: str | None
    match_result: dict[str, Any] | None
    assessment: dict[str, Any] | None
    dutiable_value: Decimal | None
    quota_year: int | None
    released_at: dt.datetime | None
    ledger_index: int | None
    leaf_hash: bytes | None


def _changed_in_place(row: OrderState, name: str) -> None:
    """Tell the session a JSON column was changed in place (it does not track that); a draft is
    no row of the session and needs nothing."""
    if isinstance(row, ClearanceOrder):
        flag_modified(row, name)


def _already_done(row: OrderState) -> Conflict:
    return Conflict(f"order {row.order_no} is already {row.status}; messages cannot change it")


def _store(row: OrderState, role: str, text: str, document: Document) -> bool:
    """Put the message on its order; True when it replaces one of the same role."""
    replaced = getattr(row, f"{role}_message") is not None
    setattr(row, f"{role}_message", text)
    head = document.head
    if head.text("ebpCode"):
        row.ebp_code = head.text("ebpCode")[:18]
    if role == matching.ORDER:
        row.buyer_id = head.text("buyerIdNumber")[:60] or None
    if role == matching.INVENTORY and head.text("tradeMode"):
        row.mode = head.text("tradeMode")[:4]
    return replaced


def submit_message(
    session: Session, *, actor: Principal, organisation_id: int, data: bytes
) -> OrderDetail:
    """Store one CEB311/411/511/621 against its order and re-run matching on what has arrived;
    the receipt answering it (and, on release, the CEB622 800) is stored with the order."""
    actor.require(DECLARE, organisation_id)
    text, message, role, document, order_no = parse_checked(data)
    row = _lock_order(session, organisation_id, order_no)
    if row.status in _DONE:
        raise _already_done(row)
    replaced = _store(row, role, text, document)
    documents = _documents(row)
    released = _recheck(session, actor, row, documents, DatabaseBook(session))
    if released:
        _anchor_release(session, actor, row)
    session.flush()
    session.add_all(receipts_for(row, role, document, documents, released=released))
    audit.record(
        session,
        actor=actor,
        action="ecommerce.message.receive",
        entity_type="ecommerce_order",
        entity_id=row.id,
        organisation_id=organisation_id,
        after={"role": role, "guid": message.guid, "replaced": replaced, "status": row.status},
    )
    if released:
        _audit_release(session, actor, row)
    return _detail(row)


def _audit_release(session: Session, actor: Principal, row: ClearanceOrder) -> None:
    audit.record(
        session,
        actor=actor,
        action="ecommerce.order.release",
        entity_type="ecommerce_order",
        entity_id=row.id,
        organisation_id=row.organisation_id,
        after={
            "order_no": row.order_no,
            "dutiable_value": row.assessment and row.assessment.get("dutiable_value"),
            "tax_total": row.assessment and row.assessment.get("tax_total"),
            "bonded": (row.match_result or {}).get("bonded"),
        },
    )


def _lock_order(session: Session, organisation_id: int, order_no: str) -> ClearanceOrder:
    query = (
        select(ClearanceOrder)
        .where(
            ClearanceOrder.organisation_id == organisation_id,
            ClearanceOrder.order_no == order_no,
        )
        .with_for_update()
    )
    row = session.scalars(query).one_or_none()
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = ClearanceOrder(
                organisation_id=organisation_id,
                order_no=order_no[:60],
                status=matching.ClearanceStatus.PENDING.value,
            )
            session.add(row)
            session.flush()
        return row
    except IntegrityError:
        return session.scalars(query).one()


@lru_cache(maxsize=4096)
def _stored_message(text: str) -> CebMessage:
    """A stored message, parsed once per process: stored messages never change (a replacement is
    another text) and the parsed form is immutable."""
    return read_message(text.encode("utf-8"))


def _documents(row: OrderState) -> dict[str, Document | None]:
    documents: dict[str, Document | None] = {}
    for role in ROLES:
        text = getattr(row, f"{role}_message")
        documents[role] = (
            None if text is None else matching.document_for(role, _stored_message(text))
        )
    return documents


class ClearingBook(Protocol):
    """Where a re-check takes its locked rows: the database, one order at a time
    (``DatabaseBook``), or the rows a batch has locked up front (``batch.BatchBook``)."""

    def quota(self, buyer_id: str, year: int) -> BuyerQuota: ...

    def catalogue(self, organisation_id: int) -> dict[str, dict[str, Any]]: ...

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
        """Take every line out of the book or none (``StockShort`` naming the first short lot)."""
        ...


def catalogue_taxes(session: Session, organisation_id: int) -> dict[str, dict[str, Any]]:
    """The tax data of every item of the organisation's catalogue, by item number."""
    return {
        item.item_no: item.tax
        for item in session.scalars(
            select(CatalogueItem).where(CatalogueItem.organisation_id == organisation_id)
        )
    }


class DatabaseBook:
    """Locks each row when it is first needed (one message, one order)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def quota(self, buyer_id: str, year: int) -> BuyerQuota:
        return lock_quota(self.session, buyer_id, year)

    def catalogue(self, organisation_id: int) -> dict[str, dict[str, Any]]:
        return catalogue_taxes(self.session, organisation_id)

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
        _take_bonded(
            self.session,
            actor,
            organisation_id,
            book_no,
            BONDED_CBEC,
            totals,
            reference=reference,
            order_no=order_no,
        )


def _tax_request(
    catalogue: dict[str, dict[str, Any]], order: Document, inventory: Document, total: Decimal
) -> dict[str, Any] | None:
    """The ``assess-order`` request of the order, or None when an item is not in the catalogue
    (the tax check then cannot run and the order is at best accepted)."""
    declared = parse_timestamp(order.head.text("appTime"))
    if declared is None:
        return None
    items = []
    for line in order.lines:
        entry = catalogue.get(line.text("itemNo"))
        if entry is None:
            return None
        items.append(
            {
                **entry,
                "sku": line.text("itemNo"),
                "name": line.text("itemName") or entry.get("name") or line.text("itemNo"),
                "unit_price": line.text("price") or "0",
                "quantity": line.text("qty") or "0",
            }
        )
    mode = inventory.head.text("tradeMode")
    return {
        "mode": mode if mode in {m.value for m in tax.model.RetailImportMode} else "1210",
        "order_date": declared.date().isoformat(),
        "buyer_id": order.head.text("buyerIdNumber"),
        "annual_total_before": format_money(total),
        "freight": order.head.text("freight") or "0",
        "insurance": inventory.head.text("insuredFee") or "0",
        "non_cash_discount": order.head.text("discount") or "0",
        "items": items,
    }


def bonded_lines(inventory: Document) -> tuple[str, dict[str, int]] | Text:
    """The account book (``emsNo``) and units per item (``itemNo``) a bonded inventory list takes
    out of the book, or why they cannot be read."""
    book_no = inventory.head.text("emsNo")
    if not book_no:
        return render("bonded.no_book")
    totals: dict[str, int] = {}
    for line in inventory.lines:
        item_no = line.text("itemNo")
        try:
            quantity = Decimal(line.text("qty") or "0")
        except InvalidOperation:
            quantity = Decimal("NaN")
        if not item_no or not quantity.is_finite() or quantity != quantity.to_integral_value():
            return render("bonded.line_unreadable", gnum=line.text("gnum") or "?")
        totals[item_no] = totals.get(item_no, 0) + int(quantity)
    return book_no, totals


def _hold(row: OrderState, match: dict[str, Any], hold: dict[str, Any]) -> None:
    row.status = HELD
    match.update(
        released=False,
        status=HELD,
        return_status=CustomsStatus.ACCEPTED.value,
        hold=hold,
    )
    row.match_result = match
    _changed_in_place(row, "match_result")


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What three-order matching and the tax engine say of an order's messages, given the
    buyer's annual total and the catalogue. Pure: a batch can work it out before it takes any
    lock, and use it once the locked total is the one it assumed (``annual_total``)."""

    match: dict[str, Any]
    assessment: tax.Assessment | None
    status: str
    annual_total: Decimal | None  # None: not all four messages, or no buyer and date to charge
    assessment_record: dict[str, Any] | None  # ``assessment.as_dict()``, as the order stores it


def buyer_year(order: Document | None) -> tuple[str, int] | None:
    """The buyer identity number and the calendar year of an order (CEB311), when it names both:
    the key of the buyer's annual quota."""
    if order is None:
        return None
    declared = parse_timestamp(order.head.text("appTime"))
    buyer = order.head.text("buyerIdNumber")
    return (buyer, declared.year) if declared is not None and buyer else None


def quota_key(documents: dict[str, Document | None]) -> tuple[str, int] | None:
    """The buyer and calendar year whose annual quota a check of ``documents`` takes: only once
    all four messages are in and the order names both."""
    return buyer_year(documents[matching.ORDER]) if all(documents.values()) else None


def evaluate(
    documents: dict[str, Document | None],
    catalogue: dict[str, dict[str, Any]],
    annual_total: Decimal | None,
) -> Evaluation:
    """Match the messages that have arrived and, with all four and the buyer's ``annual_total``,
    assess the tax from ``catalogue``."""
    order, inventory = documents[matching.ORDER], documents[matching.INVENTORY]
    context = matching.MatchingContext()
    assessment: tax.Assessment | None = None
    if annual_total is not None and order is not None and inventory is not None:
        request = _tax_request(catalogue, order, inventory, annual_total)
        if request is not None:
            try:
                assessment = tax.assess_order(request)
            except ValidationFailed:
                assessment = None
        context = matching.MatchingContext(
            expected_tax=assessment.tax_total if assessment is not None else None,
            annual_total_before=annual_total,
        )
    result = matching.check_orders(
        documents[matching.ORDER],
        documents[matching.PAYMENT],
        documents[matching.WAYBILL],
        documents[matching.INVENTORY],
        context=context,
    )
    match = result.as_dict()
    status = result.status
    unresolved = [check.name for check in result.checks if check.passed is None]
    if status is matching.ClearanceStatus.ACCEPTED and unresolved == ["enterprise_codes"]:
        # The platform keeps no register of customs-registered enterprises yet: codes that agree
        # and are well formed release the order, and the result says registration was not checked.
        status = matching.ClearanceStatus.RELEASED
        match.update(
            released=True,
            status=status.value,
            return_status=CustomsStatus.RELEASED.value,
            registration_checked=False,
        )
    if (
        status is matching.ClearanceStatus.RELEASED
        and assessment is not None
        and not assessment.allowed
    ):
        status = matching.ClearanceStatus.REJECTED
        match.update(
            released=False, status=status.value, return_status=CustomsStatus.REJECTED.value
        )
    record = assessment.as_dict() if assessment is not None else None
    return Evaluation(match, assessment, status.value, annual_total, record)


def _recheck(
    session: Session,
    actor: Principal,
    row: OrderState,
    documents: dict[str, Document | None],
    book: ClearingBook,
    evaluation: Evaluation | None = None,
) -> bool:
    """Re-run matching on the order's messages; True when this check released the order.

    ``evaluation``, worked out beforehand, is used when the buyer's locked annual total is the
    one it assumed; otherwise the messages are evaluated again here.

    A clean 1210 order is released only when its lines can leave the bonded book: they are
    taken out (all or none) in the same transaction, before the quota is reserved; a short book
    holds the order (``held``, ``bonded-stock-short`` naming the lot) with no quota reserved."""
    inventory = documents[matching.INVENTORY]
    key = quota_key(documents)
    quota = book.quota(*key) if key is not None else None
    total = quota.total if quota is not None else None
    if evaluation is None or evaluation.annual_total != total:
        catalogue = book.catalogue(row.organisation_id) if quota is not None else {}
        evaluation = evaluate(documents, catalogue, total)
    match = dict(evaluation.match)  # the evaluation may be shared; holds and drawdowns add keys
    assessment = evaluation.assessment
    row.match_result = match
    row.assessment = evaluation.assessment_record
    row.status = evaluation.status
    released = evaluation.status == matching.ClearanceStatus.RELEASED.value
    if not (released and quota is not None and assessment is not None and inventory is not None):
        return False
    if inventory.head.text("tradeMode") == BONDED_MODE:
        lines = bonded_lines(inventory)
        if isinstance(lines, Text):
            _hold(
                row,
                match,
                {"code": "bonded-lines-unreadable", "message": lines.en, "message_zh": lines.zh},
            )
            return False
        book_no, totals = lines
        try:
            book.take_bonded(
                actor,
                row.organisation_id,
                book_no,
                totals,
                reference=inventory.head.text("invtNo") or inventory.head.text("copNo") or None,
                order_no=row.order_no,
            )
        except StockShort as exc:
            extra = {key: value for key, value in exc.extra.items() if key != "detail_zh"}
            hold = {"code": "bonded-stock-short", "message": exc.detail, **extra}
            hold["message_zh"] = exc.extra.get("detail_zh", "")
            _hold(row, match, hold)
            return False
        match["bonded"] = {"book_no": book_no, "status": BONDED_CBEC, "lines": totals}
        row.match_result = match
        _changed_in_place(row, "match_result")
    # The limits check ran against the locked total: adding here cannot overshoot.
    quota.total = quota.total + assessment.dutiable_value
    row.dutiable_value = assessment.dutiable_value
    row.quota_year = quota.year
    row.released_at = utcnow()
    return True


def message_digest(data: bytes) -> str:
    """The SHA-256 of a message as received (its UTF-8 bytes), as its release anchors it."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def release_entry(
    actor: Principal, row: OrderState, known: Mapping[str, str] | None = None
) -> ledger.NewEntry:
    """The ledger entry anchoring a release: the order, its amounts and the SHA-256 of each
    message as received (the buyer's identity number stays out of the public log). ``known``:
    digests already taken of the order's messages, by role (the batch takes them as it reads)."""
    assessment = row.assessment or {}
    known = known or {}
    digests = {
        role: known.get(role) or message_digest(getattr(row, f"{role}_message").encode())
        for role in ROLES
    }
    return ledger.NewEntry(
        RELEASED_KIND,
        {
            "organisation": row.organisation_id,
            "orderNo": row.order_no,
            "mode": row.mode or "",
            "dutiableValue": assessment.get("dutiable_value", "0.00"),
            "taxTotal": assessment.get("tax_total", "0.00"),
            "messageDigests": digests,
        },
        None,
        1,
        actor.subject,
        row.organisation_id,
    )


def _anchor_release(session: Session, actor: Principal, row: ClearanceOrder) -> None:
    """Anchor the release in the platform ledger."""
    (anchored,) = ledger.append_many(session, [release_entry(actor, row)])
    row.ledger_index = anchored.index
    row.leaf_hash = anchored.leaf_hash


# Receipts ---------------------------------------------------------------------------------

_RESULT_FIELDS = frozenset({"guid", "returnStatus", "returnTime", "returnInfo"})
REQUEST_TYPE: dict[str, str] = dict(matching.ROLE_MESSAGE)


@lru_cache(maxsize=16)
def _receipt_keys(receipt_type: str) -> tuple[str, ...]:
    return tuple(f.name for f in SPECS[receipt_type].head_fields if f.name not in _RESULT_FIELDS)


def receipt_values(
    row: OrderState,
    role: str,
    document: Document,
    status: str,
    info: str,
    *,
    assigned: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The column values of the receipt answering ``document`` (a ``ClearanceReceipt`` row)."""
    request_type = REQUEST_TYPE[role]
    receipt_type = RECEIPT_FOR[request_type]
    given = assigned or {}
    field = document.head.by_name.get
    keys = {}
    for name in _receipt_keys(receipt_type):
        value = given.get(name) or field(name)
        if value:
            keys[name] = value
    if receipt_type == _LIST_RECEIPT and "preNo" not in keys:
        # Customs numbers a list (preNo) when it receives it; every answer carries the number.
        keys["preNo"] = platform_pre_no(row)
    return {
        "order_id": row.id,
        "request_type": request_type,
        "receipt_type": receipt_type,
        "request_guid": (field("guid") or "")[:36],
        "guid": str(uuid.uuid4()).upper(),
        "status": status,
        "info": info[:1000],
        "keys": keys,
        "created_at": utcnow(),
    }


def _receipt(
    row: OrderState,
    role: str,
    document: Document,
    status: str,
    info: str,
    *,
    assigned: dict[str, str] | None = None,
) -> ClearanceReceipt:
    return ClearanceReceipt(**receipt_values(row, role, document, status, info, assigned=assigned))


def refusal(match: dict[str, Any] | None, assessment: dict[str, Any] | None) -> str:
    failed = [
        f"{check['name']}: {check.get('detail') or 'failed'}"
        for check in (match or {}).get("checks", [])
        if check.get("passed") is False
    ]
    if not failed and assessment:
        failed = [reason["message"] for reason in assessment.get("reasons", [])]
    return "refused: " + ("; ".join(failed) or "a check failed")


def _receipt_info(row: OrderState, documents: dict[str, Document | None]) -> str:
    if row.status == HELD:
        hold = (row.match_result or {}).get("hold") or {}
        return f"accepted; held: {hold.get('message', '')}"
    missing = [role for role in ROLES if documents[role] is None]
    if missing:
        return "accepted; waiting for " + ", ".join(REQUEST_TYPE[r] for r in missing)
    if row.status == matching.ClearanceStatus.ACCEPTED.value:
        open_checks = [
            check["name"]
            for check in (row.match_result or {}).get("checks", [])
            if check.get("passed") is None
        ]
        return "accepted; not yet checked: " + ", ".join(open_checks)
    return "accepted"


_LIST_RECEIPT = RECEIPT_FOR["CEB621"]


def platform_pre_no(row: OrderState) -> str:
    """The pre-entry number the platform gives a list that has none: B, the day the order was
    opened (China time) and its id, so every receipt of the list carries the same number."""
    opened = (row.created_at or utcnow()).astimezone(CHINA)
    return f"B{opened:%Y%m%d}{row.id % 10**9:09d}"


def assigned_numbers(row: OrderState, inventory: Document) -> dict[str, str]:
    """The pre-entry and inventory numbers the CEB622 carries, in customs' formats: the list's
    own when it has them, otherwise numbered by the platform from the order's id."""
    released = (row.released_at or utcnow()).astimezone(CHINA)
    customs = inventory.head.text("customsCode")
    customs = customs if len(customs) == 4 and customs.isdigit() else "0000"
    return {
        "preNo": inventory.head.text("preNo") or platform_pre_no(row),
        "invtNo": inventory.head.text("invtNo") or f"{customs}{released:%Y}I{row.id % 10**9:09d}",
    }


def receipts_for(
    row: OrderState,
    role: str,
    document: Document,
    documents: dict[str, Document | None],
    *,
    released: bool,
) -> list[ClearanceReceipt]:
    """The receipts answering one message: 100 refused (the failing checks) or 120 accepted
    (pending, held or matched), and on release the inventory list's CEB622 with 800."""
    return [
        ClearanceReceipt(**values)
        for values in receipt_rows(row, role, document, documents, released=released)
    ]


def receipt_rows(
    row: OrderState,
    role: str,
    document: Document,
    documents: dict[str, Document | None],
    *,
    released: bool,
) -> list[dict[str, Any]]:
    """``receipts_for`` as column values, for bulk inserts."""
    if row.status == matching.ClearanceStatus.REJECTED.value:
        return [
            receipt_values(
                row,
                role,
                document,
                CustomsStatus.REJECTED.value,
                refusal(row.match_result, row.assessment),
            )
        ]
    receipts = [
        receipt_values(
            row, role, document, CustomsStatus.ACCEPTED.value, _receipt_info(row, documents)
        )
    ]
    if released:
        receipts.append(release_receipt_values(row, documents))
    return receipts


def _release_receipt(row: OrderState, documents: dict[str, Document | None]) -> ClearanceReceipt:
    return ClearanceReceipt(**release_receipt_values(row, documents))


def release_receipt_values(
    row: OrderState, documents: dict[str, Document | None]
) -> dict[str, Any]:
    inventory = documents[matching.INVENTORY]
    assert inventory is not None
    tax_total = (row.assessment or {}).get("tax_total", "0.00")
    return receipt_values(
        row,
        matching.INVENTORY,
        inventory,
        CustomsStatus.RELEASED.value,
        f"released; tax {tax_total}",
        assigned=assigned_numbers(row, inventory),
    )


def _receipt_read(row: ClearanceReceipt) -> ReceiptRead:
    known = RETURN_STATUSES.get(row.status)
    return ReceiptRead(
        id=row.id,
        order_id=row.order_id,
        request_type=row.request_type,
        receipt_type=row.receipt_type,
        request_guid=row.request_guid,
        guid=row.guid,
        status=row.status,
        status_name=known.name_en if known else "processing error",
        status_name_zh=known.name_zh if known else "",
        info=row.info,
        keys=row.keys,
        time=row.created_at,
    )


def list_receipts(session: Session, *, actor: Principal, order_id: int) -> list[ReceiptRead]:
    """The receipts of an order, oldest first."""
    order = _order_row(session, actor, order_id, READ)
    rows = session.scalars(
        select(ClearanceReceipt)
        .where(ClearanceReceipt.order_id == order.id)
        .order_by(ClearanceReceipt.id)
    )
    return [_receipt_read(r) for r in rows]


def receipt_xml(session: Session, *, actor: Principal, order_id: int, receipt_id: int) -> bytes:
    """One receipt as the CEB standard shapes it (CEB312, 412, 512 or 622)."""
    order = _order_row(session, actor, order_id, READ)
    row = session.get(ClearanceReceipt, receipt_id)
    if row is None or row.order_id != order.id:
        raise NotFound(f"receipt {receipt_id} of order {order_id} does not exist")
    return receipt_message(row)


def receipt_message(row: ClearanceReceipt) -> bytes:
    """The CEB XML of a stored receipt."""
    head: dict[str, Any] = {"guid": row.request_guid or row.guid, **row.keys}
    head.update(
        returnStatus=row.status,
        returnTime=row.created_at.astimezone(CHINA).replace(tzinfo=None),
        returnInfo=row.info,
    )
    return build_message(row.receipt_type, [{"head": head}], guid=row.guid)


# Receipt delivery ---------------------------------------------------------------------------
#
# Receipts reach the platform organisation that sent the messages two ways: it reads its feed
# after a cursor (as customs' transfer client collects its inbox), or names an endpoint that each
# new receipt is POSTed to (``delivery``). Both walk the receipt ids in order. On PostgreSQL ids
# can commit out of order (a transaction that took id 10 may commit after one that took 11), so
# a receipt is only handed out once it is ``SETTLE_SECONDS`` old; SQLite commits one writer at a
# time, in id order, so receipts go out at once.

SETTLE_SECONDS = 10.0
FEED_LIMIT_MAX = 500


def settled_before(session: Session, now: dt.datetime) -> dt.datetime:
    """Receipts created before this moment can be handed out without skipping a later commit."""
    if session.get_bind().dialect.name == "sqlite":
        return now
    return now - dt.timedelta(seconds=SETTLE_SECONDS)


def receipts_after(
    session: Session, organisation_id: int, after: int, limit: int, now: dt.datetime
) -> list[tuple[ClearanceReceipt, str]]:
    """The organisation's settled receipts with an id above ``after``, oldest first, each with
    its order's number."""
    rows = session.execute(
        select(ClearanceReceipt, ClearanceOrder.order_no)
        .join(ClearanceOrder, ClearanceOrder.id == ClearanceReceipt.order_id)
        .where(
            ClearanceOrder.organisation_id == organisation_id,
            ClearanceReceipt.id > after,
            ClearanceReceipt.created_at <= settled_before(session, now),
        )
        .order_by(ClearanceReceipt.id)
        .limit(limit)
    ).all()
    return [(receipt, order_no) for receipt, order_no in rows]


def receipt_feed(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int,
    after: int = 0,
    limit: int = 100,
    with_xml: bool = True,
) -> ReceiptFeed:
    """The organisation's receipts after the cursor ``after``, oldest first, with their XML."""
    actor.require(READ, organisation_id)
    if after < 0:
        raise validation_error("after", "must be 0 or a receipt id")
    if not 1 <= limit <= FEED_LIMIT_MAX:
        raise validation_error("limit", f"must be between 1 and {FEED_LIMIT_MAX}")
    items = []
    for receipt, order_no in receipts_after(session, organisation_id, after, limit, utcnow()):
        read = _receipt_read(receipt)
        read.order_no = order_no
        if with_xml:
            read.xml = receipt_message(receipt).decode("utf-8")
        items.append(read)
    return ReceiptFeed(
        organisation_id=organisation_id,
        after=after,
        next_after=items[-1].id if items else after,
        items=items,
    )


def _endpoint_read(
    session: Session, row: ReceiptEndpoint, *, secret: str | None = None
) -> ReceiptEndpointRead:
    pending = session.scalar(
        select(func.count(ClearanceReceipt.id))
        .join(ClearanceOrder, ClearanceOrder.id == ClearanceReceipt.order_id)
        .where(
            ClearanceOrder.organisation_id == row.organisation_id,
            ClearanceReceipt.id > row.delivered_through,
        )
    )
    return ReceiptEndpointRead(
        organisation_id=row.organisation_id,
        url=row.url,
        enabled=row.enabled,
        delivered_through=row.delivered_through,
        delivered=row.delivered,
        pending=pending or 0,
        failures=row.failures,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        last_delivered_at=row.last_delivered_at,
        secret=secret,
    )


def _endpoint_row(session: Session, organisation_id: int) -> ReceiptEndpoint | None:
    return session.scalar(
        select(ReceiptEndpoint).where(ReceiptEndpoint.organisation_id == organisation_id)
    )


def put_receipt_endpoint(
    session: Session, *, actor: Principal, organisation_id: int, data: ReceiptEndpointWrite
) -> ReceiptEndpointRead:
    """Name (or change) where the organisation's receipts are sent. A new endpoint starts after
    the latest receipt unless ``from_start``; its signing secret is shown this once."""
    actor.require(DECLARE, organisation_id)
    row = _endpoint_row(session, organisation_id)
    secret: str | None = None
    before = None if row is None else {"url": row.url, "enabled": row.enabled}
    if row is None:
        latest = session.scalar(
            select(func.max(ClearanceReceipt.id))
            .join(ClearanceOrder, ClearanceOrder.id == ClearanceReceipt.order_id)
            .where(ClearanceOrder.organisation_id == organisation_id)
        )
        secret = secrets.token_hex(32)
        row = ReceiptEndpoint(
            organisation_id=organisation_id,
            url=data.url,
            secret=secret,
            enabled=data.enabled,
            delivered_through=0 if data.from_start else latest or 0,
            delivered=0,
            failures=0,
            next_attempt_at=utcnow(),
        )
        session.add(row)
    else:
        row.url, row.enabled = data.url, data.enabled
        row.failures, row.last_error, row.next_attempt_at = 0, None, utcnow()
        if data.from_start:
            row.delivered_through = 0
        if data.rotate_secret:
            secret = row.secret = secrets.token_hex(32)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="ecommerce.receipt_endpoint.put",
        entity_type="ecommerce_receipt_endpoint",
        entity_id=row.id,
        organisation_id=organisation_id,
        before=before,
        after={
            "url": row.url,
            "enabled": row.enabled,
            "from_start": data.from_start,
            "secret_issued": secret is not None,
        },
    )
    return _endpoint_read(session, row, secret=secret)


def get_receipt_endpoint(
    session: Session, *, actor: Principal, organisation_id: int
) -> ReceiptEndpointRead:
    actor.require(READ, organisation_id)
    row = _endpoint_row(session, organisation_id)
    if row is None:
        raise NotFound(f"organisation {organisation_id} has no receipt endpoint")
    return _endpoint_read(session, row)


def delete_receipt_endpoint(session: Session, *, actor: Principal, organisation_id: int) -> None:
    actor.require(DECLARE, organisation_id)
    row = _endpoint_row(session, organisation_id)
    if row is None:
        raise NotFound(f"organisation {organisation_id} has no receipt endpoint")
    audit.record(
        session,
        actor=actor,
        action="ecommerce.receipt_endpoint.delete",
        entity_type="ecommerce_receipt_endpoint",
        entity_id=row.id,
        organisation_id=organisation_id,
        before={"url": row.url, "delivered_through": row.delivered_through},
    )
    session.delete(row)
    session.flush()


def _read(row: ClearanceOrder) -> OrderRead:
    return OrderRead(
        id=row.id,
        organisation_id=row.organisation_id,
        order_no=row.order_no,
        ebp_code=row.ebp_code,
        buyer_id=row.buyer_id,
        mode=row.mode,
        status=row.status,
        received=[role for role in ROLES if getattr(row, f"{role}_message") is not None],
        match_result=row.match_result,
        assessment=row.assessment,
        dutiable_value=format_money(row.dutiable_value) if row.dutiable_value is not None else None,
        released_at=row.released_at,
        returned_at=row.returned_at,
        ledger_index=row.ledger_index,
        leaf_hash=row.leaf_hash.hex() if row.leaf_hash is not None else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _detail(row: ClearanceOrder) -> OrderDetail:
    return OrderDetail(
        **_read(row).model_dump(),
        messages={role: getattr(row, f"{role}_message") for role in ROLES},
    )


def list_orders(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[OrderRead], int]:
    actor.require(READ, organisation_id)
    query = select(ClearanceOrder).where(ClearanceOrder.organisation_id == organisation_id)
    if status is not None:
        query = query.where(ClearanceOrder.status == status)
    rows, total = fetch_page(
        session, query.order_by(ClearanceOrder.id.desc()), limit=limit, offset=offset
    )
    return [_read(r) for r in rows], total


def _order_row(
    session: Session, actor: Principal, order_id: int, permission: str
) -> ClearanceOrder:
    row = session.get(ClearanceOrder, order_id)
    if row is None:
        raise NotFound(f"order {order_id} does not exist")
    actor.require(permission, row.organisation_id)
    return row


def order_id_for(session: Session, *, actor: Principal, organisation_id: int, order_no: str) -> int:
    """The id of the organisation's order numbered ``order_no``."""
    actor.require(READ, organisation_id)
    found = session.scalar(
        select(ClearanceOrder.id).where(
            ClearanceOrder.organisation_id == organisation_id,
            ClearanceOrder.order_no == order_no,
        )
    )
    if found is None:
        raise NotFound(f"order {order_no} does not exist")
    return found


def get_order(session: Session, *, actor: Principal, order_id: int) -> OrderDetail:
    return _detail(_order_row(session, actor, order_id, READ))


# Returns ----------------------------------------------------------------------------------


def submit_return(
    session: Session, *, actor: Principal, order_id: int, data: ReturnCreate
) -> ReturnResult:
    """Decide a return of a released order (GAC 2020 No.45); an accepted one credits the
    buyer's annual total with the order's dutiable value."""
    row = _order_row(session, actor, order_id, DECLARE)
    if row.status != matching.ClearanceStatus.RELEASED.value or row.released_at is None:
        raise Conflict(f"order {row.order_no} is {row.status}: only a released order is returned")
    decision = returns.check_return(
        {
            "direction": "import",
            "release_date": row.released_at.astimezone(CHINA).date().isoformat(),
            "application_date": data.application_date.isoformat(),
            "goods_back_date": data.goods_back_date.isoformat() if data.goods_back_date else None,
            "goods_category": data.goods_category,
        }
    )
    credited = Decimal(0)
    if decision.accepted:
        if decision.tax_relief and row.buyer_id and row.quota_year and row.dutiable_value:
            quota = lock_quota(session, row.buyer_id, row.quota_year)
            credited = min(row.dutiable_value, quota.total)
            quota.total = quota.total - credited
        row.status = RETURNED
        row.returned_at = utcnow()
        session.flush()
        restocked = _restock_return(session, actor, row, data)
        audit.record(
            session,
            actor=actor,
            action="ecommerce.order.return",
            entity_type="ecommerce_order",
            entity_id=row.id,
            organisation_id=row.organisation_id,
            after={
                "order_no": row.order_no,
                "credited": format_money(credited),
                "restocked": (row.match_result or {}).get("bonded") if restocked else None,
            },
        )
        return ReturnResult(
            decision=decision.as_dict(),
            credited=format_money(credited),
            order=_read(row),
            bonded_return=restocked,
        )
    return ReturnResult(
        decision=decision.as_dict(), credited=format_money(credited), order=_read(row)
    )


def tax_settlement(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int,
    as_of: dt.date,
    rest_days: Collection[dt.date] = (),
) -> TaxSettlement:
    """Released lists of the organisation by settlement stage on ``as_of``: tax still in the
    30-day return window, payable (days 31-45), overdue; returned lists' tax is not collected."""
    actor.require(READ, organisation_id)
    rows = session.execute(
        select(ClearanceOrder.order_no, ClearanceOrder.mode, ClearanceOrder.status)
        .add_columns(ClearanceOrder.released_at, ClearanceOrder.assessment)
        .where(
            ClearanceOrder.organisation_id == organisation_id,
            ClearanceOrder.status.in_([matching.ClearanceStatus.RELEASED.value, RETURNED]),
            ClearanceOrder.released_at.is_not(None),
        )
        .order_by(ClearanceOrder.released_at, ClearanceOrder.order_no)
    ).all()
    parts = ("duty", "consumption_tax", "vat", "tax_total")
    sums = {
        stage: dict.fromkeys(("orders", *parts), Decimal(0))
        for stage in (*settlement.STAGES, RETURNED)
    }
    lines = []
    for order_no, mode, status, released_at, assessment in rows:
        released_on = released_at.astimezone(CHINA).date()
        if released_on > as_of:
            continue
        window = settlement.settlement_window(released_on, rest_days)
        stage = RETURNED if status == RETURNED else settlement.stage_on(window, as_of)
        amounts = {part: Decimal(str((assessment or {}).get(part, "0"))) for part in parts}
        sums[stage]["orders"] += 1
        for part in parts:
            sums[stage][part] += amounts[part]
        lines.append(
            SettlementLine(
                order_no=order_no,
                mode=mode,
                released_on=released_on,
                return_deadline=window.return_deadline,
                payable_from=window.payable_from,
                payable_by=window.payable_by,
                stage=stage,
                bill_status=taxbill.status_for_stage(stage),
                **{part: format_money(amounts[part]) for part in parts},
            )
        )
    totals = {
        stage: SettlementTotal(
            orders=int(values["orders"]),
            **{part: format_money(values[part]) for part in parts},
        )
        for stage, values in sums.items()
    }
    return TaxSettlement(organisation_id=organisation_id, as_of=as_of, totals=totals, lines=lines)


TAX_BILL_MESSAGES = ("CEB816", "CEB818")


def tax_bill(
    session: Session,
    *,
    actor: Principal,
    order_id: int,
    as_of: dt.date,
    message_type: str = "CEB816",
    rest_days: Collection[dt.date] = (),
) -> bytes:
    """The electronic tax bill of a released (or returned) order on ``as_of``: the CEB816 with
    its duty, VAT and consumption tax per line and in total, or the CEB818 giving its status
    (generated in the return window, summarised after it, void once returned)."""
    if message_type not in TAX_BILL_MESSAGES:
        raise validation_error("message", f"must be one of {', '.join(TAX_BILL_MESSAGES)}")
    row = _order_row(session, actor, order_id, READ)
    documents = _documents(row)
    order, inventory = documents[matching.ORDER], documents[matching.INVENTORY]
    if row.released_at is None or row.assessment is None or order is None or inventory is None:
        raise Conflict(
            f"order {row.order_no} is {row.status}: only a released order has a tax bill"
        )
    released = row.released_at.astimezone(CHINA).replace(tzinfo=None)
    returned = row.returned_at.astimezone(CHINA).replace(tzinfo=None) if row.returned_at else None
    window = settlement.settlement_window(released.date(), rest_days)
    state = taxbill.bill_state(released, returned, as_of, window)
    if state is None:
        raise Conflict(f"order {row.order_no} was released after {as_of.isoformat()}")
    invt_no = assigned_numbers(row, inventory)["invtNo"]
    guid = taxbill.message_guid(f"{row.organisation_id}/{row.order_no}", message_type, state.status)
    if message_type == "CEB818":
        head = taxbill.status_head(guid=guid, state=state, invt_no=invt_no, inventory=inventory)
        return build_message("CEB818", [{"head": head}], guid=guid)
    head = taxbill.bill_head(
        guid=guid,
        state=state,
        invt_no=invt_no,
        order_no=row.order_no,
        inventory=inventory,
        assessment=row.assessment,
    )
    lines = taxbill.bill_lines(row.assessment, order, inventory)
    return build_message("CEB816", [{"head": head, "lines": lines}], guid=guid)


def _restock_return(
    session: Session, actor: Principal, row: ClearanceOrder, data: ReturnCreate
) -> BondedMoveResult | None:
    """An accepted return of a 1210 order whose goods are back in the zone puts the units its
    release took out back into the same bonded-CBEC lots (same-warehouse storage)."""
    bonded = (row.match_result or {}).get("bonded")
    if not bonded or data.goods_back_date is None:
        return None
    lines = [
        BondedLine(item_no=item_no, quantity=int(quantity))
        for item_no, quantity in sorted(bonded["lines"].items())
    ]
    return return_bonded(
        session,
        actor=actor,
        organisation_id=row.organisation_id,
        data=BondedReturnIn(
            book_no=bonded["book_no"],
            order_no=row.order_no,
            reference=f"return {row.order_no}"[:60],
            status=bonded.get("status", BONDED_CBEC),
            lines=lines,
        ),
    )


# Bonded account book (1210, same-warehouse storage) -----------------------------------------
#
# A lot is the stock of one item in one account book with one status tag; every change to its
# quantity is one row of the append-only movement journal, written under the lot's row lock
# (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite writers are serialised from BEGIN), so
# concurrent movements cannot take a lot below zero. Lots are locked in a fixed order (item,
# status) so that two multi-lot movements cannot deadlock. A 1210 order released by clearance
# takes its lines out of the bonded-CBEC lots of its CEB621 account book (``emsNo``, ``itemNo``)
# through the same all-or-nothing ``_take_bonded``; a short book holds the order, and stock
# coming into a bonded-CBEC lot re-checks the held orders of its book (``recheck_held``).
# ``release_bonded`` remains for releases posted by the warehouse itself.

RECEIPT = "receipt"
RELEASE = "release"
TRANSFER_OUT = "transfer_out"
TRANSFER_IN = "transfer_in"
RETURN_IN = "return_in"
ADJUSTMENT = "adjustment"


class StockShort(Conflict):
    """A movement would take a bonded lot below zero (title: Conflict's)."""

    code = "ecommerce.bonded-stock-short"


def _lot_name(book_no: str, item_no: str, status: str) -> str:
    return f"book {book_no} item {item_no} ({status})"


def _lock_lot(
    session: Session,
    organisation_id: int,
    book_no: str,
    item_no: str,
    status: str,
    *,
    create: bool,
) -> BondedLot | None:
    """The lot, locked until the transaction ends; created empty when missing and ``create``."""
    query = (
        select(BondedLot)
        .where(
            BondedLot.organisation_id == organisation_id,
            BondedLot.book_no == book_no,
            BondedLot.item_no == item_no,
            BondedLot.status == status,
        )
        .with_for_update()
    )
    row = session.scalars(query).one_or_none()
    if row is not None or not create:
        return row
    try:
        with session.begin_nested():
            row = BondedLot(
                organisation_id=organisation_id,
                book_no=book_no,
                item_no=item_no,
                status=status,
                quantity=0,
            )
            session.add(row)
            session.flush()
        return row
    except IntegrityError:
        # A concurrent transaction created it first (it waited on that one's commit).
        return session.scalars(query).one()


def _short(book_no: str, item_no: str, status: str, on_hand: int, wanted: int) -> StockShort:
    name = _lot_name(book_no, item_no, status)
    lot = render("bonded.lot", book_no=book_no, item_no=item_no, status=status)
    detail = render("bonded.stock_short", lot=lot, on_hand=on_hand, wanted=wanted)
    return StockShort(
        detail.en,
        fields=[FieldIssue("quantity", f"more than the {on_hand} on hand in {name}")],
        extra={
            "lot": {"book_no": book_no, "item_no": item_no, "status": status},
            "on_hand": on_hand,
            "requested": wanted,
            "detail_zh": detail.zh,
        },
    )


def _move(
    session: Session,
    actor: Principal,
    lot: BondedLot,
    kind: str,
    quantity: int,
    *,
    reference: str | None = None,
    order_no: str | None = None,
    peer_lot_id: int | None = None,
    note: str | None = None,
) -> BondedMovement:
    """Change a locked lot by ``quantity`` (signed) and journal it; never below zero."""
    if lot.quantity + quantity < 0:
        raise _short(lot.book_no, lot.item_no, lot.status, lot.quantity, -quantity)
    lot.quantity = lot.quantity + quantity
    movement = BondedMovement(
        lot_id=lot.id,
        kind=kind,
        quantity=quantity,
        reference=reference,
        order_no=order_no,
        peer_lot_id=peer_lot_id,
        note=note,
        actor=actor.subject[:100],
    )
    session.add(movement)
    return movement


def _lot_read(row: BondedLot) -> BondedLotRead:
    return BondedLotRead(
        id=row.id,
        organisation_id=row.organisation_id,
        book_no=row.book_no,
        item_no=row.item_no,
        status=row.status,
        quantity=row.quantity,
        updated_at=row.updated_at,
    )


def _movement_read(row: BondedMovement) -> BondedMovementRead:
    return BondedMovementRead(
        id=row.id,
        lot_id=row.lot_id,
        kind=row.kind,
        quantity=row.quantity,
        reference=row.reference,
        order_no=row.order_no,
        peer_lot_id=row.peer_lot_id,
        note=row.note,
        actor=row.actor,
        created_at=row.created_at,
    )


def _moved(
    session: Session,
    actor: Principal,
    organisation_id: int,
    action: str,
    lots: list[BondedLot],
    movements: list[BondedMovement],
) -> BondedMoveResult:
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        entity_type="ecommerce_bonded_lot",
        entity_id=",".join(str(lot.id) for lot in lots)[:60],
        organisation_id=organisation_id,
        after={
            "movements": [
                {
                    "lot": _lot_name(lot.book_no, lot.item_no, lot.status),
                    "kind": m.kind,
                    "quantity": m.quantity,
                    "reference": m.reference,
                    "order_no": m.order_no,
                    "on_hand": lot.quantity,
                }
                for lot, m in zip(lots, movements, strict=True)
            ]
        },
    )
    return BondedMoveResult(
        lots=[_lot_read(lot) for lot in lots],
        movements=[_movement_read(m) for m in movements],
    )


def receive_bonded(
    session: Session, *, actor: Principal, organisation_id: int, data: BondedReceive
) -> BondedMoveResult:
    """Units received into the bonded warehouse, tagged with their status."""
    actor.require(DECLARE, organisation_id)
    lot = _lock_lot(session, organisation_id, data.book_no, data.item_no, data.status, create=True)
    assert lot is not None
    movement = _move(
        session, actor, lot, RECEIPT, data.quantity, reference=data.reference, note=data.note
    )
    result = _moved(session, actor, organisation_id, "ecommerce.bonded.receive", [lot], [movement])
    return _released_held(session, actor, organisation_id, data.book_no, data.status, result)


def transfer_bonded(
    session: Session, *, actor: Principal, organisation_id: int, data: BondedTransfer
) -> BondedMoveResult:
    """Units moved between status tags (for example bonded-CBEC to general bonded)."""
    actor.require(DECLARE, organisation_id)
    if data.from_status == data.to_status:
        raise validation_error("to_status", "must differ from from_status")
    locked: dict[str, BondedLot | None] = {}
    for status in sorted((data.from_status, data.to_status)):  # fixed lock order
        locked[status] = _lock_lot(
            session,
            organisation_id,
            data.book_no,
            data.item_no,
            status,
            create=status == data.to_status,
        )
    source, target = locked[data.from_status], locked[data.to_status]
    assert target is not None
    if source is None:
        raise _short(data.book_no, data.item_no, data.from_status, 0, data.quantity)
    common = {"reference": data.reference, "note": data.note}
    out = _move(
        session, actor, source, TRANSFER_OUT, -data.quantity, peer_lot_id=target.id, **common
    )
    into = _move(
        session, actor, target, TRANSFER_IN, data.quantity, peer_lot_id=source.id, **common
    )
    result = _moved(
        session,
        actor,
        organisation_id,
        "ecommerce.bonded.transfer",
        [source, target],
        [out, into],
    )
    return _released_held(session, actor, organisation_id, data.book_no, data.to_status, result)


def _line_totals(lines: list[BondedLine]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in lines:
        totals[line.item_no] = totals.get(line.item_no, 0) + line.quantity
    return totals


def _take_bonded(
    session: Session,
    actor: Principal,
    organisation_id: int,
    book_no: str,
    status: str,
    totals: dict[str, int],
    *,
    reference: str | None,
    order_no: str | None,
) -> tuple[list[BondedLot], list[BondedMovement]]:
    """Every line leaves its lot, or none does (the first short line is refused, naming its
    lot); lots are locked in a fixed order."""
    lots: list[BondedLot] = []
    for item_no in sorted(totals):  # fixed lock order
        lot = _lock_lot(session, organisation_id, book_no, item_no, status, create=False)
        on_hand = lot.quantity if lot is not None else 0
        if lot is None or on_hand < totals[item_no]:
            raise _short(book_no, item_no, status, on_hand, totals[item_no])
        lots.append(lot)
    movements = [
        _move(
            session,
            actor,
            lot,
            RELEASE,
            -totals[lot.item_no],
            reference=reference,
            order_no=order_no,
        )
        for lot in lots
    ]
    return lots, movements


def release_bonded(
    session: Session, *, actor: Principal, organisation_id: int, data: BondedRelease
) -> BondedMoveResult:
    """Units leaving the book by a retail order released on its CEB621 inventory list: every line
    moves, or none does (the first short line is refused, naming its lot)."""
    actor.require(DECLARE, organisation_id)
    lots, movements = _take_bonded(
        session,
        actor,
        organisation_id,
        data.book_no,
        data.status,
        _line_totals(data.lines),
        reference=data.invt_no,
        order_no=data.order_no,
    )
    return _moved(session, actor, organisation_id, "ecommerce.bonded.release", lots, movements)


def return_bonded(
    session: Session, *, actor: Principal, organisation_id: int, data: BondedReturnIn
) -> BondedMoveResult:
    """Units of a returned retail order back into the book."""
    actor.require(DECLARE, organisation_id)
    totals = _line_totals(data.lines)
    lots: list[BondedLot] = []
    for item_no in sorted(totals):
        lot = _lock_lot(session, organisation_id, data.book_no, item_no, data.status, create=True)
        assert lot is not None
        lots.append(lot)
    movements = [
        _move(
            session,
            actor,
            lot,
            RETURN_IN,
            totals[lot.item_no],
            reference=data.reference,
            order_no=data.order_no,
        )
        for lot in lots
    ]
    result = _moved(session, actor, organisation_id, "ecommerce.bonded.return", lots, movements)
    return _released_held(session, actor, organisation_id, data.book_no, data.status, result)


def adjust_bonded(
    session: Session, *, actor: Principal, organisation_id: int, data: BondedAdjust
) -> BondedMoveResult:
    """A stock-take adjustment (signed); a decrease cannot take the lot below zero."""
    actor.require(DECLARE, organisation_id)
    if data.quantity == 0:
        raise validation_error("quantity", "must not be zero")
    lot = _lock_lot(
        session,
        organisation_id,
        data.book_no,
        data.item_no,
        data.status,
        create=data.quantity > 0,
    )
    if lot is None:
        raise _short(data.book_no, data.item_no, data.status, 0, -data.quantity)
    movement = _move(session, actor, lot, ADJUSTMENT, data.quantity, note=data.note)
    result = _moved(session, actor, organisation_id, "ecommerce.bonded.adjust", [lot], [movement])
    if data.quantity < 0:
        return result
    return _released_held(session, actor, organisation_id, data.book_no, data.status, result)


def _released_held(
    session: Session,
    actor: Principal,
    organisation_id: int,
    book_no: str,
    status: str,
    result: BondedMoveResult,
) -> BondedMoveResult:
    if status == BONDED_CBEC:
        result.released_orders = recheck_held(
            session, actor=actor, organisation_id=organisation_id, book_no=book_no
        )
    return result


def recheck_held(
    session: Session, *, actor: Principal, organisation_id: int, book_no: str | None = None
) -> list[str]:
    """Re-check the organisation's orders held for bonded stock (of ``book_no`` when given),
    oldest first; those whose lines are now on hand are released. Returns their order numbers.

    An order another transaction is working on is skipped (``SKIP LOCKED`` on PostgreSQL): that
    transaction re-checks it itself."""
    actor.require(DECLARE, organisation_id)
    rows = session.scalars(
        select(ClearanceOrder)
        .where(ClearanceOrder.organisation_id == organisation_id, ClearanceOrder.status == HELD)
        .order_by(ClearanceOrder.id)
        .with_for_update(skip_locked=True)
    ).all()
    book = DatabaseBook(session)
    released: list[str] = []
    for row in rows:
        lot = ((row.match_result or {}).get("hold") or {}).get("lot") or {}
        if book_no is not None and lot.get("book_no") not in (None, book_no):
            continue
        documents = _documents(row)
        if not _recheck(session, actor, row, documents, book):
            continue
        _anchor_release(session, actor, row)
        session.flush()
        session.add(_release_receipt(row, documents))
        _audit_release(session, actor, row)
        released.append(row.order_no)
    session.flush()
    return released


def list_bonded_lots(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int,
    book_no: str | None = None,
    item_no: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[BondedLotRead], int]:
    actor.require(READ, organisation_id)
    query = select(BondedLot).where(BondedLot.organisation_id == organisation_id)
    if book_no is not None:
        query = query.where(BondedLot.book_no == book_no)
    if item_no is not None:
        query = query.where(BondedLot.item_no == item_no)
    order = (BondedLot.book_no, BondedLot.item_no, BondedLot.status)
    rows, total = fetch_page(session, query.order_by(*order), limit=limit, offset=offset)
    return [_lot_read(r) for r in rows], total


def list_bonded_movements(
    session: Session,
    *,
    actor: Principal,
    lot_id: int,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[BondedMovementRead], int]:
    """A lot's journal, newest first."""
    lot = session.get(BondedLot, lot_id)
    if lot is None:
        raise NotFound(f"bonded lot {lot_id} does not exist")
    actor.require(READ, lot.organisation_id)
    query = (
        select(BondedMovement)
        .where(BondedMovement.lot_id == lot_id)
        .order_by(BondedMovement.id.desc())
    )
    rows, total = fetch_page(session, query, limit=limit, offset=offset)
    return [_movement_read(r) for r in rows], total


def recent_bonded_movements(
    session: Session, *, actor: Principal, organisation_id: int, limit: int = 50
) -> list[tuple[BondedLotRead, BondedMovementRead]]:
    """The organisation's latest movements over all its lots, newest first, each with its lot."""
    actor.require(READ, organisation_id)
    rows = session.execute(
        select(BondedLot, BondedMovement)
        .join(BondedMovement, BondedMovement.lot_id == BondedLot.id)
        .where(BondedLot.organisation_id == organisation_id)
        .order_by(BondedMovement.id.desc())
        .limit(limit)
    ).all()
    return [(_lot_read(lot), _movement_read(movement)) for lot, movement in rows]


def stock_take(
    session: Session, *, actor: Principal, organisation_id: int, data: StockTakeRequest
) -> StockTakeReport:
    """Reconcile an account book: each lot's book quantity against the sum of its journal, and
    against the physical count given (a counted item without a lot is a line with book 0).
    Stores nothing; differences are corrected with ``adjust_bonded``."""
    actor.require(READ, organisation_id)
    counted: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(data.counts):
        key = (entry.item_no, entry.status)
        if key in counted:
            raise validation_error(f"counts[{index}]", "counted twice: item and status repeat")
        counted[key] = entry.counted
    journal = (
        select(BondedMovement.lot_id, func.coalesce(func.sum(BondedMovement.quantity), 0))
        .group_by(BondedMovement.lot_id)
        .subquery()
    )
    rows = session.execute(
        select(BondedLot, journal.c[1])
        .outerjoin(journal, journal.c.lot_id == BondedLot.id)
        .where(BondedLot.organisation_id == organisation_id, BondedLot.book_no == data.book_no)
        .order_by(BondedLot.item_no, BondedLot.status)
    ).all()
    lines: list[StockTakeLine] = []
    for lot, summed in rows:
        journal_quantity = int(summed or 0)
        count = counted.pop((lot.item_no, lot.status), None)
        lines.append(
            StockTakeLine(
                lot_id=lot.id,
                item_no=lot.item_no,
                status=lot.status,
                book_quantity=lot.quantity,
                journal_quantity=journal_quantity,
                counted=count,
                book_vs_journal=lot.quantity - journal_quantity,
                count_vs_book=None if count is None else count - lot.quantity,
            )
        )
    for (item_no, status), count in sorted(counted.items()):
        lines.append(
            StockTakeLine(
                lot_id=None,
                item_no=item_no,
                status=status,
                book_quantity=0,
                journal_quantity=0,
                counted=count,
                book_vs_journal=0,
                count_vs_book=count,
            )
        )
    return StockTakeReport(
        organisation_id=organisation_id,
        book_no=data.book_no,
        lines=lines,
        reconciled=all(line.book_vs_journal == 0 for line in lines),
        differences=sum(1 for line in lines if line.book_vs_journal or line.count_vs_book),
    )
