"""Delivering queued ONE Record notifications to subscribers' servers, with retries.

A notification is claimed (``claimed_until``) before it is sent, so several server processes can
run the sweep at once without sending one twice. A failed attempt is retried after
``retry_base_seconds`` doubling each time (capped at 10 minutes); after ``max_attempts`` the
notification is dead-lettered and stays visible until someone re-queues it. Notifications for
this server's own agents are stored as received without a network round trip. A subscriber on a
loopback, private or link-local address is refused (an attempt that fails with the reason)
unless ``onerecord_private_endpoints`` allows it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from digitrade.core.config import Settings
from digitrade.core.db import transaction, utcnow
from digitrade.core.outbound import private_target
from digitrade.systems.aircargo.models import Agent, Notification, ReceivedNotification
from digitrade.systems.aircargo.service import Server, server_from_settings

log = logging.getLogger(__name__)
CLAIM_SECONDS = 60
MAX_DELAY_SECONDS = 600
BATCH = 50
PRIVATE_SETTING = "DIGITRADE_ONERECORD_PRIVATE_ENDPOINTS"


@dataclass(frozen=True)
class SweepResult:
    delivered: int = 0
    retried: int = 0
    dead: int = 0


def retry_delay(attempts: int, base_seconds: float) -> float:
    """Seconds before the next attempt after ``attempts`` failures (1, 2, 4, ... x base)."""
    return float(min(base_seconds * (2 ** max(attempts - 1, 0)), MAX_DELAY_SECONDS))


def _due(session: Session, now: dt.datetime) -> list[int]:
    return list(
        session.scalars(
            select(Notification.id)
            .where(
                Notification.status == "pending",
                Notification.next_attempt_at <= now,
                or_(Notification.claimed_until.is_(None), Notification.claimed_until < now),
            )
            .order_by(Notification.id)
            .limit(BATCH)
        )
    )


def _claim(session: Session, due: list[int], now: dt.datetime) -> list[int]:
    claimed = []
    for notification_id in due:
        result = session.execute(
            update(Notification)
            .where(
                Notification.id == notification_id,
                Notification.status == "pending",
                or_(Notification.claimed_until.is_(None), Notification.claimed_until < now),
            )
            .values(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS))
        )
        if getattr(result, "rowcount", 0) == 1:
            claimed.append(notification_id)
    return claimed


def _token_for(session: Session, target_url: str) -> str | None:
    for agent in session.scalars(select(Agent).where(Agent.server_url.is_not(None))):
        if agent.server_url and target_url.startswith(agent.server_url):
            return agent.outbound_token
    return None


def _attempt(client: httpx.Client, url: str, payload: str, token: str | None) -> str | None:
    """None when delivered, else why not."""
    headers = {"Content-Type": "application/ld+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = client.post(url, content=payload.encode("utf-8"), headers=headers)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}: {response.text[:300]}"


def sweep(
    factory: sessionmaker[Session],
    server: Server,
    client: httpx.Client,
    now: dt.datetime | None = None,
) -> SweepResult:
    """Send every due notification once."""
    now = now or utcnow()
    # Look first without the write lock: most sweeps find nothing to send.
    with transaction(factory, write=False) as session:
        due = _due(session, now)
    if not due:
        return SweepResult()
    with transaction(factory) as session:
        claimed = _claim(session, due, now)
    delivered = retried = dead = 0
    guards: dict[str, str | None] = {}  # each subscriber's host resolved once per sweep
    for notification_id in claimed:
        with transaction(factory) as session:
            notification = session.get(Notification, notification_id)
            if notification is None:
                continue
            url, payload = notification.target_url, notification.payload
            local = url == server.notifications_url
            token = None if local else _token_for(session, url)
        error = None
        if not local:
            if not server.allow_private and url not in guards:
                guards[url] = private_target(url, PRIVATE_SETTING)
            error = guards.get(url) or _attempt(client, url, payload, token)
        with transaction(factory) as session:
            notification = session.get(Notification, notification_id)
            if notification is None:
                continue
            notification.attempts += 1
            notification.claimed_until = None
            if error is None:
                notification.status = "delivered"
                notification.delivered_at = utcnow()
                notification.last_error = None
                if local:
                    session.add(
                        ReceivedNotification(
                            sender=server.base_url[:200],
                            event_type=notification.event_type,
                            object_iri=notification.object_iri,
                            payload=payload,
                        )
                    )
                delivered += 1
            elif notification.attempts >= server.max_attempts:
                notification.status = "dead"
                notification.last_error = error
                dead += 1
            else:
                notification.last_error = error
                notification.next_attempt_at = utcnow() + dt.timedelta(
                    seconds=retry_delay(notification.attempts, server.retry_base_seconds)
                )
                retried += 1
    return SweepResult(delivered, retried, dead)


def requeue(session: Session, notification_id: int) -> Notification:
    """Put a dead-lettered notification back in the queue for a fresh round of attempts."""
    notification = session.get(Notification, notification_id)
    if notification is None:
        raise LookupError(f"notification {notification_id} not found")
    notification.status = "pending"
    notification.attempts = 0
    notification.next_attempt_at = utcnow()
    notification.claimed_until = None
    session.flush()
    return notification


class DeliveryWorker(threading.Thread):
    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        super().__init__(name="onerecord-delivery", daemon=True)
        self.factory = factory
        self.server = server_from_settings(settings)
        self.interval = settings.onerecord_delivery_interval_seconds
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=10.0) as client:
            while not self.stopping.wait(self.interval):
                try:
                    sweep(self.factory, self.server, client)
                except Exception:  # keep serving; the next round retries
                    log.exception("notification delivery failed")

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=15)


def make_worker(factory: sessionmaker[Session], settings: Settings) -> DeliveryWorker | None:
    if not settings.onerecord_delivery_interval_seconds:
        return None
    return DeliveryWorker(factory, settings)
