"""The CEB messages this platform reads and writes: element names, field order and field rules.

No XSD of the CEB standard is public. The rules are written from what the research note
documents, from sources of differing strength:

- Element names, order and required flags follow the JAXB ``propOrder``/``required`` of
  github.com/zhengjin-me/common-customs-beans (MIT), with the body structure (``Payment`` >
  ``PaymentHead``, ``Logistics`` > ``LogisticsHead``) checked against published samples.
- Verified lengths and code lists: ``guid`` 36 characters upper case; ``orderNo`` at most 60;
  ``appTime`` YYYYMMDDhhmmss; ``appType`` 1/2/3; ``appStatus`` 1/2; import ``currency`` 142 and
  ``buyerIdType`` 1; ``invtNo`` 4-digit customs + 4-digit year + I/E + 9 digits; ``preNo`` B +
  8-digit date + 9 digits; enterprise codes at most 18 characters (10-digit customs code or
  18-character credit code); names at most 100; amounts N19,5; customs codes 4 digits; receipt
  status codes.
- Every other length (addresses, telephones, item numbers, ...) is recalled from the
  "unified version" message specification and is marked ``recalled`` below; it is generous on
  purpose, so that a wrong recollection rejects nothing real.

A field's ``max_length`` counts characters, not bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from digitrade.systems.ecommerce.ceb import codes
from digitrade.systems.ecommerce.modes import Direction


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"  # N19,5: at most 14 digits before and 5 after the point, not negative
    INTEGER = "integer"
    TIMESTAMP = "timestamp"  # YYYYMMDDhhmmss
    DAY = "day"  # YYYYMMDD
    RECEIPT_TIME = "receipt_time"  # YYYYMMDDhhmmss or YYYYMMDDhhmmssfff


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_hint: str = ""
    codes: frozenset[str] | None = None
    recalled: bool = False


@dataclass(frozen=True, slots=True)
class MessageSpec:
    code: str
    title: str
    direction: Direction
    body: str
    head: str | None  # None when the body element holds the fields itself
    head_fields: tuple[FieldSpec, ...]
    list_name: str | None = None
    list_fields: tuple[FieldSpec, ...] = ()
    list_required: bool = False
    receipt_of: str | None = None
    base_transfer_required: bool = True

    @property
    def root(self) -> str:
        return f"{self.code}Message"

    @property
    def is_receipt(self) -> bool:
        return self.receipt_of is not None


def text(
    name: str, max_length: int, *, required: bool = False, recalled: bool = False
) -> FieldSpec:
    return FieldSpec(name, required=required, max_length=max_length, recalled=recalled)


def recalled_text(name: str, max_length: int, *, required: bool = False) -> FieldSpec:
    return text(name, max_length, required=required, recalled=True)


def number(name: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, Kind.NUMBER, required=required)


def integer(name: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, Kind.INTEGER, required=required)


def one_of(name: str, values: frozenset[str], *, required: bool = True) -> FieldSpec:
    return FieldSpec(name, required=required, codes=values)


def fixed(name: str, value: str) -> FieldSpec:
    return FieldSpec(name, required=True, codes=frozenset({value}))


def matching(
    name: str, pattern: str, hint: str, *, required: bool = False, recalled: bool = False
) -> FieldSpec:
    return FieldSpec(
        name,
        required=required,
        pattern=re.compile(pattern),
        pattern_hint=hint,
        recalled=recalled,
    )


def code3(name: str, *, required: bool = True) -> FieldSpec:
    """A three-digit JGS-20 code: unit, country or currency."""
    return matching(name, r"[0-9]{3}", "a three-digit code", required=required)


def enterprise_code(name: str, *, required: bool = True) -> FieldSpec:
    return text(name, 18, required=required)


def enterprise_name(name: str, *, required: bool = True) -> FieldSpec:
    return text(name, 100, required=required)


def customs_code(name: str, *, required: bool = True) -> FieldSpec:
    return matching(name, r"[0-9]{4}", "a four-digit customs code", required=required)


def hs_code(name: str) -> FieldSpec:
    return matching(name, r"[0-9]{10}", "a ten-digit HS code", required=True)


GUID = matching(
    "guid", r"[0-9A-Z_-]{36}", "36 characters: digits, upper-case letters, - or _", required=True
)
DECLARATION_COMMON = (
    GUID,
    one_of("appType", codes.APP_TYPES),
    FieldSpec("appTime", Kind.TIMESTAMP, required=True),
    one_of("appStatus", codes.APP_STATUSES),
)
ORDER_NO = text("orderNo", 60, required=True)
INVT_NO = matching(
    "invtNo", r"[0-9]{8}[IE][0-9]{9}", "customs code, year, I or E and 9 digits (18 characters)"
)
PRE_NO = matching("preNo", r"B[0-9]{17}", "B, an 8-digit date and 9 digits (18 characters)")
NOTE = recalled_text("note", 1000)
BUYER = (
    fixed("buyerIdType", codes.RESIDENT_ID_CARD),
    recalled_text("buyerIdNumber", 60, required=True),
    recalled_text("buyerName", 60, required=True),
    recalled_text("buyerTelephone", 30, required=True),
)
RECEIPT_RESULT = (
    FieldSpec("returnStatus", required=True, max_length=4),
    FieldSpec("returnTime", Kind.RECEIPT_TIME, required=True),
    recalled_text("returnInfo", 1000, required=True),
)

BASE_TRANSFER = (
    enterprise_code("copCode"),
    enterprise_name("copName"),
    fixed("dxpMode", "DXP"),
    matching("dxpId", r"[0-9A-Za-z]{1,16}", "at most 16 letters and digits", required=True),
    NOTE,
)

_ORDER_311 = MessageSpec(
    code="CEB311",
    title="import order",
    direction=Direction.IMPORT,
    body="Order",
    head="OrderHead",
    head_fields=(
        *DECLARATION_COMMON,
        fixed("orderType", "I"),
        ORDER_NO,
        enterprise_code("ebpCode"),
        enterprise_name("ebpName"),
        enterprise_code("ebcCode"),
        enterprise_name("ebcName"),
        number("goodsValue", required=True),
        number("freight", required=True),
        number("discount", required=True),
        number("taxTotal", required=True),
        number("acturalPaid", required=True),
        fixed("currency", codes.RMB),
        recalled_text("buyerRegNo", 60, required=True),
        recalled_text("buyerName", 60, required=True),
        recalled_text("buyerTelephone", 30, required=True),
        fixed("buyerIdType", codes.RESIDENT_ID_CARD),
        recalled_text("buyerIdNumber", 60, required=True),
        enterprise_code("payCode", required=False),
        enterprise_name("payName", required=False),
        recalled_text("payTransactionId", 60),
        recalled_text("batchNumbers", 100),
        recalled_text("consignee", 60, required=True),
        recalled_text("consigneeTelephone", 50, required=True),
        recalled_text("consigneeAddress", 200, required=True),
        matching("consigneeDistrict", r"[0-9]{6}", "a six-digit district code", recalled=True),
        NOTE,
    ),
    list_name="OrderList",
    list_fields=(
        integer("gnum"),
        recalled_text("itemNo", 60),
        recalled_text("itemName", 250, required=True),
        recalled_text("gmodel", 255, required=True),
        recalled_text("itemDescribe", 1000),
        recalled_text("barCode", 50),
        code3("unit"),
        number("qty", required=True),
        number("price", required=True),
        number("totalPrice", required=True),
        fixed("currency", codes.RMB),
        code3("country"),
        NOTE,
    ),
    list_required=True,
)

_PAYMENT_411 = MessageSpec(
    code="CEB411",
    title="import payment",
    direction=Direction.IMPORT,
    body="Payment",
    head="PaymentHead",
    head_fields=(
        *DECLARATION_COMMON,
        enterprise_code("payCode"),
        enterprise_name("payName"),
        recalled_text("payTransactionId", 60, required=True),
        ORDER_NO,
        enterprise_code("ebpCode"),
        enterprise_name("ebpName"),
        fixed("payerIdType", codes.RESIDENT_ID_CARD),
        recalled_text("payerIdNumber", 60, required=True),
        recalled_text("payerName", 60, required=True),
        recalled_text("telephone", 50),
        number("amountPaid", required=True),
        fixed("currency", codes.RMB),
        FieldSpec("payTime", Kind.TIMESTAMP, required=True),
        NOTE,
    ),
)

_WAYBILL_511 = MessageSpec(
    code="CEB511",
    title="import waybill",
    direction=Direction.IMPORT,
    body="Logistics",
    head="LogisticsHead",
    head_fields=(
        *DECLARATION_COMMON,
        enterprise_code("logisticsCode"),
        enterprise_name("logisticsName"),
        recalled_text("logisticsNo", 60, required=True),
        recalled_text("billNo", 37),
        ORDER_NO,
        number("freight"),
        number("insuredFee"),
        fixed("currency", codes.RMB),
        number("weight", required=True),
        integer("packNo"),
        recalled_text("goodsInfo", 200),
        recalled_text("consignee", 60, required=True),
        recalled_text("consigneeAddress", 200, required=True),
        recalled_text("consigneeTelephone", 50, required=True),
        NOTE,
    ),
)

_INVENTORY_621 = MessageSpec(
    code="CEB621",
    title="import inventory list",
    direction=Direction.IMPORT,
    body="Inventory",
    head="InventoryHead",
    head_fields=(
        *DECLARATION_COMMON,
        ORDER_NO,
        enterprise_code("ebpCode"),
        enterprise_name("ebpName"),
        enterprise_code("ebcCode"),
        enterprise_name("ebcName"),
        recalled_text("logisticsNo", 60, required=True),
        enterprise_code("logisticsCode"),
        enterprise_name("logisticsName"),
        recalled_text("copNo", 20),
        PRE_NO,
        enterprise_code("assureCode"),
        recalled_text("emsNo", 30),
        INVT_NO,
        fixed("ieFlag", "I"),
        FieldSpec("declTime", Kind.DAY, required=True),
        customs_code("customsCode"),
        customs_code("portCode"),
        FieldSpec("ieDate", Kind.DAY),
        *BUYER,
        recalled_text("consigneeAddress", 200, required=True),
        enterprise_code("agentCode"),
        enterprise_name("agentName"),
        enterprise_code("areaCode", required=False),
        enterprise_name("areaName", required=False),
        one_of("tradeMode", codes.IMPORT_TRADE_MODES),
        one_of("trafMode", codes.TRANSPORT_MODES),
        recalled_text("trafNo", 100),
        recalled_text("voyageNo", 32),
        recalled_text("billNo", 37),
        recalled_text("loctNo", 10),
        recalled_text("licenseNo", 19),
        code3("country"),
        number("freight", required=True),
        number("insuredFee", required=True),
        fixed("currency", codes.RMB),
        matching("wrapType", r"[0-9A-Z]{1,2}", "a package-type code", recalled=True),
        integer("packNo"),
        number("grossWeight", required=True),
        number("netWeight", required=True),
        NOTE,
    ),
    list_name="InventoryList",
    list_fields=(
        integer("gnum"),
        recalled_text("itemRecordNo", 30),
        recalled_text("itemNo", 60),
        recalled_text("itemName", 250),
        hs_code("gcode"),
        recalled_text("gname", 250, required=True),
        recalled_text("gmodel", 255, required=True),
        recalled_text("barCode", 50),
        code3("country"),
        code3("tradeCountry", required=False),
        fixed("currency", codes.RMB),
        number("qty", required=True),
        code3("unit"),
        number("qty1", required=True),
        code3("unit1"),
        number("qty2"),
        code3("unit2", required=False),
        number("price", required=True),
        number("totalPrice", required=True),
        NOTE,
    ),
    list_required=True,
)

_REFUND_625 = MessageSpec(
    code="CEB625",
    title="import return",
    direction=Direction.IMPORT,
    body="InvtRefund",
    head="InvtRefundHead",
    head_fields=(
        *DECLARATION_COMMON,
        customs_code("customsCode"),
        ORDER_NO,
        enterprise_code("ebpCode"),
        enterprise_name("ebpName"),
        enterprise_code("ebcCode"),
        enterprise_name("ebcName"),
        recalled_text("logisticsNo", 60, required=True),
        enterprise_code("logisticsCode"),
        enterprise_name("logisticsName"),
        recalled_text("copNo", 20),
        PRE_NO,
        FieldSpec(
            "invtNo", required=True, pattern=INVT_NO.pattern, pattern_hint=INVT_NO.pattern_hint
        ),
        *BUYER,
        enterprise_code("agentCode"),
        enterprise_name("agentName"),
        recalled_text("reason", 1000, required=True),
        NOTE,
    ),
    list_name="InvtRefundList",
    list_fields=(
        integer("gnum"),
        hs_code("gcode"),
        recalled_text("gname", 250, required=True),
        number("qty", required=True),
        code3("unit"),
        NOTE,
    ),
    list_required=True,
)

_TAX_816 = MessageSpec(
    code="CEB816",
    title="import electronic tax bill",
    direction=Direction.IMPORT,
    body="Tax",
    head="TaxHeadRd",
    head_fields=(
        DECLARATION_COMMON[0],
        FieldSpec("returnTime", Kind.RECEIPT_TIME, required=True),
        FieldSpec(
            "invtNo", required=True, pattern=INVT_NO.pattern, pattern_hint=INVT_NO.pattern_hint
        ),
        recalled_text("taxNo", 30, required=True),
        number("customsTax", required=True),
        number("valueAddedTax", required=True),
        number("consumptionTax", required=True),
        one_of("status", codes.TAX_BILL_STATUSES),
        recalled_text("entDutyNo", 30),
        NOTE,
        enterprise_code("assureCode", required=False),
        enterprise_code("ebcCode", required=False),
        enterprise_code("logisticsCode", required=False),
        enterprise_code("agentCode", required=False),
        customs_code("customsCode", required=False),
        text("orderNo", 60),
        recalled_text("logisticsNo", 60),
    ),
    list_name="TaxListRd",
    list_fields=(
        integer("gnum"),
        hs_code("gcode"),
        number("taxPrice", required=True),
        number("customsTax", required=True),
        number("valueAddedTax", required=True),
        number("consumptionTax", required=True),
    ),
    list_required=True,
    base_transfer_required=False,
)

# The status of a tax bill: customs' notice that it was summarised or voided. The standard's
# ``Tax`` wrapper may repeat ``TaxHeadStatus``; this platform reads and writes one per message.
_TAX_STATUS_818 = MessageSpec(
    code="CEB818",
    title="import electronic tax bill status",
    direction=Direction.IMPORT,
    body="Tax",
    head="TaxHeadStatus",
    head_fields=(
        DECLARATION_COMMON[0],
        FieldSpec("returnTime", Kind.RECEIPT_TIME, required=True),
        FieldSpec(
            "invtNo", required=True, pattern=INVT_NO.pattern, pattern_hint=INVT_NO.pattern_hint
        ),
        recalled_text("taxNo", 30, required=True),
        one_of("status", codes.TAX_BILL_STATUSES),
        recalled_text("entDutyNo", 30),
        enterprise_code("assureCode", required=False),
    ),
    base_transfer_required=False,
)

_ORDER_303 = MessageSpec(
    code="CEB303",
    title="export order",
    direction=Direction.EXPORT,
    body="Order",
    head="OrderHead",
    head_fields=(
        *DECLARATION_COMMON,
        fixed("orderType", "E"),
        ORDER_NO,
        enterprise_code("ebpCode"),
        enterprise_name("ebpName"),
        enterprise_code("ebcCode"),
        enterprise_name("ebcName"),
        number("goodsValue", required=True),
        number("freight", required=True),
        code3("currency"),
        NOTE,
    ),
    list_name="OrderList",
    list_fields=(
        integer("gnum"),
        recalled_text("itemNo", 60, required=True),
        recalled_text("itemName", 250, required=True),
        recalled_text("itemDescribe", 1000),
        recalled_text("barCode", 50),
        code3("unit"),
        code3("currency"),
        number("qty", required=True),
        number("price", required=True),
        number("totalPrice", required=True),
        NOTE,
    ),
    list_required=True,
)

_WAYBILL_505 = MessageSpec(
    code="CEB505",
    title="export waybill",
    direction=Direction.EXPORT,
    body="Logistics",
    head=None,
    head_fields=(
        *DECLARATION_COMMON,
        enterprise_code("logisticsCode"),
        enterprise_name("logisticsName"),
        recalled_text("logisticsNo", 60, required=True),
        number("freight", required=True),
        number("insuredFee", required=True),
        code3("currency"),
        number("grossWeight", required=True),
        integer("packNo"),
        recalled_text("goodsInfo", 200, required=True),
        enterprise_code("ebcCode", required=False),
        enterprise_name("ebcName", required=False),
        recalled_text("ebcTelephone", 50),
        NOTE,
    ),
)

_INVENTORY_603 = MessageSpec(
    code="CEB603",
    title="export inventory list",
    direction=Direction.EXPORT,
    body="Inventory",
    head="InventoryHead",
    head_fields=(
        *DECLARATION_COMMON,
        customs_code("customsCode"),
        enterprise_code("ebpCode"),
        enterprise_name("ebpName"),
        ORDER_NO,
        enterprise_code("logisticsCode"),
        enterprise_name("logisticsName"),
        recalled_text("logisticsNo", 60, required=True),
        recalled_text("copNo", 20, required=True),
        PRE_NO,
        INVT_NO,
        fixed("ieFlag", "E"),
        customs_code("portCode"),
        FieldSpec("ieDate", Kind.DAY, required=True),
        one_of("statisticsFlag", codes.STATISTICS_FLAGS),
        enterprise_code("agentCode"),
        enterprise_name("agentName"),
        enterprise_code("ebcCode"),
        enterprise_name("ebcName"),
        enterprise_code("ownerCode"),
        enterprise_name("ownerName"),
        enterprise_code("iacCode", required=False),
        enterprise_name("iacName", required=False),
        recalled_text("emsNo", 30),
        one_of("tradeMode", codes.EXPORT_TRADE_MODES),
        one_of("trafMode", codes.TRANSPORT_MODES),
        recalled_text("trafName", 100),
        recalled_text("voyageNo", 32),
        recalled_text("billNo", 37),
        recalled_text("totalPackageNo", 50),
        recalled_text("loctNo", 10),
        recalled_text("licenseNo", 19),
        code3("country"),
        recalled_text("pod", 10, required=True),
        number("freight", required=True),
        code3("fCurrency"),
        one_of("fFlag", codes.FEE_FLAGS),
        number("insuredFee", required=True),
        code3("iCurrency"),
        one_of("iFlag", codes.FEE_FLAGS),
        matching("wrapType", r"[0-9A-Z]{1,2}", "a package-type code", required=True),
        integer("packNo"),
        number("grossWeight", required=True),
        number("netWeight", required=True),
        NOTE,
    ),
    list_name="InventoryList",
    list_fields=(
        integer("gnum"),
        recalled_text("itemNo", 60, required=True),
        recalled_text("itemRecordNo", 30),
        recalled_text("itemName", 250),
        # Simplified (A) lists may classify to 4 digits only.
        matching(
            "gcode", r"[0-9]{4}([0-9]{4}|[0-9]{6})?", "a 4, 8 or 10-digit HS code", required=True
        ),
        recalled_text("gname", 250, required=True),
        recalled_text("gmodel", 255, required=True),
        recalled_text("barCode", 50, required=True),
        code3("country"),
        code3("currency"),
        number("qty", required=True),
        number("qty1", required=True),
        number("qty2"),
        code3("unit"),
        code3("unit1"),
        code3("unit2", required=False),
        number("price", required=True),
        number("totalPrice", required=True),
        NOTE,
    ),
    list_required=True,
)


def _receipt(
    code: str, receipt_of: str, direction: Direction, body: str, keys: tuple[FieldSpec, ...]
) -> MessageSpec:
    return MessageSpec(
        code=code,
        title=f"receipt of {receipt_of}",
        direction=direction,
        body=body,
        head=None,
        head_fields=(DECLARATION_COMMON[0], *keys, *RECEIPT_RESULT),
        receipt_of=receipt_of,
        base_transfer_required=False,
    )


_ORDER_KEYS = (enterprise_code("ebpCode"), enterprise_code("ebcCode"), ORDER_NO)
_WAYBILL_KEYS = (enterprise_code("logisticsCode"), recalled_text("logisticsNo", 60, required=True))
_RECEIPTS = (
    _receipt("CEB312", "CEB311", Direction.IMPORT, "OrderReturn", _ORDER_KEYS),
    _receipt(
        "CEB412",
        "CEB411",
        Direction.IMPORT,
        "PaymentReturn",
        (enterprise_code("payCode"), recalled_text("payTransactionId", 60, required=True)),
    ),
    _receipt("CEB512", "CEB511", Direction.IMPORT, "LogisticsReturn", _WAYBILL_KEYS),
    _receipt(
        "CEB622",
        "CEB621",
        Direction.IMPORT,
        "InventoryReturn",
        (
            customs_code("customsCode", required=False),
            enterprise_code("ebpCode", required=False),
            enterprise_code("ebcCode", required=False),
            enterprise_code("agentCode", required=False),
            recalled_text("copNo", 20, required=True),
            FieldSpec(
                "preNo", required=True, pattern=PRE_NO.pattern, pattern_hint=PRE_NO.pattern_hint
            ),
            INVT_NO,
        ),
    ),
    _receipt(
        "CEB626",
        "CEB625",
        Direction.IMPORT,
        "InvtRefundReturn",
        (
            customs_code("customsCode", required=False),
            enterprise_code("agentCode", required=False),
            enterprise_code("ebpCode", required=False),
            enterprise_code("ebcCode", required=False),
            recalled_text("copNo", 20, required=True),
            FieldSpec(
                "preNo", required=True, pattern=PRE_NO.pattern, pattern_hint=PRE_NO.pattern_hint
            ),
            INVT_NO,
        ),
    ),
    _receipt("CEB304", "CEB303", Direction.EXPORT, "OrderReturn", _ORDER_KEYS),
    _receipt("CEB506", "CEB505", Direction.EXPORT, "LogisticsReturn", _WAYBILL_KEYS),
    _receipt(
        "CEB604",
        "CEB603",
        Direction.EXPORT,
        "InventoryReturn",
        (
            enterprise_code("agentCode"),
            recalled_text("copNo", 20, required=True),
            FieldSpec(
                "preNo", required=True, pattern=PRE_NO.pattern, pattern_hint=PRE_NO.pattern_hint
            ),
            INVT_NO,
            enterprise_code("ebcCode"),
            enterprise_code("ebpCode"),
            ORDER_NO,
            one_of("statisticsFlag", codes.STATISTICS_FLAGS),
        ),
    ),
)

FORMAT_ERROR_900 = MessageSpec(
    code="CEB900",
    title="message format error receipt",
    direction=Direction.IMPORT,
    body="MessageReturn",
    head=None,
    head_fields=(
        DECLARATION_COMMON[0],
        *RECEIPT_RESULT,
        recalled_text("oriCopMsgId", 255, required=True),
        recalled_text("oriMessageType", 30, required=True),
        FieldSpec("oriBizMessage", required=True),
    ),
    receipt_of="*",
    base_transfer_required=False,
)

SPECS: dict[str, MessageSpec] = {
    spec.code: spec
    for spec in (
        _ORDER_311,
        _PAYMENT_411,
        _WAYBILL_511,
        _INVENTORY_621,
        _REFUND_625,
        _TAX_816,
        _TAX_STATUS_818,
        _ORDER_303,
        _WAYBILL_505,
        _INVENTORY_603,
        *_RECEIPTS,
        FORMAT_ERROR_900,
    )
}
# Request message type -> the receipt customs answers it with.
RECEIPT_FOR: dict[str, str] = {
    spec.receipt_of: spec.code
    for spec in SPECS.values()
    if spec.receipt_of is not None and spec.receipt_of != "*"
}


def spec_for_root(local_name: str) -> MessageSpec | None:
    if not local_name.endswith("Message"):
        return None
    return SPECS.get(local_name.removesuffix("Message"))
