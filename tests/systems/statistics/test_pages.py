"""Services-trade monitor pages over HTTP: the dashboard and its chart downloads in English and
Chinese, bulletins (annual, quarterly, monthly and a period without data), the import form with
its preview and all-or-nothing refusal, quarterly returns filed by an enterprise and reviewed by
an agency, and the disclosure-controlled direct-reporting table."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from digitrade.core.auth.principal import Principal
from digitrade.systems.statistics import demo, pages
from digitrade.systems.statistics.models import DataImport, DirectReturn, Observation
from tests.pages_support import csrf_of, sign_in

HEADER = "economy,period,code,flow,value,currency,unit_multiplier,basis,status,source\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.usefixtures("platform_log")


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def illustrative(db):
    """The monitor's demo: illustrative Shanghai figures by component, districts and quarters."""
    message = demo.load_demo(db, Principal.system("demo"))
    db.commit()
    return message


# Dashboard -----------------------------------------------------------------------------------


def test_dashboard_is_public_and_shows_every_chart_with_its_source(client, illustrative):
    page = client.get("/statistics/")
    assert page.status_code == 200, page.text
    text = page.text
    assert "Services-trade monitor" in text
    for chart in pages.CHARTS:
        assert f'data-stats-chart="{chart}"' in text, chart
        assert f"/statistics/data/{chart}.csv?economy=CN-SH&amp;definition=mofcom_wto" in text
        assert f"/statistics/data/{chart}.xlsx?" in text
    assert text.count("Download PNG") == len(pages.CHARTS)
    assert text.count('class="source"') == len(pages.CHARTS)
    assert text.count("Definition</span>") + text.count("Definition:") >= len(pages.CHARTS)
    assert demo.ILLUSTRATIVE_SOURCE in text
    assert "Illustrative data" in text and 'data-testid="illustrative"' in text
    assert "Digitally deliverable services (MOFCOM / WTO)" in text
    assert "On track" in text or "Off track" in text
    assert "Required growth a year" in text and "Observed growth a year" in text
    assert "shanghai-2029-services" in text and "Implementation Plan" in text
    assert 'data-scenario-rate data-code="SI"' in text
    assert 'data-testid="scenario-total"' in text
    assert "Nowcast" in text


def test_dashboard_in_chinese_names_the_definition(client, illustrative):
    page = client.get("/statistics/?lang=zh-Hans&definition=unctad")
    assert page.status_code == 200
    text = page.text
    assert "服务贸易监测" in text
    assert "可数字化交付的服务（联合国贸发会议口径）" in text
    assert "示例数据" in text
    assert "下载 PNG" in text
    assert "Download PNG" not in text and "Required growth a year" not in text
    assert "上海服务贸易进出口额 2029 年达到 2600 亿美元" in text


def test_dashboard_refuses_a_bad_choice_and_keeps_the_form(client, illustrative):
    bad = client.get("/statistics/?definition=nonsense")
    assert bad.status_code == 422
    assert 'id="form-error"' in bad.text
    bad_economy = client.get("/statistics/?economy=not%20a%20code")
    assert bad_economy.status_code == 422


@pytest.mark.parametrize("economy", ["CHN", "CN-SH-310115", "CN-SH-LG", "SGP"])
def test_dashboard_and_bulletin_of_other_economies(client, illustrative, economy):
    page = client.get(f"/statistics/?economy={economy}")
    assert page.status_code == 200, page.text
    # Trajectories are drawn for level targets only; the other charts always.
    assert page.text.count('class="source"') >= len(pages.CHARTS) - 2
    bulletin = client.get(f"/statistics/bulletin?period=2024&economy={economy}")
    assert bulletin.status_code == 200, bulletin.text


def test_scenario_at_observed_rates_matches_the_compound_growth_formula():
    items = [
        {"value": 1000.0, "rate": 0.1, "dds": True},
        {"value": 500.0, "rate": -0.2, "dds": False},
    ]
    total, dds = pages.scenario_projection(items, 2)
    assert dds == pytest.approx(1210.0)
    assert total == pytest.approx(1210.0 + 320.0)
    rates = pages.component_growth(
        {2020: {"SI": Decimal(100)}, 2022: {"SI": Decimal(121)}}, 2022, 5
    )
    assert rates["SI"] == pytest.approx(0.1)


