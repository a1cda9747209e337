"""Screenshots of the web shell for the docs, taken from a throwaway live server with demo data.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Drives the system Chromium (``DIGITRADE_CHROMIUM`` or ``/usr/bin/chromium``); Playwright's own
browser download is not used. Nothing is kept but the PNG files.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from digitrade.app import create_app
from digitrade.composition import SYSTEMS
from digitrade.core.config import Settings
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.ledger import service as ledger
from digitrade.core.migrations import upgrade
from digitrade.demo import DEMO_ADMIN_EMAIL, load_demo

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "screenshot demo password"  # noqa: S105 - a throwaway local database
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
KEK = "screenshots key-encryption key"
DESKTOP: ViewportSize = {"width": 1280, "height": 860}
PHONE: ViewportSize = {"width": 390, "height": 844}


@contextmanager
def live_server() -> Iterator[str]:
    """Migrated SQLite database with demo data, served by uvicorn on a free local port."""
    with tempfile.TemporaryDirectory(prefix="digitrade-screenshots-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'screenshots.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        factory = make_session_factory(engine)
        with transaction(factory) as session:
            ledger.ensure_log(
                session, name=ledger.DEFAULT_LOG, kek=KEK, origin_prefix="digitrade.local/ledger"
            )
            load_demo(session, password=DEMO_PASSWORD, systems=SYSTEMS, kek=KEK)
        settings = Settings(
            database_url=url, log_json=False, log_level="WARNING", key_encryption_key=KEK
        )
        app = create_app(settings, systems=SYSTEMS, session_factory=factory)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            _wait_until_healthy(base_url)
            yield base_url
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            sock.close()
            engine.dispose()


def _wait_until_healthy(base_url: str) -> None:
    deadline = time.monotonic() + 30
    with httpx.Client(base_url=base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            try:
                if client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    raise RuntimeError(f"{base_url} never answered /healthz")


def sign_in(page: Page, email: str = DEMO_ADMIN_EMAIL) -> None:
    page.goto("/login")
    form = page.locator("main form")
    form.locator("#email").fill(email)
    form.locator("#password").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator(".session .who")).to_be_visible()


def wait_for_chart(page: Page) -> None:
    """Wait until ECharts has drawn and finished its entry animation."""
    chart = page.locator("[data-chart]")
    expect(chart).to_have_attribute("data-rendered", "true")
    chart.evaluate(
        """element => new Promise(resolve => {
             const chart = window.echarts.getInstanceByDom(element);
             chart.on("finished", resolve);
             chart.resize({ animation: { duration: 0 } });
             setTimeout(resolve, 3000);
           })"""
    )


def take(browser: Browser, base_url: str, out: Path) -> list[Path]:
    saved: list[Path] = []

    def shot(page: Page, name: str) -> None:
        path = out / name
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)

    desktop = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = desktop.new_page()
    sign_in(page)
    page.goto("/?lang=en")
    wait_for_chart(page)
    shot(page, "home-en.png")

    page.goto("/?lang=zh-Hans")
    wait_for_chart(page)
    shot(page, "home-zh.png")

    page.goto("/audit?lang=en")
    expect(page.locator("#audit-rows tbody tr").first).to_be_visible()
    shot(page, "audit.png")

    page.goto("/keys")
    page.locator("#name").fill("")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    shot(page, "keys-error.png")

    page.goto("/ledger/platform/entries/3?lang=zh-Hans")
    page.locator("[data-verify-panel] button").click()
    expect(page.locator("[data-verify-panel]")).to_have_attribute("data-result", "verified")
    shot(page, "ledger-entry-zh.png")
    page.goto("/ledger/platform?lang=en")
    shot(page, "ledger-log.png")
    desktop.close()

    exporter = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = exporter.new_page()
    sign_in(page, email="trade@lingang-export.digitrade.example")
    page.goto("/dataflow/?lang=en")
    form = page.locator("form.wizard")
    form.get_by_label("Processor (your organisation)").fill("Lin-gang Precision Export Ltd.")
    page.get_by_role("button", name="Next").click()
    form.get_by_label("Recipient country (ISO code)").fill("DE")
    page.get_by_role("button", name="Next").click()
    form.get_by_label("It includes personal information").check()
    page.get_by_role("button", name="Next").click()
    form.get_by_label("Individuals in this transfer (not sensitive)").fill("15000")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Save for").select_option(index=1)
    page.get_by_role("button", name="Decide").click()
    expect(page.get_by_test_id("pathway")).to_be_visible()
    shot(page, "dataflow-decision.png")
    page.goto("/dataflow/register")
    expect(page.locator("[data-chart=gauge][data-rendered=true]")).to_have_count(2)
    shot(page, "dataflow-register.png")
    kit = Path(__file__).resolve().parent.parent.parent / "shared/fixtures/einvoice"
    example = kit / "peppol/examples/base-example.xml"
    if example.exists():
        page.goto("/einvoice/?lang=en")
        page.locator("#file").set_input_files(str(example))
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_test_id("invoice-view")).to_be_visible()
        shot(page, "einvoice-validate.png")
    page.goto("/einvoice/invoices?lang=zh-Hans")
    page.get_by_test_id("issued-invoices").locator("a").first.click()
    expect(page.get_by_test_id("invoice-view")).to_be_visible()
    shot(page, "einvoice-invoice-zh.png")
    exporter.close()

    bank = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = bank.new_page()
    sign_in(page, email="lc@pudong-bank.digitrade.example")
    page.goto("/documents/1?lang=en")
    expect(page.get_by_test_id("document-view")).to_be_visible()
    shot(page, "documents-ebl.png")
    page.get_by_test_id("qr").locator("a").click()
    expect(page.get_by_test_id("checks")).to_be_visible()
    page.goto(page.url + ("&" if "?" in page.url else "?") + "lang=zh-Hans")
    expect(page.get_by_test_id("checks")).to_be_visible()
    shot(page, "documents-verify-zh.png")
    bank.close()

    airline = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = airline.new_page()
    sign_in(page, email="ops@pudong-aircargo.digitrade.example")
    page.goto("/aircargo/?q=000-12345675&lang=en")
    expect(page.locator("#timeline")).to_be_visible()
    expect(page.locator("[data-chart=bar][data-rendered=true]")).to_have_count(1)
    page.wait_for_timeout(1000)  # entry animations
    shot(page, "aircargo-record.png")
    page.goto(page.url.split("?")[0] + "?lang=zh-Hans")
    expect(page.locator("#timeline")).to_be_visible()
    page.wait_for_timeout(1000)
    shot(page, "aircargo-record-zh.png")
    airline.close()

    public = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = public.new_page()
    page.goto("/statistics/?lang=en")
    expect(page.locator("[data-stats-chart][data-rendered=true]").first).to_be_visible()
    page.wait_for_timeout(1500)  # entry animations
    shot(page, "statistics-dashboard.png")
    page.goto("/statistics/bulletin?period=2025&lang=zh-Hans")
    page.wait_for_timeout(1500)
    shot(page, "statistics-bulletin-zh.png")
    public.close()

    phone = browser.new_context(
        base_url=base_url, viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB"
    )
    page = phone.new_page()
    sign_in(page)
    page.goto("/")
    wait_for_chart(page)
    shot(page, "phone-home.png")
    phone.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    chromium = os.environ.get("DIGITRADE_CHROMIUM") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        print(f"Chromium not found at {chromium}: run scripts/install-chromium.sh", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with live_server() as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for path in take(browser, base_url, args.out):
                print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
