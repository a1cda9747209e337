"""Air cargo data in a real browser: the demo air waybill found by its number, its record with the
Cargo iQ timeline and the route, and the same record in Chinese.

The live server holds the air cargo demo: Pudong Air Cargo publishes the illustrative air waybill
000-12345675 (two pieces of precision bearings, PVG to AMS on flight PD931) with its Cargo iQ
milestones, planned and actual, as ONE Record logistics events.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

AWB = "000-12345675"


def test_search_a_waybill_and_read_its_record_in_both_languages(admin_page: Page) -> None:
    page = admin_page
    page.goto("/aircargo/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a shipment")
    expect(page.get_by_test_id("results")).to_contain_text(f"AWB {AWB}")
    expect(page.get_by_test_id("server-facts")).to_contain_text("/onerecord")

    page.get_by_label("Air waybill number or object id").fill(AWB)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/aircargo/objects/[0-9a-f-]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"AWB {AWB}")

    timeline = page.locator("#timeline")
    expect(timeline).to_be_visible()
    departed = timeline.locator("tr[data-code=DEP]")
    expect(departed).to_have_count(2)
    expect(departed.filter(has_text="Planned")).to_contain_text("2026-11-21 17:05 UTC")
    expect(departed.filter(has_text="Actual")).to_contain_text("2026-11-21 17:40 UTC")
    expect(departed.first).to_contain_text("Departed")
    expect(page.get_by_test_id("route-leg").first).to_contain_text("PVG -> AMS, PD931")
    expect(page.locator("[data-chart=bar][data-rendered=true] canvas")).to_have_count(1)
    expect(page.get_by_test_id("chart-source")).to_contain_text(
        "ONE Record logistics events (illustrative demo data)"
    )

    page.locator("a[data-lang=zh-Hans]").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("#timeline tr[data-code=DEP]").first).to_contain_text("航班已起飞")
    expect(page.get_by_test_id("route-leg").first).to_contain_text("PVG -> AMS, PD931")
