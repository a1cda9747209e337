"""Cross-border e-commerce clearance in a real browser: the demo's synthetic order released on the
board, its order page with the tax computed line by line, a return that gives the buyer's annual
quota back, the parcel screening form, and the board, an order's checks and a screening in
Chinese.

The live server holds the e-commerce demo: the Lin-gang demo enterprise acting as the platform,
with the synthetic CEB set (order, payment, waybill, inventory list) released and a second order
with only its order and payment pending. All of it is synthetic.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, sign_in
from tests.support import official_fixture

pytestmark = pytest.mark.browser

PLATFORM_EMAIL = "trade@lingang-export.digitrade.example"
PLATFORM = "Lin-gang Precision Export Ltd. (demo)"
RELEASED = "SYN202501010001"
PENDING = "SYN202501010002"
BUYER = "110101200001010002"


@pytest.fixture
def platform_page(page: Page, live_server: LiveServer) -> Page:
    sign_in(page, live_server, email=PLATFORM_EMAIL)
    expect(page.locator(".session .who")).to_have_text(f"{PLATFORM} owner")
    page.wait_for_load_state("load")
    return page


def quota_total(page: Page) -> str:
    page.goto(f"/ecommerce/quota?buyer_id={BUYER}&year=2025")
    expect(page.locator("[data-chart=gauge][data-rendered=true] canvas")).to_have_count(1)
    return page.get_by_test_id("quota-total").inner_text()


def test_released_order_return_gives_the_quota_back(platform_page: Page) -> None:
    page = platform_page
    page.goto("/ecommerce/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clearance board")
    expect(page.get_by_test_id("status-released")).to_contain_text(RELEASED)
    expect(page.get_by_test_id("status-pending")).to_contain_text(PENDING)
    assert quota_total(page) == "1,220.00"

    page.goto("/ecommerce/")
    page.get_by_test_id("status-released").get_by_role("link", name=RELEASED).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {RELEASED}")
    expect(page.get_by_test_id("order-status")).to_have_text("Released")
    expect(page.get_by_test_id("messages")).to_contain_text("YT0000000000001")
    expect(page.get_by_test_id("checks")).to_contain_text("Buyer identity")
    expect(page.get_by_test_id("tax-line")).to_contain_text("1,435.29 × 0.15 × 0.7")
    expect(page.get_by_test_id("tax-total")).to_have_text("281.32")

    page.get_by_label("Goods category").fill("cosmetics")
    page.get_by_role("button", name="File the return").click()
    expect(page.get_by_test_id("return-result")).to_contain_text("1,220.00")
    expect(page.get_by_test_id("order-status")).to_have_text("Returned")
    assert quota_total(page) == "0.00"


def test_quota_with_a_bad_identity_number_keeps_the_form(platform_page: Page) -> None:
    page = platform_page
    page.goto("/ecommerce/quota")
    page.get_by_label("Buyer identity number").fill("12345")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#form-error")).to_be_visible()
    expect(page.get_by_label("Buyer identity number")).to_have_value("12345")


def test_screening_keeps_a_lithium_metal_battery_off_passenger_aircraft(page: Page) -> None:
    page.goto("/ecommerce/screen")
    page.get_by_label("Shipping date").fill("2026-03-01")
    page.get_by_label("Kind 1", exact=True).select_option("lithium_metal_battery")
    page.get_by_label("Battery packing 1", exact=True).select_option("standalone")
    page.get_by_label("Lithium content (g) 1", exact=True).fill("0.5")
    page.get_by_label("Quantity 1", exact=True).fill("2")
    page.get_by_role("button", name="Screen the parcel").click()
    parcel = page.get_by_test_id("parcel-result")
    expect(parcel).to_contain_text("UN3090")
    expect(parcel.get_by_test_id("passenger")).to_have_text("Forbidden")
    expect(parcel.get_by_test_id("cargo")).to_have_text("Allowed")
    expect(page.get_by_test_id("item-result")).to_have_count(1)


def test_board_in_chinese(platform_page: Page) -> None:
    page = platform_page
    page.goto("/ecommerce/?lang=zh-Hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("#main-nav a[aria-current=page]")).to_have_text("跨境电商通关")
    expect(page.get_by_test_id("status-pending")).to_contain_text(PENDING)


def test_order_and_screening_explained_in_chinese(platform_page: Page) -> None:
    page = platform_page
    page.goto("/ecommerce/?lang=zh-Hans")
    # Released, or returned when the return test ran first: its checks are the same.
    page.get_by_role("link", name=RELEASED).first.click()
    checks = page.get_by_test_id("checks")
    expect(checks).to_contain_text("清单的订购人即订单的订购人")
    expect(checks).to_contain_text("单次交易限值")
    expect(checks).not_to_contain_text("the payer is the buyer")
    page.goto("/ecommerce/screen")
    page.locator("#ship_date").fill("2026-03-01")
    page.locator("#item1_kind").select_option("lithium_metal_battery")
    page.locator("#item1_configuration").select_option("standalone")
    page.locator("#item1_lithium_grams").fill("0.5")
    page.locator("form:has(#ship_date) button[type=submit]").click()
    expect(page.get_by_test_id("item-result")).to_contain_text(
        "单独运输的锂金属电池（锂含量 0.5 g）：第9类，仅限货机（包装说明 PI 968）"
    )


def test_the_four_messages_uploaded_on_the_board_release_an_order(
    platform_page: Page, tmp_path
) -> None:
    # A new order from the synthetic set: another order number, the same buyer and goods.
    # (It runs last: the buyer's quota grows by this order's dutiable value.)
    page = platform_page
    order_no = "BRW202501010009"
    files = []
    for name in ("CEB311", "CEB411", "CEB511", "CEB621"):
        source = official_fixture(f"ceb/synthetic/{name}Message.xml").read_text(encoding="utf-8")
        path = tmp_path / f"{name}.xml"
        path.write_text(source.replace(RELEASED, order_no), encoding="utf-8")
        files.append(path)
    page.goto("/ecommerce/")
    page.get_by_label("CEB message (order, payment, waybill or inventory list)").set_input_files(
        str(files[0])
    )
    page.get_by_role("button", name="Submit the message").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Pending")
    for path in files[1:]:
        page.goto("/ecommerce/")
        page.get_by_label(
            "CEB message (order, payment, waybill or inventory list)"
        ).set_input_files(str(path))
        page.get_by_role("button", name="Submit the message").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Released")
    expect(page.locator("main")).to_contain_text(order_no)

    page.goto("/ecommerce/")
    page.get_by_label("CEB message (order, payment, waybill or inventory list)").set_input_files(
        str(files[0])
    )
    page.get_by_role("button", name="Submit the message").click()  # the order is already released
    expect(page.locator("#form-error")).to_contain_text("already released")
