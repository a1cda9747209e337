"""E-commerce clearance pages: the clearance board, an order with its four messages, checks and
tax computation, a return of a released order, a buyer's annual quota and the parcel screening
form (air dangerous goods)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from digitrade.core.auth.dependencies import DbSession, ReadSession, check_csrf
from digitrade.core.errors import DomainError, NotFound, validation_error
from digitrade.systems.ecommerce import dangerous_goods, matching, service
from digitrade.systems.ecommerce.ceb import read_message
from digitrade.systems.ecommerce.permissions import DECLARE, READ
from digitrade.systems.ecommerce.schemas import (
    ROLES,
    OrderDetail,
    ReturnCreate,
    StockCount,
    StockTakeRequest,
)
from digitrade.web.pages import ReadingViewer, Viewer, login_redirect, organisations_where
from digitrade.web.templating import render, request_language

router = APIRouter(include_in_schema=False)


def _china_today() -> dt.date:
    """Today's date where the goods are cleared: customs dates are China Standard Time."""
    return dt.datetime.now(service.CHINA).date()


# Board columns, in the order a clearance officer reads them (msgids of the catalogue).
STATUS_LABELS = {
    "rejected": "Rejected",
    "pending": "Pending",
    "held": "Held",
    "accepted": "Accepted",
    "released": "Released",
    "returned": "Returned",
}
ROLE_LABELS = {
    "order": "Order (CEB311)",
    "payment": "Payment (CEB411)",
    "waybill": "Waybill (CEB511)",
    "inventory": "Inventory list (CEB621)",
}
CHECK_LABELS = {
    "keys": "Linking keys",
    "buyer_identity": "Buyer identity",
    "payer_identity": "Payer identity",
    "amounts": "Amounts",
    "goods": "Goods",
    "freight": "Freight and insurance",
    "consignee": "Consignee",
    "limits": "Limits",
    "tax": "Tax",
    "enterprise_codes": "Enterprise codes",
    "timing": "Timing",
}
# Key fields shown side by side: label -> the head field of each message that carries it.
KEY_FIELDS: tuple[tuple[str, dict[str, str]], ...] = (
    ("Order number", dict.fromkeys(ROLES, "orderNo")),
    (
        "Platform code",
        {"order": "ebpCode", "payment": "ebpCode", "inventory": "ebpCode"},
    ),
    ("Declared at", dict.fromkeys(ROLES, "appTime")),
    (
        "Buyer or payer",
        {"order": "buyerName", "payment": "payerName", "inventory": "buyerName"},
    ),
    (
        "Identity number",
        {"order": "buyerIdNumber", "payment": "payerIdNumber", "inventory": "buyerIdNumber"},
    ),
    ("Goods value", {"order": "goodsValue"}),
    ("Freight", {"order": "freight", "waybill": "freight", "inventory": "freight"}),
    ("Insurance", {"waybill": "insuredFee", "inventory": "insuredFee"}),
    ("Tax", {"order": "taxTotal"}),
    ("Amount paid", {"order": "acturalPaid", "payment": "amountPaid"}),
    ("Payment transaction", {"order": "payTransactionId", "payment": "payTransactionId"}),
    ("Waybill number", {"waybill": "logisticsNo", "inventory": "logisticsNo"}),
    ("Consignee", {"order": "consignee", "waybill": "consignee"}),
    ("Customs mode", {"inventory": "tradeMode"}),
)
KIND_LABELS = {
    "": "(empty row)",
    "lithium_ion_battery": "Lithium ion battery",
    "lithium_metal_battery": "Lithium metal battery",
    "magnetized_material": "Magnetised material",
    "perfume": "Perfume",
    "aerosol": "Aerosol",
    "other": "Other goods",
}
CONFIGURATION_LABELS = {
    "standalone": "Standalone",
    "packed_with_equipment": "Packed with equipment",
    "contained_in_equipment": "Contained in equipment",
}
CHANNEL_LABELS = {"cargo": "Air cargo", "mail": "Air mail"}
SCREEN_ROWS = 3
SCREEN_NUMBERS = (
    "watt_hours",
    "lithium_grams",
    "state_of_charge",
    "volume_ml",
    "flash_point_c",
    "field_strength_2_1m",
    "field_strength_4_6m",
)
CENT = Decimal("0.01")


def money(value: Any) -> str:
    """``1,220.00`` from a Decimal or a money string; empty for None."""
    if value is None or value == "":
        return ""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return str(value)


