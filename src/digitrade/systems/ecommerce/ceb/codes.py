"""Code lists of the CEB message standard.

Receipt ``returnStatus`` values come from the research note (verified against the public
message beans of github.com/zhengjin-me/common-customs-beans). The transport-mode list
(JGS-20 运输方式代码) is recalled: W (logistics centre) and Y (bonded port) are the ones seen in
the samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CEB_NAMESPACE = "http://www.chinaport.gov.cn/ceb"
DXP_NAMESPACE = "http://www.chinaport.gov.cn/dxp"
XMLDSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"
RMB = "142"
RESIDENT_ID_CARD = "1"


@dataclass(frozen=True, slots=True)
class ReturnStatus:
    code: str
    name_zh: str
    name_en: str


class CustomsStatus(StrEnum):
    """The receipt statuses a clearance decision ends in."""

    STAGED = "1"
    DECLARING = "2"
    SENT_TO_CUSTOMS = "3"
    SEND_FAILED = "4"
    REJECTED = "100"
    ACCEPTED = "120"
    MANUAL_REVIEW = "300"
    CONCLUDED = "399"
    INSPECTION = "500"
    RELEASED = "800"
    CLOSED = "899"


RETURN_STATUSES: dict[str, ReturnStatus] = {
    status.code: status
    for status in (
        ReturnStatus("1", "电子口岸已暂存", "staged at the e-port"),
        ReturnStatus("2", "电子口岸申报中", "declaring at the e-port"),
        ReturnStatus("3", "发送海关成功", "sent to customs"),
        ReturnStatus("4", "发送海关失败", "sending to customs failed"),
        ReturnStatus("100", "海关退单", "rejected by customs"),
        ReturnStatus("120", "海关入库", "accepted by customs"),
        ReturnStatus("300", "人工审核", "manual review"),
        ReturnStatus("399", "海关审结", "concluded by customs"),
        ReturnStatus("500", "查验", "inspection"),
        ReturnStatus("501", "扣留移送通关", "detained, passed to clearance"),
        ReturnStatus("502", "扣留移送缉私", "detained, passed to anti-smuggling"),
        ReturnStatus("503", "扣留移送法规", "detained, passed to legal affairs"),
        ReturnStatus("599", "其他扣留", "detained, other"),
        ReturnStatus("700", "退运", "returned abroad"),
        ReturnStatus("800", "放行", "released"),
        ReturnStatus("899", "结关", "closed"),
    )
}


def return_status_problem(code: str) -> str | None:
    """Why ``code`` is not a receipt status; negative codes report processing errors."""
    if code in RETURN_STATUSES:
        return None
    if code.startswith("-") and code[1:].isdigit():
        return None
    return f"must be one of {', '.join(RETURN_STATUSES)} or a negative error code"


APP_TYPES = frozenset({"1", "2", "3"})  # add, change, delete
APP_STATUSES = frozenset({"1", "2"})  # staged, declared
IMPORT_TRADE_MODES = frozenset({"9610", "1210", "1239"})
EXPORT_TRADE_MODES = frozenset({"9610", "1210"})
BONDED_TRADE_MODES = frozenset({"1210", "1239"})
STATISTICS_FLAGS = frozenset({"A", "B"})  # simplified, summary
FEE_FLAGS = frozenset({"1", "2", "3"})  # rate, unit price, total
TAX_BILL_STATUSES = frozenset({"1", "2", "3"})  # generated, summarised, void
TRANSPORT_MODES = frozenset(
    {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "G", "H", "L", "T", "W", "X", "Y", "Z"}
)
