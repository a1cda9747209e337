"""The web shell in a real browser: languages, sign in, audit, API keys, phone layout, chart."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.conftest import ADMIN_NAME, LiveServer, sign_in

pytestmark = pytest.mark.browser

KEY_ROWS = "table.data tbody tr:has(td code)"  # a key row shows its prefix in <code>


def _path(page: Page) -> str:
    return urlsplit(page.url).path


def _key_rows(page: Page) -> Locator:
    return page.locator(KEY_ROWS)


def test_home_switches_from_english_to_chinese(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital service trade platform")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    page.get_by_role("link", name="简体中文").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("数字服务贸易平台")
    expect(page.get_by_role("heading", name="平台核心")).to_be_visible()
    expect(page.get_by_role("link", name="登录")).to_be_visible()
    expect(page).to_have_title(re.compile("数字服务贸易平台"))

    # The choice is remembered: a plain URL stays in Chinese.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("数字服务贸易平台")
    expect(page.get_by_role("link", name="English")).to_be_visible()


def test_admin_signs_in_and_filters_the_audit_trail(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server)
    expect(page.locator(".session .who")).to_have_text(ADMIN_NAME)
    assert _path(page) == "/"

    page.locator("#main-nav").get_by_role("link", name="Audit trail").click()
    expect(page).to_have_url(re.compile(r"/audit$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    rows = page.locator("#audit-rows tbody tr")
    expect(rows.first).to_be_visible()
    # The systems' demos and other tests write many newer rows: look at organisations created.
    page.goto("/audit?action=core.organisation.create")
    expect(rows.filter(has_text="core.organisation.create").first).to_be_visible()
    organisations_shown = {
        text.strip() for text in rows.locator("td:nth-child(5)").all_inner_texts()
    }
    assert len(organisations_shown) > 1, "the unfiltered trail should span several organisations"
    total_before = page.locator("#audit-rows .count").inner_text()

    # A full page load would drop this marker; an htmx swap keeps it.
    page.evaluate("window.__sameDocument = true")
    page.locator("#organisation_id").select_option(label="Huangpu River Shipping Co. (demo)")
    chosen = page.locator("#organisation_id").input_value()
    assert chosen.isdigit()

    expect(page.locator("#audit-rows .count")).not_to_have_text(total_before)
    expect(page).to_have_url(re.compile(rf"organisation_id={chosen}\b"))
    expect(rows.filter(has_text="core.organisation.create")).to_have_count(1)
    cells = rows.locator("td:nth-child(5)").all_inner_texts()
    assert cells, "the filtered trail is empty"
    assert {cell.strip() for cell in cells} == {chosen}
    assert page.evaluate("window.__sameDocument === true"), "the filter reloaded the whole page"


def test_wrong_password_is_reported_on_the_form(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, password="not the password")

    alert = page.locator("main").get_by_role("alert")
    expect(alert).to_have_text("E-mail or password is wrong.")
    assert _path(page) == "/login"
    expect(page.get_by_label("E-mail")).to_have_value(live_server.admin_email)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.locator(".session .who")).to_have_count(0)


def test_key_form_with_empty_name_is_refused(admin_page: Page) -> None:
    page = admin_page
    page.goto("/keys")
    organisation = page.locator("#organisation_id").input_value()
    keys_before = _key_rows(page).count()
    # The least powerful role is the default, as in the API.
    expect(page.get_by_label("Role", exact=True)).to_have_value("viewer")

    page.get_by_label("Name", exact=True).fill("")
    page.get_by_role("button", name="Create key").click()

    alert = page.locator("main").get_by_role("alert")
    expect(alert).to_have_text("Please correct: Name")
    expect(page.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-testid=issued-key]")).to_have_count(0)
    expect(_key_rows(page)).to_have_count(keys_before)

    # Read the list afresh: nothing was stored behind the error message.
    page.goto(f"/keys?organisation_id={organisation}")
    expect(page.locator("main").get_by_role("alert")).to_have_count(0)
    expect(_key_rows(page)).to_have_count(keys_before)


def test_key_is_issued_once_and_can_be_revoked(admin_page: Page) -> None:
    page = admin_page
    page.goto("/keys")
    name = f"browser key {uuid.uuid4().hex[:8]}"
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_label("Expires in (days)").fill("30")
    page.get_by_role("button", name="Create key").click()

    secret = page.locator("[data-testid=issued-key]")
    expect(secret).to_be_visible()
    expect(secret).to_have_text(re.compile(r"^dtk_[A-Za-z0-9]+_[A-Za-z0-9_-]+$"))
    row = page.locator("table.data tbody tr", has_text=name)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text("editor")
    expect(row.locator("td").nth(4)).to_have_text("active")
    prefix = row.locator("td code").inner_text()
    assert prefix in secret.inner_text()

    row.get_by_role("button", name="Revoke").click()

    expect(page).to_have_url(re.compile(r"/keys\?organisation_id=\d+$"))
    expect(page.locator("[data-testid=issued-key]")).to_have_count(0)  # shown only once
    row = page.locator("table.data tbody tr", has_text=name)
    expect(row.locator("td").nth(4)).to_have_text("revoked")
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)


def test_menu_button_toggles_navigation_on_a_phone(
    new_context: Callable[..., BrowserContext],
) -> None:
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto("/")
    toggle = page.get_by_role("button", name="Menu")
    nav = page.locator("#main-nav")

    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Home")).to_be_visible()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()


@pytest.mark.parametrize("path", ["/", "/audit", "/keys"])
def test_phone_pages_do_not_scroll_sideways(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, path: str
) -> None:
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server)
    expect(page.locator(".session .who")).to_have_text(ADMIN_NAME)
    page.goto(path)
    page.wait_for_load_state("load")
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{path} is {widths[0]}px wide on a {widths[1]}px screen"


def test_activity_chart_renders_from_local_assets(
    admin_page: Page, live_server: LiveServer
) -> None:
    page = admin_page
    foreign: list[str] = []
    broken: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.base_url) else foreign.append(request.url)
        ),
    )
    # Status codes, not "requestfailed": leaving a page cancels its pending requests.
    page.on(
        "response",
        lambda response: (
            broken.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/")
    chart = page.locator("[data-chart]")
    expect(chart).to_have_attribute("data-rendered", "true")
    canvas = chart.locator("canvas").first
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box is not None
    assert box["width"] > 100
    assert box["height"] > 100
    assert page.evaluate("typeof window.echarts.init") == "function"
    assert foreign == [], f"the page reached outside the platform: {foreign}"
    assert broken == [], f"assets failed to load: {broken}"
    assert errors == [], f"script errors: {errors}"


def test_sign_out(admin_page: Page) -> None:
    page = admin_page
    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.locator(".session .who")).to_have_count(0)
    expect(page.locator("#main-nav").get_by_role("link", name="Audit trail")).to_have_count(0)
    assert _path(page) == "/"

    page.goto("/audit")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)audit$"))
