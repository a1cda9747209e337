"""The ledger explorer in a real browser: the entry page verifies its own proof client-side."""

from __future__ import annotations

import base64
import json

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import WAIT_MS, LiveServer

pytestmark = pytest.mark.browser


def open_first_entry(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.base_url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ledger").click()
    page.get_by_role("link", name="platform").first.click()
    expect(page.get_by_test_id("checkpoint")).to_contain_text("browser.test/ledger/platform")
    page.locator("table.data a").last.click()  # the oldest entry on the page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Entry")


def test_entry_verifies_in_the_browser(page: Page, live_server: LiveServer):
    open_first_entry(page, live_server)
    panel = page.locator("[data-verify-panel]")
    panel.get_by_role("button").click()
    expect(panel).to_have_attribute("data-result", "verified", timeout=WAIT_MS)
    checks = panel.locator("li.check")
    expect(checks).to_have_count(3)
    for i in range(3):
        expect(checks.nth(i)).to_have_attribute("data-passed", "true")
    expect(panel.locator("[data-verdict]")).to_have_text("Verified in this browser")


def test_a_forged_proof_fails_in_the_browser(page: Page, live_server: LiveServer):
    def forge(route: Route) -> None:
        proof = json.loads(route.fetch().text())
        proof["hashes"][0] = base64.b64encode(b"\x42" * 32).decode()
        route.fulfill(json=proof)

    page.route("**/proofs/inclusion*", forge)
    open_first_entry(page, live_server)
    panel = page.locator("[data-verify-panel]")
    panel.get_by_role("button").click()
    expect(panel).to_have_attribute("data-result", "failed", timeout=WAIT_MS)
    expect(panel.locator('li.check[data-passed="false"]')).to_have_count(1)


def test_ledger_pages_in_chinese(page: Page, live_server: LiveServer):
    page.goto(f"{live_server.base_url}/ledger/?lang=zh-Hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Ledger")
