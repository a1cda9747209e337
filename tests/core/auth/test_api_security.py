"""Every mutating API endpoint: anonymous -> 401, wrong role -> 403, right role -> success.

A denied call must leave no row and no audit entry behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitrade.core.audit import AuditEvent
from digitrade.core.auth import service
from digitrade.core.auth.models import ApiKey, Membership, Organisation, User
from digitrade.core.auth.permissions import Role
from digitrade.core.auth.schemas import ApiKeyCreate, UserCreate
from digitrade.core.ledger import service as ledger
from digitrade.core.ledger.models import LedgerCheckpoint, LedgerEntry
from tests.conftest import PASSWORD, TEST_KEK, World, bearer


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # route path template, as registered
    url: Callable[[World, Session], str]
    body: Callable[[World, Session], dict[str, Any] | None]
    table: type  # where a successful call writes
    denied_roles: tuple[str, ...]  # "viewer"/"editor"/"owner" of org A, "outsider" (owner of B)
    allowed_role: str
    success: int


def _other_user(world: World, db: Session) -> int:
    user = service.create_user(
        db,
        actor=world.admin,
        data=UserCreate(email="loose@test.example", display_name="Loose", password=PASSWORD),
    )
    db.commit()
    return user.id


def _key_of_org_a(world: World, db: Session) -> str:
    issued = service.create_api_key(
        db,
        actor=world.admin,
        data=ApiKeyCreate(organisation_id=world.org_a, name="target", role=Role.VIEWER),
    )
    db.commit()
    return issued.prefix


def _ledger_log(world: World, db: Session) -> str:
    ledger.ensure_log(db, name="platform", kek=TEST_KEK, origin_prefix="test.example/ledger")
    db.commit()
    return "platform"


CASES = [
    Case(
        "POST",
        "/api/core/organisations",
        lambda w, d: "/api/core/organisations",
        lambda w, d: {"slug": "new-org", "name": "New Org", "kind": "bank"},
        Organisation,
        ("viewer", "editor", "owner", "outsider"),
        "admin",
        201,
    ),
    Case(
        "POST",
        "/api/core/users",
        lambda w, d: "/api/core/users",
        lambda w, d: {
            "email": "new@a.example",
            "display_name": "New",
            "password": PASSWORD,
            "organisation_id": w.org_a,
            "role": "viewer",
        },
        User,
        ("viewer", "editor", "outsider"),
        "owner",
        201,
    ),
    Case(
        "PUT",
        "/api/core/organisations/{organisation_id}/members",
        lambda w, d: f"/api/core/organisations/{w.org_a}/members",
        lambda w, d: {"user_id": _other_user(w, d), "role": "editor"},
        Membership,
        ("viewer", "editor", "outsider"),
        "owner",
        200,
    ),
    Case(
        "POST",
        "/api/core/keys",
        lambda w, d: "/api/core/keys",
        lambda w, d: {"organisation_id": w.org_a, "name": "ci", "role": "viewer"},
        ApiKey,
        ("viewer", "editor", "outsider"),
        "owner",
        201,
    ),
    Case(
        "POST",
        "/api/core/keys/{key}/revoke",
        lambda w, d: f"/api/core/keys/{_key_of_org_a(w, d)}/revoke",
        lambda w, d: None,
        ApiKey,
        ("viewer", "editor", "outsider"),
        "owner",
        200,
    ),
]
CASES += [
    Case(
        "POST",
        "/api/ledger/logs/{log}/entries",
        lambda w, d: f"/api/ledger/logs/{_ledger_log(w, d)}/entries",
        lambda w, d: {"organisation_id": w.org_a, "subject": "BL-1", "statement": "issued"},
        LedgerEntry,
        ("viewer", "outsider"),
        "editor",
        201,
    ),
    Case(
        "POST",
        "/api/ledger/logs/{log}/checkpoint",
        lambda w, d: f"/api/ledger/logs/{_ledger_log(w, d)}/checkpoint",
        lambda w, d: None,
        LedgerCheckpoint,
        ("viewer", "editor", "owner", "outsider"),
        "admin",
        200,
    ),
]

# Open by design: what they accept is authenticated by signatures, not by who sends it
# (a witness returning its cosignature; a log asking this instance, as a witness, to cosign).
# tests/core/ledger/test_api.py covers them.
PUBLIC_MUTATIONS = {
    ("POST", "/api/ledger/logs/{log}/cosignatures"),
    ("POST", "/api/ledger/witness/add-checkpoint"),
}


def _token_for(role: str, world: World, api_key: Callable[..., str]) -> str:
    """An API key acting with ``role`` in organisation A ("outsider": owner of B)."""
    if role == "outsider":
        return api_key(Role.OWNER, organisation_id=world.org_b)
    return api_key(Role(role))


def _counts(db: Session, table: type) -> tuple[int, int, int]:
    """Rows in the target table, audit rows, revoked keys: a denied call changes none."""
    db.expire_all()
    return (
        db.scalar(select(func.count()).select_from(table)) or 0,
        db.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        db.scalar(select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_not(None)))
        or 0,
    )


def _login(client, email: str) -> dict[str, str]:
    page = client.get("/login")
    token = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    # A fresh session gets a fresh CSRF token: read it from the next page.
    page = client.get("/")
    return {"X-CSRF-Token": page.text.split('name="csrf-token" content="')[1].split('"')[0]}


def test_every_mutating_route_has_a_case(app):
    mutating = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/api/")
        for method in operations
        if method.upper() not in {"GET", "HEAD", "OPTIONS"}
    }
    assert mutating == {(c.method, c.path) for c in CASES} | PUBLIC_MUTATIONS


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_anonymous_is_refused(case, client, world, db):
    url, body = case.url(world, db), case.body(world, db)
    before = _counts(db, case.table)
    response = client.request(case.method, url, json=body)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "authentication-required"
    assert _counts(db, case.table) == before


@pytest.mark.parametrize(
    ("case", "role"),
    [(c, r) for c in CASES for r in c.denied_roles],
    ids=lambda v: v if isinstance(v, str) else f"{v.method} {v.path}",
)
def test_wrong_role_is_refused_and_leaves_nothing(case, role, client, world, db, api_key):
    url, body = case.url(world, db), case.body(world, db)
    token = _token_for(role, world, api_key)
    before = _counts(db, case.table)
    response = client.request(case.method, url, json=body, headers=bearer(token))
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "permission-denied"
    assert _counts(db, case.table) == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_right_role_succeeds_and_is_audited(case, client, world, db, api_key):
    url, body = case.url(world, db), case.body(world, db)
    if case.allowed_role == "admin":  # platform administrators are people, signed in
        headers = _login(client, "admin@test.example")
    else:
        headers = bearer(_token_for(case.allowed_role, world, api_key))
    audit_before = _counts(db, case.table)[1]
    response = client.request(case.method, url, json=body, headers=headers)
    assert response.status_code == case.success, response.text
    assert _counts(db, case.table)[1] == audit_before + 1


def test_browser_session_needs_csrf_header_for_unsafe_api_calls(client, world, db):
    _login(client, "admin@test.example")
    before = _counts(db, Organisation)
    response = client.post(
        "/api/core/organisations", json={"slug": "csrf-less", "name": "No CSRF", "kind": "bank"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert _counts(db, Organisation) == before


def test_api_key_works_until_revoked(client, world, api_key):
    token = api_key(Role.OWNER)
    assert client.get("/api/core/me", headers=bearer(token)).status_code == 200
    prefix = token.split("_")[1]
    revoked = client.post(f"/api/core/keys/{prefix}/revoke", headers=bearer(token))
    assert revoked.status_code == 200
    after = client.get("/api/core/me", headers=bearer(token))
    assert after.status_code == 401
    assert after.json()["detail"] == "API key was revoked"
    assert after.headers["www-authenticate"].startswith("Bearer")


def test_api_key_stops_at_expiry(client, db, world, api_key):
    token = api_key(Role.VIEWER, days=1)
    assert client.get("/api/core/me", headers=bearer(token)).status_code == 200
    key = db.scalar(select(ApiKey).where(ApiKey.prefix == token.split("_")[1]))
    key.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.commit()
    response = client.get("/api/core/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["detail"] == "API key has expired"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer dtk_nothere_secret",
        "Bearer not-a-key",
        "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
        "Bearer ",
    ],
)
def test_bad_credentials_get_401(client, world, header):
    response = client.get("/api/core/organisations", headers={"Authorization": header})
    assert response.status_code == 401


def test_wrong_secret_with_real_prefix_is_refused(client, api_key):
    token = api_key(Role.OWNER)
    forged = token[: token.rindex("_") + 1] + "x" * 43
    assert client.get("/api/core/me", headers=bearer(forged)).status_code == 401
