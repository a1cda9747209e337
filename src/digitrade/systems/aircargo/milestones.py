"""Cargo iQ milestones: the status codes ONE Record events carry (Cargo-IMP FSU codes) with
their names in English and Chinese, and the route map a shipment walks through.

Names follow the Cargo iQ Master Operating Plan and the Cargo-IMP status codes; the Chinese
names are this product's translation (to be checked against the CAAC terminology).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Milestone:
    code: str
    name: str
    name_zh: str


MILESTONES: dict[str, Milestone] = {
    m.code: m
    for m in (
        Milestone("BKD", "Booked", "已订舱"),
        Milestone("FWB", "Air waybill data received", "已收到运单数据"),
        Milestone("RCS", "Received from shipper, ready for carriage", "已收运（备妥待运）"),
        Milestone("FOH", "Freight on hand", "货物在库"),
        Milestone("PRE", "Prepared for loading", "已备载"),
        Milestone("MAN", "Manifested", "已配载"),
        Milestone("DEP", "Departed", "航班已起飞"),
        Milestone("TFD", "Transferred to another carrier", "已转交其他承运人"),
        Milestone("RCT", "Received from another carrier", "已从其他承运人接收"),
        Milestone("ARR", "Arrived", "航班已到达"),
        Milestone("RCF", "Received from flight", "已从航班卸收"),
        Milestone("NFD", "Notified for delivery", "已通知提货"),
        Milestone("AWD", "Documents delivered to consignee", "单证已交收货人"),
        Milestone("CCD", "Cleared by customs", "已海关放行"),
        Milestone("DLV", "Delivered to consignee", "已交付收货人"),
        Milestone("DIS", "Discrepancy", "差异"),
        Milestone("OFLD", "Offloaded", "已拉下"),
    )
}
# The Cargo iQ route map: the milestones every shipment is planned and measured against.
ROUTE_MAP: tuple[str, ...] = ("BKD", "RCS", "MAN", "DEP", "ARR", "RCF", "NFD", "DLV")


def milestone(code: str | None) -> Milestone:
    if code and code in MILESTONES:
        return MILESTONES[code]
    label = code or "?"
    return Milestone(label, f"Status {label}", f"状态 {label}")
