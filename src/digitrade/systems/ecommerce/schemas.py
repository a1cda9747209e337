"""Data shapes of the e-commerce clearance API (Pydantic)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ROLES = ("order", "payment", "waybill", "inventory")


class OrderRead(BaseModel):
    """A stored order: which messages have arrived, its status and, once matched, the checks."""

    id: int
    organisation_id: int
    order_no: str
    ebp_code: str | None
    buyer_id: str | None
    mode: str | None
    status: str
    received: list[str] = Field(description="roles whose message has arrived")
    match_result: dict[str, Any] | None
    assessment: dict[str, Any] | None
    dutiable_value: str | None
    released_at: dt.datetime | None
    returned_at: dt.datetime | None
    ledger_index: int | None = Field(description="the release's entry in the platform ledger")
    leaf_hash: str | None = Field(description="hex Merkle leaf hash of that entry")
    created_at: dt.datetime
    updated_at: dt.datetime


class OrderDetail(OrderRead):
    messages: dict[str, str | None] = Field(description="the CEB messages as received, per role")


class CatalogueItemWrite(BaseModel):
    """Tax data of one item (the ``items[]`` entry of ``assess-order`` without price, quantity,
    sku): the CEB messages do not carry rates."""

    model_config = ConfigDict(extra="forbid")

    hs_code: str = Field(examples=["3304990099"])
    name: str = Field(default="", max_length=200)
    vat_rate: str = Field(examples=["0.13"])
    mfn_duty_rate: str = Field(examples=["0.01"])
    excise: dict[str, Any] | None = Field(
        default=None, examples=[{"kind": "cosmetics", "net_content": "50", "unit": "g"}]
    )
    on_positive_list: bool = True
    indivisible: bool = False


class CatalogueItemRead(CatalogueItemWrite):
    item_no: str
    organisation_id: int


class QuotaRead(BaseModel):
    buyer_id: str
    year: int
    total: str
    limit: str
    remaining: str


class ReturnCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    application_date: dt.date
    goods_back_date: dt.date | None = None
    goods_category: str = Field(max_length=100, examples=["cosmetics"])


class SettlementLine(BaseModel):
    order_no: str
    mode: str | None
    released_on: dt.date = Field(description="release date, China time")
    return_deadline: dt.date
    payable_from: dt.date
    payable_by: dt.date
    stage: str = Field(description="return_window, payable, overdue, or returned (not collected)")
    bill_status: str | None = Field(
        default=None,
        description="the CEB816 tax bill's status: 1 generated, 2 summarised, 3 void",
    )
    duty: str
    consumption_tax: str
    vat: str
    tax_total: str


class SettlementTotal(BaseModel):
    orders: int
    duty: str
    consumption_tax: str
    vat: str
    tax_total: str


class TaxSettlement(BaseModel):
    """The withholder's tax on released retail-import lists on one day (GAC 2018 No.194)."""

    organisation_id: int
    as_of: dt.date
    totals: dict[str, SettlementTotal] = Field(
        description="per stage: return_window, payable (days 31-45), overdue, returned"
    )
    lines: list[SettlementLine]


class ReturnResult(BaseModel):
    decision: dict[str, Any]
    credited: str = Field(description="amount credited back to the buyer's annual total")
    order: OrderRead
    bonded_return: BondedMoveResult | None = Field(
        None,
        description="a 1210 order's units put back into its bonded-CBEC lots when the goods "
        "are back in the zone (same-warehouse storage)",
    )


# Bonded account book (1210, same-warehouse storage) -------------------------------------------

BondedStatus = Literal["bonded_cbec", "general_bonded", "non_bonded"]
BookNo = Annotated[str, Field(min_length=1, max_length=30, examples=["T2244W000001"])]
ItemNo = Annotated[str, Field(min_length=1, max_length=60, examples=["SKU-FC-50G"])]
Units = Annotated[int, Field(gt=0, le=10**12, description="whole units")]
Reference = Annotated[str | None, Field(default=None, max_length=60)]


class BondedReceive(BaseModel):
    """Units received into the bonded warehouse (entry declaration or receipt reference)."""

    model_config = ConfigDict(extra="forbid")

    book_no: BookNo
    item_no: ItemNo
    status: BondedStatus = "bonded_cbec"
    quantity: Units
    reference: Reference = None
    note: str | None = Field(default=None, max_length=200)


class BondedTransfer(BaseModel):
    """Units moved from one status tag to another within the same book and item."""

    model_config = ConfigDict(extra="forbid")

    book_no: BookNo
    item_no: ItemNo
    from_status: BondedStatus
    to_status: BondedStatus
    quantity: Units
    reference: Reference = None
    note: str | None = Field(default=None, max_length=200)


class BondedLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_no: ItemNo
    quantity: Units


