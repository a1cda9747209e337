"""A stream of appends, integrations and checkpoints, run as a separate process so that the
crash test can kill it with SIGKILL at an arbitrary moment.

Usage: python -m tests.core.ledger.crash_appender DATABASE_URL KEK
Prints "committed <total>" after each committed append transaction.
"""

from __future__ import annotations

import random
import sys

from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.ledger import service


def main(url: str, kek: str) -> None:
    factory = make_session_factory(make_engine(url))
    rng = random.Random()
    committed = 0
    round_number = 0
    while True:
        round_number += 1
        batch = rng.randint(1, 25)
        with transaction(factory) as session:
            service.append_many(
                session,
                [
                    service.NewEntry(
                        "core.attestation",
                        {"subject": f"crash-{round_number}-{i}", "statement": "x"},
                    )
                    for i in range(batch)
                ],
                log="crash",
            )
        committed += batch
        print(f"committed {committed}", flush=True)
        if round_number % 3 == 0:
            with transaction(factory) as session:
                service.integrate(session, log="crash", batch_size=rng.randint(1, 60))
        if round_number % 7 == 0:
            with transaction(factory) as session:
                service.publish_checkpoint(session, log="crash", kek=kek)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
