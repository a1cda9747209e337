"""Errors reach users as RFC 9457 problems (API) or readable pages, never as stack traces."""

from __future__ import annotations

from fastapi import APIRouter

from digitrade.app import create_app
from digitrade.core.registry import SystemModule


def test_unknown_api_path_is_a_problem(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not-found"
    assert response.json()["requestId"] == response.headers["x-request-id"]


def test_unknown_page_is_a_page(client):
    response = client.get("/nothing-here", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "404" in response.text


def test_validation_problem_names_each_field(client, world, api_key):
    from tests.conftest import bearer

    response = client.post(
        "/api/core/keys",
        headers=bearer(api_key()),
        json={"organisation_id": "abc", "role": "emperor"},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"organisation_id", "name", "role"}


def test_incoming_request_id_is_kept_when_well_formed(client):
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert generated.headers["x-request-id"] != "bad id\nwith newline"


def test_unexpected_error_hides_the_trace(settings, session_factory):
    router = APIRouter()

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    module = SystemModule(
        name="crashy",
        title="Crashy",
        title_zh="崩溃",
        summary="",
        summary_zh="",
        plan_item="",
        api=router,
    )
    from fastapi.testclient import TestClient

    app = create_app(settings, systems=(module,), session_factory=session_factory)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/crashy/boom")
    assert response.status_code == 500
    assert response.json()["code"] == "internal-error"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text


def test_system_module_is_mounted_and_shown(settings, session_factory):
    router = APIRouter()

    @router.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    pages = APIRouter()

    @pages.get("/")
    def index() -> dict[str, str]:
        return {"page": "yes"}

    module = SystemModule(
        name="probe",
        title="Probe system",
        title_zh="探针系统",
        summary="Proves the wiring.",
        summary_zh="验证接线。",
        plan_item="test",
        api=router,
        pages=pages,
        status=lambda session: (False, "degraded on purpose"),
    )
    from fastapi.testclient import TestClient

    app = create_app(settings, systems=(module,), session_factory=session_factory)
    with TestClient(app) as client:
        assert client.get("/api/probe/ping").json() == {"pong": "yes"}
        assert client.get("/probe/").json() == {"page": "yes"}
        home = client.get("/")
        assert "Probe system" in home.text and "degraded on purpose" in home.text
        assert 'href="/probe/"' in home.text


def test_readiness_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok"}


def test_docs_are_served_from_local_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "digitrade"