def test_composition_downloads_as_csv_and_xlsx(client, illustrative):
    page = client.get("/statistics/")
    csv_response = client.get(
        "/statistics/data/composition.csv?economy=CN-SH&definition=mofcom_wto"
    )
    assert csv_response.status_code == 200
    assert csv_response.headers["content-type"].startswith("text/csv")
    disposition = csv_response.headers["content-disposition"]
    assert disposition.startswith("attachment")
    assert 'filename="statistics-CN-SH-mofcom_wto-composition.csv"' in disposition
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert {row["code"] for row in rows} == {f"S{letter}" for letter in "ABCDEFGHIJKL"}
    by_code = {row["code"]: row for row in rows}
    assert by_code["SI"]["digitally_deliverable"] == "True"
    assert by_code["SD"]["digitally_deliverable"] == "False"
    assert {row["year"] for row in rows} == {"2025"}
    assert f"{Decimal(by_code['SJ']['value_usd_millions']) / 1000:,.1f}" in page.text

    xlsx = client.get("/statistics/data/composition.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"] == XLSX
    assert "composition.xlsx" in xlsx.headers["content-disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book["composition"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("economy", "definition", "year", "code")
    assert len(values) == 13
    assert {row[3]: row[5] for row in values[1:]}["SJ"] == pytest.approx(
        float(by_code["SJ"]["value_usd_millions"])
    )
    notes = [tuple(row) for row in book["sources"].iter_rows(values_only=True)]
    assert ("illustrative", "yes") in notes


def test_trajectory_and_share_downloads_hold_the_series(client, illustrative):
    response = client.get("/statistics/data/trajectory-services_total.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    series = {row["series"] for row in rows}
    assert {"actual", "required", "target"} <= series
    target = next(row for row in rows if row["series"] == "target")
    assert (target["year"], Decimal(target["value_usd_millions"])) == ("2029", Decimal(260000))
    assert next(row["year"] for row in rows if row["series"] == "actual") == "2019"
    unctad = client.get("/statistics/data/share.csv?definition=unctad")
    assert "statistics-CN-SH-unctad-share.csv" in unctad.headers["content-disposition"]
    share = client.get("/statistics/data/share.csv")
    share_rows = list(csv.DictReader(io.StringIO(share.content.decode("utf-8-sig"))))
    assert share_rows and all(0 < Decimal(r["share_percent"]) < 100 for r in share_rows)
    assert client.get("/statistics/data/nothing.csv").status_code == 404
    assert client.get("/statistics/data/share.pdf").status_code == 404


# Bulletin ------------------------------------------------------------------------------------


def test_annual_bulletin_in_english_and_chinese(client, illustrative):
    page = client.get("/statistics/bulletin?period=2025")
    assert page.status_code == 200
    text = page.text
    assert "Services-trade bulletin" in text and "Print / save as PDF" in text
    assert 'data-testid="headline-services"' in text and 'data-testid="targets"' in text
    assert 'data-testid="components"' in text and "@media print" in text
    assert demo.ILLUSTRATIVE_SOURCE in text
    zh = client.get("/statistics/bulletin?period=2025&lang=zh-Hans")
    assert zh.status_code == 200 and "服务贸易简报" in zh.text and "打印 / 另存为 PDF" in zh.text


def test_quarterly_monthly_and_empty_bulletins(client, illustrative):
    quarter = client.get("/statistics/bulletin?period=2026-Q2")
    assert quarter.status_code == 200
    assert 'data-testid="headline-services"' in quarter.text
    assert "Year to date" in quarter.text
    month = client.get("/statistics/bulletin?period=2026-09")
    assert month.status_code == 200
    assert 'data-testid="no-data"' in month.text
    empty = client.get("/statistics/bulletin?period=1990")
    assert 'data-testid="no-data"' in empty.text
    bad = client.get("/statistics/bulletin?period=2025-13")
    assert bad.status_code == 422 and 'id="form-error"' in bad.text


# Import --------------------------------------------------------------------------------------


def test_import_needs_an_agency_member(client, db, stats_world):
    response = client.get("/statistics/import", follow_redirects=False)
    assert response.status_code == 303 and "/login" in response.headers["location"]
    sign_in(client, "reporter0@firm.example")
    page = client.get("/statistics/import")
    assert page.status_code == 200
    assert 'name="action" value="import"' not in page.text
    token = csrf_of(client, "/statistics/import")
    refused = client.post(
        "/statistics/import",
        data={"csrf_token": token, "action": "import"},
        files={
            "file": ("f.csv", (HEADER + "CN-SH,2025,SI,credit,10,USD,6,bop,official,x\n").encode())
        },
    )
    assert refused.status_code == 403
    assert count(db, Observation) == 0


def test_import_preview_errors_and_all_or_nothing(client, db, stats_world):
    sign_in(client, "officer@agency.example")
    page = client.get("/statistics/import")
    assert 'name="action" value="preview"' in page.text
    assert "/statistics/import/template.xlsx" in page.text
    token = csrf_of(client, "/statistics/import")
    bad = (
        HEADER
        + "CN-SH,2025,SI,credit,10,USD,6,bop,official,x\n"
        + "CN-SH,2025,ZZ9,credit,10,USD,6,bop,official,x\n"
        + "CN-SH,2025,SJ,credit,-4,USD,6,bop,official,x\n"
    ).encode()
    preview = client.post(
        "/statistics/import",
        data={"csrf_token": token, "action": "preview", "source": "test"},
        files={"file": ("bad.csv", bad, "text/csv")},
    )
    assert preview.status_code == 200, preview.text
    assert 'data-testid="row-errors"' in preview.text
    assert 'data-testid="error-count">2<' in preview.text
    assert ">3<" in preview.text  # line 3 holds the unknown code
    refused = client.post(
        "/statistics/import",
        data={"csrf_token": token, "action": "import", "source": "test"},
        files={"file": ("bad.csv", bad, "text/csv")},
    )
    assert refused.status_code == 422
    assert 'id="form-error"' in refused.text and "nothing was imported" in refused.text
    assert 'data-testid="row-errors"' in refused.text
    assert 'value="test"' in refused.text  # the form comes back as it was
    assert count(db, Observation) == 0 and count(db, DataImport) == 0

    good = (HEADER + "CN-SH,2025,SI,credit,10,USD,6,bop,official,x\n").encode()
    checked = client.post(
        "/statistics/import",
        data={"csrf_token": token, "action": "preview"},
        files={"file": ("good.csv", good, "text/csv")},
    )
    assert 'data-testid="new">1<' in checked.text
    assert count(db, Observation) == 0
    stored = client.post(
        "/statistics/import",
        data={"csrf_token": token, "action": "import", "source": "Bulletin table 1"},
        files={"file": ("good.csv", good, "text/csv")},
        follow_redirects=False,
    )
    assert stored.status_code == 303, stored.text
    listing = client.get(stored.headers["location"])
    assert 'data-testid="imported"' in listing.text and "good.csv" in listing.text
    assert "Bulletin table 1" in listing.text
    assert count(db, Observation) == 1 and count(db, DataImport) == 1
    no_csrf = client.post(
        "/statistics/import",
        data={"action": "import"},
        files={"file": ("good.csv", good, "text/csv")},
    )
    assert no_csrf.status_code == 403 and count(db, DataImport) == 1


def test_blank_templates_download(client):
    response = client.get("/statistics/import/template.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("economy,period,code")
    xlsx = client.get("/statistics/import/template.xlsx")
    assert xlsx.headers["content-type"] == XLSX
    assert load_workbook(io.BytesIO(xlsx.content)).worksheets
    assert client.get("/statistics/import/template.pdf").status_code == 404


# Returns and review --------------------------------------------------------------------------


def return_form(token: str, organisation_id: int, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "organisation_id": str(organisation_id),
        "period": "2026-Q3",
        "district": "CN-SH-310115",
        "line1_code": "SI2",
        "line1_partner": "USA",
        "line1_flow": "credit",
        "line1_value": "125000.00",
        "line2_code": "",
        "line2_partner": "W00",
        "line2_flow": "credit",
        "line2_value": "",
        **extra,
    }


def test_anonymous_cannot_file_a_return(client, db, stats_world):
    response = client.post(
        "/statistics/returns",
        data=return_form("x", stats_world.enterprises[0]),
        follow_redirects=False,
    )
    assert response.status_code == 303 and "/login" in response.headers["location"]
    assert client.get("/statistics/returns", follow_redirects=False).status_code == 303
    assert count(db, DirectReturn) == 0


def test_enterprise_files_and_agency_reviews(client, db, stats_world):
    firm = stats_world.enterprises[0]
    sign_in(client, "reporter0@firm.example")
    page = client.get("/statistics/returns")
    assert page.status_code == 200
    assert 'data-testid="return-form"' in page.text and "Pudong New Area" in page.text
    assert "Returns awaiting review" not in page.text
    token = csrf_of(client, "/statistics/returns")

    bad = client.post(
        "/statistics/returns",
        data=return_form(token, firm, line1_code="XX9", submit="1"),
    )
    assert bad.status_code == 422 and 'id="form-error"' in bad.text
    assert 'value="XX9"' in bad.text  # the form comes back with what was typed
    bad_period = client.post("/statistics/returns", data=return_form(token, firm, period="2026-13"))
    assert bad_period.status_code == 422
    assert count(db, DirectReturn) == 0

    draft = client.post(
        "/statistics/returns", data=return_form(token, firm, submit="0"), follow_redirects=False
    )
    assert draft.status_code == 303, draft.text
    listing = client.get(draft.headers["location"])
    assert 'data-testid="saved"' in listing.text and "Draft" in listing.text
    assert "125,000.00" in listing.text
    saved = db.scalars(select(DirectReturn)).one()
    edit = client.get(f"/statistics/returns?edit={saved.id}")
    assert 'value="SI2"' in edit.text and 'value="USA"' in edit.text
    submitted = client.post(
        f"/statistics/returns/{saved.id}/submit", data={"csrf_token": token}, follow_redirects=False
    )
    assert submitted.status_code == 303
    db.expire_all()
    assert db.get(DirectReturn, saved.id).status == "submitted"

    # An enterprise member cannot review, even its own return.
    refused = client.post(
        f"/statistics/returns/{saved.id}/review",
        data={"csrf_token": token, "action": "accept"},
    )
    assert refused.status_code == 403 and 'id="form-error"' in refused.text
    db.expire_all()
    assert db.get(DirectReturn, saved.id).status == "submitted"

    client.post("/logout", data={"csrf_token": token})
    sign_in(client, "officer@agency.example")
    queue = client.get("/statistics/returns")
    assert f'data-testid="queue-{saved.id}"' in queue.text
    assert 'data-testid="return-form"' not in queue.text
    officer_token = csrf_of(client, "/statistics/returns")
    no_note = client.post(
        f"/statistics/returns/{saved.id}/review",
        data={"csrf_token": officer_token, "action": "query", "note": ""},
    )
    assert no_note.status_code == 422
    queried = client.post(
        f"/statistics/returns/{saved.id}/review",
        data={"csrf_token": officer_token, "action": "query", "note": "Check the partner of SI2"},
        follow_redirects=False,
    )
    assert queried.status_code == 303
    db.expire_all()
    assert db.get(DirectReturn, saved.id).status == "queried"

    client.post("/logout", data={"csrf_token": officer_token})
    sign_in(client, "reporter0@firm.example")
    mine = client.get("/statistics/returns?lang=zh-Hans")
    assert "Check the partner of SI2" in mine.text and "已质询" in mine.text
    token = csrf_of(client, "/statistics/returns")
    again = client.post(
        "/statistics/returns", data=return_form(token, firm, submit="1"), follow_redirects=False
    )
    assert again.status_code == 303
    client.post("/logout", data={"csrf_token": token})

    sign_in(client, "officer@agency.example")
    officer_token = csrf_of(client, "/statistics/returns")
    accepted = client.post(
        f"/statistics/returns/{saved.id}/review",
        data={"csrf_token": officer_token, "action": "accept"},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    db.expire_all()
    assert db.get(DirectReturn, saved.id).status == "accepted"

    # One enterprise in the cell: the published table shows it suppressed, with the reason.
    table = client.get("/statistics/direct-reporting/2026-Q3?lang=en")
    assert table.status_code == 200
    assert 'class="suppressed"' in table.text and 'data-reason="few-contributors"' in table.text
    assert "Fewer than three enterprises contribute" in table.text
    assert "125,000.00" not in table.text
    zh = client.get("/statistics/direct-reporting/2026-Q3?lang=zh-Hans&flow=debit")
    assert zh.status_code == 200 and "进口（借方）" in zh.text


def test_direct_reporting_refuses_a_bad_period(client):
    bad = client.get("/statistics/direct-reporting/2026")
    assert bad.status_code == 422 and 'id="form-error"' in bad.text
    empty = client.get("/statistics/direct-reporting/2020-Q1")
    assert empty.status_code == 200 and 'data-testid="no-data"' in empty.text
    index = client.get("/statistics/direct-reporting?period=2026-Q2", follow_redirects=False)
    assert index.headers["location"] == "/statistics/direct-reporting/2026-Q2"
