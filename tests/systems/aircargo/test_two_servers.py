"""Two digitrade ONE Record servers exchanging a shipment: an airline's and a forwarder's, each
``digitrade serve`` with its own database.

The forwarder subscribes to the airline's piece; the airline accepts. While the forwarder's
server is down the airline records three events: their notifications are retried, and when the
forwarder's server comes back every one is delivered, once. With the access the airline
delegates, the forwarder then reads the piece from the airline's server.
"""

from __future__ import annotations

import json
import time
from typing import Any

from tests.systems.aircargo.servers import OneRecordServer, one_record_server

CONTEXT = {
    "cargo": "https://onerecord.iata.org/ns/cargo#",
    "api": "https://onerecord.iata.org/ns/api#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
FAST_DELIVERY = {
    "DIGITRADE_ONERECORD_DELIVERY_INTERVAL_SECONDS": "0.2",
    "DIGITRADE_ONERECORD_RETRY_BASE_SECONDS": "0.3",
    "DIGITRADE_ONERECORD_MAX_ATTEMPTS": "60",
}
WAIT_SECONDS = 30.0


def _wait_for(check: Any, what: str) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _partner_key(server: OneRecordServer, slug: str, name: str) -> str:
    """An organisation on ``server`` standing for a partner, and an API key for it."""
    return server.add_partner_organisation(slug, name)


def test_forwarder_is_notified_of_departure_even_after_being_down(tmp_path):
    with (
        one_record_server(
            tmp_path / "airline", org_slug="airline", org_name="Airline", settings=FAST_DELIVERY
        ) as airline,
        one_record_server(
            tmp_path / "forwarder", org_slug="forwarder", org_name="Forwarder"
        ) as forwarder,
    ):
        forwarder_agent = forwarder.cli("aircargo", "info")["data_holder"]
        airline_agent = airline.cli("aircargo", "info")["data_holder"]
        # Each side knows the other: who it is, where its server is, the key to call it with.
        forwarder_key_on_airline = _partner_key(airline, "forwarder-partner", "Forwarder")
        airline_key_on_forwarder = _partner_key(forwarder, "airline-partner", "Airline")
        airline.cli(
            "aircargo", "partner-add", "--org", "forwarder-partner",
            "--agent-iri", forwarder_agent, "--server-url", forwarder.base_url,
            "--token", airline_key_on_forwarder,
        )  # fmt: skip
        forwarder.cli(
            "aircargo", "partner-add", "--org", "airline-partner",
            "--agent-iri", airline_agent, "--server-url", airline.base_url,
        )  # fmt: skip

        with airline.client() as as_airline:
            created = as_airline.post(
                "/logistics-objects",
                content=json.dumps(
                    {
                        "@context": CONTEXT,
                        "@type": "cargo:Piece",
                        "cargo:goodsDescription": "Precision bearings",
                    }
                ),
            )
            assert created.status_code == 201, created.text
            piece = created.headers["location"]
        piece_path = piece.removeprefix(airline.base_url)

        with airline.client(forwarder_key_on_airline) as as_forwarder:
            requested = as_forwarder.post(
                "/subscriptions",
                content=json.dumps(
                    {
                        "@context": CONTEXT,
                        "@type": "api:Subscription",
                        "api:hasSubscriber": {"@id": forwarder_agent},
                        "api:hasTopicType": {"@id": "api:LOGISTICS_OBJECT_IDENTIFIER"},
                        "api:hasTopic": {"@type": "xsd:anyURI", "@value": piece},
                        "api:includeSubscriptionEventType": [
                            {"@id": "api:LOGISTICS_EVENT_RECEIVED"}
                        ],
                    }
                ),
            )
            assert requested.status_code == 201, requested.text
            # Before the airline delegates access, the forwarder cannot read the piece.
            assert as_forwarder.get(piece_path).status_code == 403
        request_id = requested.headers["location"].rsplit("/", 1)[-1]
        pending = airline.cli("aircargo", "requests", "--org", "airline")
        assert [r["id"] for r in pending] == [request_id]
        assert airline.cli("aircargo", "accept", request_id, "--org", "airline")["status"] == (
            "REQUEST_ACCEPTED"
        )

        forwarder.stop()
        with airline.client() as as_airline:
            for code, when in (
                ("RCS", "2026-11-21T05:42:00Z"),
                ("MAN", "2026-11-21T13:51:00Z"),
                ("DEP", "2026-11-21T17:40:00Z"),
            ):
                event = {
                    "@context": CONTEXT,
                    "@type": "cargo:LogisticsEvent",
                    "cargo:eventCode": {"@type": "cargo:CodeListElement", "cargo:code": code},
                    "cargo:eventDate": {"@type": "xsd:dateTime", "@value": when},
                    "cargo:eventTimeType": {"@id": "cargo:ACTUAL"},
                    "cargo:eventFor": {"@id": piece},
                }
                recorded = as_airline.post(
                    piece_path + "/logistics-events", content=json.dumps(event)
                )
                assert recorded.status_code == 201, recorded.text

        def retried() -> bool:
            rows = airline.rows(
                "SELECT attempts, last_error FROM aircargo_notification WHERE status = 'pending'"
            )
            return len(rows) == 3 and all(attempts >= 2 and error for attempts, error in rows)

        _wait_for(retried, "failed delivery attempts while the forwarder is down")
        forwarder.start()

        def delivered() -> bool:
            rows = airline.rows("SELECT id FROM aircargo_notification WHERE status = 'delivered'")
            return len(rows) == 3

        _wait_for(delivered, "the three notifications to be delivered")
        sent = airline.cli("aircargo", "notifications", "--status", "delivered")
        assert all(row["target"] == forwarder.base_url + "/notifications" for row in sent)
        received = forwarder.cli("aircargo", "notifications", "--status", "received")
        assert len(received) == 3  # every one, once
        assert {r["event_type"] for r in received} == {"LOGISTICS_EVENT_RECEIVED"}
        assert {r["object_iri"] for r in received} == {piece}
        assert airline.cli("aircargo", "notifications", "--status", "dead") == []

        # The airline delegates read access; the notified forwarder follows the link.
        with airline.client() as as_airline:
            delegation = as_airline.post(
                "/access-delegations",
                content=json.dumps(
                    {
                        "@context": CONTEXT,
                        "@type": "api:AccessDelegation",
                        "api:hasPermission": [
                            {"@id": "api:GET_LOGISTICS_OBJECT"},
                            {"@id": "api:GET_LOGISTICS_EVENT"},
                        ],
                        "api:isRequestedFor": [{"@id": forwarder_agent}],
                        "api:hasLogisticsObject": [{"@id": piece}],
                    }
                ),
            )
            assert delegation.status_code == 201
            accepted = as_airline.patch(
                delegation.headers["location"].removeprefix(airline.base_url)
                + "?status=REQUEST_ACCEPTED"
            )
            assert accepted.status_code == 204
        with airline.client(forwarder_key_on_airline) as as_forwarder:
            read = as_forwarder.get(piece_path)
            assert read.status_code == 200
            assert read.json()["cargo:goodsDescription"] == "Precision bearings"
            departures = as_forwarder.get(piece_path + "/logistics-events?event-code=DEP")
            assert departures.json()["api:hasTotalItems"]["@value"] == "1"
