"""Cross-border data compliance in a real browser: the step-by-step wizard to a saved decision
and its filing pack (in English and in Chinese), a rejected step, a step the rules skip, and the
register's gauges.

The live server holds the dataflow demo: the exporter lingang-export-demo has four transfers this
year, of which 87,500 individuals count towards the volume thresholds (transfers for a contract
with the individual or for HR management are exempt and not counted).
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser

EXPORTER_EMAIL = "trade@lingang-export.digitrade.example"
EXPORTER = "Lin-gang Precision Export Ltd. (demo)"
DEMO_COUNTED = "87,500"
WIZARD_HEADING = "Does this data export need a filing?"
CITATION = re.compile(r"\[[^\[\],]+, [^\[\]]+\]$")


@pytest.fixture
def exporter_page(page: Page, live_server: LiveServer) -> Page:
    """Signed in as the owner of the demo exporter."""
    sign_in(page, live_server, email=EXPORTER_EMAIL)
    expect(page.locator(".session .who")).to_have_text(f"{EXPORTER} owner")
    page.wait_for_load_state("load")
    return page


def open_wizard(page: Page) -> None:
    page.goto("/")
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Cross-border data compliance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WIZARD_HEADING)


def walk_wizard(page: Page, *, processor: str, country: str) -> None:
    """Steps 1 to 4 (no free trade zone, so no list step), stopping on the review."""
    form = page.locator("form.wizard")
    expect(page.get_by_test_id("progress")).to_contain_text("Step 1 of 6")
    form.get_by_label("Processor (your organisation)").fill(processor)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_test_id("progress")).to_contain_text("Step 2 of 5")
    form.get_by_label("Recipient country (ISO code)").fill(country)
    page.get_by_role("button", name="Next").click()
    form.get_by_label("It includes personal information").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_test_id("progress")).to_contain_text("Step 4 of 5")
    form.get_by_label("Individuals in this transfer (not sensitive)").fill("15000")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_test_id("progress")).to_contain_text("Step 5 of 5")
    page.get_by_label("Save for").select_option(label=EXPORTER)


def counted_this_year(page: Page) -> str:
    page.goto("/dataflow/register")
    return page.get_by_test_id("ytd-individuals").inner_text().strip()


def test_wizard_decides_standard_contract_and_downloads_the_pack(exporter_page: Page) -> None:
    page = exporter_page
    processor = f"Browser Test Exporter {uuid.uuid4().hex[:6]} Ltd."
    open_wizard(page)
    walk_wizard(page, processor=processor, country="DE")
    page.get_by_role("button", name="Decide").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Decision")
    # 87,500 already counted this year plus 15,000 now crosses 100,000.
    expect(page.get_by_test_id("pathway")).to_have_text("Standard contract filing or certification")
    expect(page.locator("main")).to_contain_text("102,500")
    reasons = page.locator("ol.reasons > li")
    expect(reasons.first).to_be_visible()
    for i in range(reasons.count()):
        reason = reasons.nth(i)
        expect(reason.locator(".cite")).to_have_text(CITATION)
        assert reason.inner_text().replace(reason.locator(".cite").inner_text(), "").strip()
    expect(page.get_by_role("heading", name="Saved and anchored")).to_be_visible()

    link = page.get_by_role("link", name="Download the filing pack")
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(download.path().read_bytes())) as archive:
        names = archive.namelist()
        assert any(name.endswith(".docx") for name in names), names
        html_names = [name for name in names if name.endswith(".html")]
        assert html_names, names
        assert any(processor in archive.read(name).decode("utf-8") for name in html_names)
        docx = next(name for name in names if name.endswith(".docx"))
        assert archive.read(docx).startswith(b"PK"), "a .docx is itself a ZIP package"
        pdfs = [name for name in names if name.endswith(".pdf")]
        assert len(pdfs) == len(html_names), names  # every document also as PDF
        assert all(archive.read(name).startswith(b"%PDF-") for name in pdfs)


def test_bad_country_comes_back_as_the_step_and_saves_nothing(exporter_page: Page) -> None:
    page = exporter_page
    before_counted = counted_this_year(page)

    processor = "Rejected Submission Ltd."
    open_wizard(page)
    page.get_by_label("Processor (your organisation)").fill(processor)
    page.get_by_role("button", name="Next").click()
    country = page.get_by_label("Recipient country (ISO code)")
    # The field takes two letters; a person whose browser ignores maxlength can send more.
    country.evaluate("element => element.removeAttribute('maxlength')")
    country.fill("Germany")
    with page.expect_response(re.compile(r"/dataflow/wizard$")) as response_info:
        page.get_by_role("button", name="Next").click()
    assert response_info.value.status == 422

    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#recipient_country-error")).to_contain_text("two-letter ISO code")
    expect(page.get_by_role("heading", level=1)).to_have_text(WIZARD_HEADING)
    expect(page.get_by_test_id("progress")).to_contain_text("Step 2 of 5")
    expect(page.locator("form.wizard")).to_have_attribute("aria-describedby", "form-error")
    # Back returns to step 1 with what was typed.
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("Processor (your organisation)")).to_have_value(processor)

    page.goto("/dataflow/")
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#processor_name-error")).to_be_visible()  # step 1 checks its own field
    assert counted_this_year(page) == before_counted == DEMO_COUNTED


def test_register_shows_the_year_to_date_count_and_gauges(exporter_page: Page) -> None:
    page = exporter_page
    open_wizard(page)
    page.get_by_role("link", name="Transfer register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transfer register")
    expect(page.get_by_test_id("ytd-individuals")).to_have_text(DEMO_COUNTED)
    expect(page.get_by_role("cell", name="Spindle Service GmbH (demo)")).to_have_count(2)

    gauges = page.locator("[data-chart=gauge][data-rendered=true]")
    expect(gauges).to_have_count(2)
    for i in range(2):
        expect(gauges.nth(i).locator("canvas")).to_have_count(1)


def test_wizard_in_chinese_to_a_saved_decision_and_pack(exporter_page: Page) -> None:
    page = exporter_page
    page.goto("/dataflow/?lang=zh-Hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("本次数据出境是否需要申报？")
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="数据出境合规")).to_be_visible()
    form = page.locator("form.wizard")
    form.locator("#processor_name").fill("临港浏览器测试有限公司")
    form.locator("button[value=next]").click()
    # Purpose labels come from a dict at run time and are translated too.
    expect(page.locator("#purpose option[value=other]")).to_have_text("其他业务目的")
    form.locator("#recipient_country").fill("DE")
    form.locator("button[value=next]").click()
    form.locator("input[name=personal_information]").check()
    form.locator("button[value=next]").click()
    form.locator("#individuals").fill("15000")
    form.locator("button[value=next]").click()
    page.locator("#organisation_id").select_option(index=1)
    form.locator("button[type=submit]:not([value])").click()

    expect(page.get_by_test_id("pathway")).to_be_visible()
    cites = page.locator("ol.reasons .cite")
    expect(cites.first).to_be_visible()
    for i in range(cites.count()):
        expect(cites.nth(i)).to_have_text(re.compile(r"^\[《[^》]+》.*(第[^\]]+条|”)"))
    expect(page.locator(".alert.warning")).to_contain_text("未经核实")
    link = page.get_by_test_id("pack")
    with page.expect_download() as download_info:
        link.click()
    with zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes())) as archive:
        html = "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".html")
        )
    assert "《促进和规范数据跨境流动规定》" in html and "未经核实" in html


def test_wizard_skips_what_the_answers_make_irrelevant(page: Page, live_server: LiveServer):
    page.goto(f"{live_server.base_url}/dataflow/?lang=en")
    form = page.locator("form.wizard")
    form.get_by_label("Processor (your organisation)").fill("Core Data Ltd.")
    page.get_by_role("button", name="Next").click()
    form.get_by_label("Recipient country (ISO code)").fill("US")
    page.get_by_role("button", name="Next").click()
    form.get_by_label("Includes core data").check()
    page.get_by_role("button", name="Next").click()
    # No counts step, no list step: core data decides.
    expect(page.get_by_test_id("progress")).to_contain_text("Step 4 of 4")
    expect(page.get_by_test_id("early-stop")).to_contain_text("Prohibited")
    page.get_by_role("button", name="Decide").click()
    expect(page.get_by_test_id("pathway")).to_have_text("Prohibited: stop and escalate")


def test_lists_page_says_what_is_unverified(page: Page, live_server: LiveServer):
    page.goto(f"{live_server.base_url}/dataflow/lists?lang=en")
    expect(page.locator(".list-edition").first).to_be_visible()
    expect(page.locator(".incomplete").first).to_contain_text("not checked")
