"""``create_app()``: the platform's web application with every enabled system mounted."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from digitrade import __version__
from digitrade.core import api as core_api
from digitrade.core.auth import passwords
from digitrade.core.auth.dependencies import Platform
from digitrade.core.auth.permissions import register_permissions
from digitrade.core.auth.ratelimit import SlidingWindowLimiter
from digitrade.core.config import Settings, get_settings
from digitrade.core.db import make_engine, make_session_factory
from digitrade.core.ledger import api as ledger_api
from digitrade.core.ledger import pages as ledger_pages
from digitrade.core.ledger.kinds import register_kinds
from digitrade.core.ledger.worker import LedgerWorker
from digitrade.core.registry import SystemModule
from digitrade.web import health, pages, problems
from digitrade.web.middleware import RequestIdMiddleware

STATIC_DIR = Path(__file__).parent / "web" / "static"

DESCRIPTION = """
The digital service trade platform: verifiable trade documents, e-invoices, the services-trade
monitor, cross-border data compliance, e-commerce clearance and air cargo data, on one core
with a verifiable ledger.

**Authentication**: `Authorization: Bearer dtk_...` (an API key from `/keys` or
`digitrade keys create`). **Errors**: RFC 9457 `application/problem+json` with a stable `code`.
**Pagination**: `limit` (1-200, default 50) and `offset`; lists answer
`{items, total, limit, offset}`.
"""


def create_app(
    settings: Settings | None = None,
    *,
    systems: Sequence[SystemModule] | None = None,
    session_factory: sessionmaker[Session] | None = None,
) -> FastAPI:
    """Build the application. Tests pass their own settings, systems and session factory."""
    settings = settings or get_settings()
    if systems is None:
        from digitrade.composition import SYSTEMS

        systems = SYSTEMS
    if session_factory is None:
        session_factory = make_session_factory(
            make_engine(settings.database_url, echo=settings.database_echo)
        )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        passwords.prepare()  # the first failed sign-in costs what every other one does
        worker = None
        if (
            settings.ledger_integrate_interval_seconds
            or settings.ledger_checkpoint_interval_seconds
        ):
            worker = LedgerWorker(session_factory, settings)
            worker.start()
        system_workers = [
            w
            for w in (s.worker(session_factory, settings) for s in systems if s.worker)
            if w is not None
        ]
        for system_worker in system_workers:
            system_worker.start()
        yield
        for system_worker in system_workers:
            system_worker.stop()
        if worker is not None:
            worker.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="digitrade",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # served below from local assets: /docs works offline
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.platform = Platform(
        settings=settings,
        session_factory=session_factory,
        login_limiter=SlidingWindowLimiter(
            max_failures=settings.login_max_failures, window_seconds=settings.login_window_seconds
        ),
        systems=tuple(systems),
    )
    problems.install(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie="digitrade_session",
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(RequestIdMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _mount_offline_docs(app)
    app.include_router(health.router)
    app.include_router(core_api.router)
    app.include_router(ledger_api.router)
    app.include_router(pages.router)
    app.include_router(ledger_pages.router)
    for system in systems:
        register_permissions(system.permissions)
        register_kinds(system.ledger_kinds)
        if system.api is not None:
            app.include_router(system.api, prefix=f"/api/{system.name}")
        if system.pages is not None:
            app.include_router(system.pages, prefix=f"/{system.name}")
        for prefix, router in system.standard_routers:
            app.include_router(router, prefix=prefix)
    return app


def _mount_offline_docs(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="digitrade API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )


def app_from_environment() -> FastAPI:
    """Factory used by ``uvicorn --factory`` (one app per worker process)."""
    from digitrade.web.logs import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    return create_app(settings)
