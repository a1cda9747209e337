"""Sending CEB receipts to the endpoints platform organisations name (``ReceiptEndpoint``).

Each endpoint has a cursor, the id of the last receipt it has taken. A sweep claims the due
endpoints (``claimed_until``, so several server processes never send one receipt twice at once),
POSTs the receipts after the cursor in id order and moves the cursor past each one the endpoint
accepts (any 2xx). The first failure stops that endpoint's round: the same receipt is tried
again after ``retry_base_seconds``, doubling with each failure up to 10 minutes, so receipts
arrive in order and at least once, and delivery never gives up on an endpoint that is down.
Clearing itself writes nothing for delivery: the receipts it stores are the queue.

Endpoints on loopback, private, link-local or reserved addresses are refused (the host is
resolved before every round) unless ``ecommerce_receipt_private_endpoints`` allows them: an
organisation must not make the server call into the network it runs in.

Each request carries the receipt's CEB XML with ``X-Digitrade-Receipt-Id``,
``X-Digitrade-Message-Type`` (CEB312, 412, 512, 622) and ``X-Digitrade-Signature``:
``sha256=`` and the hex HMAC-SHA256 of the body under the endpoint's secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import threading
from dataclasses import dataclass

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from digitrade.core.config import Settings
from digitrade.core.db import transaction, utcnow
from digitrade.core.outbound import private_target
from digitrade.systems.ecommerce import service
from digitrade.systems.ecommerce.models import ReceiptEndpoint

log = logging.getLogger(__name__)
CLAIM_SECONDS = 300
MAX_DELAY_SECONDS = 600
ROUND = 50  # receipts sent to one endpoint per round
SIGNATURE_HEADER = "X-Digitrade-Signature"


@dataclass(frozen=True)
class SweepResult:
    delivered: int = 0
    failed: int = 0  # endpoints whose round stopped at a failure

    def as_dict(self) -> dict[str, int]:
        return {"delivered": self.delivered, "failed": self.failed}


def retry_delay(failures: int, base_seconds: float) -> float:
    """Seconds before the next attempt after ``failures`` failures in a row (1, 2, 4... x base)."""
    return float(min(base_seconds * (2 ** max(failures - 1, 0)), MAX_DELAY_SECONDS))


def signature(secret: str, body: bytes) -> str:
    """The ``X-Digitrade-Signature`` value of ``body``: what a receiver recomputes to check it."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class _Outgoing:
    receipt_id: int
    message_type: str
    body: bytes


def _due(session: Session, now: dt.datetime) -> list[int]:
    return list(
        session.scalars(
            select(ReceiptEndpoint.id)
            .where(
                ReceiptEndpoint.enabled.is_(True),
                ReceiptEndpoint.next_attempt_at <= now,
                or_(ReceiptEndpoint.claimed_until.is_(None), ReceiptEndpoint.claimed_until < now),
            )
            .order_by(ReceiptEndpoint.id)
        )
    )


def _claim(session: Session, endpoint_id: int, now: dt.datetime) -> bool:
    result = session.execute(
        update(ReceiptEndpoint)
        .where(
            ReceiptEndpoint.id == endpoint_id,
            or_(ReceiptEndpoint.claimed_until.is_(None), ReceiptEndpoint.claimed_until < now),
        )
        .values(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS))
    )
    return getattr(result, "rowcount", 0) == 1


def _send(client: httpx.Client, url: str, secret: str, outgoing: _Outgoing) -> str | None:
    """None when the endpoint took the receipt, else why not (one line)."""
    headers = {
        "Content-Type": "application/xml; charset=utf-8",
        "X-Digitrade-Receipt-Id": str(outgoing.receipt_id),
        "X-Digitrade-Message-Type": outgoing.message_type,
        SIGNATURE_HEADER: signature(secret, outgoing.body),
    }
    try:
        response = client.post(url, content=outgoing.body, headers=headers)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}: {' '.join(response.text[:300].split())}"[:500]


