"""The web shell over HTTP: sign-in with CSRF and throttling, forms that fail cleanly."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from digitrade.core.audit import AuditEvent
from digitrade.core.auth.models import ApiKey
from tests.conftest import PASSWORD

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_of(client, path: str = "/login") -> str:
    match = CSRF.search(client.get(path).text)
    assert match
    return match.group(1)


def sign_in(client, email: str, password: str = PASSWORD, next_path: str = "/"):
    return client.post(
        "/login",
        data={
            "email": email,
            "password": password,
            "next": next_path,
            "csrf_token": csrf_of(client),
        },
        follow_redirects=False,
    )


def test_home_renders_for_anonymous(client, world):
    page = client.get("/")
    assert page.status_code == 200
    assert "Digital service trade platform" in page.text
    assert 'href="/login"' in page.text


def test_sign_in_and_out(client, world):
    response = sign_in(client, "owner@a.example", next_path="/audit")
    assert response.status_code == 303
    assert response.headers["location"] == "/audit"
    assert "owner" in client.get("/").text
    logout = client.post(
        "/logout", data={"csrf_token": csrf_of(client, "/")}, follow_redirects=False
    )
    assert logout.status_code == 303
    assert client.get("/audit", follow_redirects=False).status_code == 303


def test_sign_in_without_csrf_token_is_refused(client, world):
    client.get("/login")
    response = client.post("/login", data={"email": "owner@a.example", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert client.get("/audit", follow_redirects=False).status_code == 303


def test_sign_in_never_redirects_off_site(client, world):
    response = sign_in(client, "owner@a.example", next_path="//evil.example/")
    assert response.headers["location"] == "/"


def test_wrong_password_shows_the_form_again(client, world):
    response = sign_in(client, "owner@a.example", password="wrong password!")
    assert response.status_code == 401
    assert 'role="alert"' in response.text
    assert "E-mail or password is wrong." in response.text
    assert 'value="owner@a.example"' in response.text


def test_login_is_rate_limited(client, world):
    for _ in range(3):  # the test settings allow 3 failures per window
        assert sign_in(client, "owner@a.example", password="nope nope nope").status_code == 401
    blocked = sign_in(client, "owner@a.example")  # even the right password is refused now
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.text
    other = sign_in(client, "editor@a.example")
    assert other.status_code == 303


def test_audit_page_lists_and_filters(client, world):
    sign_in(client, "admin@test.example")
    page = client.get("/audit")
    assert page.status_code == 200
    assert "core.organisation.create" in page.text
    partial = client.get(f"/audit?organisation_id={world.org_b}", headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert "core.organisation.create" in partial.text


def test_keys_form_with_bad_input_changes_nothing(client, db, world):
    sign_in(client, "owner@a.example")
    keys_before = db.scalar(select(func.count()).select_from(ApiKey))
    audit_before = db.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post(
        "/keys",
        data={
            "organisation_id": str(world.org_a),
            "name": " ",
            "role": "viewer",
            "csrf_token": csrf_of(client, "/keys"),
        },
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "name" in response.text
    response = client.post(
        "/keys",
        data={
            "organisation_id": str(world.org_a),
            "name": "x",
            "role": "viewer",
            "expires_in_days": "soon",
            "csrf_token": csrf_of(client, "/keys"),
        },
    )
    assert response.status_code == 422
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(ApiKey)) == keys_before
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == audit_before


def test_keys_page_issues_once_and_revokes(client, db, world):
    sign_in(client, "owner@a.example")
    response = client.post(
        "/keys",
        data={
            "organisation_id": str(world.org_a),
            "name": "erp",
            "role": "editor",
            "csrf_token": csrf_of(client, "/keys"),
        },
    )
    assert response.status_code == 200
    token = re.search(r'data-testid="issued-key">(dtk_[^<]+)<', response.text).group(1)
    assert (
        client.get("/api/core/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
    assert token not in client.get("/keys").text  # shown once
    key_id = db.scalar(select(ApiKey.id).where(ApiKey.prefix == token.split("_")[1]))
    revoke = client.post(
        f"/keys/{key_id}/revoke",
        data={"csrf_token": csrf_of(client, "/keys")},
        follow_redirects=False,
    )
    assert revoke.status_code == 303
    assert (
        client.get("/api/core/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


def test_viewer_cannot_manage_keys_from_the_page(client, db, world):
    sign_in(client, "viewer@a.example")
    page = client.get("/keys")
    assert "manage no organisation" in page.text
    response = client.post(
        "/keys",
        data={
            "organisation_id": str(world.org_a),
            "name": "x",
            "role": "viewer",
            "csrf_token": csrf_of(client, "/keys"),
        },
    )
    assert response.status_code == 403
    assert db.scalar(select(func.count()).select_from(ApiKey)) == 0


def test_changing_the_email_does_not_escape_the_limiter(client, world):
    # 3 failures per account; the address as a whole gets 4 x 3 = 12 across accounts.
    for attempt in range(12):
        response = sign_in(client, f"nobody{attempt}@a.example", password="wrong password")
        assert response.status_code == 401
    assert sign_in(client, "someone-else@a.example", password="wrong").status_code == 429


def test_page_mutations_refuse_anonymous_and_wrong_roles(client, db, world, api_key):
    token = api_key()  # an owner key of organisation A
    key_id = db.scalar(select(ApiKey.id).where(ApiKey.prefix == token.split("_")[1]))
    before = (
        db.scalar(select(func.count()).select_from(ApiKey)),
        db.scalar(select(func.count()).select_from(AuditEvent)),
    )
    # Anonymous: sent to the sign-in page, nothing written.
    anonymous = client.post(
        "/keys",
        data={
            "organisation_id": str(world.org_a),
            "name": "x",
            "csrf_token": csrf_of(client, "/login"),
        },
        follow_redirects=False,
    )
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")
    assert client.post(f"/keys/{key_id}/revoke", follow_redirects=False).status_code == 303
    # Wrong role: a viewer of A, and the owner of another organisation, may not revoke A's key.
    for email in ("viewer@a.example", "owner@b.example"):
        sign_in(client, email)
        refused = client.post(
            f"/keys/{key_id}/revoke", data={"csrf_token": csrf_of(client, "/keys")}
        )
        assert refused.status_code == 403
        client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    db.expire_all()
    assert db.scalar(select(ApiKey.revoked_at).where(ApiKey.id == key_id)) is None
    assert (
        db.scalar(select(func.count()).select_from(ApiKey)),
        db.scalar(select(func.count()).select_from(AuditEvent)),
    ) == before


def test_language_switch_keeps_the_query(client):
    """Switching language keeps what the page was showing (filters, a chosen economy)."""
    page = client.get("/?economy=CHN&definition=unctad")
    assert 'href="?economy=CHN&amp;definition=unctad&amp;lang=zh-Hans"' in page.text
    switched = client.get("/?economy=CHN&definition=unctad&lang=zh-Hans")
    assert switched.headers["content-language"] == "zh-Hans"
    assert 'href="?economy=CHN&amp;definition=unctad&amp;lang=en"' in switched.text
