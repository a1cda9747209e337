"""Browser test wiring: the real app with demo data on a live port, driven by Debian's Chromium.

Playwright downloads no browser here: it launches the system Chromium (``DIGITRADE_CHROMIUM`` or
``/usr/bin/chromium``). Without it the tests skip on a developer's machine and fail in CI.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from digitrade.app import create_app
from digitrade.composition import SYSTEMS
from digitrade.core.config import Settings
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.ledger import service as ledger
from digitrade.core.migrations import upgrade
from digitrade.demo import DEMO_ADMIN_EMAIL, load_demo
from tests.support import REPO_ROOT, in_ci, throwaway_database

CHROMIUM_ENV = "DIGITRADE_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
DEMO_PASSWORD = "demo password for browser tests"
KEK = "browser test key-encryption key"
ADMIN_NAME = "Platform administrator"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
# Generous waits for a loaded CI machine; no test asserts on how long anything takes.
WAIT_MS = 15_000


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    admin_email: str
    password: str


def chromium_path() -> str:
    path = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        message = (
            f"Chromium not found at {path}: run scripts/install-chromium.sh "
            f"or set {CHROMIUM_ENV} to a Chromium binary"
        )
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


def _serve(app: object, sock: socket.socket) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    return server, thread


def _wait_until_healthy(base_url: str, thread: threading.Thread) -> None:
    with httpx.Client(base_url=base_url, timeout=2.0) as client:
        for _attempt in range(300):
            if not thread.is_alive():
                raise RuntimeError("the live server stopped while starting")
            try:
                if client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    raise RuntimeError(f"the live server at {base_url} never answered /healthz")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The whole platform (every enabled system) with demo data, on a free local port."""
    with throwaway_database(tmp_path_factory.mktemp("browser-db")) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            factory = make_session_factory(engine)
            with transaction(factory) as session:
                ledger.ensure_log(
                    session, name=ledger.DEFAULT_LOG, kek=KEK, origin_prefix="browser.test/ledger"
                )
                load_demo(session, password=DEMO_PASSWORD, systems=SYSTEMS, kek=KEK)
            settings = Settings(
                key_encryption_key=KEK,
                database_url=url,
                secret_key="browser-test-secret-" + "x" * 32,
                log_json=False,
                log_level="WARNING",
            )
            app = create_app(settings, systems=SYSTEMS, session_factory=factory)
            # Binding here (port 0) and handing uvicorn the socket leaves no race for the port.
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
            server, thread = _serve(app, sock)
            try:
                _wait_until_healthy(base_url, thread)
                yield LiveServer(base_url, DEMO_ADMIN_EMAIL, DEMO_PASSWORD)
            finally:
                server.should_exit = True
                thread.join(timeout=30)
                sock.close()
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    executable = chromium_path()
    browser = playwright_instance.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )
    expect.set_options(timeout=WAIT_MS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(
    browser: Browser, live_server: LiveServer
) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh contexts (own cookies) on the live server; closed after the test."""
    opened: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        options.setdefault("locale", "en-GB")
        context = browser.new_context(base_url=live_server.base_url, **options)  # type: ignore[arg-type]
        context.set_default_timeout(WAIT_MS)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not page.is_closed():
        # A picture of the failing page for CI artifacts (test-artifacts/ is git-ignored).
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


def sign_in(
    page: Page, server: LiveServer, *, email: str | None = None, password: str | None = None
) -> None:
    """Sign in through the login form, as a person would (the demo administrator by default)."""
    page.goto("/login")
    form = page.locator("main form")
    form.get_by_label("E-mail").fill(email if email is not None else server.admin_email)
    form.get_by_label("Password").fill(password if password is not None else server.password)
    form.get_by_role("button", name="Sign in").click()


@pytest.fixture
def admin_page(page: Page, live_server: LiveServer) -> Page:
    sign_in(page, live_server)
    expect(page.locator(".session .who")).to_have_text(ADMIN_NAME)
    # Let the landing page finish loading, so a test's first navigation aborts nothing.
    page.wait_for_load_state("load")
    return page
