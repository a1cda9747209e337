"""Write transactions that read first never fail because another writer committed meanwhile."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from digitrade.core.auth.models import Organisation
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.migrations import upgrade
from tests.support import throwaway_database


def test_read_then_write_waits_for_a_concurrent_writer(tmp_path):
    with throwaway_database(tmp_path) as url:
        engine = make_engine(url)
        upgrade(engine)
        factory = make_session_factory(engine)
        errors: list[Exception] = []
        read_done = threading.Event()

        def reader_then_writer() -> None:
            try:
                with transaction(factory) as session:
                    session.scalar(select(Organisation.id).limit(1))  # read first
                    read_done.set()
                    time.sleep(0.3)  # another writer tries to commit meanwhile
                    session.add(Organisation(slug="first", name="First", kind="bank", country="CN"))
            except Exception as exc:  # pragma: no cover - the failure under test
                errors.append(exc)

        def writer() -> None:
            read_done.wait(5)
            try:
                with transaction(factory) as session:
                    session.add(
                        Organisation(slug="second", name="Second", kind="bank", country="CN")
                    )
            except Exception as exc:  # pragma: no cover
                errors.append(exc)

        threads = [threading.Thread(target=reader_then_writer), threading.Thread(target=writer)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with transaction(factory, write=False) as session:
            slugs = set(session.scalars(select(Organisation.slug)))
        engine.dispose()
    assert errors == []
    assert slugs == {"first", "second"}
