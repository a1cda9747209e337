"""Bill of lading summary: the DCSA eBL 3.0 TransportDocument fields a credit examination needs.

The full transport document is validated against the DCSA schema elsewhere; examination under
UCP 600 Art. 20 only needs the reference, dates, ports, parties, carrier, goods, originals,
on-board status and transhipment. :func:`summary_from_dcsa` maps one to the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

_FREIGHT = {"PRE": "PREPAID", "COL": "COLLECT"}


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _location(place: Any, displayed: Any = None) -> dict[str, Any] | None:
    """A DCSA Location/PortOfLoading as ``{name, unLocode?}``."""
    if not isinstance(place, Mapping):
        return None
    code = _text(place.get("UNLocationCode"))
    name = None
    # The carrier's displayed name is what the document shows; fall back to names, then the code.
    if isinstance(displayed, list) and displayed:
        name = " ".join(str(line) for line in displayed if str(line).strip()) or None
    name = name or _text(place.get("locationName")) or _text(place.get("city")) or code
    if name is None:
        return None
    result: dict[str, Any] = {"name": name}
    if code:
        result["unLocode"] = code
        result["country"] = code[:2]
    return result


def _address_lines(party: Mapping[str, Any]) -> list[str]:
    displayed = party.get("displayedAddress")
    if isinstance(displayed, list) and displayed:
        return [str(line) for line in displayed]
    lines = party.get("addressLines")
    if isinstance(lines, list) and lines:
        return [str(line) for line in lines]
    address = party.get("address")
    if isinstance(address, Mapping):
        street = " ".join(
            str(address[k]) for k in ("street", "streetNumber") if address.get(k)
        ).strip()
        city = " ".join(str(address[k]) for k in ("postCode", "city") if address.get(k)).strip()
        return [line for line in (street, city) if line]
    return []


def _party(party: Any) -> dict[str, Any] | None:
    if not isinstance(party, Mapping) or not _text(party.get("partyName")):
        return None
    result: dict[str, Any] = {"name": str(party["partyName"]).strip()}
    lines = _address_lines(party)
    if lines:
        result["address"] = lines
    address = party.get("address")
    if isinstance(address, Mapping) and _text(address.get("countryCode")):
        result["country"] = address["countryCode"]
    return result


def _originals(td: Mapping[str, Any]) -> int | None:
    counts = [
        td[k]
        for k in ("numberOfOriginalsWithCharges", "numberOfOriginalsWithoutCharges")
        if isinstance(td.get(k), int)
    ]
    if counts:
        return int(sum(counts))
    # An electronic B/L is a single original by construction (DCSA: at most one).
    return 1 if td.get("isElectronic") is True else None


def summary_from_dcsa(transport_document: dict[str, Any]) -> dict[str, Any]:
    """Map a DCSA eBL 3.0 ``TransportDocument`` to a ``bill-of-lading-summary.json`` object.

    Transhipment follows UCP 600 Art. 20(b): unloading from one vessel and reloading to another
    between the ports of loading and discharge, which DCSA shows as more than one vessel voyage
    (e.g. ``FIRST_SEA_GOING`` and ``MOTHER``). Containerisation (Art. 20(c)(ii)) is read from the
    utilised transport equipment.
    """
    td = transport_document
    transports: Mapping[str, Any] = td.get("transports") or {}
    parties: Mapping[str, Any] = td.get("documentParties") or {}
    summary: dict[str, Any] = {"transportDocumentReference": td["transportDocumentReference"]}
    for source, target in (
        ("transportDocumentTypeCode", "transportDocumentTypeCode"),
        ("transportDocumentStatus", "status"),
        ("issueDate", "issueDate"),
        ("shippedOnBoardDate", "shippedOnBoardDate"),
        ("receivedForShipmentDate", "receivedForShipmentDate"),
        ("isElectronic", "isElectronic"),
        ("isToOrder", "isToOrder"),
    ):
        if td.get(source) is not None:
            summary[target] = td[source]
    summary["isShippedOnBoard"] = bool(td.get("isShippedOnBoardType"))
    for source, displayed, target in (
        ("placeOfReceipt", "displayedNameForPlaceOfReceipt", "placeOfReceipt"),
        ("portOfLoading", "displayedNameForPortOfLoad", "portOfLoading"),
        ("portOfDischarge", "displayedNameForPortOfDischarge", "portOfDischarge"),
        ("placeOfDelivery", "displayedNameForPlaceOfDelivery", "placeOfDelivery"),
    ):
        location = _location(transports.get(source), td.get(displayed))
        if location is not None:
            summary[target] = location
    shipper = _party(parties.get("shipper"))
    if shipper is not None:
        summary["shipper"] = shipper
    # No named consignee on a to-order B/L: it is made out "to order".
    summary["consignee"] = _party(parties.get("consignee"))
    notify = [p for p in map(_party, parties.get("notifyParties") or []) if p is not None]
    if notify:
        summary["notifyParties"] = notify
    carrier: dict[str, Any] = {}
    issuer = _party(parties.get("issuingParty"))
    carrier["name"] = issuer["name"] if issuer else td.get("carrierCode") or "UNKNOWN"
    if td.get("carrierCode"):
        carrier["code"] = td["carrierCode"]
    if td.get("carrierCodeListProvider"):
        carrier["codeListProvider"] = td["carrierCodeListProvider"]
    summary["carrier"] = carrier
    voyages: Sequence[Mapping[str, Any]] = transports.get("vesselVoyages") or []
    summary["vesselVoyages"] = [
        {"vesselName": v["vesselName"], "voyageNumber": v["carrierExportVoyageNumber"]}
        if v.get("carrierExportVoyageNumber")
        else {"vesselName": v["vesselName"]}
        for v in voyages
    ]
    items: Sequence[Mapping[str, Any]] = td.get("consignmentItems") or []
    lines = [str(line) for item in items for line in item.get("descriptionOfGoods") or []]
    summary["goodsDescription"] = "\n".join(lines)
    hs_codes = sorted({str(code) for item in items for code in item.get("HSCodes") or []})
    if hs_codes:
        summary["hsCodes"] = hs_codes
    originals = _originals(td)
    if originals is not None:
        summary["numberOfOriginals"] = originals
    summary["transhipment"] = len(voyages) > 1
    summary["containerised"] = any(
        isinstance(u, Mapping)
        and isinstance(u.get("equipment"), Mapping)
        and bool(u["equipment"].get("ISOEquipmentCode"))
        for u in td.get("utilizedTransportEquipments") or []
    )
    freight = _FREIGHT.get(str(td.get("freightPaymentTermCode")))
    if freight:
        summary["freightPayable"] = freight
    return summary
