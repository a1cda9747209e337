"""Bonded account book (1210, same-warehouse storage): lots per book, item and status tag, an
append-only movement journal, stock that can never go negative (also under concurrent movements
on a real engine), and the stock-take report reconciling book, journal and physical count."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from digitrade.core.audit import AuditEvent
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.permissions import Role
from digitrade.core.auth.principal import Principal
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.errors import NotFound, PermissionDenied
from digitrade.core.migrations import upgrade
from digitrade.systems.ecommerce import service
from digitrade.systems.ecommerce.models import BondedLot, BondedMovement
from digitrade.systems.ecommerce.schemas import (
    BondedLine,
    BondedReceive,
    BondedRelease,
    BondedTransfer,
    StockCount,
    StockTakeRequest,
)
from tests.conftest import bearer
from tests.support import throwaway_database
from tests.systems.ecommerce.test_quota_concurrency import run_together

BOOK = "T2244W000001"
ACTOR = Principal.system("test")


def url(path: str, org: int) -> str:
    return f"/api/ecommerce/bonded/{path}?organisation_id={org}"


def receive(client, token, org, quantity=10, status="bonded_cbec", item="SKU-FC-50G"):
    return client.post(
        url("receipts", org),
        headers=bearer(token),
        json={
            "book_no": BOOK,
            "item_no": item,
            "status": status,
            "quantity": quantity,
            "reference": "ENTRY-001",
        },
    )


def release(client, token, org, *lines, order_no="SYN202501010001"):
    return client.post(
        url("releases", org),
        headers=bearer(token),
        json={
            "book_no": BOOK,
            "order_no": order_no,
            "invt_no": "INVT-" + order_no,
            "lines": [{"item_no": item, "quantity": quantity} for item, quantity in lines],
        },
    )


# API contract ---------------------------------------------------------------------------------


def test_receive_release_transfer_return_and_the_journal(client, world, api_key, db):
    token = api_key(Role.EDITOR)
    received = receive(client, token, world.org_a, 10)
    assert received.status_code == 201, received.text
    body = received.json()
    assert body.keys() == {"lots", "movements", "released_orders"}
    lot = body["lots"][0]
    assert lot.keys() == {
        "id",
        "organisation_id",
        "book_no",
        "item_no",
        "status",
        "quantity",
        "updated_at",
    }
    assert (lot["book_no"], lot["item_no"], lot["status"], lot["quantity"]) == (
        BOOK,
        "SKU-FC-50G",
        "bonded_cbec",
        10,
    )
    assert body["movements"][0]["kind"] == "receipt"
    assert body["movements"][0]["quantity"] == 10
    assert body["movements"][0]["reference"] == "ENTRY-001"

    released = release(client, token, world.org_a, ("SKU-FC-50G", 2), ("SKU-FC-50G", 1))
    assert released.status_code == 201, released.text
    movement = released.json()["movements"][0]
    assert (movement["kind"], movement["quantity"]) == ("release", -3)
    assert movement["reference"] == "INVT-SYN202501010001"
    assert movement["order_no"] == "SYN202501010001"
    assert released.json()["lots"][0]["quantity"] == 7

    moved = client.post(
        url("transfers", world.org_a),
        headers=bearer(token),
        json={
            "book_no": BOOK,
            "item_no": "SKU-FC-50G",
            "from_status": "bonded_cbec",
            "to_status": "general_bonded",
            "quantity": 4,
        },
    )
    assert moved.status_code == 201, moved.text
    source, target = moved.json()["lots"]
    assert (source["status"], source["quantity"]) == ("bonded_cbec", 3)
    assert (target["status"], target["quantity"]) == ("general_bonded", 4)
    out, into = moved.json()["movements"]
    assert (out["kind"], out["quantity"], out["peer_lot_id"]) == ("transfer_out", -4, target["id"])
    assert (into["kind"], into["quantity"], into["peer_lot_id"]) == ("transfer_in", 4, source["id"])

    returned = client.post(
        url("returns", world.org_a),
        headers=bearer(token),
        json={
            "book_no": BOOK,
            "order_no": "SYN202501010001",
            "reference": "CEB625-1",
            "lines": [{"item_no": "SKU-FC-50G", "quantity": 1}],
        },
    )
    assert returned.status_code == 201, returned.text
    assert returned.json()["lots"][0]["quantity"] == 4

    viewer = api_key(Role.VIEWER)
    lots = client.get(url("lots", world.org_a) + f"&book_no={BOOK}", headers=bearer(viewer))
    assert lots.status_code == 200, lots.text
    assert lots.json()["total"] == 2
    assert [(x["status"], x["quantity"]) for x in lots.json()["items"]] == [
        ("bonded_cbec", 4),
        ("general_bonded", 4),
    ]
    journal = client.get(
        f"/api/ecommerce/bonded/lots/{source['id']}/movements", headers=bearer(viewer)
    )
    assert journal.status_code == 200, journal.text
    assert [(m["kind"], m["quantity"]) for m in journal.json()["items"]] == [
        ("return_in", 1),
        ("transfer_out", -4),
        ("release", -3),
        ("receipt", 10),
    ]
    actions = set(
        db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("ecommerce.bonded.%")))
    )
    assert actions == {
        "ecommerce.bonded.receive",
        "ecommerce.bonded.release",
        "ecommerce.bonded.transfer",
        "ecommerce.bonded.return",
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"book_no": BOOK, "item_no": "X", "quantity": 0}, "quantity"),
        ({"book_no": BOOK, "item_no": "X", "quantity": -1}, "quantity"),
        ({"book_no": BOOK, "item_no": "X", "quantity": 1, "status": "bonded"}, "status"),
        ({"book_no": "", "item_no": "X", "quantity": 1}, "book_no"),
        ({"book_no": BOOK, "item_no": "X", "quantity": 1, "surprise": 1}, "surprise"),
    ],
)
def test_bad_movements_are_problems_naming_the_field(client, world, api_key, body, field):
    response = client.post(
        url("receipts", world.org_a), headers=bearer(api_key(Role.EDITOR)), json=body
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(field in error["field"] for error in response.json()["errors"])


def test_a_transfer_to_the_same_status_is_refused(client, world, api_key):
    token = api_key(Role.EDITOR)
    receive(client, token, world.org_a, 5)
    response = client.post(
        url("transfers", world.org_a),
        headers=bearer(token),
        json={
            "book_no": BOOK,
            "item_no": "SKU-FC-50G",
            "from_status": "bonded_cbec",
            "to_status": "bonded_cbec",
            "quantity": 1,
        },
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["to_status"]


# Negative stock ---------------------------------------------------------------------------------


def test_stock_never_goes_negative_and_the_refusal_names_the_lot(client, world, api_key, db):
    token = api_key(Role.EDITOR)
    receive(client, token, world.org_a, 3)
    receive(client, token, world.org_a, 5, item="SKU-2")
    # Two lines; the second is short: nothing moves.
    response = release(client, token, world.org_a, ("SKU-FC-50G", 2), ("SKU-2", 6))
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["code"] == "ecommerce.bonded-stock-short"
    assert f"book {BOOK} item SKU-2 (bonded_cbec)" in problem["detail"]
    assert problem["lot"] == {"book_no": BOOK, "item_no": "SKU-2", "status": "bonded_cbec"}
    assert (problem["on_hand"], problem["requested"]) == (5, 6)
    quantities = dict(db.execute(select(BondedLot.item_no, BondedLot.quantity)).tuples().all())
    assert quantities == {"SKU-FC-50G": 3, "SKU-2": 5}
    assert db.scalar(select(func.count()).select_from(BondedMovement)) == 2

    # A lot that does not exist has nothing on hand.
    missing = release(client, token, world.org_a, ("SKU-NONE", 1))
    assert missing.status_code == 409
    assert "item SKU-NONE" in missing.json()["detail"]
    short_transfer = client.post(
        url("transfers", world.org_a),
        headers=bearer(token),
        json={
            "book_no": BOOK,
            "item_no": "SKU-FC-50G",
            "from_status": "bonded_cbec",
            "to_status": "non_bonded",
            "quantity": 4,
        },
    )
    assert short_transfer.status_code == 409
    assert short_transfer.json()["on_hand"] == 3
    adjusted = client.post(
        url("adjustments", world.org_a),
        headers=bearer(token),
        json={
            "book_no": BOOK,
            "item_no": "SKU-FC-50G",
            "status": "bonded_cbec",
            "quantity": -4,
            "note": "count",
        },
    )
    assert adjusted.status_code == 409
    # No target lot was left behind by the refused transfer.
    assert db.scalar(select(func.count()).select_from(BondedLot)) == 2


# Permissions --------------------------------------------------------------------------------


def test_moving_stock_needs_an_editor_reading_needs_membership(client, world, api_key):
    viewer = api_key(Role.VIEWER)
    outsider = api_key(Role.OWNER, organisation_id=world.org_b)
    assert receive(client, "", world.org_a).status_code == 401
    assert receive(client, viewer, world.org_a).status_code == 403
    assert receive(client, outsider, world.org_a).status_code == 403
    owner = api_key(Role.OWNER)
    lot_id = receive(client, owner, world.org_a).json()["lots"][0]["id"]
    assert release(client, viewer, world.org_a, ("SKU-FC-50G", 1)).status_code == 403
    assert client.get(url("lots", world.org_a), headers=bearer(viewer)).status_code == 200
    assert client.get(url("lots", world.org_a), headers=bearer(outsider)).status_code == 403
    assert client.get(url("lots", world.org_a)).status_code == 401
    journal = f"/api/ecommerce/bonded/lots/{lot_id}/movements"
    assert client.get(journal, headers=bearer(viewer)).status_code == 200
    assert client.get(journal, headers=bearer(outsider)).status_code == 403
    assert (
        client.get("/api/ecommerce/bonded/lots/999999/movements", headers=bearer(viewer))
    ).status_code == 404
    take = {"book_no": BOOK, "counts": []}
    assert (
        client.post(url("stock-take", world.org_a), headers=bearer(viewer), json=take)
    ).status_code == 200
    assert (
        client.post(url("stock-take", world.org_a), headers=bearer(outsider), json=take)
    ).status_code == 403


def test_service_checks_permissions_itself(db, world):
    data = BondedReceive(book_no=BOOK, item_no="X", quantity=1)
    with pytest.raises(PermissionDenied):
        service.receive_bonded(db, actor=world.viewer, organisation_id=world.org_a, data=data)
    with pytest.raises(PermissionDenied):
        service.receive_bonded(db, actor=world.outsider, organisation_id=world.org_a, data=data)
    with pytest.raises(NotFound):
        service.list_bonded_movements(db, actor=world.viewer, lot_id=424242)


# Stock-take -------------------------------------------------------------------------------------


def test_stock_take_reports_count_and_journal_differences(client, world, api_key, db):
    token = api_key(Role.EDITOR)
    receive(client, token, world.org_a, 10)
    receive(client, token, world.org_a, 4, status="general_bonded")
    release(client, token, world.org_a, ("SKU-FC-50G", 3))
    counts = {
        "book_no": BOOK,
        "counts": [
            {"item_no": "SKU-FC-50G", "status": "bonded_cbec", "counted": 6},
            {"item_no": "SKU-FC-50G", "status": "general_bonded", "counted": 4},
            {"item_no": "SKU-FOUND", "status": "non_bonded", "counted": 2},
        ],
    }
    viewer = api_key(Role.VIEWER)
    report = client.post(url("stock-take", world.org_a), headers=bearer(viewer), json=counts)
    assert report.status_code == 200, report.text
    result = report.json()
    assert result["reconciled"] is True
    assert result["differences"] == 2
    lines = {(line["item_no"], line["status"]): line for line in result["lines"]}
    cbec = lines[("SKU-FC-50G", "bonded_cbec")]
    assert (cbec["book_quantity"], cbec["journal_quantity"], cbec["counted"]) == (7, 7, 6)
    assert (cbec["book_vs_journal"], cbec["count_vs_book"]) == (0, -1)
    assert lines[("SKU-FC-50G", "general_bonded")]["count_vs_book"] == 0
    found = lines[("SKU-FOUND", "non_bonded")]
    assert (found["lot_id"], found["book_quantity"], found["count_vs_book"]) == (None, 0, 2)

    # An adjustment books the count difference; the next stock-take agrees with the count.
    adjusted = client.post(
        url("adjustments", world.org_a),
        headers=bearer(token),
        json={
            "book_no": BOOK,
            "item_no": "SKU-FC-50G",
            "status": "bonded_cbec",
            "quantity": -1,
            "note": "stock-take 2025-01: one damaged",
        },
    )
    assert adjusted.status_code == 201, adjusted.text
    assert adjusted.json()["movements"][0]["kind"] == "adjustment"
    again = client.post(url("stock-take", world.org_a), headers=bearer(viewer), json=counts)
    assert again.json()["differences"] == 1  # only the unbooked SKU-FOUND remains

    # A book quantity changed outside the journal is reported.
    db.execute(update(BondedLot).where(BondedLot.status == "general_bonded").values(quantity=9))
    db.commit()
    tampered = client.post(url("stock-take", world.org_a), headers=bearer(viewer), json=counts)
    assert tampered.json()["reconciled"] is False
    line = next(x for x in tampered.json()["lines"] if x["status"] == "general_bonded")
    assert (line["book_vs_journal"], line["count_vs_book"]) == (5, -5)


def test_a_repeated_count_is_refused(client, world, api_key):
    repeated = {"item_no": "X", "status": "bonded_cbec", "counted": 1}
    response = client.post(
        url("stock-take", world.org_a),
        headers=bearer(api_key(Role.VIEWER)),
        json={"book_no": BOOK, "counts": [repeated, repeated]},
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["counts[1]"]


# Concurrency on a real engine ------------------------------------------------------------------


@pytest.fixture
def factory(tmp_path) -> Iterator[sessionmaker[Session]]:
    with throwaway_database(tmp_path) as database_url:
        engine = make_engine(database_url)
        upgrade(engine)
        try:
            yield make_session_factory(engine)
        finally:
            engine.dispose()


def _organisation(factory: sessionmaker[Session]) -> int:
    with transaction(factory) as session:
        organisation = Organisation(
            slug="warehouse", name="Warehouse", kind="enterprise", country="CN"
        )
        session.add(organisation)
        session.flush()
        return organisation.id


def _book(factory: sessionmaker[Session], org: int) -> dict[str, int]:
    with transaction(factory, write=False) as session:
        lots = {
            lot.status: lot.quantity
            for lot in session.scalars(select(BondedLot).where(BondedLot.organisation_id == org))
        }
        report = service.stock_take(
            session, actor=ACTOR, organisation_id=org, data=StockTakeRequest(book_no=BOOK)
        )
    assert report.reconciled
    return lots


def test_concurrent_releases_never_take_a_lot_below_zero(factory):
    org = _organisation(factory)
    with transaction(factory) as session:
        service.receive_bonded(
            session,
            actor=ACTOR,
            organisation_id=org,
            data=BondedReceive(book_no=BOOK, item_no="SKU-1", quantity=10),
        )

    def one_release(index: int) -> None:
        with transaction(factory) as session:
            service.release_bonded(
                session,
                actor=ACTOR,
                organisation_id=org,
                data=BondedRelease(
                    book_no=BOOK,
                    order_no=f"ORDER-{index}",
                    invt_no=f"INVT-{index}",
                    lines=[BondedLine(item_no="SKU-1", quantity=3)],
                ),
            )

    errors = run_together(8, one_release)
    assert len(errors) == 5  # 3 x 3 = 9 of 10 leave; the other five are refused
    assert all(isinstance(error, service.StockShort) for error in errors), errors
    assert _book(factory, org) == {"bonded_cbec": 1}


def test_concurrent_transfers_and_releases_keep_the_book_whole(factory):
    org = _organisation(factory)

    def first_receipts(index: int) -> None:  # the lot is created once, even concurrently
        with transaction(factory) as session:
            service.receive_bonded(
                session,
                actor=ACTOR,
                organisation_id=org,
                data=BondedReceive(book_no=BOOK, item_no="SKU-1", quantity=2),
            )

    assert run_together(6, first_receipts) == []
    assert _book(factory, org) == {"bonded_cbec": 12}

    def mixed(index: int) -> None:
        with transaction(factory) as session:
            if index % 2:
                service.transfer_bonded(
                    session,
                    actor=ACTOR,
                    organisation_id=org,
                    data=BondedTransfer(
                        book_no=BOOK,
                        item_no="SKU-1",
                        from_status="bonded_cbec",
                        to_status="general_bonded",
                        quantity=2,
                    ),
                )
            else:
                service.release_bonded(
                    session,
                    actor=ACTOR,
                    organisation_id=org,
                    data=BondedRelease(
                        book_no=BOOK,
                        order_no=f"ORDER-{index}",
                        invt_no=f"INVT-{index}",
                        lines=[BondedLine(item_no="SKU-1", quantity=2)],
                    ),
                )

    errors = run_together(10, mixed)
    assert len(errors) == 4  # 12 units: six moves of 2 succeed, four are refused
    assert all(isinstance(error, service.StockShort) for error in errors), errors
    book = _book(factory, org)
    assert book["bonded_cbec"] == 0
    assert book["general_bonded"] % 2 == 0
    with transaction(factory, write=False) as session:
        released = session.scalar(
            select(func.coalesce(func.sum(BondedMovement.quantity), 0)).where(
                BondedMovement.kind == "release"
            )
        )
    assert book["general_bonded"] - released == 12  # released is negative


def test_stock_take_counts_are_validated():
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        StockCount(item_no="X", status="bonded_cbec", counted=-1)
