"""Receipts reach the platform organisation that sent the messages: from its feed after a cursor,
and POSTed to the endpoint it names, in order, signed, retried until taken, never twice in one
round when several processes sweep."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from typer.testing import CliRunner

from digitrade.core.auth.permissions import Role
from digitrade.core.auth.principal import Principal, PrincipalKind
from digitrade.core.db import transaction, utcnow
from digitrade.core.errors import NotFound, PermissionDenied
from digitrade.systems.ecommerce import delivery, service
from digitrade.systems.ecommerce.ceb import read_message, receipt_results
from digitrade.systems.ecommerce.models import ReceiptEndpoint
from digitrade.systems.ecommerce.schemas import ReceiptEndpointWrite
from tests.conftest import bearer
from tests.systems.ecommerce.test_clearance_bonded import (
    ACTOR,
    FOUR,
    factory,  # noqa: F401 - the fixture
    platform,
    submit,
)

SETTLED = dt.timedelta(seconds=service.SETTLE_SECONDS + 1)


def later() -> dt.datetime:
    """A moment when every receipt written so far has settled (PostgreSQL waits for them)."""
    return utcnow() + SETTLED


class Inbox:
    """A real HTTP server that takes receipts (or refuses the next ``refuse`` of them)."""

    def __init__(self) -> None:
        self.received: list[dict[str, object]] = []
        self.refuse = 0
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if inbox.refuse:
                    inbox.refuse -= 1
                    self.send_response(503)
                    self.end_headers()
                    self.wfile.write(b"busy")
                    return
                inbox.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ceb/inbox"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    server = Inbox()
    try:
        yield server
    finally:
        server.close()


def _sweep(factory_, now: dt.datetime | None = None) -> delivery.SweepResult:
    with httpx.Client(timeout=5.0) as client:
        return delivery.sweep(
            factory_, client, retry_base_seconds=5.0, allow_private=True, now=now or later()
        )


def _released(factory_) -> int:
    org = platform(factory_, stock=5)
    with transaction(factory_) as session:
        for kind in FOUR:
            submit(session, org, kind)
    return org


def _endpoint(factory_, org: int, url: str, **options: bool) -> str:
    with transaction(factory_) as session:
        result = service.put_receipt_endpoint(
            session,
            actor=ACTOR,
            organisation_id=org,
            data=ReceiptEndpointWrite(url=url, **options),
        )
    assert result.secret is not None and len(result.secret) == 64
    return result.secret


def test_the_feed_gives_every_receipt_once_in_order_with_its_xml(factory, monkeypatch):  # noqa: F811
    monkeypatch.setattr(service, "SETTLE_SECONDS", 0.0)
    org = _released(factory)
    with transaction(factory) as session:
        first = service.receipt_feed(session, actor=ACTOR, organisation_id=org, limit=3)
        rest = service.receipt_feed(
            session, actor=ACTOR, organisation_id=org, after=first.next_after
        )
        empty = service.receipt_feed(
            session, actor=ACTOR, organisation_id=org, after=rest.next_after
        )
    items = first.items + rest.items
    assert [item.receipt_type for item in items] == [
        "CEB312",
        "CEB412",
        "CEB512",
        "CEB622",
        "CEB622",
    ]
    assert [item.status for item in items][-1] == "800"
    assert [item.id for item in items] == sorted(item.id for item in items)
    assert len(first.items) == 3 and first.next_after == first.items[-1].id
    assert empty.items == [] and empty.next_after == rest.next_after
    for item in items:
        assert item.order_no == "SYN202500000001"
        [result] = receipt_results(read_message(item.xml.encode()))
        assert result.status == item.status


def test_fresh_receipts_wait_to_settle_on_postgresql_only(factory):  # noqa: F811
    org = _released(factory)
    with transaction(factory) as session:
        fresh = service.receipts_after(session, org, 0, 100, utcnow())
        settled = service.receipts_after(session, org, 0, 100, later())
        postgres = session.get_bind().dialect.name == "postgresql"
    assert len(settled) == 5
    assert len(fresh) == (0 if postgres else 5)


def test_feed_and_endpoint_refuse_other_organisations(factory):  # noqa: F811
    org = _released(factory)
    outsider = Principal(PrincipalKind.USER, "user:9", "outsider", roles={org + 1: Role.OWNER})
    viewer = Principal(PrincipalKind.USER, "user:8", "viewer", roles={org: Role.VIEWER})
    with transaction(factory) as session:
        with pytest.raises(PermissionDenied):
            service.receipt_feed(session, actor=outsider, organisation_id=org)
        service.receipt_feed(session, actor=viewer, organisation_id=org)
        with pytest.raises(PermissionDenied):
            service.put_receipt_endpoint(
                session,
                actor=viewer,
                organisation_id=org,
                data=ReceiptEndpointWrite(url="https://example.com/in"),
            )
        with pytest.raises(NotFound):
            service.get_receipt_endpoint(session, actor=viewer, organisation_id=org)


def test_receipts_are_posted_in_order_signed_and_once(factory, inbox):  # noqa: F811
    org = _released(factory)
    secret = _endpoint(factory, org, inbox.url, from_start=True)
    assert _sweep(factory) == delivery.SweepResult(delivered=5, failed=0)
    types = [item["headers"]["X-Digitrade-Message-Type"] for item in inbox.received]
    assert types == ["CEB312", "CEB412", "CEB512", "CEB622", "CEB622"]
    ids = [int(item["headers"]["X-Digitrade-Receipt-Id"]) for item in inbox.received]
    assert ids == sorted(ids)
    for item in inbox.received:
        body = item["body"]
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert item["headers"][delivery.SIGNATURE_HEADER] == f"sha256={expected}"
        assert read_message(body).message_type == item["headers"]["X-Digitrade-Message-Type"]
    assert _sweep(factory) == delivery.SweepResult()  # nothing new: nothing sent
    with transaction(factory) as session:
        state = service.get_receipt_endpoint(session, actor=ACTOR, organisation_id=org)
    assert (state.delivered, state.pending, state.delivered_through) == (5, 0, ids[-1])
    assert state.secret is None  # shown only when issued
    # The next order's receipts follow on the next sweep.
    with transaction(factory) as session:
        submit(session, org, "CEB311", index=2)
    assert _sweep(factory).delivered == 1
    assert len(inbox.received) == 6


def test_a_new_endpoint_starts_after_the_latest_receipt(factory, inbox):  # noqa: F811
    org = _released(factory)
    _endpoint(factory, org, inbox.url)
    assert _sweep(factory).delivered == 0
    with transaction(factory) as session:
        submit(session, org, "CEB311", index=2)
    assert _sweep(factory).delivered == 1
    [item] = inbox.received
    assert b"SYN202500000002" in item["body"]


def test_a_refusal_stops_the_round_and_the_same_receipt_is_retried(factory, inbox):  # noqa: F811
    org = _released(factory)
    _endpoint(factory, org, inbox.url, from_start=True)
    inbox.refuse = 1
    now = later()
    assert _sweep(factory, now) == delivery.SweepResult(delivered=0, failed=1)
    with transaction(factory) as session:
        state = service.get_receipt_endpoint(session, actor=ACTOR, organisation_id=org)
    assert state.failures == 1 and state.last_error.startswith("HTTP 503")
    assert state.pending == 5
    assert state.next_attempt_at > now
    assert _sweep(factory, now) == delivery.SweepResult()  # not due yet
    retry_at = state.next_attempt_at + dt.timedelta(seconds=1)
    assert _sweep(factory, retry_at) == delivery.SweepResult(delivered=5, failed=0)
    assert inbox.received[0]["headers"]["X-Digitrade-Message-Type"] == "CEB312"
    with transaction(factory) as session:
        state = service.get_receipt_endpoint(session, actor=ACTOR, organisation_id=org)
    assert (state.failures, state.last_error, state.pending) == (0, None, 0)


def test_an_unreachable_endpoint_backs_off_doubling(factory):  # noqa: F811
    org = _released(factory)
    _endpoint(factory, org, "http://127.0.0.1:9/closed", from_start=True)
    now = later()
    waits = []
    for _ in range(3):
        assert _sweep(factory, now).failed == 1
        with transaction(factory) as session:
            endpoint = session.query(ReceiptEndpoint).one()
            waits.append(round((endpoint.next_attempt_at - now).total_seconds()))
            now = endpoint.next_attempt_at + dt.timedelta(seconds=1)
    assert waits == [5, 10, 20]
    assert delivery.retry_delay(20, 5.0) == delivery.MAX_DELAY_SECONDS


def test_a_claimed_endpoint_is_not_swept_twice(factory, inbox):  # noqa: F811
    org = _released(factory)
    _endpoint(factory, org, inbox.url, from_start=True)
    now = later()
    with transaction(factory) as session:
        endpoint_id = session.query(ReceiptEndpoint.id).scalar()
        assert delivery._claim(session, endpoint_id, now) is True
    assert _sweep(factory, now) == delivery.SweepResult()  # another process holds it
    assert inbox.received == []
    expired = now + dt.timedelta(seconds=delivery.CLAIM_SECONDS + 1)
    assert _sweep(factory, expired).delivered == 5


def test_a_disabled_endpoint_sends_nothing_and_removal_stops_it(factory, inbox):  # noqa: F811
    org = _released(factory)
    _endpoint(factory, org, inbox.url, from_start=True)
    with transaction(factory) as session:
        changed = service.put_receipt_endpoint(
            session,
            actor=ACTOR,
            organisation_id=org,
            data=ReceiptEndpointWrite(url=inbox.url, enabled=False),
        )
    assert changed.enabled is False and changed.secret is None
    assert _sweep(factory) == delivery.SweepResult()
    with transaction(factory) as session:
        service.delete_receipt_endpoint(session, actor=ACTOR, organisation_id=org)
        with pytest.raises(NotFound):
            service.get_receipt_endpoint(session, actor=ACTOR, organisation_id=org)
    assert inbox.received == []


# Over HTTP and on the command line -----------------------------------------------------------


@pytest.mark.usefixtures("platform_log")
def test_the_api_serves_the_feed_and_manages_the_endpoint(client, world, api_key, monkeypatch):
    from tests.systems.ecommerce.test_service_api import release

    monkeypatch.setattr(service, "SETTLE_SECONDS", 0.0)
    token = api_key(Role.EDITOR)
    release(client, token, world.org_a)
    feed = client.get(
        f"/api/ecommerce/receipts?organisation_id={world.org_a}&limit=2", headers=bearer(token)
    )
    assert feed.status_code == 200, feed.text
    body = feed.json()
    assert [item["receipt_type"] for item in body["items"]] == ["CEB312", "CEB412"]
    assert body["next_after"] == body["items"][-1]["id"]
    assert body["items"][0]["xml"].startswith("<?xml")
    url = f"/api/ecommerce/receipt-endpoint?organisation_id={world.org_a}"
    bad = client.put(url, headers=bearer(token), json={"url": "ftp://example.com/in"})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert client.get(url, headers=bearer(token)).status_code == 404
    created = client.put(url, headers=bearer(token), json={"url": "https://example.com/in"})
    assert created.status_code == 200, created.text
    assert len(created.json()["secret"]) == 64
    assert created.json()["pending"] == 0  # starts after the receipts already issued
    shown = client.get(url, headers=bearer(token)).json()
    assert shown["secret"] is None and shown["url"] == "https://example.com/in"
    viewer = api_key(Role.VIEWER)
    assert (
        client.put(url, headers=bearer(viewer), json={"url": "https://x.example"}).status_code
        == 403
    )
    assert client.delete(url, headers=bearer(token)).status_code == 204
    assert client.get(url, headers=bearer(token)).status_code == 404


def test_receipts_on_the_command_line(factory, monkeypatch, tmp_path, inbox):  # noqa: F811
    from digitrade.cli import app
    from digitrade.core.config import get_settings

    monkeypatch.setattr(service, "SETTLE_SECONDS", 0.0)
    _released(factory)
    engine = factory.kw["bind"]
    monkeypatch.setenv("DIGITRADE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        base = ["ecommerce", "receipts", "--organisation", "platform"]
        result = runner.invoke(app, [*base, "--out", str(tmp_path / "inbox"), "-f", "json"])
        assert result.exit_code == 0, result.output
        body = json.loads(result.stdout)
        assert len(body["items"]) == 5 and len(body["files"]) == 5
        names = sorted(path.name for path in (tmp_path / "inbox").iterdir())
        assert names[0].split("_")[1] == "CEB312" and names[-1].split("_")[1] == "CEB622"
        after = runner.invoke(app, [*base, "--after", str(body["next_after"]), "-f", "json"])
        assert json.loads(after.stdout)["items"] == []
        endpoint = ["ecommerce", "receipt-endpoint", "--organisation", "platform"]
        named = runner.invoke(app, [*endpoint, "--url", inbox.url, "--from-start", "-f", "json"])
        assert named.exit_code == 0, named.output
        assert json.loads(named.stdout)["pending"] == 5
        refused = runner.invoke(app, ["ecommerce", "deliver-receipts", "-f", "json"])
        assert json.loads(refused.stdout) == {"delivered": 0, "failed": 1}  # a loopback inbox
        monkeypatch.setenv("DIGITRADE_ECOMMERCE_RECEIPT_PRIVATE_ENDPOINTS", "true")
        get_settings.cache_clear()
        with transaction(factory) as session:  # due again now
            session.query(ReceiptEndpoint).update({"next_attempt_at": utcnow()})
        sent = runner.invoke(app, ["ecommerce", "deliver-receipts", "-f", "json"])
        assert sent.exit_code == 0, sent.output
        assert json.loads(sent.stdout) == {"delivered": 5, "failed": 0}
        wrong = runner.invoke(app, [*endpoint, "--url", "not a url"])
        assert wrong.exit_code != 0
        assert wrong.stderr.startswith("error: --url must be an http(s) URL")
        removed = runner.invoke(app, [*endpoint, "--remove", "-f", "json"])
        assert json.loads(removed.stdout)["removed"] is True
    finally:
        get_settings.cache_clear()


def test_the_server_runs_delivery_unless_it_is_switched_off(factory):  # noqa: F811
    from digitrade.core.config import Settings

    assert (
        delivery.make_worker(factory, Settings(ecommerce_receipt_delivery_interval_seconds=0))
        is None
    )
    worker = delivery.make_worker(factory, Settings(ecommerce_receipt_delivery_interval_seconds=1))
    assert isinstance(worker, delivery.ReceiptDeliveryWorker)
    worker.start()
    worker.stop()
    assert not worker.is_alive()


def test_an_endpoint_on_a_private_address_is_refused_unless_allowed(factory, inbox):  # noqa: F811
    org = _released(factory)
    _endpoint(factory, org, inbox.url, from_start=True)
    with httpx.Client(timeout=5.0) as client:
        refused = delivery.sweep(factory, client, retry_base_seconds=5.0, now=later())
    assert refused == delivery.SweepResult(delivered=0, failed=1)
    assert inbox.received == []
    with transaction(factory) as session:
        state = service.get_receipt_endpoint(session, actor=ACTOR, organisation_id=org)
    assert state.last_error.startswith("refused: 127.0.0.1 is the private address 127.0.0.1")
    assert state.pending == 5
