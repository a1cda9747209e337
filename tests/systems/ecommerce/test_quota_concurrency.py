"""The buyer's annual total under concurrent orders: threads with their own sessions on a real
engine (SQLite serialises writers at BEGIN IMMEDIATE; PostgreSQL locks the quota row with
SELECT ... FOR UPDATE). No two orders can together pass the RMB 26,000 annual limit."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.ledger import service as ledger
from digitrade.core.migrations import upgrade
from digitrade.systems.ecommerce import service
from digitrade.systems.ecommerce.batch import clear_batch
from digitrade.systems.ecommerce.models import (
    BondedLot,
    BondedMovement,
    BuyerQuota,
    ClearanceOrder,
)
from digitrade.systems.ecommerce.schemas import BondedReceive, CatalogueItemWrite
from tests.core.ledger.conftest import KEK, PREFIX
from tests.support import throwaway_database
from tests.systems.ecommerce.support import VALID_BUYER, fixtures, synthetic_bytes

ACTOR = Principal.system("test")
DUTIABLE = Decimal("1220.00")  # goods 1,200 + freight 20 of the synthetic order


@pytest.fixture
def factory(tmp_path) -> Iterator[sessionmaker[Session]]:
    with throwaway_database(tmp_path) as url:
        engine = make_engine(url)
        upgrade(engine)
        try:
            yield make_session_factory(engine)
        finally:
            engine.dispose()


def run_together(count: int, work: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def runner(index: int) -> None:
        start.wait(10)
        try:
            work(index)
        except BaseException as exc:  # collected for the assertions
            errors.append(exc)

    threads = [threading.Thread(target=runner, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_concurrent_reservations_never_pass_the_annual_limit(factory):
    errors = run_together(
        10,
        lambda _: _reserve(factory, Decimal("5000.00")),
    )
    assert len(errors) == 5
    assert all(isinstance(error, service.QuotaExceeded) for error in errors), errors
    with transaction(factory, write=False) as session:
        total = session.scalar(select(BuyerQuota.total).where(BuyerQuota.buyer_id == VALID_BUYER))
        rows = session.scalars(select(BuyerQuota)).all()
    assert total == Decimal("25000.00")
    assert len(rows) == 1  # the row created once, even when first created concurrently


def _reserve(factory: sessionmaker[Session], amount: Decimal) -> None:
    with transaction(factory) as session:
        service.reserve_quota(session, buyer_id=VALID_BUYER, year=2025, amount=amount)


def _numbered(message_type: str, index: int) -> bytes:
    return synthetic_bytes(message_type).replace(
        b"SYN202501010001", f"SYN2025010100{index:02d}".encode()
    )


def _three_of_each(factory: sessionmaker[Session], orders: int) -> int:
    """An organisation with the catalogue item, stock, and ``orders`` orders of one buyer each
    waiting for its CEB621; returns the organisation id."""
    with transaction(factory) as session:
        ledger.ensure_log(session, name="platform", kek=KEK, origin_prefix=PREFIX)
        organisation = Organisation(
            slug="platform", name="Platform", kind="enterprise", country="CN"
        )
        session.add(organisation)
        session.flush()
        org = organisation.id
        service.put_item(
            session,
            actor=ACTOR,
            organisation_id=org,
            item_no="SKU-FC-50G",
            data=CatalogueItemWrite(
                hs_code="3304990099",
                vat_rate="0.13",
                mfn_duty_rate="0.01",
                excise={"kind": "cosmetics", "net_content": "50", "unit": "g"},
            ),
        )
        service.receive_bonded(
            session,
            actor=ACTOR,
            organisation_id=org,
            data=BondedReceive(
                book_no="T2200W000001", item_no="SKU-FC-50G", status="bonded_cbec", quantity=1000
            ),
        )
        for index in range(orders):
            for message_type in ("CEB311", "CEB411", "CEB511"):
                service.submit_message(
                    session, actor=ACTOR, organisation_id=org, data=_numbered(message_type, index)
                )
    return org


@fixtures
def test_concurrent_orders_of_one_buyer_release_only_up_to_the_limit(factory):
    orders = 25  # 21 x 1,220 = 25,620 fits in 26,000; a 22nd would not
    org = _three_of_each(factory, orders)

    def last_message(index: int) -> None:
        with transaction(factory) as session:
            service.submit_message(
                session, actor=ACTOR, organisation_id=org, data=_numbered("CEB621", index)
            )

    assert run_together(orders, last_message) == []
    with transaction(factory, write=False) as session:
        statuses = list(session.scalars(select(ClearanceOrder.status)))
        total = session.scalar(select(BuyerQuota.total).where(BuyerQuota.buyer_id == VALID_BUYER))
    assert statuses.count("released") == 21
    assert statuses.count("rejected") == 4
    assert total == 21 * DUTIABLE


@fixtures
def test_concurrent_batches_and_messages_of_one_buyer_stay_within_the_limit(factory):
    """Five batches of five lists each and five single lists, all at once; the buyer's quota row
    does not exist yet, so the batches also race to create it."""
    org = _three_of_each(factory, 30)

    def work(index: int) -> None:
        with transaction(factory) as session:
            if index < 5:
                result = clear_batch(
                    session,
                    actor=ACTOR,
                    organisation_id=org,
                    messages=[
                        (f"{n}", _numbered("CEB621", n)) for n in range(5 * index, 5 * index + 5)
                    ],
                )
                assert result.errors == []
            else:
                service.submit_message(
                    session, actor=ACTOR, organisation_id=org, data=_numbered("CEB621", 20 + index)
                )

    assert run_together(10, work) == []
    with transaction(factory, write=False) as session:
        statuses = list(session.scalars(select(ClearanceOrder.status)))
        total = session.scalar(select(BuyerQuota.total).where(BuyerQuota.buyer_id == VALID_BUYER))
        quota_rows = session.scalars(select(BuyerQuota)).all()
        lot = session.scalars(select(BondedLot)).one()
        journal = session.scalar(select(func.sum(BondedMovement.quantity)))
        releases = session.scalar(
            select(func.count(BondedMovement.id)).where(BondedMovement.kind == "release")
        )
    assert statuses.count("released") == 21
    assert statuses.count("rejected") == 9
    assert total == 21 * DUTIABLE
    assert len(quota_rows) == 1
    # Two units per released order, none for a refused one; the journal agrees with the book.
    assert lot.quantity == journal == 1000 - 2 * 21
    assert releases == 21