def _context(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "money": money,
        "status_labels": STATUS_LABELS,
        "role_labels": ROLE_LABELS,
        "check_labels": CHECK_LABELS,
        **extra,
    }


def failing_check(match: dict[str, Any] | None) -> dict[str, Any] | None:
    """The first check that failed, else None."""
    for check in (match or {}).get("checks", []):
        if check.get("passed") is False:
            return dict(check)
    return None


def localised_detail(request: Request, error: DomainError) -> str:
    """The error's sentence in the page's language: its Chinese (``detail_zh``) when it has
    one and the page is in Chinese."""
    chinese = error.extra.get("detail_zh")
    if request_language(request) == "zh-Hans" and isinstance(chinese, str) and chinese:
        return chinese
    return error.detail


# Board ---------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def board_page(
    request: Request, session: DbSession, viewer: Viewer, organisation_id: int | None = None
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    return _board(request, session, viewer, organisation_id)


def _board(
    request: Request,
    session: DbSession,
    viewer: Any,
    organisation_id: int | None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    organisations = organisations_where(session, viewer, READ)
    if organisation_id is None and organisations:
        organisation_id = organisations[0].id
    columns: dict[str, list[Any]] = {status: [] for status in STATUS_LABELS}
    total = 0
    endpoint = None
    if organisation_id is not None:
        endpoint = _receipt_endpoint(session, viewer, organisation_id)
        orders, total = service.list_orders(
            session, actor=viewer, organisation_id=organisation_id, limit=200
        )
        for order in orders:
            columns.setdefault(order.status, []).append(
                {"order": order, "failing": failing_check(order.match_result)}
            )
    return render(
        request,
        "ecommerce/board.html",
        _context(
            {
                "organisations": organisations,
                "organisation_id": organisation_id,
                "columns": columns,
                "total": total,
                "can_declare": organisation_id is not None and viewer.can(DECLARE, organisation_id),
                "endpoint": endpoint,
                "error": error,
            }
        ),
        status_code=status_code,
    )


def _receipt_endpoint(session: Session, viewer: Any, organisation_id: int) -> Any:
    """Where the organisation's receipts are sent, or None when it collects them from its feed."""
    try:
        return service.get_receipt_endpoint(session, actor=viewer, organisation_id=organisation_id)
    except NotFound:
        return None


MAX_MESSAGE_BYTES = 5 * 1024 * 1024


@router.post("/messages", response_class=HTMLResponse)
async def submit_message_page(request: Request, session: DbSession, viewer: Viewer) -> Response:
    """A CEB message uploaded from the board: filed against its order and matched at once."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    form = await request.form()
    organisation = str(form.get("organisation_id", ""))
    upload = form.get("file")
    try:
        check_csrf(request, str(form.get("csrf_token", "")))
        if not organisation.isdigit():
            raise validation_error("organisation_id", "choose the platform")
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise validation_error("file", "choose a CEB message file (.xml)")
        data = await upload.read(MAX_MESSAGE_BYTES + 1)
        if len(data) > MAX_MESSAGE_BYTES:
            raise validation_error("file", "the file is larger than 5 MB")
        detail = service.submit_message(
            session, actor=viewer, organisation_id=int(organisation), data=data
        )
    except DomainError as exc:
        session.rollback()
        chosen = int(organisation) if organisation.isdigit() else None
        return _board(request, session, viewer, chosen, localised_detail(request, exc), exc.status)
    return RedirectResponse(f"/ecommerce/orders/{detail.id}", status_code=303)


# Order ---------------------------------------------------------------------------------------


def _heads(detail: OrderDetail) -> dict[str, dict[str, str]]:
    heads: dict[str, dict[str, str]] = {}
    for role in ROLES:
        text = detail.messages.get(role)
        if text is None:
            continue
        document = matching.document_for(role, read_message(text.encode("utf-8")))
        if document is not None:
            heads[role] = {key: str(value) for key, value in document.head.as_dict().items()}
    return heads


def key_fields(heads: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Rows of the side-by-side view: a label and each message's value (None: not carried)."""
    rows = []
    for label, fields in KEY_FIELDS:
        values: dict[str, str | None] = {}
        for role in ROLES:
            name = fields.get(role)
            if name is None:
                values[role] = None
            else:
                values[role] = heads.get(role, {}).get(name, "")
        present = {v for r, v in values.items() if v is not None and r in heads}
        rows.append({"label": label, "values": values, "differ": len(present) > 1})
    return rows


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _rate(value: Decimal) -> str:
    return format(value.normalize(), "f")


def tax_steps(line: dict[str, Any]) -> list[dict[str, str]]:
    """One line's computation as steps: label (msgid), the arithmetic, the result."""
    goods, freight, insurance = _d(line["goods_value"]), _d(line["freight"]), _d(line["insurance"])
    dutiable, duty = _d(line["dutiable_value"]), _d(line["duty"])
    duty_rate, ct_rate = _d(line["duty_rate"]), _d(line["consumption_tax_rate"])
    vat_rate = _d(line["vat_rate"])
    base = ((dutiable + duty) / (1 - ct_rate)).quantize(CENT, ROUND_HALF_UP)
    full = line["treatment"] == "general_trade_full"
    factor = "" if full else " × 0.7"
    return [
        {
            "label": "Goods value",
            "formula": f"{money(line['unit_price'])} × {line['quantity']}",
            "result": money(goods),
        },
        {
            "label": "Dutiable value",
            "formula": f"{money(goods)} + {money(freight)} + {money(insurance)}",
            "result": money(dutiable),
        },
        {
            "label": "Duty",
            "formula": f"{money(dutiable)} × {_rate(duty_rate)}" if full else "0",
            "result": money(duty),
        },
        {
            "label": "Tax base including consumption tax",
            "formula": f"({money(dutiable)} + {money(duty)}) / (1 − {_rate(ct_rate)})",
            "result": money(base),
        },
        {
            "label": "Consumption tax",
            "formula": f"{money(base)} × {_rate(ct_rate)}{factor}",
            "result": money(line["consumption_tax"]),
        },
        {
            "label": "VAT",
            "formula": f"{money(base)} × {_rate(vat_rate)}{factor}",
            "result": money(line["vat"]),
        },
    ]


def _order_page(
    request: Request,
    session: DbSession,
    viewer: Any,
    order_id: int,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    decision: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    detail = service.get_order(session, actor=viewer, order_id=order_id)
    heads = _heads(detail)
    declared = heads.get("order", {}).get("appTime", "")
    assessment = detail.assessment or {}
    lines = [{"line": line, "steps": tax_steps(line)} for line in assessment.get("lines", [])]
    today = _china_today().isoformat()
    return render(
        request,
        "ecommerce/order.html",
        _context(
            {
                "order": detail,
                "roles": ROLES,
                "fields": key_fields(heads),
                "quota_year": declared[:4] if declared[:4].isdigit() else None,
                "checks": (detail.match_result or {}).get("checks", []),
                "failing": failing_check(detail.match_result),
                "assessment": assessment,
                "lines": lines,
                "receipts": service.list_receipts(session, actor=viewer, order_id=order_id),
                "hold": (detail.match_result or {}).get("hold"),
                "bonded": (detail.match_result or {}).get("bonded"),
                "can_return": detail.status == "released"
                and viewer.can(DECLARE, detail.organisation_id),
                "form": form or {"application_date": today, "goods_back_date": today},
                "error": error,
                "decision": decision,
                "credited": request.query_params.get("credited"),
            }
        ),
        status_code=status_code,
    )


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(request: Request, session: DbSession, viewer: Viewer, order_id: int) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    return _order_page(request, session, viewer, order_id)


@router.post("/orders/{order_id}/returns", response_class=HTMLResponse)
async def return_submit(
    request: Request, session: DbSession, viewer: Viewer, order_id: int
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        check_csrf(request, form.get("csrf_token"))
        data = ReturnCreate.model_validate(
            {
                "application_date": form.get("application_date", "").strip(),
                "goods_back_date": form.get("goods_back_date", "").strip() or None,
                "goods_category": form.get("goods_category", "").strip(),
            }
        )
        if not data.goods_category:
            raise validation_error("goods_category", "name the category of the goods")
        result = service.submit_return(session, actor=viewer, order_id=order_id, data=data)
    except ValidationError as exc:
        message = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return _order_page(
            request, session, viewer, order_id, form=form, error=message, status_code=422
        )
    except DomainError as exc:
        session.rollback()
        return _order_page(
            request,
            session,
            viewer,
            order_id,
            form=form,
            error=localised_detail(request, exc),
            status_code=exc.status,
        )
    if result.decision.get("accepted"):
        return RedirectResponse(
            f"/ecommerce/orders/{order_id}?credited={result.credited}", status_code=303
        )
    return _order_page(request, session, viewer, order_id, form=form, decision=result.decision)


# Bonded stock book ---------------------------------------------------------------------------

LOT_STATUS_LABELS = {
    "bonded_cbec": "Bonded (cross-border e-commerce)",
    "general_bonded": "General bonded",
    "non_bonded": "Non-bonded",
}
MOVEMENT_LABELS = {
    "receipt": "Goods received",
    "release": "Release",
    "transfer_out": "Transfer out",
    "transfer_in": "Transfer in",
    "return_in": "Return in",
    "adjustment": "Adjustment",
}


def _readable_organisations(
    session: Session, viewer: Any, organisation_id: int | None
) -> tuple[list[Any], int | None]:
    """The organisations the viewer may read, and the one chosen (the first by default)."""
    organisations = organisations_where(session, viewer, READ)
    if organisation_id is None and organisations:
        organisation_id = organisations[0].id
    return organisations, organisation_id


def _bonded_page(
    request: Request,
    session: DbSession,
    viewer: Any,
    organisation_id: int | None,
    book_no: str,
    *,
    counts: dict[int, str] | None = None,
    report: Any = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    organisations, organisation_id = _readable_organisations(session, viewer, organisation_id)
    lots: list[Any] = []
    movements: list[Any] = []
    total = 0
    if organisation_id is not None:
        lots, total = service.list_bonded_lots(
            session,
            actor=viewer,
            organisation_id=organisation_id,
            book_no=book_no or None,
            limit=200,
        )
        movements = service.recent_bonded_movements(
            session, actor=viewer, organisation_id=organisation_id, limit=50
        )
    books = sorted({lot.book_no for lot in lots})
    return render(
        request,
        "ecommerce/bonded.html",
        _context(
            {
                "organisations": organisations,
                "organisation_id": organisation_id,
                "book_no": book_no,
                "books": books,
                "lots": lots,
                "total": total,
                "movements": movements,
                "lot_status_labels": LOT_STATUS_LABELS,
                "movement_labels": MOVEMENT_LABELS,
                "counts": counts or {},
                "report": report,
                "error": error,
            }
        ),
        status_code=status_code,
    )


@router.get("/bonded", response_class=HTMLResponse)
def bonded_page(
    request: Request,
    session: DbSession,
    viewer: Viewer,
    organisation_id: int | None = None,
    book_no: str = "",
) -> Response:
    """The bonded account books: lots by book, item and status, the latest movements and a
    stock-take of one book against a physical count."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    return _bonded_page(request, session, viewer, organisation_id, book_no.strip()[:30])


@router.post("/bonded/stock-take", response_class=HTMLResponse)
async def bonded_stock_take(request: Request, session: DbSession, viewer: Viewer) -> Response:
    """Reconcile one book: book against journal per lot, and against the counts entered."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    form = await request.form()
    organisation = str(form.get("organisation_id", ""))
    book_no = str(form.get("book_no", "")).strip()[:30]
    chosen = int(organisation) if organisation.isdigit() else None
    counts: dict[int, str] = {}
    try:
        check_csrf(request, str(form.get("csrf_token", "")))
        if chosen is None:
            raise validation_error("organisation_id", "choose the organisation")
        if not book_no:
            raise validation_error("book_no", "choose the account book")
        lots, _ = service.list_bonded_lots(
            session, actor=viewer, organisation_id=chosen, book_no=book_no, limit=200
        )
        entries: list[StockCount] = []
        for lot in lots:
            raw = str(form.get(f"count_{lot.id}", "")).strip()
            counts[lot.id] = raw
            if not raw:
                continue
            if not raw.isdigit():
                raise validation_error(
                    f"count_{lot.id}", f"{lot.item_no}: give a whole number of units"
                )
            entries.append(StockCount(item_no=lot.item_no, status=lot.status, counted=int(raw)))
        report = service.stock_take(
            session,
            actor=viewer,
            organisation_id=chosen,
            data=StockTakeRequest(book_no=book_no, counts=entries),
        )
    except DomainError as exc:
        return _bonded_page(
            request,
            session,
            viewer,
            chosen,
            book_no,
            counts=counts,
            error=localised_detail(request, exc),
            status_code=exc.status,
        )
    return _bonded_page(request, session, viewer, chosen, book_no, counts=counts, report=report)


# Quota ---------------------------------------------------------------------------------------


@router.get("/quota", response_class=HTMLResponse)
def quota_page(
    request: Request,
    session: DbSession,
    viewer: Viewer,
    buyer_id: str = "",
    year: str = "",
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    buyer_id = buyer_id.strip()
    form = {"buyer_id": buyer_id, "year": year.strip() or str(_china_today().year)}
    context: dict[str, Any] = {"form": form}
    if buyer_id:
        try:
            if not form["year"].isdigit() or not 2000 <= int(form["year"]) <= 2100:
                raise validation_error("year", "give a calendar year, for example 2025")
            context["quota"] = service.get_quota(
                session, actor=viewer, buyer_id=buyer_id, year=int(form["year"])
            )
        except DomainError as exc:
            return render(
                request,
                "ecommerce/quota.html",
                _context({**context, "error": localised_detail(request, exc)}),
                status_code=exc.status,
            )
    return render(request, "ecommerce/quota.html", _context(context))


# Withholding-tax settlement --------------------------------------------------------------------

SETTLEMENT_STAGES = {
    "return_window": "In the return window",
    "payable": "Payable (days 31-45)",
    "overdue": "Overdue",
    "returned": "Returned (not collected)",
}


@router.get("/settlement", response_class=HTMLResponse)
def settlement_page(
    request: Request,
    session: DbSession,
    viewer: Viewer,
    organisation_id: int | None = None,
    as_of: str = "",
) -> Response:
    """Released lists by settlement stage on a day: the tax the withholder pays on days 31-45."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    organisations, organisation_id = _readable_organisations(session, viewer, organisation_id)
    form = {"as_of": as_of.strip() or _china_today().isoformat()}
    context: dict[str, Any] = {
        "organisations": organisations,
        "organisation_id": organisation_id,
        "form": form,
        "stage_labels": SETTLEMENT_STAGES,
    }
    if organisation_id is not None:
        try:
            try:
                day = dt.date.fromisoformat(form["as_of"])
            except ValueError:
                raise validation_error("as_of", "give a date such as 2026-02-01") from None
            context["settlement"] = service.tax_settlement(
                session, actor=viewer, organisation_id=organisation_id, as_of=day
            )
        except DomainError as exc:
            context["error"] = localised_detail(request, exc)
            return render(
                request, "ecommerce/settlement.html", _context(context), status_code=exc.status
            )
    return render(request, "ecommerce/settlement.html", _context(context))


# Parcel screening ----------------------------------------------------------------------------


def _screen_context(extra: dict[str, Any]) -> dict[str, Any]:
    return _context(
        {
            "rows": range(1, SCREEN_ROWS + 1),
            "kinds": KIND_LABELS,
            "configurations": CONFIGURATION_LABELS,
            "channels": CHANNEL_LABELS,
            **extra,
        }
    )


def screening_request(form: dict[str, str]) -> dict[str, Any]:
    """The ``screen-air`` request built from the form (rows without a kind are skipped)."""
    items: list[dict[str, Any]] = []
    for n in range(1, SCREEN_ROWS + 1):
        kind = form.get(f"item{n}_kind", "").strip()
        if not kind:
            continue
        item: dict[str, Any] = {"kind": kind}
        if kind in ("lithium_ion_battery", "lithium_metal_battery"):
            item["configuration"] = form.get(f"item{n}_configuration", "")
        quantity = form.get(f"item{n}_quantity", "").strip()
        if quantity:
            item["quantity"] = int(quantity) if quantity.isdigit() else quantity
        for name in SCREEN_NUMBERS:
            value = form.get(f"item{n}_{name}", "").strip()
            if value:
                item[name] = value
        items.append(item)
    if not items:
        raise validation_error("items", "describe at least one item of the parcel")
    return {
        "ship_date": form.get("ship_date", "").strip(),
        "channel": form.get("channel", "cargo"),
        "items": items,
    }


@router.get("/screen", response_class=HTMLResponse)
def screen_page(request: Request, viewer: Viewer) -> Response:
    form = {"ship_date": _china_today().isoformat(), "channel": "cargo"}
    return render(request, "ecommerce/screen.html", _screen_context({"form": form}))


@router.post("/screen", response_class=HTMLResponse)
async def screen_submit(request: Request, session: ReadSession, viewer: ReadingViewer) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        check_csrf(request, form.get("csrf_token"))
        result = dangerous_goods.screen_air(screening_request(form)).as_dict()
    except DomainError as exc:
        return render(
            request,
            "ecommerce/screen.html",
            _screen_context({"form": form, "error": localised_detail(request, exc)}),
            status_code=exc.status,
        )
    return render(
        request, "ecommerce/screen.html", _screen_context({"form": form, "result": result})
    )
