"""The electronic tax bill of a released retail-import list (CEB816) and its status (CEB818).

Customs issues a tax bill when a list is released, with the duty, VAT and consumption tax the
withholder owes for it, per line and in total. Its status follows the settlement of GAC 2018
No.194 (``settlement``):

- ``1`` generated: from the release, while the list can still be returned (the return window);
- ``2`` summarised: from the day after the return window, when the tax is totalled into the
  withholder's payment (days 31-45 after release);
- ``3`` void: the list was returned, so the tax is not collected.

The status codes 1, 2 and 3 and the fields of ``TaxHeadRd``, ``TaxListRd`` and ``TaxHeadStatus``
are the CEB standard's, as the research note records them (cross-border-ecommerce.md, "CEB816
tax bill" and the message list, source [G1]: zhengjin-me/common-customs-beans, ``ITaxHead``,
``ITaxList``, ``ITaxHeadStatus``). Tying each status to a settlement stage is this platform's
reading of GAC 2018 No.194 (the bill is totalled into the payment once the return window
closes), not a published rule.

The bill's number (``taxNo``) is the list number (``invtNo``) followed by ``_01``: the first and
only bill of the list. Customs' own numbering is not published. Pure functions: no database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from digitrade.systems.ecommerce import settlement
from digitrade.systems.ecommerce.ceb.model import Document

GENERATED, SUMMARISED, VOID = "1", "2", "3"
STATUS_NAMES: dict[str, tuple[str, str]] = {
    GENERATED: ("generated", "已生成"),
    SUMMARISED: ("summarised", "已汇总"),
    VOID: ("void", "已作废"),
}
# The identifiers of a bill's messages are derived from the order and the status, so the same
# bill fetched twice is the same message.
_NAMESPACE = uuid.UUID("6f1c6a52-8a0e-4c59-9d3e-2f1b7e0c8160")
# Inventory head fields the bill repeats, as the CEB816 head names them.
_PARTIES = ("assureCode", "ebcCode", "logisticsCode", "agentCode", "customsCode", "logisticsNo")


@dataclass(frozen=True)
class BillState:
    """A bill's status on a day and when it took that status (China time, naive)."""

    status: str
    since: dt.datetime


def tax_no(invt_no: str) -> str:
    return f"{invt_no}_01"


def bill_state(
    released_at: dt.datetime,
    returned_at: dt.datetime | None,
    as_of: dt.date,
    window: settlement.SettlementWindow,
) -> BillState | None:
    """The bill's status on ``as_of`` (None before the release day); times in China time."""
    if as_of < released_at.date():
        return None
    if returned_at is not None and returned_at.date() <= as_of:
        return BillState(VOID, returned_at)
    if settlement.stage_on(window, as_of) == settlement.RETURN_WINDOW:
        return BillState(GENERATED, released_at)
    summarised = dt.datetime.combine(window.return_deadline + dt.timedelta(days=1), dt.time())
    return BillState(SUMMARISED, summarised)


def status_for_stage(stage: str) -> str:
    """The bill's status for a settlement stage (``returned`` included)."""
    if stage == "returned":
        return VOID
    return GENERATED if stage == settlement.RETURN_WINDOW else SUMMARISED


def message_guid(order_key: str, message_type: str, status: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{order_key}|{message_type}|{status}")).upper()


def _identity(guid: str, state: BillState, invt_no: str) -> dict[str, Any]:
    """The fields every bill message starts with: which bill, in which status since when."""
    return {
        "guid": guid,
        "returnTime": state.since,
        "invtNo": invt_no,
        "taxNo": tax_no(invt_no),
        "status": state.status,
    }


def bill_head(
    *,
    guid: str,
    state: BillState,
    invt_no: str,
    order_no: str,
    inventory: Document,
    assessment: Mapping[str, Any],
) -> dict[str, Any]:
    """The CEB816 ``TaxHeadRd``: the bill's totals and the list's parties, in the standard's
    field order (the writer orders them by the specification)."""
    head = _identity(guid, state, invt_no)
    head.update(
        customsTax=assessment.get("duty", "0.00"),
        valueAddedTax=assessment.get("vat", "0.00"),
        consumptionTax=assessment.get("consumption_tax", "0.00"),
        orderNo=order_no,
    )
    for name in _PARTIES:
        value = inventory.head.text(name)
        if value:
            head[name] = value
    return head


def bill_lines(
    assessment: Mapping[str, Any], order: Document, inventory: Document
) -> list[dict[str, Any]]:
    """The CEB816 ``TaxListRd`` rows: one per assessed line, numbered as the order's lines (the
    assessment follows them), with the inventory line's tariff code when the order has none."""
    assessed: Sequence[Mapping[str, Any]] = assessment.get("lines") or []
    lines = []
    for position, line in enumerate(assessed, start=1):
        order_line = order.lines[position - 1] if position <= len(order.lines) else None
        gnum = (order_line.text("gnum") if order_line is not None else "") or str(position)
        inventory_line = next(
            (entry for entry in inventory.lines if entry.text("gnum") == gnum), None
        )
        gcode = line.get("hs_code") or (
            inventory_line.text("gcode") if inventory_line is not None else ""
        )
        lines.append(
            {
                "gnum": gnum,
                "gcode": gcode,
                "taxPrice": line.get("dutiable_value", "0.00"),
                "customsTax": line.get("duty", "0.00"),
                "valueAddedTax": line.get("vat", "0.00"),
                "consumptionTax": line.get("consumption_tax", "0.00"),
            }
        )
    return lines


def status_head(
    *, guid: str, state: BillState, invt_no: str, inventory: Document
) -> dict[str, Any]:
    """The CEB818 ``TaxHeadStatus`` of the bill."""
    head = _identity(guid, state, invt_no)
    assure = inventory.head.text("assureCode")
    if assure:
        head["assureCode"] = assure
    return head
