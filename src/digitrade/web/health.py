"""Liveness (``/healthz``: the process answers) and readiness (``/readyz``: database reachable
and migrated to the code's revision)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from digitrade.core.auth.dependencies import platform
from digitrade.core.migrations import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: database reachable and migrated")
def readyz(request: Request) -> JSONResponse:
    factory = platform(request).session_factory
    checks: dict[str, str] = {}
    try:
        with factory() as session:
            session.execute(text("SELECT 1"))
            checks["database"] = "ok"
            current = current_revision(session.connection())
            expected = head_revision()
            checks["migrations"] = (
                "ok" if current == expected else f"at {current}, expected {expected}"
            )
    except Exception as exc:
        checks.setdefault("database", f"unreachable: {type(exc).__name__}")
    ready = all(value == "ok" for value in checks.values()) and "migrations" in checks
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )
