"""Background integration and checkpointing for a running server.

Appends only sequence entries; this worker hashes them into the tree every
``ledger_integrate_interval_seconds`` and signs a checkpoint every
``ledger_checkpoint_interval_seconds`` when the tree has grown. Several workers (one per server
process) are safe: integration claims the tree row first.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from digitrade.core.config import Settings
from digitrade.core.db import transaction
from digitrade.core.ledger import service

log = logging.getLogger(__name__)


def integrate_all(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        names = [row.name for row in service.list_logs(session)]
    for name in names:
        with transaction(factory) as session:
            service.integrate(session, log=name)


def checkpoint_all(factory: sessionmaker[Session], kek: str) -> None:
    with transaction(factory) as session:
        names = [row.name for row in service.list_logs(session)]
    for name in names:
        with transaction(factory) as session:
            service.publish_checkpoint(session, log=name, kek=kek)


class LedgerWorker(threading.Thread):
    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        super().__init__(name="ledger-worker", daemon=True)
        self.factory = factory
        self.settings = settings
        self.stopping = threading.Event()

    def run(self) -> None:
        integrate_every = self.settings.ledger_integrate_interval_seconds
        checkpoint_every = self.settings.ledger_checkpoint_interval_seconds
        next_checkpoint = time.monotonic()
        kek = self.settings.key_encryption_key.get_secret_value()
        while not self.stopping.wait(integrate_every or checkpoint_every):
            try:
                if integrate_every:
                    integrate_all(self.factory)
                if checkpoint_every and time.monotonic() >= next_checkpoint:
                    checkpoint_all(self.factory, kek)
                    next_checkpoint = time.monotonic() + checkpoint_every
            except Exception:  # keep serving; the next round retries
                log.exception("ledger background work failed")

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)
