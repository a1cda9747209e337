"""E-invoicing in a real browser: validate an official example and read it beside its report,
issue an invoice with the form (and see a refused one keep the form), verify the issued file,
and the pages in Chinese.

The live server holds the e-invoicing demo: three illustrative invoices issued by the Lin-gang
demo exporter, with the official rule packs installed from the local validation kit.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, sign_in
from tests.support import official_fixture

pytestmark = pytest.mark.browser

EXPORTER_EMAIL = "trade@lingang-export.digitrade.example"
EXPORTER = "Lin-gang Precision Export Ltd. (demo)"


@pytest.fixture
def exporter_page(page: Page, live_server: LiveServer) -> Page:
    sign_in(page, live_server, email=EXPORTER_EMAIL)
    expect(page.locator(".session .who")).to_have_text(f"{EXPORTER} owner")
    return page


def test_validate_an_official_example_shows_report_and_invoice(page: Page) -> None:
    example = official_fixture("einvoice/peppol/examples/base-example.xml")
    page.goto("/einvoice/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Validate an e-invoice")
    page.get_by_label("Invoice file (.xml)").set_input_files(str(example))
    page.get_by_role("button", name="Validate").click()
    expect(page.get_by_test_id("verdict")).to_have_text("Valid")
    expect(page.get_by_test_id("validation-report")).to_contain_text("peppol-bis3-ubl")
    expect(page.get_by_test_id("invoice-view")).to_contain_text("Snippet1")
    expect(page.get_by_test_id("amount-due")).to_have_text("1,656.25")


def test_an_invalid_file_lists_the_failed_rules(page: Page) -> None:
    example = official_fixture("einvoice/en16931/examples-ubl/ubl-tc434-example1.xml")
    page.goto("/einvoice/")
    page.get_by_label("Invoice file (.xml)").set_input_files(str(example))
    page.get_by_label("Rules").select_option("peppol")
    page.get_by_role("button", name="Validate").click()
    expect(page.get_by_test_id("verdict")).to_have_text("Not valid")
    expect(page.locator("table.findings")).to_contain_text("PEPPOL-EN16931-R")


def test_issue_with_the_form_then_verify_the_file(exporter_page: Page, tmp_path) -> None:
    page = exporter_page
    page.goto("/einvoice/invoices/new")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_label("Rules").select_option("en16931")
    page.locator("#seller_vat_id").fill("CN91310115MA1LG0DEMO")
    page.locator("#buyer_name").fill("Browser Buyer Pte. Ltd.")
    page.locator("#buyer_country").fill("SG")
    page.get_by_label("Item name 1", exact=True).fill("Cloud analytics, November")
    page.get_by_label("Quantity 1", exact=True).fill("12")
    page.get_by_label("Unit 1", exact=True).select_option("HUR")
    page.get_by_label("Net price 1", exact=True).fill("150")
    page.get_by_label("VAT category 1", exact=True).select_option("G")
    page.get_by_role("button", name="Issue the invoice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("INV-")
    expect(page.get_by_test_id("amount-due")).to_have_text("1,800.00")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download UBL (as issued)").click()
    issued = tmp_path / "issued.xml"
    download.value.save_as(issued)

    page.goto("/einvoice/verify")
    page.get_by_label("Invoice file").set_input_files(str(issued))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("verification")).to_contain_text("Issued on this platform")
    changed = tmp_path / "changed.xml"
    changed.write_bytes(issued.read_bytes().replace(b"1800.00", b"1900.00"))
    page.get_by_label("Invoice file").set_input_files(str(changed))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("verification")).to_contain_text("Not issued on this platform")


def test_a_refused_invoice_keeps_the_form_and_says_why(exporter_page: Page) -> None:
    page = exporter_page
    page.goto("/einvoice/invoices/new")
    page.locator("#seller_vat_id").fill("CN91310115MA1LG0DEMO")
    page.locator("#seller_endpoint").fill("6971000000014")
    page.locator("#buyer_name").fill("Buyer Without Endpoint")
    page.locator("#buyer_country").fill("SG")
    page.get_by_label("Item name 1", exact=True).fill("Consulting")
    page.get_by_label("Quantity 1", exact=True).fill("1")
    page.get_by_label("Net price 1", exact=True).fill("100")
    page.get_by_label("VAT category 1", exact=True).select_option("G")
    page.get_by_role("button", name="Issue the invoice").click()  # Peppol needs the endpoint
    expect(page.locator("#form-error")).to_contain_text("BT-49")
    expect(page.locator("#buyer_name")).to_have_value("Buyer Without Endpoint")


def test_issued_invoices_in_chinese(exporter_page: Page) -> None:
    page = exporter_page
    page.goto("/einvoice/invoices?lang=zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("已开具的发票")
    expect(page.get_by_test_id("issued-invoices")).to_contain_text("Harbourfront Analytics")
    page.get_by_test_id("issued-invoices").get_by_role("link", name="INV-").first.click()
    expect(page.get_by_test_id("invoice-view")).to_contain_text("增值税")