PRIVATE_SETTING = "DIGITRADE_ECOMMERCE_RECEIPT_PRIVATE_ENDPOINTS"


def _deliver_to(
    factory: sessionmaker[Session],
    client: httpx.Client,
    endpoint_id: int,
    now: dt.datetime,
    retry_base_seconds: float,
    allow_private: bool,
) -> tuple[int, bool]:
    """One round for one claimed endpoint: (receipts delivered, whether it stopped on a failure)."""
    with transaction(factory, write=False) as session:
        endpoint = session.get(ReceiptEndpoint, endpoint_id)
        if endpoint is None:
            return 0, False
        url, secret, cursor = endpoint.url, endpoint.secret, endpoint.delivered_through
        outgoing = [
            _Outgoing(receipt.id, receipt.receipt_type, service.receipt_message(receipt))
            for receipt, _order_no in service.receipts_after(
                session, endpoint.organisation_id, cursor, ROUND, now
            )
        ]
    delivered = 0
    error = None if allow_private or not outgoing else private_target(url, PRIVATE_SETTING)
    if error is None:
        for item in outgoing:
            error = _send(client, url, secret, item)
            if error is not None:
                break
            cursor, delivered = item.receipt_id, delivered + 1
    with transaction(factory) as session:
        endpoint = session.get(ReceiptEndpoint, endpoint_id)
        if endpoint is None:
            return delivered, False
        endpoint.claimed_until = None
        if delivered:
            endpoint.delivered_through = max(endpoint.delivered_through, cursor)
            endpoint.delivered += delivered
            endpoint.last_delivered_at = utcnow()
        if error is None:
            endpoint.failures, endpoint.last_error = 0, None
            endpoint.next_attempt_at = now  # a full round may have left more: next sweep
        else:
            endpoint.failures += 1
            endpoint.last_error = error
            endpoint.next_attempt_at = now + dt.timedelta(
                seconds=retry_delay(endpoint.failures, retry_base_seconds)
            )
    return delivered, error is not None


def sweep(
    factory: sessionmaker[Session],
    client: httpx.Client,
    *,
    retry_base_seconds: float,
    allow_private: bool = False,
    now: dt.datetime | None = None,
) -> SweepResult:
    """One round for every due endpoint (``allow_private``: endpoints on private addresses)."""
    now = now or utcnow()
    # Look first without the write lock: most sweeps find nothing due.
    with transaction(factory, write=False) as session:
        due = _due(session, now)
    delivered = failed = 0
    for endpoint_id in due:
        with transaction(factory) as session:
            claimed = _claim(session, endpoint_id, now)
        if not claimed:
            continue
        sent, stopped = _deliver_to(
            factory, client, endpoint_id, now, retry_base_seconds, allow_private
        )
        delivered += sent
        failed += int(stopped)
    return SweepResult(delivered, failed)


class ReceiptDeliveryWorker(threading.Thread):
    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        super().__init__(name="ecommerce-receipt-delivery", daemon=True)
        self.factory = factory
        self.interval = settings.ecommerce_receipt_delivery_interval_seconds
        self.retry_base_seconds = settings.ecommerce_receipt_retry_base_seconds
        self.allow_private = settings.ecommerce_receipt_private_endpoints
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=10.0) as client:
            while not self.stopping.wait(self.interval):
                try:
                    sweep(
                        self.factory,
                        client,
                        retry_base_seconds=self.retry_base_seconds,
                        allow_private=self.allow_private,
                    )
                except Exception:  # keep serving; the next round retries
                    log.exception("receipt delivery failed")

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=15)


def make_worker(factory: sessionmaker[Session], settings: Settings) -> ReceiptDeliveryWorker | None:
    if not settings.ecommerce_receipt_delivery_interval_seconds:
        return None
    return ReceiptDeliveryWorker(factory, settings)
