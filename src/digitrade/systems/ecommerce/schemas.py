"""Data shapes of the e-commerce clearance API (Pydantic)."""

from __future__ import annotations

import datetime as dt
from typing import Any

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


class ReturnResult(BaseModel):
    decision: dict[str, Any]
    credited: str = Field(description="amount credited back to the buyer's annual total")
    order: OrderRead
