"""Kill -9 during a stream of appends, and several appenders at once, on the configured database.

Each test uses its own throwaway database (file SQLite, or a new PostgreSQL database), because
what is under test is what survives real commits and real crashes.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select, text

from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.ledger import merkle, service
from digitrade.core.ledger.models import LedgerCheckpoint, LedgerEntry
from digitrade.core.ledger.verify import open_log_checkpoint
from digitrade.core.migrations import upgrade
from tests.conftest import TEST_KEK
from tests.support import REPO_ROOT, throwaway_database


@pytest.fixture
def fresh_factory(tmp_path):
    with throwaway_database(tmp_path) as url:
        engine = make_engine(url)
        upgrade(engine)
        factory = make_session_factory(engine)
        yield url, factory
        engine.dispose()


def assert_log_is_whole(factory, log: str) -> int:
    """Indexes gap-free, the tree rebuilds from the entries, every checkpoint still holds."""
    with transaction(factory) as session:
        service.integrate(session, log=log, batch_size=10_000_000)
    with transaction(factory) as session:
        log_row = service.get_log(session, log)
        rows = session.execute(
            select(LedgerEntry.index, LedgerEntry.leaf_data)
            .where(LedgerEntry.log_id == log_row.id)
            .order_by(LedgerEntry.index)
        ).all()
        assert [index for index, _ in rows] == list(range(len(rows))), "gap or duplicate"
        assert log_row.next_index == len(rows)
        tree = merkle.InMemoryTree(hashlib.sha256(b"\x00" + leaf).digest() for _, leaf in rows)
        head = service.tree_head(session, log_row)
        assert head.size == len(rows)
        assert head.root_hash == tree.root()
        key = service.verifier_key(log_row)
        for checkpoint in session.scalars(
            select(LedgerCheckpoint).where(LedgerCheckpoint.log_id == log_row.id)
        ):
            signed = open_log_checkpoint(checkpoint.note, key)
            assert signed.root_hash == tree.root(signed.tree_size)
            assert service.root_at(session, log_row, signed.tree_size) == signed.root_hash
        return len(rows)


def wait_for_the_killed_session(factory, timeout: float = 30.0) -> None:
    """On PostgreSQL a killed client's server session lives on until it notices the closed
    socket, and a COMMIT sent just before the kill still lands: wait until no other session of
    this database is busy (idle ones hold no transaction), so the log is checked after the last
    commit. (SQLite has no server:
    the killed process's open transaction is simply gone.)"""
    deadline = time.monotonic() + timeout
    while True:
        with transaction(factory, write=False) as session:
            if session.get_bind().dialect.name != "postgresql":
                return
            others = session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state <> 'idle'"
                )
            )
        if not others:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{others} other sessions still open after {timeout} s")
        time.sleep(0.05)


def test_kill_9_during_appends_leaves_a_whole_log(fresh_factory):
    url, factory = fresh_factory
    with transaction(factory) as session:
        service.create_log(session, name="crash", kek=TEST_KEK, origin_prefix="crash.test")
    rng = random.Random(9)
    last_total = 0
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    for _round in range(4):
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.core.ledger.crash_appender", url, TEST_KEK],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("committed"), process.stderr.read() if process.stderr else first
        time.sleep(rng.uniform(0.2, 1.2))
        process.send_signal(signal.SIGKILL)
        remaining, _ = process.communicate(timeout=30)
        lines = [first, *remaining.splitlines()]
        reported = int(lines[-1].split()[1]) if lines[-1].startswith("committed") else 0
        wait_for_the_killed_session(factory)
        total = assert_log_is_whole(factory, "crash")
        # Every commit the process reported is there (one more may have landed unreported).
        assert total >= last_total + reported
        last_total = total
    assert last_total > 0


@pytest.mark.parametrize("appenders", [4])
def test_concurrent_appenders_never_share_or_skip_an_index(fresh_factory, appenders):
    _url, factory = fresh_factory
    with transaction(factory) as session:
        service.create_log(session, name="busy", kek=TEST_KEK, origin_prefix="busy.test")
    per_thread, errors = 40, []
    stop = threading.Event()

    def appender(number: int) -> None:
        rng = random.Random(number)
        try:
            for i in range(per_thread):
                with transaction(factory) as session:
                    service.append(
                        session,
                        kind="core.attestation",
                        payload={"subject": f"t{number}-{i}", "statement": "x"},
                        log="busy",
                    )
                    if rng.random() < 0.1:
                        # A business change that failed: its evidence and its index go with it,
                        # and the retry takes the next free index.
                        session.rollback()
                        service.append(
                            session,
                            kind="core.attestation",
                            payload={"subject": f"t{number}-{i}", "statement": "x"},
                            log="busy",
                        )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def integrator() -> None:
        while not stop.is_set():
            try:
                with transaction(factory) as session:
                    service.integrate(session, log="busy", batch_size=17)
            except Exception as exc:  # pragma: no cover
                errors.append(exc)
            time.sleep(0.005)

    threads = [threading.Thread(target=appender, args=(n,)) for n in range(appenders)]
    background = threading.Thread(target=integrator)
    background.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    background.join()
    assert errors == []
    assert assert_log_is_whole(factory, "busy") == appenders * per_thread
    with transaction(factory) as session:
        subjects = session.scalars(select(func.count(func.distinct(LedgerEntry.leaf_data)))).one()
    assert subjects == appenders * per_thread
