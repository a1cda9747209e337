"""In-process domain events, delivered only after the transaction that raised them commits.

A service calls ``publish(session, event)``; the event waits in ``session.info`` and handlers run
after a successful commit (never after a rollback), so no one reacts to a change that did not
happen.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_PENDING_KEY = "digitrade.pending_events"


@dataclass(frozen=True)
class DomainEvent:
    name: str
    payload: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[DomainEvent], None]


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, name: str, handler: Handler) -> None:
        self._handlers[name].append(handler)

    def dispatch(self, domain_event: DomainEvent) -> None:
        for handler in self._handlers.get(domain_event.name, []):
            try:
                handler(domain_event)
            except Exception:  # a failing subscriber must not undo a committed change
                log.exception("event handler failed", extra={"event": domain_event.name})


bus = EventBus()


def publish(session: Session, domain_event: DomainEvent) -> None:
    session.connection()  # make sure a transaction is open, so its rollback drops the event
    session.info.setdefault(_PENDING_KEY, []).append(domain_event)


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    pending: list[DomainEvent] = session.info.pop(_PENDING_KEY, [])
    for domain_event in pending:
        bus.dispatch(domain_event)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the outermost transaction, not a savepoint
        session.info.pop(_PENDING_KEY, None)
