"""The ONE Record API in process (SQLite, and PostgreSQL in the CI's second run): objects,
revisions, change requests, events, subscriptions and notifications, delegations, errors and
hostile input."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from digitrade.core.auth.permissions import Role
from digitrade.systems.aircargo import delivery, service
from digitrade.systems.aircargo.models import (
    ActionRequest,
    Notification,
    ReceivedNotification,
    Revision,
)
from tests.conftest import bearer
from tests.systems.aircargo.conftest import BASE

LD = "application/ld+json"
CONTEXT = {
    "cargo": "https://onerecord.iata.org/ns/cargo#",
    "api": "https://onerecord.iata.org/ns/api#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CARGO = "https://onerecord.iata.org/ns/cargo#"
API = "https://onerecord.iata.org/ns/api#"
PIECE = {
    "@context": CONTEXT,
    "@type": "cargo:Piece",
    "cargo:coload": False,
    "cargo:goodsDescription": "Bearings",
    "cargo:specialHandlingCodes": [
        {"@id": "https://onerecord.iata.org/ns/code-lists/SpecialHandlingCode#VAL"}
    ],
}


def _headers(token: str, **extra: str) -> dict[str, str]:
    return {**bearer(token), "Content-Type": LD, "Accept": LD, **extra}


def _post(client, token: str, path: str, body: Any, **extra: str) -> httpx.Response:
    return client.post(
        f"/onerecord{path}", content=json.dumps(body), headers=_headers(token, **extra)
    )


def _create(client, token: str, body: Any = PIECE) -> str:
    response = _post(client, token, "/logistics-objects", body)
    assert response.status_code == 201, response.text
    return str(response.headers["Location"])


def _path(iri: str) -> str:
    return "/onerecord" + iri.removeprefix(BASE)


def _error(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert body["@type"] == "api:Error"
    assert response.headers["content-type"].startswith(LD)
    details = body["api:hasErrorDetail"]
    return {
        "title": body["api:hasTitle"],
        "messages": [
            d["api:hasMessage"] for d in (details if isinstance(details, list) else [details])
        ],
    }


def _change(iri: str, revision: int, operations: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "api:Change",
        "api:hasLogisticsObject": {"@id": iri},
        "api:hasDescription": "test change",
        "api:hasOperation": operations,
        "api:hasRevision": {"@type": "xsd:positiveInteger", "@value": str(revision)},
    }


def _op(op: str, subject: str, predicate: str, datatype: str, value: str) -> dict[str, Any]:
    return {
        "@type": "api:Operation",
        "api:op": {"@id": f"api:{op}"},
        "api:s": subject,
        "api:p": predicate,
        "api:o": [
            {"@type": "api:OperationObject", "api:hasDatatype": datatype, "api:hasValue": value}
        ],
    }


@pytest.fixture
def owner_token(api_key) -> str:
    return api_key(Role.OWNER)


@pytest.fixture
def other_token(api_key, world) -> str:
    return api_key(Role.OWNER, organisation_id=world.org_b)


def test_create_and_get_with_headers_and_canonical_literals(client, owner_token):
    iri = _create(client, owner_token)
    assert iri.startswith(BASE + "/logistics-objects/")
    response = client.get(_path(iri), headers=bearer(owner_token))
    assert response.status_code == 200
    assert response.headers["type"] == CARGO + "Piece"
    assert response.headers["revision"] == response.headers["latest-revision"] == "1"
    assert response.headers["content-language"] == "en-US"
    assert response.headers["last-modified"].endswith("GMT")
    body = response.json()
    assert body["@id"] == iri
    assert body["@context"]["cargo"] == CARGO
    # A JSON boolean is stored as the typed literal an RDF store gives back.
    assert body["cargo:coload"] == {"@type": "xsd:boolean", "@value": "false"}


def test_server_information(client, owner_token):
    response = client.get("/onerecord/", headers=bearer(owner_token))
    body = response.json()
    assert body["@id"] == BASE + "/"
    assert body["api:hasSupportedApiVersion"] == "2.2.0"
    assert "api:hasDataHolder" in body
    assert response.headers["type"] == API + "ServerInformation"


def test_authentication_and_media_types(client, owner_token):
    assert client.get("/onerecord/").status_code == 401
    assert client.get("/onerecord/", headers=bearer("dtk_nope_nope")).status_code == 401
    wrong_type = client.post(
        "/onerecord/logistics-objects",
        content=json.dumps(PIECE),
        headers={**bearer(owner_token), "Content-Type": "text/plain"},
    )
    assert wrong_type.status_code == 415
    assert "Unsupported media type" in _error(wrong_type)["title"]
    future = _post(
        client, owner_token, "/logistics-objects", PIECE, **{"Content-Type": f"{LD}; version=9.9"}
    )
    assert future.status_code == 415
    turtle = client.get("/onerecord/", headers={**bearer(owner_token), "Accept": "text/turtle"})
    assert turtle.status_code == 406


def test_unknown_object_is_an_api_error_404(client, owner_token):
    response = client.get("/onerecord/logistics-objects/nope", headers=bearer(owner_token))
    assert response.status_code == 404
    error = _error(response)
    assert error["title"] == "Logistics object not found"
    assert response.json()["api:hasErrorDetail"]["api:hasCode"] == "404"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {**PIECE, "cargo:colour": "red"},
            "unknown property https://onerecord.iata.org/ns/cargo#colour",
        ),
        ({**PIECE, "@type": "cargo:Gizmo"}, "is not a logistics object"),
        ({**PIECE, "cargo:waybillType": {"@id": "cargo:MASTER"}}, "not defined for"),
        ({**PIECE, "cargo:coload": {"@id": "cargo:YES"}}, "takes a literal value"),
        ({**PIECE, "cargo:grossWeight": "12 kg"}, "takes a node"),
        (
            {**PIECE, "cargo:coload": {"@type": "xsd:boolean", "@value": "maybe"}},
            "not a valid xsd:boolean",
        ),
        ({**PIECE, "@context": "https://example.com/context.jsonld"}, "remote context"),
        ({**PIECE, "cargo:goodsDescription": {"@list": ["a"]}}, "lists"),
    ],
)
def test_invalid_documents_are_refused_with_the_reason(client, owner_token, body, message):
    response = _post(client, owner_token, "/logistics-objects", body)
    assert response.status_code == 400, response.text
    error = _error(response)
    assert any(message in m for m in [error["title"], *error["messages"]]), error


def test_hostile_bodies(client, owner_token):
    not_json = client.post(
        "/onerecord/logistics-objects", content=b"{nope", headers=_headers(owner_token)
    )
    assert not_json.status_code == 400
    assert "not JSON" in _error(not_json)["title"]
    big = {**PIECE, "cargo:goodsDescription": "x" * (3 * 1024 * 1024)}
    too_big = _post(client, owner_token, "/logistics-objects", big)
    assert too_big.status_code in (400, 413)
    array = _post(client, owner_token, "/logistics-objects", [PIECE, PIECE])
    assert array.status_code == 400
    deep = (
        '{"@context": {"cargo": "https://onerecord.iata.org/ns/cargo#"}, "@type": "cargo:Piece", '
    )
    deep += '"cargo:containedPieces": ' + '{"cargo:containedPieces": ' * 5000 + "{}" + "}" * 5001
    nested = client.post(
        "/onerecord/logistics-objects", content=deep, headers=_headers(owner_token)
    )
    assert nested.status_code == 400
    assert "nested too deeply" in _error(nested)["title"]


def _accept(client, token: str, request_location: str) -> httpx.Response:
    return client.patch(_path(request_location) + "?status=REQUEST_ACCEPTED", headers=bearer(token))


def test_change_request_lifecycle_revisions_history_and_audit_trail(client, owner_token, db):
    iri = _create(client, owner_token)
    # Revision 1 dates from a minute ago: ``at`` has one-second resolution.
    object_id = iri.rsplit("/", 1)[-1]
    first = db.scalar(
        select(Revision).where(Revision.object_id == object_id, Revision.revision == 1)
    )
    first.created_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.commit()
    created_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30)
    add_weight = _change(
        iri,
        1,
        [
            _op(
                "ADD",
                "_:w",
                CARGO + "numericalValue",
                "http://www.w3.org/2001/XMLSchema#double",
                "20.0",
            ),
            _op("ADD", iri, CARGO + "grossWeight", CARGO + "Value", "_:w"),
            _op(
                "DELETE", iri, CARGO + "coload", "http://www.w3.org/2001/XMLSchema#boolean", "false"
            ),
            _op("ADD", iri, CARGO + "coload", "http://www.w3.org/2001/XMLSchema#boolean", "true"),
        ],
    )
    response = client.patch(
        _path(iri), content=json.dumps(add_weight), headers=_headers(owner_token)
    )
    assert response.status_code == 201, response.text
    assert response.headers["type"] == API + "ChangeRequest"
    change_request = response.headers["location"]
    pending = client.get(_path(change_request), headers=bearer(owner_token)).json()
    assert pending["api:hasRequestStatus"]["@id"] == "api:REQUEST_PENDING"
    # Nothing changes until the owner accepts.
    assert client.get(_path(iri), headers=bearer(owner_token)).headers["latest-revision"] == "1"
    accepted = _accept(client, owner_token, change_request)
    assert accepted.status_code == 204
    assert accepted.headers["location"] == change_request
    piece = client.get(_path(iri) + "?embedded=true", headers=bearer(owner_token))
    assert piece.headers["revision"] == "2"
    body = piece.json()
    assert body["cargo:coload"]["@value"] == "true"
    weight = body["cargo:grossWeight"]
    assert weight["@type"] == "cargo:Value"
    assert weight["@id"].startswith(iri + "#")
    assert float(weight["cargo:numericalValue"]["@value"]) == 20.0
    # The first revision is still there, at the time it was current.
    at = created_at.strftime("%Y%m%dT%H%M%SZ")
    old = client.get(_path(iri) + f"?at={at}", headers=bearer(owner_token))
    assert old.status_code == 200, old.text
    assert old.headers["revision"] == "1"
    assert old.headers["latest-revision"] == "2"
    assert (
        client.get(_path(iri) + "?at=20190101T000000Z", headers=bearer(owner_token)).status_code
        == 404
    )
    assert client.get(_path(iri) + "?at=yesterday", headers=bearer(owner_token)).status_code == 400
    trail = client.get(_path(iri) + "/audit-trail", headers=bearer(owner_token)).json()
    assert trail["api:hasLatestRevision"]["@value"] == "2"
    assert trail["api:hasActionRequest"]["@id"] == change_request
    # The node the change named can be deleted by its IRI.
    delete = _change(
        iri, 2, [_op("DELETE", iri, CARGO + "grossWeight", CARGO + "Value", weight["@id"])]
    )
    deleted = client.patch(_path(iri), content=json.dumps(delete), headers=_headers(owner_token))
    assert _accept(client, owner_token, deleted.headers["location"]).status_code == 204
    final = client.get(_path(iri), headers=bearer(owner_token)).json()
    assert "cargo:grossWeight" not in final
    graph = db.scalar(
        select(Revision.graph).where(Revision.object_id == object_id, Revision.revision == 3)
    )
    assert not any(
        key.startswith(iri + "#") and "Value" in json.dumps(node) for key, node in graph.items()
    )


def test_stale_and_conflicting_changes(client, owner_token, db):
    iri = _create(client, owner_token)
    describe = _op(
        "ADD", iri, CARGO + "goodsDescription", "http://www.w3.org/2001/XMLSchema#string", "a"
    )
    first = client.patch(
        _path(iri), content=json.dumps(_change(iri, 1, [describe])), headers=_headers(owner_token)
    )
    second = client.patch(
        _path(iri), content=json.dumps(_change(iri, 1, [describe])), headers=_headers(owner_token)
    )
    assert _accept(client, owner_token, first.headers["location"]).status_code == 204
    # The second change was made against revision 1, which is no longer the latest.
    failed = _accept(client, owner_token, second.headers["location"])
    assert failed.status_code == 409
    request_id = second.headers["location"].rsplit("/", 1)[-1]
    db.expire_all()
    assert db.get(ActionRequest, request_id).status == "REQUEST_FAILED"
    stale = client.patch(
        _path(iri), content=json.dumps(_change(iri, 1, [describe])), headers=_headers(owner_token)
    )
    assert stale.status_code == 409
    future = client.patch(
        _path(iri), content=json.dumps(_change(iri, 7, [describe])), headers=_headers(owner_token)
    )
    assert future.status_code == 400
    wrong_object = _change(BASE + "/logistics-objects/other", 2, [describe])
    assert (
        client.patch(
            _path(iri), content=json.dumps(wrong_object), headers=_headers(owner_token)
        ).status_code
        == 400
    )
    missing = _op(
        "DELETE", iri, CARGO + "goodsDescription", "http://www.w3.org/2001/XMLSchema#string", "zzz"
    )
    bad_delete = client.patch(
        _path(iri), content=json.dumps(_change(iri, 2, [missing])), headers=_headers(owner_token)
    )
    failed_delete = _accept(client, owner_token, bad_delete.headers["location"])
    assert failed_delete.status_code == 400
    assert "does not have it" in json.dumps(failed_delete.json())


def test_other_organisations_need_a_delegation(client, owner_token, other_token, world, db):
    iri = _create(client, owner_token)
    assert client.get(_path(iri), headers=bearer(other_token)).status_code == 403
    other_agent = client.get("/onerecord/", headers=bearer(other_token))  # creates B's agent
    assert other_agent.status_code == 200
    from digitrade.systems.aircargo.models import Agent

    agent_b = db.scalar(select(Agent.iri).where(Agent.organisation_id == world.org_b))
    delegation = {
        "@context": CONTEXT,
        "@type": "api:AccessDelegation",
        "api:hasPermission": [{"@id": "api:GET_LOGISTICS_OBJECT"}],
        "api:isRequestedFor": [{"@id": agent_b}],
        "api:hasLogisticsObject": [{"@id": iri}],
    }
    # B cannot ask for access to what it cannot see; A (the owner) delegates.
    assert _post(client, other_token, "/access-delegations", delegation).status_code == 403
    requested = _post(client, owner_token, "/access-delegations", delegation)
    assert requested.status_code == 201
    assert requested.headers["type"] == API + "AccessDelegationRequest"
    # Only the owner decides.
    assert _accept(client, other_token, requested.headers["location"]).status_code == 403
    assert _accept(client, owner_token, requested.headers["location"]).status_code == 204
    assert client.get(_path(iri), headers=bearer(other_token)).status_code == 200
    # Revoking the delegation takes the access away again.
    revoked = client.delete(_path(requested.headers["location"]), headers=bearer(owner_token))
    assert revoked.status_code == 204
    assert client.get(_path(iri), headers=bearer(other_token)).status_code == 403


def _event(target: str, code: str, when: str, kind: str = "ACTUAL") -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "cargo:LogisticsEvent",
        "cargo:eventCode": {"@type": "cargo:CodeListElement", "cargo:code": code},
        "cargo:eventDate": {"@type": "xsd:dateTime", "@value": when},
        "cargo:eventTimeType": {"@id": f"cargo:{kind}"},
        "cargo:eventFor": {"@id": target},
    }


def test_events_filters_and_subscription_notifications(client, owner_token, session_factory, db):
    iri = _create(client, owner_token)
    company = _create(
        client, owner_token, {"@context": CONTEXT, "@type": "cargo:Company", "cargo:name": "GHA"}
    )
    subscription = {
        "@context": CONTEXT,
        "@type": "api:Subscription",
        "api:hasSubscriber": {"@id": company},
        "api:hasTopicType": {"@id": "api:LOGISTICS_OBJECT_IDENTIFIER"},
        "api:hasTopic": {"@type": "xsd:anyURI", "@value": iri},
        "api:includeSubscriptionEventType": [{"@id": "api:LOGISTICS_EVENT_RECEIVED"}],
    }
    requested = _post(client, owner_token, "/subscriptions", subscription)
    assert requested.status_code == 201
    assert _accept(client, owner_token, requested.headers["location"]).status_code == 204
    for code, when in (("DEP", "2026-11-21T17:40:00.000Z"), ("ARR", "2026-11-22T06:00:00Z")):
        created = _post(
            client,
            owner_token,
            _path(iri).removeprefix("/onerecord") + "/logistics-events",
            _event(iri, code, when),
        )
        assert created.status_code == 201
        assert created.headers["type"] == CARGO + "LogisticsEvent"
    listing = client.get(
        _path(iri) + "/logistics-events?event-code=DEP", headers=bearer(owner_token)
    ).json()
    assert listing["api:hasTotalItems"]["@value"] == "1"
    item = listing["api:hasItem"]
    assert item["cargo:eventDate"]["@value"] == "2026-11-21T17:40:00Z"  # canonical dateTime
    assert (
        client.get(
            _path(iri) + "/logistics-events?eventType=ARR", headers=bearer(owner_token)
        ).json()["api:hasTotalItems"]["@value"]
        == "1"
    )
    paged = client.get(
        _path(iri) + "/logistics-events?limit=1&skip=1", headers=bearer(owner_token)
    ).json()
    assert paged["api:hasTotalItems"]["@value"] == "2"
    assert (
        client.get(
            _path(iri) + "/logistics-events?limit=-1", headers=bearer(owner_token)
        ).status_code
        == 400
    )
    event_path = _path(item["@id"])
    assert client.get(event_path, headers=bearer(owner_token)).json()["@id"] == item["@id"]
    assert (
        client.get(_path(iri) + "/logistics-events/nope", headers=bearer(owner_token)).status_code
        == 404
    )
    queued = db.scalars(select(Notification)).all()
    assert [n.event_type for n in queued] == ["LOGISTICS_EVENT_RECEIVED"] * 2
    with httpx.Client() as http:
        result = delivery.sweep(
            session_factory, service.server_from_settings(client.app.state.platform.settings), http
        )
    assert result.delivered == 2  # the subscriber is on this server: stored as received
    db.expire_all()
    assert db.scalar(select(ReceivedNotification.event_type)) == "LOGISTICS_EVENT_RECEIVED"


def test_subscription_information_and_errors(client, owner_token):
    iri = _create(client, owner_token)
    info = client.get(
        "/onerecord/subscriptions",
        params={"topicType": API + "LOGISTICS_OBJECT_IDENTIFIER", "topic": iri},
        headers=bearer(owner_token),
    )
    assert info.status_code == 200
    assert info.json()["api:hasTopic"]["@value"] == iri
    not_an_object = client.get(
        "/onerecord/subscriptions",
        params={"topicType": API + "LOGISTICS_OBJECT_TYPE", "topic": CARGO + "Value"},
        headers=bearer(owner_token),
    )
    assert not_an_object.status_code == 400
    missing = client.get(
        "/onerecord/subscriptions",
        params={"topicType": API + "LOGISTICS_OBJECT_TYPE"},
        headers=bearer(owner_token),
    )
    assert missing.status_code == 400
    bad = _post(
        client,
        owner_token,
        "/subscriptions",
        {"@context": CONTEXT, "@type": "api:Subscription", "api:colour": "red"},
    )
    assert bad.status_code == 400


def test_notifications_endpoint_stores_what_it_receives(client, owner_token, db):
    note = {
        "@context": CONTEXT,
        "@type": "api:Notification",
        "api:hasEventType": {"@id": "api:LOGISTICS_OBJECT_UPDATED"},
        "api:hasLogisticsObject": {"@id": "https://airline.example/onerecord/logistics-objects/1"},
    }
    assert _post(client, owner_token, "/notifications", note).status_code == 204
    assert (
        db.scalar(select(ReceivedNotification.object_iri))
        == "https://airline.example/onerecord/logistics-objects/1"
    )
    assert (
        _post(client, owner_token, "/notifications", {**note, "@type": "api:Thing"}).status_code
        == 400
    )


def test_type_subscription_is_notified_of_new_objects(client, owner_token, db):
    company = _create(
        client, owner_token, {"@context": CONTEXT, "@type": "cargo:Company", "cargo:name": "F"}
    )
    subscription = {
        "@context": CONTEXT,
        "@type": "api:Subscription",
        "api:hasSubscriber": {"@id": "https://forwarder.example/onerecord/logistics-objects/f1"},
        "api:hasTopicType": {"@id": "api:LOGISTICS_OBJECT_TYPE"},
        "api:hasTopic": {"@type": "xsd:anyURI", "@value": CARGO + "PhysicalLogisticsObject"},
    }
    requested = _post(client, owner_token, "/subscriptions", subscription)
    assert _accept(client, owner_token, requested.headers["location"]).status_code == 204
    _create(client, owner_token)  # a Piece is a PhysicalLogisticsObject
    assert company
    notification = db.scalar(select(Notification))
    assert notification.event_type == "LOGISTICS_OBJECT_CREATED"
    assert notification.target_url == "https://forwarder.example/onerecord/notifications"
    payload = json.loads(notification.payload)
    assert payload["api:hasLogisticsObjectType"]["@value"] == CARGO + "Piece"


def _event_for_subscriber(client, owner_token, subscriber: str) -> None:
    """A new object, a subscription of ``subscriber`` to it (accepted), and an event on it:
    one notification queued for ``subscriber``."""
    iri = _create(client, owner_token)
    subscription = {
        "@context": CONTEXT,
        "@type": "api:Subscription",
        "api:hasSubscriber": {"@id": subscriber},
        "api:hasTopicType": {"@id": "api:LOGISTICS_OBJECT_IDENTIFIER"},
        "api:hasTopic": {"@id": iri},
    }
    requested = _post(client, owner_token, "/subscriptions", subscription)
    assert _accept(client, owner_token, requested.headers["location"]).status_code == 204
    _post(
        client,
        owner_token,
        _path(iri).removeprefix("/onerecord") + "/logistics-events",
        _event(iri, "DEP", "2026-11-21T17:40:00Z"),
    )


def test_retries_then_dead_letter_then_requeue(client, owner_token, session_factory, db):
    settings = client.app.state.platform.settings
    server = service.server_from_settings(settings)
    server = type(server)(
        **{**server.__dict__, "max_attempts": 2, "retry_base_seconds": 0.01, "allow_private": True}
    )
    _event_for_subscriber(
        client, owner_token, "http://127.0.0.1:9/onerecord/logistics-objects/down"
    )
    far_future = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    with httpx.Client(timeout=1) as http:
        first = delivery.sweep(session_factory, server, http)
        second = delivery.sweep(session_factory, server, http, now=far_future)
    assert (first.retried, second.dead) == (1, 1)
    db.expire_all()
    dead = db.scalar(select(Notification))
    assert dead.status == "dead"
    assert dead.attempts == 2
    assert "ConnectError" in dead.last_error
    retried = client.post(
        f"/api/aircargo/notifications/{dead.id}/retry", headers=bearer(owner_token)
    )
    assert retried.status_code == 200
    assert retried.json()["status"] == "pending"


def test_action_requests_are_private_to_the_parties(client, owner_token, other_token):
    iri = _create(client, owner_token)
    describe = _op(
        "ADD", iri, CARGO + "goodsDescription", "http://www.w3.org/2001/XMLSchema#string", "a"
    )
    created = client.patch(
        _path(iri), content=json.dumps(_change(iri, 1, [describe])), headers=_headers(owner_token)
    )
    location = created.headers["location"]
    assert client.get(_path(location), headers=bearer(other_token)).status_code == 403
    assert (
        client.get("/onerecord/action-requests/nope", headers=bearer(owner_token)).status_code
        == 404
    )
    bad_status = client.patch(_path(location) + "?status=MAYBE", headers=bearer(owner_token))
    assert bad_status.status_code == 400
    assert client.delete(_path(location), headers=bearer(owner_token)).status_code == 204
    assert _accept(client, owner_token, location).status_code == 400  # revoked, not pending


def test_unknown_endpoints_and_methods_are_api_errors(client, owner_token):
    missing = client.get("/onerecord/no-such-thing", headers=bearer(owner_token))
    assert missing.status_code == 404
    assert _error(missing)["title"] == "no such ONE Record endpoint"
    iri = _create(client, owner_token)
    wrong_method = client.put(_path(iri), headers=bearer(owner_token))
    assert wrong_method.status_code == 405
    assert "not allowed" in _error(wrong_method)["title"]


def test_a_subscriber_on_a_private_address_is_refused_unless_allowed(
    client, owner_token, session_factory, db
):
    server = service.server_from_settings(client.app.state.platform.settings)
    assert server.allow_private is False  # the default
    _event_for_subscriber(
        client, owner_token, "http://169.254.169.254/onerecord/logistics-objects/meta"
    )
    with httpx.Client(timeout=1) as http:
        result = delivery.sweep(session_factory, server, http)
    assert (result.delivered, result.retried) == (0, 1)
    db.expire_all()
    refused = db.scalar(select(Notification))
    assert refused.last_error.startswith("refused: 169.254.169.254 is the private address")
    assert "DIGITRADE_ONERECORD_PRIVATE_ENDPOINTS=true" in refused.last_error
