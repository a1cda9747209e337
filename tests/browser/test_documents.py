"""Verifiable documents in a real browser: the carrier issues an electronic bill of lading with
the form, the shipper endorses and transfers it from the document page, and anyone verifies the
downloaded credential on the public verification page, in English and then in Chinese.

The live server holds the documents demo (illustrative organisations and documents).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser

CARRIER_EMAIL = "ops@huangpu-shipping.digitrade.example"
CARRIER = "Huangpu River Shipping Co. (demo)"
SHIPPER_EMAIL = "trade@lingang-export.digitrade.example"
SHIPPER = "Lin-gang Precision Export Ltd. (demo)"
BANK = "Pudong Trade Finance Bank (demo)"
CHECKS = ("format", "schema", "signature", "issuer", "status", "ledger", "title")


def _verify(page: Page, credential: Path, *, verified: str) -> None:
    """Upload the file until the ledger has integrated its entries (about a second)."""
    for _attempt in range(20):
        page.locator("#file").set_input_files(str(credential))  # the label follows the language
        page.locator("main form button[type=submit]").click()
        verdict = page.get_by_test_id("verdict")
        expect(verdict).to_be_visible()
        if verdict.inner_text().strip() == verified:
            return
        page.wait_for_timeout(500)
    expect(page.get_by_test_id("verdict")).to_have_text(verified)


def test_issue_transfer_and_verify_an_ebl(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, tmp_path: Path
) -> None:
    carrier = new_context().new_page()
    sign_in(carrier, live_server, email=CARRIER_EMAIL)
    expect(carrier.locator(".session .who")).to_have_text(f"{CARRIER} owner")
    carrier.goto("/documents/issue")
    expect(carrier.get_by_role("heading", level=1)).to_have_text("Issue a document")
    expect(carrier.get_by_label("Content (JSON)")).to_contain_text("HPSH2026000117")
    carrier.get_by_label("Issuing organisation").select_option(label=CARRIER)
    # The content box follows the kind chosen while it holds an untouched example.
    carrier.get_by_label("Kind of document").select_option("documentary-credit")
    expect(carrier.get_by_label("Content (JSON)")).to_have_value(re.compile("MEXB25LC004172"))
    carrier.get_by_label("Kind of document").select_option("transport-document")
    expect(carrier.get_by_label("Content (JSON)")).to_have_value(re.compile("HPSH2026000117"))
    carrier.get_by_label("Issued to (holder)").select_option(label=SHIPPER)
    carrier.get_by_role("button", name="Issue and sign").click()
    expect(carrier.get_by_role("heading", level=1)).to_contain_text("HPSH2026000117")
    expect(carrier.get_by_test_id("holder")).to_have_text(SHIPPER)
    expect(carrier.get_by_test_id("qr").locator("svg")).to_be_visible()
    expect(carrier.get_by_test_id("transfer-form")).to_have_count(0)
    document_path = re.sub(r"^https?://[^/]+", "", carrier.url)

    shipper = new_context().new_page()
    sign_in(shipper, live_server, email=SHIPPER_EMAIL)
    expect(shipper.locator(".session .who")).to_have_text(f"{SHIPPER} owner")
    shipper.goto(document_path)
    view = shipper.get_by_test_id("document-view")
    expect(view).to_contain_text("HUANGPU PIONEER / 2611S")
    expect(view).to_contain_text("To order")
    # A to-order eBL goes to the bank by endorsement, then transfer of possession.
    endorse = shipper.get_by_test_id("endorse-form")
    endorse.get_by_label("Endorse to").select_option(label=BANK)
    endorse.get_by_label("Endorsement").select_option("ENDORSE_TO_ORDER")
    endorse.get_by_role("button", name="Endorse").click()
    expect(shipper.get_by_test_id("title-history")).to_contain_text("Endorsed to order")
    with shipper.expect_download() as download:
        shipper.get_by_role("link", name="Download the credential (JSON)").click()
    credential = tmp_path / "ebl.credential.json"
    download.value.save_as(credential)
    transfer = shipper.get_by_test_id("transfer-form")
    transfer.get_by_label("Transfer to").select_option(label=BANK)
    transfer.get_by_role("button", name="Transfer the title").click()
    expect(shipper.locator("#notice")).to_contain_text("The title moved")

    carrier.reload()
    history = carrier.get_by_test_id("title-history")
    expect(history.locator("tbody tr")).to_have_count(3)
    expect(history).to_contain_text("Transferred")
    expect(carrier.get_by_test_id("holder")).to_have_text(BANK)

    public = new_context().new_page()  # no account needed
    public.goto("/documents/verify")
    expect(public.get_by_role("heading", level=1)).to_have_text("Verify a trade document")
    _verify(public, credential, verified="Verified")
    checks = public.get_by_test_id("checks")
    for name in CHECKS:
        expect(checks.locator(f'li[data-check="{name}"]')).to_have_class("pass")
    expect(checks.locator('li[data-check="title"]')).to_contain_text(BANK)
    expect(public.get_by_test_id("ledger-inclusion")).to_contain_text("Tree size")

    public.locator('.lang-switch a[data-lang="zh-Hans"]').click()
    expect(public.get_by_role("heading", level=1)).to_have_text("核验贸易单证")
    _verify(public, credential, verified="已核验")
    expect(public.get_by_test_id("checks")).to_contain_text("账本收录")
    expect(public.get_by_test_id("checks")).to_contain_text("eddsa-jcs-2022 签名与内容一致")
