"""Demo data, illustrative (no real flight, waybill or consignment): Pudong Air Cargo publishes
air waybill 000-12345675 on its ONE Record server: a shipment of two pieces of precision
bearings shipped by Lin-gang Precision Export from Shanghai Pudong (PVG) to Amsterdam (AMS) for
Maas Import, the flight PD931 as a transport movement, and the Cargo iQ milestones recorded as
logistics events (planned and actual). The shipper asks for read access to the pieces and a
subscription to the first one; the airline accepts both, so the shipper's later notifications
show in the log. Prefix 000 is not assigned to any airline: the waybill is illustrative.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.core.config import get_settings
from digitrade.systems.aircargo import service
from digitrade.systems.aircargo.models import LogisticsObject
from digitrade.systems.aircargo.service import Caller, Server

AIRLINE = "pudong-aircargo-demo"
SHIPPER = "lingang-export-demo"
DEMO_AWB = "000-12345675"
CONTEXT = {
    "cargo": "https://onerecord.iata.org/ns/cargo#",
    "api": "https://onerecord.iata.org/ns/api#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# (code, name, planned, actual, location): PD931 left 35 minutes late and made up 10 in the air.
MILESTONE_EVENTS: tuple[tuple[str, str, str | None, str | None, str], ...] = (
    ("BKD", "Booked", None, "2026-11-20T03:10:00Z", "PVG"),
    ("RCS", "Received from shipper", "2026-11-21T06:00:00Z", "2026-11-21T05:42:00Z", "PVG"),
    ("MAN", "Manifested", "2026-11-21T14:00:00Z", "2026-11-21T13:51:00Z", "PVG"),
    ("DEP", "Departed", "2026-11-21T17:05:00Z", "2026-11-21T17:40:00Z", "PVG"),
    ("ARR", "Arrived", "2026-11-22T05:35:00Z", "2026-11-22T06:00:00Z", "AMS"),
    ("RCF", "Received from flight", "2026-11-22T09:35:00Z", "2026-11-22T09:20:00Z", "AMS"),
    ("NFD", "Notified for delivery", "2026-11-22T12:00:00Z", None, "AMS"),
    ("DLV", "Delivered", "2026-11-23T10:00:00Z", None, "AMS"),
)


def _caller(session: Session, server: Server, slug: str) -> Caller | None:
    organisation_id = session.scalar(select(Organisation.id).where(Organisation.slug == slug))
    if organisation_id is None:
        return None
    principal = Principal.system("demo")
    agent = service.agent_for_organisation(session, server, organisation_id)
    return Caller(organisation_id, agent.iri, principal)


def _location(code: str, name: str) -> dict[str, Any]:
    return {
        "@type": "cargo:Location",
        "cargo:locationName": name,
        "cargo:locationType": "Airport",
        "cargo:locationCodes": [
            {"@type": "cargo:CodeListElement", "cargo:code": code, "cargo:codeListName": "IATA"}
        ],
    }


_AIRPORTS = {"PVG": "Shanghai Pudong International", "AMS": "Amsterdam Schiphol"}


def _piece(number: int, kilograms: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "cargo:Piece",
        "cargo:goodsDescription": f"Precision bearings, case {number} of 2 (illustrative)",
        "cargo:coload": False,
        "cargo:grossWeight": {
            "@type": "cargo:Value",
            "cargo:numericalValue": {"@type": "xsd:double", "@value": kilograms},
            "cargo:unit": {
                "@id": "https://onerecord.iata.org/ns/code-lists/MeasurementUnitCode#KGM"
            },
        },
        "cargo:specialHandlingCodes": [
            {"@id": "https://onerecord.iata.org/ns/code-lists/SpecialHandlingCode#GEN"}
        ],
    }


def _movement(pieces: list[str]) -> dict[str, Any]:
    def time(direction: str, kind: str, when: str) -> dict[str, Any]:
        return {
            "@type": "cargo:MovementTime",
            "cargo:direction": {"@id": f"cargo:{direction}"},
            "cargo:movementTimeType": {"@id": f"cargo:{kind}"},
            "cargo:movementTimestamp": {"@type": "xsd:dateTime", "@value": when},
        }

    return {
        "@context": CONTEXT,
        "@type": "cargo:TransportMovement",
        "cargo:transportIdentifier": "PD931",
        "cargo:departureLocation": _location("PVG", _AIRPORTS["PVG"]),
        "cargo:arrivalLocation": _location("AMS", _AIRPORTS["AMS"]),
        "cargo:movementTimes": [
            time("OUTBOUND", "ACTUAL", "2026-11-21T17:40:00Z"),
            time("INBOUND", "ACTUAL", "2026-11-22T06:00:00Z"),
        ],
        "cargo:goodsDescription": "Flight PD931 PVG-AMS (illustrative)",
        "cargo:issuedForPiece": [{"@id": iri} for iri in pieces],
    }


def _event(
    code: str, name: str, when: str, kind: str, station: str, target: str, agent: str
) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "cargo:LogisticsEvent",
        "cargo:eventCode": {
            "@type": "cargo:CodeListElement",
            "cargo:code": code,
            "cargo:codeListName": "Cargo iQ status codes",
        },
        "cargo:eventName": name,
        "cargo:eventDate": {"@type": "xsd:dateTime", "@value": when},
        "cargo:eventTimeType": {"@id": f"cargo:{kind}"},
        "cargo:eventLocation": _location(station, _AIRPORTS[station]),
        "cargo:eventFor": {"@id": target},
        "cargo:recordingOrganization": {"@id": agent},
    }


def load_demo(session: Session, _actor: Principal) -> str:
    server = service.server_from_settings(get_settings())
    airline = _caller(session, server, AIRLINE)
    shipper = _caller(session, server, SHIPPER)
    if airline is None or shipper is None:
        return "air cargo demo skipped: demo organisations missing"
    if session.scalar(select(LogisticsObject.id).where(LogisticsObject.awb == DEMO_AWB)):
        return f"air cargo demo already loaded (AWB {DEMO_AWB})"
    pieces = [
        service.create_object(session, server, airline, _piece(1, "182.5")).iri,
        service.create_object(session, server, airline, _piece(2, "167.0")).iri,
    ]
    shipment = service.create_object(
        session,
        server,
        airline,
        {
            "@context": CONTEXT,
            "@type": "cargo:Shipment",
            "cargo:goodsDescription": "Precision bearings, 2 cases, 349.5 kg (illustrative)",
            "cargo:pieces": [{"@id": iri} for iri in pieces],
            "cargo:totalGrossWeight": {
                "@type": "cargo:Value",
                "cargo:numericalValue": {"@type": "xsd:double", "@value": "349.5"},
                "cargo:unit": {
                    "@id": "https://onerecord.iata.org/ns/code-lists/MeasurementUnitCode#KGM"
                },
            },
        },
    )
    prefix, number = DEMO_AWB.split("-")
    waybill = service.create_object(
        session,
        server,
        airline,
        {
            "@context": CONTEXT,
            "@type": "cargo:Waybill",
            "cargo:waybillType": {"@id": "cargo:MASTER"},
            "cargo:waybillPrefix": prefix,
            "cargo:waybillNumber": number,
            "cargo:shipment": {"@id": shipment.iri},
            "cargo:shippingInfo": "Illustrative demo waybill: PVG-AMS on PD931",
        },
    )
    service.create_object(session, server, airline, _movement(pieces))
    for code, name, planned, actual, station in MILESTONE_EVENTS:
        target = shipment.id
        for when, kind in ((planned, "PLANNED"), (actual, "ACTUAL")):
            if when:
                body = _event(code, name, when, kind, station, shipment.iri, airline.agent_iri)
                service.add_event(session, server, airline, target, body)
    delegation = service.request_delegation(
        session,
        server,
        airline,
        {
            "@context": CONTEXT,
            "@type": "api:AccessDelegation",
            "api:hasDescription": "The shipper follows its consignment",
            "api:hasPermission": [
                {"@id": "api:GET_LOGISTICS_OBJECT"},
                {"@id": "api:GET_LOGISTICS_EVENT"},
            ],
            "api:isRequestedFor": [{"@id": shipper.agent_iri}],
            "api:hasLogisticsObject": [
                {"@id": iri} for iri in [*pieces, shipment.iri, waybill.iri]
            ],
        },
    )
    service.decide(session, server, airline, delegation.id, service.ACCEPTED)
    subscription = service.request_subscription(
        session,
        server,
        shipper,
        {
            "@context": CONTEXT,
            "@type": "api:Subscription",
            "api:hasSubscriber": {"@id": shipper.agent_iri},
            "api:hasTopicType": {"@id": "api:LOGISTICS_OBJECT_IDENTIFIER"},
            "api:hasTopic": {"@type": "xsd:anyURI", "@value": shipment.iri},
            "api:subscribeToLogisticsEvents": {"@type": "xsd:boolean", "@value": "true"},
        },
    )
    service.decide(session, server, airline, subscription.id, service.ACCEPTED)
    proof = _event(
        "NFD",
        "Notified for delivery",
        "2026-11-22T11:30:00Z",
        "ESTIMATED",
        "AMS",
        shipment.iri,
        airline.agent_iri,
    )
    service.add_event(session, server, airline, shipment.id, proof)
    return (
        f"air cargo: AWB {DEMO_AWB} (illustrative) with shipment, 2 pieces, flight PD931 and "
        f"{sum(1 for e in MILESTONE_EVENTS for w in e[2:4] if w) + 1} milestone events"
    )
