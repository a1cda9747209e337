"""E-commerce clearance API under ``/api/ecommerce``.

Stored clearance (messages, orders, catalogue, quota, returns) is for members of the platform
organisation; ``assess-order``, ``check-return`` and ``screen-air`` are pure computations with the
command line's JSON contracts, open to anyone.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from digitrade.core.auth.dependencies import ApiPrincipal, DbSession
from digitrade.core.auth.schemas import Page
from digitrade.core.errors import validation_error
from digitrade.systems.ecommerce import dangerous_goods, returns, service, tax
from digitrade.systems.ecommerce.ceb.xmlsafe import DEFAULT_MAX_BYTES
from digitrade.systems.ecommerce.permissions import DECLARE
from digitrade.systems.ecommerce.schemas import (
    BondedAdjust,
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
    StockTakeReport,
    StockTakeRequest,
    TaxSettlement,
)
from digitrade.web.uploads import FILE_BODY, read_upload

router = APIRouter(tags=["ecommerce"])
MAX_JSON_BYTES = 1024 * 1024
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]

JSON_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


async def read_json(request: Request) -> Any:
    """The JSON body, numbers read as Decimal (money never passes through a float)."""
    data = await request.body()
    if len(data) > MAX_JSON_BYTES:
        raise validation_error("body", f"larger than {MAX_JSON_BYTES:,} bytes")
    try:
        return json.loads(data.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise validation_error("body", "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise validation_error("body", f"not JSON: {exc.msg} at line {exc.lineno}") from None


@router.post(
    "/messages",
    response_model=OrderDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Receive a CEB311, 411, 511 or 621 and re-run three-order matching on its order",
    description=(
        "Send the message as the body (application/xml) or as multipart field `file`. It is "
        "validated, stored against its order (`orderNo`) and the order re-checked: `pending` "
        "while a counterpart is missing, `released` when all four match (tax assessed from the "
        "item catalogue, the buyer's annual total reserved), `rejected` when a check fails."
    ),
    openapi_extra=FILE_BODY,
)
async def submit_message(
    request: Request, session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> OrderDetail:
    actor.require(DECLARE, organisation_id)  # refuse before reading the upload
    data = await read_upload(request, limit=DEFAULT_MAX_BYTES, what="the CEB message")
    return service.submit_message(session, actor=actor, organisation_id=organisation_id, data=data)


@router.get("/orders", response_model=Page[OrderRead])
def list_orders(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    status: Annotated[
        str | None, Query(pattern="^(pending|accepted|held|rejected|released|returned)$")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[OrderRead]:
    items, total = service.list_orders(
        session,
        actor=actor,
        organisation_id=organisation_id,
        status=status,
        limit=limit,
        offset=offset,
    )
    return Page[OrderRead](items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/tax-settlement",
    response_model=TaxSettlement,
    summary="Withholding-tax settlement of released lists on a day (GAC 2018 No.194)",
    description="Released lists by stage on `as_of` (default: today in China): in the 30-day "
    "return window, payable on days 31-45 after release, overdue, or returned (tax not "
    "collected); per stage the number of lists and duty, consumption tax, VAT and total.",
)
def tax_settlement(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    as_of: dt.date | None = None,
) -> TaxSettlement:
    day = as_of or dt.datetime.now(service.CHINA).date()
    return service.tax_settlement(session, actor=actor, organisation_id=organisation_id, as_of=day)


@router.get(
    "/receipts",
    response_model=ReceiptFeed,
    summary="The organisation's receipts after a cursor, oldest first, with their CEB XML",
    description="Read with `after` = the `next_after` of the previous page to collect every "
    "receipt once, in order (as customs' transfer client collects its inbox). On PostgreSQL a "
    "receipt appears once it is 10 seconds old, so none is skipped by a later commit.",
)
def receipt_feed(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=service.FEED_LIMIT_MAX)] = 100,
    xml: bool = True,
) -> ReceiptFeed:
    return service.receipt_feed(
        session,
        actor=actor,
        organisation_id=organisation_id,
        after=after,
        limit=limit,
        with_xml=xml,
    )


@router.put(
    "/receipt-endpoint",
    response_model=ReceiptEndpointRead,
    summary="Name the URL the organisation's receipts are POSTed to",
    description="Each new receipt is POSTed as CEB XML, in order, signed in "
    "`X-Digitrade-Signature` (HMAC-SHA256 under the secret shown when it is issued). A failed "
    "delivery is retried, with doubling delays, until the endpoint takes it.",
)
def put_receipt_endpoint(
    session: DbSession, actor: ApiPrincipal, organisation_id: int, data: ReceiptEndpointWrite
) -> ReceiptEndpointRead:
    return service.put_receipt_endpoint(
        session, actor=actor, organisation_id=organisation_id, data=data
    )


@router.get(
    "/receipt-endpoint",
    response_model=ReceiptEndpointRead,
    summary="Where the organisation's receipts go and how far delivery has got",
)
def get_receipt_endpoint(
    session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> ReceiptEndpointRead:
    return service.get_receipt_endpoint(session, actor=actor, organisation_id=organisation_id)


@router.delete(
    "/receipt-endpoint",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Stop sending the organisation's receipts (the feed still serves them)",
)
def delete_receipt_endpoint(
    session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> Response:
    service.delete_receipt_endpoint(session, actor=actor, organisation_id=organisation_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/orders/{order_id}", response_model=OrderDetail)
def get_order(order_id: int, session: DbSession, actor: ApiPrincipal) -> OrderDetail:
    return service.get_order(session, actor=actor, order_id=order_id)


@router.get(
    "/orders/{order_id}/receipts",
    response_model=list[ReceiptRead],
    summary="The receipts of an order: one per message received, and the release (CEB622 800)",
)
def list_receipts(order_id: int, session: DbSession, actor: ApiPrincipal) -> list[ReceiptRead]:
    return service.list_receipts(session, actor=actor, order_id=order_id)


@router.get(
    "/orders/{order_id}/receipts/{receipt_id}/xml",
    response_class=Response,
    summary="One receipt as the CEB standard shapes it (CEB312, 412, 512 or 622)",
    responses={200: {"content": {"application/xml": {}}}},
)
def receipt_xml(
    order_id: int, receipt_id: int, session: DbSession, actor: ApiPrincipal
) -> Response:
    data = service.receipt_xml(session, actor=actor, order_id=order_id, receipt_id=receipt_id)
    return Response(content=data, media_type="application/xml")


@router.get(
    "/orders/{order_id}/tax-bill",
    response_class=Response,
    summary="The order's electronic tax bill (CEB816) or its status (CEB818) on a day",
    description="For a released or returned order: the CEB816 with the duty, VAT and "
    "consumption tax per line and in total, status 1 generated in the 30-day return window, "
    "2 summarised after it, 3 void once returned; `message=CEB818` gives the status message. "
    "`as_of` defaults to today in China.",
    responses={200: {"content": {"application/xml": {}}}},
)
def tax_bill(
    order_id: int,
    session: DbSession,
    actor: ApiPrincipal,
    as_of: dt.date | None = None,
    message: Annotated[str, Query(pattern="^CEB81[68]$")] = "CEB816",
) -> Response:
    day = as_of or dt.datetime.now(service.CHINA).date()
    data = service.tax_bill(
        session, actor=actor, order_id=order_id, as_of=day, message_type=message
    )
    return Response(content=data, media_type="application/xml")


@router.post(
    "/orders/{order_id}/returns",
    response_model=ReturnResult,
    summary="Return a released order (GAC 2020 No.45); accepted returns credit the annual total",
)
def submit_return(
    order_id: int, body: ReturnCreate, session: DbSession, actor: ApiPrincipal
) -> ReturnResult:
    return service.submit_return(session, actor=actor, order_id=order_id, data=body)


@router.put(
    "/items/{item_no}",
    response_model=CatalogueItemRead,
    summary="Tax data of one catalogue item (tariff code, rates, excise) used to assess orders",
)
def put_item(
    item_no: str,
    body: CatalogueItemWrite,
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
) -> CatalogueItemRead:
    return service.put_item(
        session, actor=actor, organisation_id=organisation_id, item_no=item_no, data=body
    )


@router.get("/quota/{buyer_id}", response_model=QuotaRead, summary="A buyer's annual total")
def get_quota(
    buyer_id: str,
    session: DbSession,
    actor: ApiPrincipal,
    year: Annotated[int, Query(ge=2016, le=2100)],
) -> QuotaRead:
    return service.get_quota(session, actor=actor, buyer_id=buyer_id, year=year)


@router.post(
    "/assess-order",
    summary="Retail-import tax and limits of one order (the CLI's assess-order contract)",
    openapi_extra=JSON_BODY,
)
async def assess_order(request: Request) -> dict[str, Any]:
    return tax.assess_order(await read_json(request)).as_dict()


@router.post(
    "/check-return",
    summary="Is a return accepted and tax relieved (the CLI's check-return contract)",
    openapi_extra=JSON_BODY,
)
async def check_return(request: Request) -> dict[str, Any]:
    return returns.check_return(await read_json(request)).as_dict()


@router.post(
    "/screen-air",
    summary="Air dangerous-goods screening of a parcel (the CLI's screen-air contract)",
    openapi_extra=JSON_BODY,
)
async def screen_air(request: Request) -> dict[str, Any]:
    return dangerous_goods.screen_air(await read_json(request)).as_dict()


# Bonded account book (1210, same-warehouse storage) -------------------------------------------


@router.post(
    "/bonded/receipts",
    response_model=BondedMoveResult,
    status_code=status.HTTP_201_CREATED,
    summary="Receive units into a bonded account book, tagged with their status",
)
def receive_bonded(
    body: BondedReceive, session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> BondedMoveResult:
    return service.receive_bonded(session, actor=actor, organisation_id=organisation_id, data=body)


@router.post(
    "/bonded/transfers",
    response_model=BondedMoveResult,
    status_code=status.HTTP_201_CREATED,
    summary="Move units between status tags (bonded-CBEC, general bonded, non-bonded)",
    description="409 `ecommerce.bonded-stock-short`, naming the lot, when the source is short.",
)
def transfer_bonded(
    body: BondedTransfer, session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> BondedMoveResult:
    return service.transfer_bonded(session, actor=actor, organisation_id=organisation_id, data=body)


@router.post(
    "/bonded/releases",
    response_model=BondedMoveResult,
    status_code=status.HTTP_201_CREATED,
    summary="Units leaving by a retail order released on its CEB621 inventory list",
    description=(
        "All lines move or none; 409 `ecommerce.bonded-stock-short`, naming the lot, when a "
        "line is more than the lot has on hand."
    ),
)
def release_bonded(
    body: BondedRelease, session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> BondedMoveResult:
    return service.release_bonded(session, actor=actor, organisation_id=organisation_id, data=body)


@router.post(
    "/bonded/returns",
    response_model=BondedMoveResult,
    status_code=status.HTTP_201_CREATED,
    summary="Units of a returned retail order back into the book",
)
def return_bonded(
    body: BondedReturnIn, session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> BondedMoveResult:
    return service.return_bonded(session, actor=actor, organisation_id=organisation_id, data=body)


@router.post(
    "/bonded/adjustments",
    response_model=BondedMoveResult,
    status_code=status.HTTP_201_CREATED,
    summary="A stock-take adjustment of one lot (signed units, with the reason)",
)
def adjust_bonded(
    body: BondedAdjust, session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> BondedMoveResult:
    return service.adjust_bonded(session, actor=actor, organisation_id=organisation_id, data=body)


@router.get("/bonded/lots", response_model=Page[BondedLotRead])
def list_bonded_lots(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    book_no: Annotated[str | None, Query(max_length=30)] = None,
    item_no: Annotated[str | None, Query(max_length=60)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[BondedLotRead]:
    items, total = service.list_bonded_lots(
        session,
        actor=actor,
        organisation_id=organisation_id,
        book_no=book_no,
        item_no=item_no,
        limit=limit,
        offset=offset,
    )
    return Page[BondedLotRead](items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/bonded/lots/{lot_id}/movements",
    response_model=Page[BondedMovementRead],
    summary="A lot's movement journal, newest first",
)
def list_bonded_movements(
    lot_id: int,
    session: DbSession,
    actor: ApiPrincipal,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[BondedMovementRead]:
    items, total = service.list_bonded_movements(
        session, actor=actor, lot_id=lot_id, limit=limit, offset=offset
    )
    return Page[BondedMovementRead](items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/bonded/stock-take",
    response_model=StockTakeReport,
    summary="Reconcile an account book: book vs journal per lot, and vs the physical count",
    description="Stores nothing; correct differences with `/bonded/adjustments`.",
)
def stock_take(
    body: StockTakeRequest, session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> StockTakeReport:
    return service.stock_take(session, actor=actor, organisation_id=organisation_id, data=body)
