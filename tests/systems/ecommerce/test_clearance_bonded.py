"""A 1210 order released by clearance takes its lines out of the bonded account book in the same
transaction; a short book holds it (no quota reserved) until stock arrives. Every message gets
its customs-style receipt, served as JSON and as CEB XML."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from digitrade.core.auth.models import Organisation
from digitrade.core.auth.permissions import Role
from digitrade.core.auth.principal import Principal
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.ledger import service as ledger
from digitrade.core.migrations import upgrade
from digitrade.systems.ecommerce import service
from digitrade.systems.ecommerce.ceb import read_message, receipt_results
from digitrade.systems.ecommerce.models import (
    BondedLot,
    BondedMovement,
    BuyerQuota,
    ClearanceOrder,
    ClearanceReceipt,
)
from digitrade.systems.ecommerce.schemas import BondedReceive, CatalogueItemWrite
from tests.conftest import bearer
from tests.core.ledger.conftest import KEK, PREFIX
from tests.support import throwaway_database
from tests.systems.ecommerce.support import BOOK, VALID_BUYER, fixtures, numbered, synthetic_bytes
from tests.systems.ecommerce.test_quota_concurrency import run_together

ACTOR = Principal.system("test")
FOUR = ("CEB311", "CEB411", "CEB511", "CEB621")
FACE_CREAM = CatalogueItemWrite(
    hs_code="3304990099",
    vat_rate="0.13",
    mfn_duty_rate="0.01",
    excise={"kind": "cosmetics", "net_content": "50", "unit": "g"},
)

pytestmark = fixtures


@pytest.fixture
def factory(tmp_path) -> Iterator[sessionmaker[Session]]:
    with throwaway_database(tmp_path) as url:
        engine = make_engine(url)
        upgrade(engine)
        try:
            yield make_session_factory(engine)
        finally:
            engine.dispose()


def platform(factory: sessionmaker[Session], stock: int | None) -> int:
    with transaction(factory) as session:
        ledger.ensure_log(session, name="platform", kek=KEK, origin_prefix=PREFIX)
        organisation = Organisation(
            slug="platform", name="Platform", kind="enterprise", country="CN"
        )
        session.add(organisation)
        session.flush()
        service.put_item(
            session,
            actor=ACTOR,
            organisation_id=organisation.id,
            item_no="SKU-FC-50G",
            data=FACE_CREAM,
        )
        if stock is not None:
            receive(session, organisation.id, stock)
        return organisation.id


def receive(session: Session, org: int, quantity: int) -> list[str]:
    result = service.receive_bonded(
        session,
        actor=ACTOR,
        organisation_id=org,
        data=BondedReceive(book_no=BOOK, item_no="SKU-FC-50G", quantity=quantity),
    )
    return result.released_orders


def submit(session: Session, org: int, message_type: str, index: int = 1) -> str:
    return service.submit_message(
        session, actor=ACTOR, organisation_id=org, data=numbered(message_type, index)
    ).status


def on_hand(session: Session, org: int) -> int:
    lot = session.scalars(select(BondedLot).where(BondedLot.organisation_id == org)).one()
    return lot.quantity


def quota(session: Session) -> Decimal:
    total = session.scalar(select(BuyerQuota.total).where(BuyerQuota.buyer_id == VALID_BUYER))
    return total if total is not None else Decimal(0)


def test_a_released_1210_order_takes_its_lines_out_of_the_book(factory):
    org = platform(factory, stock=5)
    with transaction(factory) as session:
        assert [submit(session, org, kind) for kind in FOUR] == [
            "pending",
            "pending",
            "pending",
            "released",
        ]
        assert on_hand(session, org) == 3
        movement = session.scalars(select(BondedMovement).where(BondedMovement.kind == "release"))
        (release,) = movement.all()
        assert release.quantity == -2 and release.order_no == "SYN202500000001"
        order = session.scalars(select(ClearanceOrder)).one()
        assert order.match_result["bonded"] == {
            "book_no": BOOK,
            "status": "bonded_cbec",
            "lines": {"SKU-FC-50G": 2},
        }
        assert quota(session) == Decimal("1220.00")


def test_a_short_book_holds_the_order_without_quota_then_stock_releases_it(factory):
    org = platform(factory, stock=1)
    with transaction(factory) as session:
        statuses = [submit(session, org, kind) for kind in FOUR]
    assert statuses[-1] == "held"
    with transaction(factory) as session:
        order = session.scalars(select(ClearanceOrder)).one()
        hold = order.match_result["hold"]
        assert hold["code"] == "bonded-stock-short"
        assert hold["lot"] == {"book_no": BOOK, "item_no": "SKU-FC-50G", "status": "bonded_cbec"}
        assert (hold["on_hand"], hold["requested"]) == (1, 2)
        assert order.match_result["return_status"] == "120"
        assert order.released_at is None and order.ledger_index is None
        assert quota(session) == Decimal(0)  # nothing reserved for a held order
        assert on_hand(session, org) == 1
        receipts = session.scalars(select(ClearanceReceipt).order_by(ClearanceReceipt.id)).all()
        assert receipts[-1].receipt_type == "CEB622" and receipts[-1].status == "120"
        assert "held" in receipts[-1].info and "1 on hand" in receipts[-1].info
        # A corrected message re-checks it: still short, still held.
        assert submit(session, org, "CEB511") == "held"
    with transaction(factory) as session:
        assert receive(session, org, 1) == ["SYN202500000001"]
    with transaction(factory) as session:
        order = session.scalars(select(ClearanceOrder)).one()
        assert order.status == "released" and order.ledger_index is not None
        assert "hold" not in order.match_result
        assert on_hand(session, org) == 0
        assert quota(session) == Decimal("1220.00")
        last = session.scalars(select(ClearanceReceipt).order_by(ClearanceReceipt.id)).all()[-1]
        assert (last.receipt_type, last.status) == ("CEB622", "800")


def test_stock_for_another_book_does_not_release_a_held_order(factory):
    org = platform(factory, stock=None)
    with transaction(factory) as session:
        assert [submit(session, org, kind) for kind in FOUR][-1] == "held"
        hold = session.scalars(select(ClearanceOrder)).one().match_result["hold"]
        assert (hold["on_hand"], hold["requested"]) == (0, 2)
        released = service.receive_bonded(
            session,
            actor=ACTOR,
            organisation_id=org,
            data=BondedReceive(book_no="OTHER-BOOK", item_no="SKU-FC-50G", quantity=9),
        ).released_orders
        assert released == []
        assert session.scalars(select(ClearanceOrder)).one().status == "held"


def test_concurrent_releases_never_take_the_book_below_zero(factory):
    orders, stock = 8, 10  # two units each: five orders fit
    org = platform(factory, stock=stock)
    with transaction(factory) as session:
        for index in range(orders):
            for kind in ("CEB311", "CEB411", "CEB511"):
                submit(session, org, kind, index)

    def last_message(index: int) -> None:
        with transaction(factory) as session:
            submit(session, org, "CEB621", index)

    assert run_together(orders, last_message) == []
    with transaction(factory, write=False) as session:
        statuses = list(session.scalars(select(ClearanceOrder.status)))
        assert statuses.count("released") == 5
        assert statuses.count("held") == 3
        assert on_hand(session, org) == 0
        assert quota(session) == 5 * Decimal("1220.00")
        journal = session.scalars(select(BondedMovement.quantity)).all()
        assert sum(journal) == 0


# Receipts over HTTP ------------------------------------------------------------------------------


@pytest.mark.usefixtures("platform_log")
def test_receipts_as_json_and_as_ceb_xml(client, world, api_key):
    token = api_key(Role.EDITOR)
    org = world.org_a
    client.put(
        f"/api/ecommerce/items/SKU-FC-50G?organisation_id={org}",
        headers=bearer(token),
        json=FACE_CREAM.model_dump(exclude_none=True),
    )
    stocked = client.post(
        f"/api/ecommerce/bonded/receipts?organisation_id={org}",
        headers=bearer(token),
        json={"book_no": BOOK, "item_no": "SKU-FC-50G", "quantity": 2},
    )
    assert stocked.status_code == 201, stocked.text
    order_id = None
    for kind in FOUR:
        response = client.post(
            f"/api/ecommerce/messages?organisation_id={org}",
            headers={**bearer(token), "content-type": "application/xml"},
            content=synthetic_bytes(kind),
        )
        assert response.status_code == 201, response.text
        order_id = response.json()["id"]
    receipts = client.get(f"/api/ecommerce/orders/{order_id}/receipts", headers=bearer(token))
    assert receipts.status_code == 200, receipts.text
    body = receipts.json()
    assert [(r["receipt_type"], r["status"]) for r in body] == [
        ("CEB312", "120"),
        ("CEB412", "120"),
        ("CEB512", "120"),
        ("CEB622", "120"),
        ("CEB622", "800"),
    ]
    assert body[0]["info"] == "accepted; waiting for CEB411, CEB511, CEB621"
    assert body[0]["status_name"] == "accepted by customs"
    assert body[0]["status_name_zh"] == "海关入库"
    assert body[0]["keys"]["orderNo"] == "SYN202501010001"
    released = body[-1]
    assert released["info"] == "released; tax 281.32"
    assert released["keys"]["invtNo"].startswith("2200") and released["keys"]["preNo"][0] == "B"
    xml = client.get(
        f"/api/ecommerce/orders/{order_id}/receipts/{released['id']}/xml", headers=bearer(token)
    )
    assert xml.status_code == 200, xml.text
    assert xml.headers["content-type"].startswith("application/xml")
    parsed = read_message(xml.content)
    assert parsed.message_type == "CEB622"
    (result,) = receipt_results(parsed)
    assert result.status == "800" and result.info == "released; tax 281.32"
    assert result.keys["copNo"] == "COP202501010001"
    assert etree.fromstring(xml.content).tag.endswith("CEB622Message")
    missing = client.get(
        f"/api/ecommerce/orders/{order_id}/receipts/999/xml", headers=bearer(token)
    )
    assert missing.status_code == 404
    outsider = api_key(Role.EDITOR, world.org_b)
    refused = client.get(f"/api/ecommerce/orders/{order_id}/receipts", headers=bearer(outsider))
    assert refused.status_code == 403


@pytest.mark.usefixtures("platform_log")
def test_a_refused_message_gets_a_100_receipt_naming_the_check(client, world, api_key):
    token = api_key(Role.EDITOR)
    bad = synthetic_bytes("CEB411").replace(b">1501.32<", b">1501.00<")
    assert bad != synthetic_bytes("CEB411")
    order_id = None
    for data in (synthetic_bytes("CEB311"), bad):
        response = client.post(
            f"/api/ecommerce/messages?organisation_id={world.org_a}",
            headers={**bearer(token), "content-type": "application/xml"},
            content=data,
        )
        assert response.status_code == 201, response.text
        order_id = response.json()["id"]
    body = client.get(f"/api/ecommerce/orders/{order_id}/receipts", headers=bearer(token)).json()
    assert (body[-1]["receipt_type"], body[-1]["status"]) == ("CEB412", "100")
    assert body[-1]["info"].startswith("refused: amounts")


def test_an_accepted_return_with_the_goods_back_refills_the_bonded_lots(factory):
    """Same-warehouse storage: a returned 1210 order's units go back into the lots its release
    took them from; without the goods back (no date) nothing moves."""
    org = platform(factory, stock=5)
    with transaction(factory) as session:
        for kind in FOUR:
            submit(session, org, kind)
        order = session.scalars(select(ClearanceOrder)).one()
        assert on_hand(session, org) == 3
        released = order.released_at.astimezone(service.CHINA).date()
        result = service.submit_return(
            session,
            actor=ACTOR,
            order_id=order.id,
            data=service.ReturnCreate(
                application_date=released,
                goods_back_date=released,
                goods_category="cosmetics",
            ),
        )
        assert result.decision["accepted"] is True
        assert result.bonded_return is not None
        assert [m.kind for m in result.bonded_return.movements] == ["return_in"]
        assert on_hand(session, org) == 5
        assert quota(session) == Decimal(0)  # the annual total is credited back too
        back = session.scalars(
            select(BondedMovement).where(BondedMovement.kind == "return_in")
        ).one()
        assert (back.quantity, back.order_no) == (2, "SYN202500000001")


def test_a_return_without_the_goods_back_moves_no_stock(factory):
    org = platform(factory, stock=5)
    with transaction(factory) as session:
        for kind in FOUR:
            submit(session, org, kind)
        order = session.scalars(select(ClearanceOrder)).one()
        released = order.released_at.astimezone(service.CHINA).date()
        result = service.submit_return(
            session,
            actor=ACTOR,
            order_id=order.id,
            data=service.ReturnCreate(application_date=released, goods_category="cosmetics"),
        )
        assert result.bonded_return is None
        assert on_hand(session, org) == 3
