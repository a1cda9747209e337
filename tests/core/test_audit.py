from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from digitrade.core import audit
from digitrade.core.audit import AppendOnlyViolation, AuditEvent
from digitrade.core.auth.principal import Principal
from digitrade.core.crypto.jcs import digest_json
from digitrade.core.errors import AuthenticationRequired, PermissionDenied


def test_record_digests_before_and_after(db, world):
    row = audit.record(
        db,
        actor=world.owner,
        action="test.change",
        entity_type="thing",
        entity_id=7,
        organisation_id=world.org_a,
        before={"b": 1, "a": 2},
        after={"a": 3},
    )
    assert row.before_digest == digest_json({"a": 2, "b": 1})  # key order does not matter
    assert row.after_digest == digest_json({"a": 3})
    assert row.actor == world.owner.subject
    assert row.actor_user_id == world.owner.user_id


def test_orm_refuses_update_and_delete(db, world):
    row = audit.record(
        db,
        actor=world.owner,
        action="test.change",
        entity_type="thing",
        entity_id=1,
        organisation_id=world.org_a,
    )
    row.action = "tampered"
    with pytest.raises(AppendOnlyViolation):
        db.flush()
    db.rollback()
    row = db.query(AuditEvent).first()
    db.delete(row)
    with pytest.raises(AppendOnlyViolation):
        db.flush()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_audit_event SET action = 'tampered'",
        "DELETE FROM core_audit_event",
    ],
)
def test_database_refuses_raw_update_and_delete(db, world, statement):
    audit.record(
        db,
        actor=world.owner,
        action="test.change",
        entity_type="thing",
        entity_id=1,
        organisation_id=world.org_a,
    )
    db.commit()
    with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
        db.execute(text(statement))


def test_listing_is_filtered_by_organisation_for_non_admins(db, world):
    for org in (world.org_a, world.org_b):
        audit.record(
            db,
            actor=world.admin,
            action="test.visible",
            entity_type="thing",
            entity_id=org,
            organisation_id=org,
        )
    owner_view = audit.list_events(db, actor=world.owner, action="test.visible")
    assert {e.organisation_id for e in owner_view.items} == {world.org_a}
    admin_view = audit.list_events(db, actor=world.admin, action="test.visible")
    assert {e.organisation_id for e in admin_view.items} == {world.org_a, world.org_b}
    with pytest.raises(PermissionDenied):
        audit.list_events(db, actor=world.owner, organisation_id=world.org_b)
    with pytest.raises(PermissionDenied):
        audit.list_events(db, actor=world.viewer)
    with pytest.raises(AuthenticationRequired):
        audit.list_events(db, actor=Principal.anonymous())


def test_listing_pages_newest_first(db, world):
    for i in range(5):
        audit.record(
            db,
            actor=world.admin,
            action="test.page",
            entity_type="thing",
            entity_id=i,
            organisation_id=world.org_a,
        )
    first = audit.list_events(db, actor=world.admin, action="test.page", limit=2)
    second = audit.list_events(db, actor=world.admin, action="test.page", limit=2, offset=2)
    assert first.total == 5
    assert [e.entity_id for e in first.items] == ["4", "3"]
    assert [e.entity_id for e in second.items] == ["2", "1"]


def test_audit_api_requires_permission(client, world, api_key):
    from digitrade.core.auth.permissions import Role
    from tests.conftest import bearer

    assert client.get("/api/core/audit").status_code == 401
    assert client.get("/api/core/audit", headers=bearer(api_key(Role.VIEWER))).status_code == 403
    response = client.get("/api/core/audit", headers=bearer(api_key(Role.EDITOR)))
    assert response.status_code == 200
    assert all(item["organisation_id"] == world.org_a for item in response.json()["items"])
    assert response.json()["total"] >= 1
