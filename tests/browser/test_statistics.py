"""Services-trade monitor in a real browser: every dashboard chart drawn by ECharts with its
series, the page in Chinese, a chart's data and picture downloaded, a scenario slider that moves
the projected value, and the printable bulletin.

The live server holds the monitor's demo: illustrative Shanghai figures (labelled as such) and,
when the local fixtures are present, the UNCTAD panel for the peer economies.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from digitrade.systems.statistics.pages import CHARTS
from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser


def series_count(page: Page, chart: str) -> int:
    return int(
        page.evaluate(
            """(id) => {
                const element = document.querySelector(`[data-stats-chart="${id}"]`);
                const chart = window.echarts.getInstanceByDom(element);
                return chart ? chart.getOption().series.length : 0;
            }""",
            chart,
        )
    )


def test_every_dashboard_chart_is_drawn_with_its_series(page: Page) -> None:
    page.goto("/statistics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Services-trade monitor")
    for chart in CHARTS:
        expect(
            page.locator(f'[data-stats-chart="{chart}"][data-rendered=true] canvas')
        ).to_have_count(1)
        assert series_count(page, chart) > 0, chart
        figure = page.get_by_test_id(f"figure-{chart}")
        expect(figure.get_by_role("button", name="Download PNG")).to_be_visible()
        expect(figure.locator(".source")).to_contain_text("Source")
    expect(page.get_by_test_id("figure-composition")).to_contain_text("Illustrative data")
    expect(page.get_by_test_id("definition")).to_contain_text("MOFCOM / WTO")


def test_switching_to_chinese_shows_chinese_labels(page: Page) -> None:
    page.goto("/statistics/")
    page.locator(".lang-switch a[data-lang=zh-Hans]").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("服务贸易监测")
    expect(
        page.get_by_test_id("figure-share").get_by_role("button", name="下载 PNG")
    ).to_be_visible()
    expect(page.get_by_test_id("figure-share")).to_contain_text("示例数据")
    expect(page.locator('[data-stats-chart="share"][data-rendered=true] canvas')).to_have_count(1)
    legend = page.evaluate(
        """() => window.echarts
            .getInstanceByDom(document.querySelector('[data-stats-chart="share"]'))
            .getOption().series[0].name"""
    )
    assert legend == "可数字化交付占比"


def test_chart_data_and_picture_download(page: Page) -> None:
    page.goto("/statistics/")
    figure = page.get_by_test_id("figure-composition")
    with page.expect_download() as csv_download:
        figure.get_by_role("link", name="Data (CSV)").click()
    download = csv_download.value
    assert download.suggested_filename == "statistics-CN-SH-mofcom_wto-composition.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("economy,definition,year,code,label,value_usd_millions")
    assert len(lines) == 13 and any(line.split(",")[3] == "SI" for line in lines[1:])

    expect(page.locator('[data-stats-chart="composition"][data-rendered=true]')).to_have_count(1)
    with page.expect_download() as png_download:
        figure.get_by_role("button", name="Download PNG").click()
    picture = png_download.value
    assert picture.suggested_filename == "statistics-composition.png"
    assert picture.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_scenario_slider_moves_the_projected_value(page: Page) -> None:
    page.goto("/statistics/#scenario")
    total = page.get_by_test_id("scenario-total")
    dds = page.get_by_test_id("scenario-dds")
    before_total, before_dds = total.inner_text(), dds.inner_text()
    slider = page.locator('[data-scenario-rate][data-code="SJ"]')
    observed = float(slider.input_value())
    slider.fill(str(min(observed + 10, 40)))
    expect(total).not_to_have_text(before_total)
    expect(dds).not_to_have_text(before_dds)
    assert float(total.inner_text().replace(",", "")) > float(before_total.replace(",", ""))
    expect(page.locator('[data-rate-output="SJ"]')).to_have_text(f"{min(observed + 10, 40):.1f}")
    page.get_by_role("button", name="Reset to observed rates").click()
    expect(total).to_have_text(before_total)


def test_bulletin_is_printable(page: Page) -> None:
    page.goto("/statistics/bulletin?period=2025")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Services-trade bulletin")
    expect(page.get_by_role("button", name="Print / save as PDF")).to_be_visible()
    expect(page.locator('[data-stats-chart="bulletin"][data-rendered=true] canvas')).to_have_count(
        1
    )
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.get_by_test_id("headline")).to_be_visible()
    page.emulate_media(media="screen")
    page.goto("/statistics/bulletin?period=2026-09")
    expect(page.get_by_test_id("no-data")).to_be_visible()


def test_an_enterprise_saves_a_return_with_an_added_line(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, email="trade@lingang-export.digitrade.example")
    page.wait_for_load_state("load")
    page.goto("/statistics/returns")
    form = page.get_by_test_id("return-form")
    form.get_by_label("Quarter").fill("2026-Q4")
    form.get_by_label("District").select_option("CN-SH-310115")
    form.get_by_label("EBOPS item 1", exact=True).fill("SJ31")
    form.get_by_label("Partner economy 1", exact=True).fill("SGP")
    form.get_by_label("Value (US$) 1", exact=True).fill("1000.50")
    form.get_by_role("button", name="Add a line").click()
    form.get_by_label("EBOPS item 7", exact=True).fill("SH")
    form.get_by_label("Flow 7", exact=True).select_option("debit")
    form.get_by_label("Value (US$) 7", exact=True).fill("250")
    form.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("saved")).to_be_visible()
    row = page.get_by_test_id("own-return-2026-Q4")
    expect(row.get_by_test_id("status")).to_have_text("Draft")
    expect(row).to_contain_text("1,000.50")
    expect(row).to_contain_text("250.00")