class BondedRelease(BaseModel):
    """Units leaving by a retail order released on its CEB621 inventory list (``invtNo``);
    all lines move or none."""

    model_config = ConfigDict(extra="forbid")

    book_no: BookNo
    order_no: str = Field(min_length=1, max_length=60)
    invt_no: str = Field(min_length=1, max_length=60, description="the CEB621 inventory list")
    status: BondedStatus = "bonded_cbec"
    lines: list[BondedLine] = Field(min_length=1, max_length=500)


class BondedReturnIn(BaseModel):
    """Units of a returned retail order back into the book (CEB625 reference)."""

    model_config = ConfigDict(extra="forbid")

    book_no: BookNo
    order_no: str = Field(min_length=1, max_length=60)
    reference: Reference = None
    status: BondedStatus = "bonded_cbec"
    lines: list[BondedLine] = Field(min_length=1, max_length=500)


class BondedAdjust(BaseModel):
    """A stock-take adjustment: signed units, with the reason."""

    model_config = ConfigDict(extra="forbid")

    book_no: BookNo
    item_no: ItemNo
    status: BondedStatus
    quantity: int = Field(ge=-(10**12), le=10**12, description="signed units, not zero")
    note: str = Field(min_length=1, max_length=200)


class BondedLotRead(BaseModel):
    id: int
    organisation_id: int
    book_no: str
    item_no: str
    status: str
    quantity: int
    updated_at: dt.datetime


class BondedMovementRead(BaseModel):
    id: int
    lot_id: int
    kind: str
    quantity: int = Field(description="signed: positive in, negative out")
    reference: str | None
    order_no: str | None
    peer_lot_id: int | None = Field(description="the other lot of a status transfer")
    note: str | None
    actor: str
    created_at: dt.datetime


class BondedMoveResult(BaseModel):
    lots: list[BondedLotRead] = Field(description="the lots as they are after the movement")
    movements: list[BondedMovementRead]
    released_orders: list[str] = Field(
        default_factory=list,
        description="orders held for bonded stock that this movement let clearance release",
    )


class StockCount(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_no: ItemNo
    status: BondedStatus
    counted: int = Field(ge=0, le=10**12)


class StockTakeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    book_no: BookNo
    counts: list[StockCount] = Field(default_factory=list, max_length=5000)


class StockTakeLine(BaseModel):
    lot_id: int | None = Field(description="None when a counted item has no lot in the book")
    item_no: str
    status: str
    book_quantity: int
    journal_quantity: int = Field(description="sum of the lot's movements")
    counted: int | None
    book_vs_journal: int = Field(description="book minus journal; 0 when they reconcile")
    count_vs_book: int | None = Field(description="counted minus book; None when not counted")


class StockTakeReport(BaseModel):
    organisation_id: int
    book_no: str
    lines: list[StockTakeLine]
    reconciled: bool = Field(description="every lot's book quantity equals its journal")
    differences: int = Field(description="lines where the count or the journal disagrees")


class ReceiptRead(BaseModel):
    """A customs-style receipt of one message (CEB312, 412, 512, 622)."""

    id: int
    order_id: int
    request_type: str = Field(description="the message answered, e.g. CEB621")
    receipt_type: str = Field(description="the receipt message, e.g. CEB622")
    request_guid: str
    guid: str
    status: str = Field(description="returnStatus: 100 refused, 120 accepted, 800 released...")
    status_name: str
    status_name_zh: str
    info: str = Field(description="returnInfo: the reason")
    keys: dict[str, Any] = Field(description="the request's keys the receipt repeats")
    time: dt.datetime = Field(description="returnTime")
    order_no: str | None = Field(default=None, description="the order's number (in the feed)")
    xml: str | None = Field(default=None, description="the receipt's CEB XML (in the feed)")


class ReceiptFeed(BaseModel):
    """A platform organisation's receipts after a cursor, oldest first."""

    organisation_id: int
    after: int = Field(description="the cursor asked for: receipts with a greater id")
    next_after: int = Field(description="the cursor to ask with next (the last id returned)")
    items: list[ReceiptRead]


class ReceiptEndpointWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=8,
        max_length=500,
        pattern=r"^https?://[^\s/?#]+[^\s]*$",
        description="http(s) URL each receipt is POSTed to as CEB XML",
    )
    enabled: bool = True
    from_start: bool = Field(
        default=False,
        description="also send every receipt already issued (default: only new ones)",
    )
    rotate_secret: bool = Field(default=False, description="issue a new signing secret")


class ReceiptEndpointRead(BaseModel):
    organisation_id: int
    url: str
    enabled: bool
    delivered_through: int = Field(description="id of the last receipt delivered")
    delivered: int = Field(description="receipts delivered so far")
    pending: int = Field(description="receipts waiting to be delivered")
    failures: int = Field(description="failed attempts in a row since the last success")
    next_attempt_at: dt.datetime
    last_error: str | None
    last_delivered_at: dt.datetime | None
    secret: str | None = Field(
        default=None,
        description="HMAC-SHA256 key of the X-Digitrade-Signature header; shown only when issued",
    )
