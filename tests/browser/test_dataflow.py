"""Cross-border data compliance in a real browser: the wizard, its decision and filing pack, a
rejected submission, the register's gauges, and the wizard in Chinese.

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


def fill_wizard(page: Page, *, processor: str, country: str) -> None:
    form = page.locator("form.wizard")
    form.get_by_label("Processor (your organisation)").fill(processor)
    form.get_by_label("Recipient country (ISO code)").fill(country)
    form.get_by_label("It includes personal information").check()
    form.get_by_label("Individuals in this transfer (not sensitive)").fill("15000")
    form.get_by_label("Save for").select_option(label=EXPORTER)


def organisation_id(page: Page) -> str:
    value = (
        page.get_by_label("Save for").locator("option", has_text=EXPORTER).get_attribute("value")
    )
    assert value and value.isdigit()
    return value


def saved_assessments(page: Page, org_id: str) -> int:
    """How many assessments the organisation has saved, read with the browser's session."""
    response = page.request.get(f"/api/dataflow/assessments?organisation_id={org_id}&limit=1")
    assert response.ok, response.text()
    total = response.json()["total"]
    assert isinstance(total, int)
    return total


def counted_this_year(page: Page) -> str:
    page.goto("/dataflow/register")
    return page.get_by_test_id("ytd-individuals").inner_text().strip()


def test_wizard_decides_standard_contract_and_downloads_the_pack(exporter_page: Page) -> None:
    page = exporter_page
    processor = f"Browser Test Exporter {uuid.uuid4().hex[:6]} Ltd."
    open_wizard(page)
    fill_wizard(page, processor=processor, country="DE")
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


def test_bad_country_comes_back_as_the_form_and_saves_nothing(exporter_page: Page) -> None:
    page = exporter_page
    before_counted = counted_this_year(page)
    open_wizard(page)
    org_id = organisation_id(page)
    before_saved = saved_assessments(page, org_id)

    processor = "Rejected Submission Ltd."
    country = page.get_by_label("Recipient country (ISO code)")
    # The field takes two letters; a person whose browser ignores maxlength can send more.
    country.evaluate("element => element.removeAttribute('maxlength')")
    fill_wizard(page, processor=processor, country="Germany")
    with page.expect_response(re.compile(r"/dataflow/assess$")) as response_info:
        page.get_by_role("button", name="Decide").click()
    assert response_info.value.status == 422

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("transfer.recipient_country")
    expect(page.get_by_role("heading", level=1)).to_have_text(WIZARD_HEADING)
    # The form comes back with what was typed, pointing at the error.
    expect(page.get_by_label("Processor (your organisation)")).to_have_value(processor)
    expect(page.locator("form.wizard")).to_have_attribute("aria-describedby", "form-error")

    assert saved_assessments(page, org_id) == before_saved
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


def test_wizard_in_chinese(page: Page) -> None:
    page.goto("/dataflow/?lang=zh-Hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("本次数据出境是否需要申报？")
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="数据出境合规")).to_be_visible()
    # Purpose labels come from a dict at run time and are translated too.
    expect(page.locator("#purpose option[value=other]")).to_have_text("其他业务目的")


def test_wizard_asks_only_what_earlier_answers_make_relevant(page: Page, live_server: LiveServer):
    page.goto(f"{live_server.base_url}/dataflow/?lang=en")
    counts = page.locator("#individuals")
    ftz_question = page.locator("#ftz_list_match")
    expect(counts).to_be_hidden()
    expect(ftz_question).to_be_hidden()
    page.locator("input[name=personal_information]").check()
    expect(counts).to_be_visible()
    page.locator("input[name=registered_in_ftz]").check()
    expect(ftz_question).to_be_visible()
    page.locator("input[name=personal_information]").uncheck()
    expect(counts).to_be_hidden()


def test_lists_page_says_what_is_unverified(page: Page, live_server: LiveServer):
    page.goto(f"{live_server.base_url}/dataflow/lists?lang=en")
    expect(page.locator(".list-edition").first).to_be_visible()
    expect(page.locator(".incomplete").first).to_contain_text("not checked")
